"""JPEG, PNG, GIF and TIFF: pixel guard from the header, every frame decoded, TIFF compression.

The plugin class of the sniffed format is instantiated directly instead of `Image.open`, so that
only that format's parser sees the file and Pillow's process-wide decompression-bomb check (a
warning or an error depending on `Image.MAX_IMAGE_PIXELS`) is replaced by our explicit limits,
applied to each frame's header before that frame is decoded.
"""

from typing import BinaryIO

from PIL import GifImagePlugin, ImageFile, JpegImagePlugin, PngImagePlugin, TiffImagePlugin

from documents.inspection.colour import is_grayscale
from documents.inspection.limits import MAX_PAGES, MAX_PIXELS, MAX_TOTAL_PIXELS
from documents.inspection.result import InspectionResult, accept, reject

_PLUGINS: dict[str, type[ImageFile.ImageFile]] = {
    "JPEG": JpegImagePlugin.JpegImageFile,
    "PNG": PngImagePlugin.PngImageFile,
    "GIF": GifImagePlugin.GifImageFile,
    "TIFF": TiffImagePlugin.TiffImageFile,
}

COMPRESSION_TAG = 259
# Compression codes of TIFF 6.0 and its technical notes, named as the rejection message says.
TIFF_COMPRESSIONS = {
    1: "none",
    2: "CCITT modified Huffman (RLE)",
    3: "CCITT Group 3",
    4: "CCITT Group 4",
    5: "LZW",
    6: "old-style JPEG",
    7: "JPEG",
    8: "Deflate",
    32771: "RAW 16-bit padded",
    32773: "PackBits",
    32809: "ThunderScan",
    32946: "Deflate (PKZIP)",
    34661: "JBIG",
    34676: "SGILog",
    34677: "SGILog24",
    34712: "JPEG 2000",
    34925: "LZMA",
    50000: "Zstandard",
    50001: "WebP",
}
# Old-style JPEG (6) is not accepted: TIFF Technical Note 2 withdrew it as underspecified, readers
# only guess at its layout, and scanners have written new-style JPEG (7) for two decades.
ACCEPTED_TIFF_COMPRESSIONS = frozenset({1, 4, 5, 7})


def inspect_raster(stream: BinaryIO, fmt: str, *, carries_photo: bool) -> InspectionResult:
    """Decode every frame of a raster file whose signature said `fmt`; see the package rules."""
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES must stay False.")
    try:
        image = _PLUGINS[fmt](stream)
    except Exception:  # a hostile header may make a parser raise anything
        return reject("corrupt", fmt=fmt, format=fmt)
    with image:
        return _check_frames(image, fmt, carries_photo=carries_photo)


def _check_frames(image: ImageFile.ImageFile, fmt: str, *, carries_photo: bool) -> InspectionResult:
    total_pixels = 0
    seen_colour = False
    pages = 0
    while True:
        page = pages + 1
        try:
            image.seek(pages)
        except EOFError:
            break
        except Exception:
            return reject("corrupt", fmt=fmt, format=fmt, page=page)
        if pages == MAX_PAGES:
            return reject("too_many_pages", fmt=fmt, limit=MAX_PAGES)
        problem = _check_header(image, fmt, page, total_pixels)
        if problem is not None:
            return problem
        total_pixels += image.width * image.height
        try:
            image.load()
        except Exception:
            return reject("corrupt", fmt=fmt, format=fmt, page=page if pages else None)
        seen_colour = seen_colour or not is_grayscale(image)
        pages += 1
    if carries_photo and not seen_colour:
        return reject("not_in_colour", fmt=fmt, page_count=pages)
    warnings = ("expected_grayscale",) if seen_colour and not carries_photo else ()
    return accept(fmt, page_count=pages, warning_codes=warnings)


def _check_header(
    image: ImageFile.ImageFile, fmt: str, page: int, total_pixels: int
) -> InspectionResult | None:
    """The guards a frame must pass before it is decoded."""
    pixels = image.width * image.height
    if pixels > MAX_PIXELS:
        return reject(
            "too_many_pixels",
            fmt=fmt,
            megapixels=pixels // 1_000_000,
            limit=MAX_PIXELS // 1_000_000,
            page=page if page > 1 else None,
        )
    if total_pixels + pixels > MAX_TOTAL_PIXELS:
        return reject("too_many_pixels_total", fmt=fmt, limit=MAX_TOTAL_PIXELS // 1_000_000)
    if fmt == "TIFF":
        code = int(image.tag_v2.get(COMPRESSION_TAG, 1))
        if code not in ACCEPTED_TIFF_COMPRESSIONS:
            name = TIFF_COMPRESSIONS.get(code, "unknown (" + str(code) + ")")
            return reject("tiff_compression", fmt=fmt, compression=name, page=page)
    return None
