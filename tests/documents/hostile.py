"""Hostile and damaged samples beyond the basic corpus, built in memory from scratch or from good
files: PDFs with object streams (a deflate bomb among them).

`corpus()` in tests/documents/corpus.py lists them with their expected verdicts; the builders
are public for tests that need one particular file.
"""

import io
import zlib

# A PDF writer's 7-bit-clean comment after the header, as most writers put it.
_PDF_HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


def pdf_with_object_streams_bytes(*, streams: int = 2, padding: int = 0, layers: int = 1) -> bytes:
    """A one-page PDF whose catalogue refers to one object in each of `streams` object streams,
    listed by a cross-reference stream, as PDF 1.5 writers lay them out.

    Each object stream's decoded data starts with `padding` spaces (legal white space before
    its header) and is deflated `layers` times over (a /FlateDecode filter chain). With padding
    in the tens of megabytes and two layers, each stream is a few hundred bytes on disk that
    inflate to tens of megabytes, which pypdf would then read one byte at a time.
    """
    out = io.BytesIO()
    out.write(_PDF_HEADER)
    offsets: dict[int, int] = {}

    def write_object(number: int, body: bytes, stream: bytes | None = None) -> None:
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + body)
        if stream is not None:
            out.write(b"\nstream\n" + stream + b"\nendstream")
        out.write(b"\nendobj\n")

    contained = [5 + 2 * index for index in range(streams)]
    references = b" ".join(b"%d 0 R" % number for number in contained)
    write_object(1, b"<< /Type /Catalog /Pages 2 0 R /Extra [" + references + b"] >>")
    write_object(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    write_object(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>")
    # The spaces are compressed once; each stream continues from a copy of that state.
    compressor = zlib.compressobj(9)
    spaces = compressor.compress(b" " * padding)
    filters = b"[" + b" ".join([b"/FlateDecode"] * layers) + b"]"
    for number in contained:
        header = b"%d 0 " % number
        tail = compressor.copy()
        data = spaces + tail.compress(header + b"<< /Kind /Filler >>") + tail.flush()
        for _ in range(layers - 1):
            data = zlib.compress(data, 9)
        first = padding + len(header)
        body = b"<< /Type /ObjStm /N 1 /First %d /Filter %s /Length %d >>" % (
            first,
            filters,
            len(data),
        )
        write_object(number - 1, body, data)
    xref_number = 4 + 2 * streams
    xref_offset = out.tell()
    rows = [b"\x00" + bytes(4) + b"\xff\xff"]
    for number in range(1, xref_number + 1):
        if number in offsets:
            rows.append(b"\x01" + offsets[number].to_bytes(4, "big") + bytes(2))
        elif number == xref_number:
            rows.append(b"\x01" + xref_offset.to_bytes(4, "big") + bytes(2))
        else:  # compressed: the object stream's number, and the index within it
            rows.append(b"\x02" + (number - 1).to_bytes(4, "big") + bytes(2))
    table = b"".join(rows)
    body = b"<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>" % (
        xref_number + 1,
        len(table),
    )
    write_object(xref_number, body, table)
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref_offset)
    return out.getvalue()
