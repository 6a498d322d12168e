"""JPEG, PNG, GIF and TIFF: pixel guards from each header, then every frame decoded.

TIFF page compressions are checked first, for all pages, by `documents.inspection.tiff`; PNG
chunks (lengths and CRCs) too, and what libtiff reports while it decodes a TIFF page, and a
JPEG's entropy-coded data once Pillow has decoded it, by `documents.inspection.damage`.

The plugin class of the sniffed format is instantiated directly instead of `Image.open`, so that
only that format's parser sees the file and Pillow's process-wide decompression-bomb check (a
warning or an error depending on `Image.MAX_IMAGE_PIXELS`) is replaced by our explicit limits,
applied to each frame's header before that frame is decoded.
"""

import io
from contextlib import AbstractContextManager, nullcontext

from PIL import GifImagePlugin, ImageFile, JpegImagePlugin, PngImagePlugin, TiffImagePlugin

from documents.inspection import damage, tiff
from documents.inspection.colour import is_grayscale
from documents.inspection.limits import MAX_PAGES, MAX_PIXELS, MAX_TOTAL_PIXELS
from documents.inspection.result import InspectionResult, accept, reject

_PLUGINS: dict[str, type[ImageFile.ImageFile]] = {
    "JPEG": JpegImagePlugin.JpegImageFile,
    "PNG": PngImagePlugin.PngImageFile,
    "GIF": GifImagePlugin.GifImageFile,
    "TIFF": TiffImagePlugin.TiffImageFile,
}


# PNG ends with its IEND chunk and GIF with its trailer byte. Pillow tolerates their absence, but
# a file without them was cut short (or has something appended, as in a PNG/ZIP polyglot).
# JPEG has no such rule here: cameras append data after the end marker, and Pillow's decoder
# already rejects a JPEG cut short.
_REQUIRED_ENDINGS = {"PNG": b"\x00\x00\x00\x00IEND\xaeB`\x82", "GIF": b";"}


def inspect_raster(stream: io.BytesIO, fmt: str, *, carries_photo: bool) -> InspectionResult:
    """Decode every frame of a raster file whose signature said `fmt`; see the package rules."""
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES must stay False.")
    data = stream.getvalue()
    if not data.endswith(_REQUIRED_ENDINGS.get(fmt, b"")):
        return reject("corrupt", fmt=fmt, format=fmt)
    if fmt == "PNG":
        problem = damage.png_damage(data)
        if problem is not None:
            return problem
    if fmt == "TIFF":
        problem = _check_tiff_compressions(data)
        if problem is not None:
            return problem
    try:
        image = _PLUGINS[fmt](stream)
    except MemoryError:
        raise
    except Exception:  # a hostile header may make a parser raise anything
        return reject("corrupt", fmt=fmt, format=fmt)
    with image:
        result = _check_frames(image, fmt, carries_photo=carries_photo)
    # Damage that Pillow decoded past; worth a second decode only when nothing else was wrong.
    if fmt == "JPEG" and result.reason_code in ("", "not_in_colour"):
        return damage.jpeg_damage(data) or result
    return result


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
        except MemoryError:
            raise
        except Exception:
            return reject("corrupt", fmt=fmt, format=fmt, page=page if pages else None)
        if pages == MAX_PAGES:
            return reject("too_many_pages", fmt=fmt, limit=MAX_PAGES)
        problem = _check_header(image, fmt, page, total_pixels)
        if problem is not None:
            return problem
        total_pixels += image.width * image.height
        watch: AbstractContextManager[list[str]]
        watch = damage.libtiff_errors() if fmt == "TIFF" else nullcontext([])
        try:
            with watch as errors:
                image.load()
        except MemoryError:
            raise  # not damage: the process's memory limit decides
        except Exception:
            return reject("corrupt", fmt=fmt, format=fmt, page=page if pages else None)
        if errors:
            return reject("tiff_data_corrupt", fmt=fmt, page=page)
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
    return None


def _check_tiff_compressions(data: bytes) -> InspectionResult | None:
    """Every page's compression, from the directories alone, before anything is decoded."""
    try:
        codes = tiff.page_compressions(data, max_pages=MAX_PAGES)
    except tiff.BrokenTiff:
        return reject("corrupt", fmt="TIFF", format="TIFF")
    if len(codes) > MAX_PAGES:
        return reject("too_many_pages", fmt="TIFF", limit=MAX_PAGES)
    for page, code in enumerate(codes, start=1):
        if code not in tiff.ACCEPTED_COMPRESSIONS:
            compression = tiff.compression_name(code)
            return reject("tiff_compression", fmt="TIFF", compression=compression, page=page)
    return None
