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
# Wall-clock budget of the PDF object scan, checked before every object is read.
MAX_PDF_SECONDS = 5.0
# Bytes that a PDF's object streams may inflate to, all of them together, each stage of a filter
# chain capped at what is left. pypdf reads inflated objects one byte at a time in Python (some
# 70 ns a byte here, so 0.3 s for the budget), so it also bounds the time; the objects of a
# scanned or printed 5 MB document take well under a megabyte.
MAX_PDF_INFLATED_BYTES = 4 * 1024 * 1024
# Object streams of a PDF: writers put a hundred objects or more in each.
MAX_PDF_OBJECT_STREAMS = 200
# Filters chained on one stream: writers use one, sometimes two.
MAX_PDF_FILTERS = 3

__all__ = [
    "ACCEPTED_FORMATS",
    "MAX_FILE_BYTES",
    "MAX_PAGES",
    "MAX_PDF_FILTERS",
    "MAX_PDF_INFLATED_BYTES",
    "MAX_PDF_NODES",
    "MAX_PDF_OBJECTS",
    "MAX_PDF_OBJECT_STREAMS",
    "MAX_PDF_SECONDS",
    "MAX_PIXELS",
    "MAX_TOTAL_PIXELS",
]
