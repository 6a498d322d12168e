"""Content inspection of an uploaded file: accepted or rejected, with a reason and warnings.

No database access, and nothing taken from the file's name or declared type: the format comes
from the content's signature and is confirmed by parsing (Pillow for images, pypdf for PDF).

- At most MAX_FILE_BYTES (5 MB); an empty file is rejected.
- JPEG, PNG, GIF and TIFF: every page or frame is decoded, each only after its header passed the
  pixel guards (MAX_PIXELS a page, MAX_TOTAL_PIXELS a file, MAX_PAGES); truncated or damaged
  data is rejected, and so is a PNG not ending with its IEND chunk or a GIF without its trailer
  (cut short, or with something appended). TIFF pages must use no compression, LZW, new-style
  JPEG or CCITT Group 4, checked on every page before any is decoded. Damage that a decoder
  repairs with only a warning, which Pillow does not report, is rejected with its own reason
  (`documents.inspection.damage`): corrupt JPEG entropy-coded data, a PNG chunk failing its CRC
  or running past the end of the file, a TIFF page that libtiff decodes only with errors (bad
  CCITT code words).
- PDF: see `documents.inspection.pdf`.
- Anything else is rejected, naming what it seems to be and listing ACCEPTED_FORMATS.
- Colour: a file is colour when at least one page is (`documents.inspection.colour` for images,
  declared image colour spaces for PDF). A document that carries a photo must be colour; any
  other document is expected in grayscale and a colour file gets the "expected_grayscale"
  warning. CCITT pages are bilevel, hence grayscale.
"""

import io
from typing import BinaryIO

from documents.inspection.limits import ACCEPTED_FORMATS, MAX_FILE_BYTES
from documents.inspection.pdf import EOF_WINDOW, inspect_pdf
from documents.inspection.raster import inspect_raster
from documents.inspection.result import InspectionResult, reject
from documents.inspection.sniff import sniff

__all__ = ["ACCEPTED_FORMATS", "MAX_FILE_BYTES", "InspectionResult", "inspect_file", "read_head"]


def inspect_file(fileobj: BinaryIO, *, carries_photo: bool) -> InspectionResult:
    """Inspect the content of `fileobj` from its start (size limit included).

    Reads at most MAX_FILE_BYTES + 1 bytes into memory and works on that copy, so the caller's
    file object is only read. Never raises for any content but MemoryError, when an allocation
    fails (`documents.inspection.isolated` runs this under memory limits and refuses the file);
    a failure to read the file object itself (OSError) is the caller's to handle. Raises
    RuntimeError if this process has turned on PIL.ImageFile.LOAD_TRUNCATED_IMAGES, under which
    truncated images would pass.
    """
    data = read_head(fileobj)
    if not data:
        return reject("empty")
    if len(data) > MAX_FILE_BYTES:
        return reject("too_large", limit_mb=MAX_FILE_BYTES // (1024 * 1024))
    fmt, kind = sniff(data)
    if fmt is None:
        return reject("unsupported_format", accepted=", ".join(ACCEPTED_FORMATS), detected=kind)
    with io.BytesIO(data) as stream:
        if fmt == "PDF":
            return inspect_pdf(stream, data[-EOF_WINDOW:], carries_photo=carries_photo)
        return inspect_raster(stream, fmt, carries_photo=carries_photo)


def read_head(fileobj: BinaryIO, limit: int = MAX_FILE_BYTES + 1) -> bytes:
    """Up to `limit` bytes from the start of `fileobj` (a raw stream may return short reads):
    by default all that the inspection reads, one byte more than the size limit."""
    seekable = getattr(fileobj, "seekable", None)
    if seekable is not None and seekable():
        fileobj.seek(0)
    chunks: list[bytes] = []
    remaining = limit
    while remaining > 0:
        chunk = fileobj.read(remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
