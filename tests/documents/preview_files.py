"""Files for the preview tests, generated here: hostile ones that pass the upload inspection
(it never decodes a PDF's content streams) but would hold a renderer for long, or need much
memory to draw."""

import io
import zlib

from PIL import Image


def _pdf(objects: list[bytes]) -> bytes:
    out = b"%PDF-1.7\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def stroke_flood_pdf(strokes: int = 200_000) -> bytes:
    """One page whose content stream (a few kilobytes compressed) strokes the same line
    `strokes` times: PDFium takes tens of seconds of CPU to draw it."""
    content = zlib.compress(b"0 0 m 600 800 l S\n" * strokes, 9)
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            stream + content + b"\nendstream",
        ]
    )


def large_tiff(side: int = 7000) -> bytes:
    """A one-page LZW TIFF of side x side RGB pixels (under the inspection's 50 megapixels, a
    couple of megabytes on disk): drawing it needs about 150 MB."""
    buffer = io.BytesIO()
    Image.new("RGB", (side, side), (200, 30, 30)).save(buffer, "TIFF", compression="tiff_lzw")
    return buffer.getvalue()


def tiff_pages(count: int, size: tuple[int, int] = (400, 500)) -> bytes:
    frames = [Image.new("L", size, 10 * index) for index in range(count)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw")
    return buffer.getvalue()
