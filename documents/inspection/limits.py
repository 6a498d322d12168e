"""The guards that keep one inspection small and quick, whatever the file claims.

Chosen here explicitly rather than taken from Pillow's process-wide `Image.MAX_IMAGE_PIXELS`,
which the inspection neither reads nor changes.
"""

from documents.catalogue import MAX_FILE_BYTES

ACCEPTED_FORMATS = ("JPEG", "PDF", "GIF", "PNG", "TIFF")

# One page or frame: 50 million pixels is a 600 dpi scan of an A3 sheet, about 200 MB as RGBA.
MAX_PIXELS = 50_000_000
# All pages or frames of one file together, checked before each page is decoded.
MAX_TOTAL_PIXELS = 200_000_000
# Pages of a PDF or multi-page TIFF, frames of an animated GIF or PNG.
MAX_PAGES = 200
# Indirect objects of a PDF (its cross-reference table), and all dictionaries and arrays the
# scan may visit: a scanned or printed 5 MB document has a few thousand of either.
MAX_PDF_OBJECTS = 20_000
MAX_PDF_NODES = 500_000
# Wall-clock budget of the PDF object scan, the last guard against pathological files.
MAX_PDF_SECONDS = 5.0

__all__ = [
    "ACCEPTED_FORMATS",
    "MAX_FILE_BYTES",
    "MAX_PAGES",
    "MAX_PDF_NODES",
    "MAX_PDF_OBJECTS",
    "MAX_PDF_SECONDS",
    "MAX_PIXELS",
    "MAX_TOTAL_PIXELS",
]
