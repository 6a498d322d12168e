"""The child side of the previews: draw the pages of one file as raw pixels.

    python -E -s -B -m documents.previews.child CPU MEMORY OUTPUT FORMAT

FORMAT is the inspected format (PDF, TIFF, JPEG, PNG or GIF). The file comes on standard input;
documents.previews.frames says what goes to standard output. documents.isolation sets the
limits before PDFium or Pillow is imported. Django settings and the database are never touched.
"""

import io
import logging
import warnings
from typing import IO

from documents.isolation import child_main
from documents.previews import MAX_PREVIEW_PAGES, MAX_SCALE, PAGE_SIDE, THUMB_SIDE
from documents.previews.frames import write_end, write_image

# The inspection's own ceiling on one page's pixels (documents.inspection.limits).
MAX_PIXELS = 50_000_000


def _emit(out: IO[bytes], number: int, image: object) -> None:
    from PIL import Image

    assert isinstance(image, Image.Image)
    side = THUMB_SIDE if number == 0 else PAGE_SIDE
    if image.width > side or image.height > side:
        image = image.copy()
        image.thumbnail((side, side))
    write_image(out, number, image.width, image.height, image.mode, image.tobytes())


def _flat(image: object) -> object:
    """An image as "L" or "RGB", transparent parts on white."""
    from PIL import Image

    assert isinstance(image, Image.Image)
    if image.mode in ("1", "L", "I;16", "I", "F"):
        return image.convert("L")
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


def _pages(first: object, out: IO[bytes], number: int) -> None:
    """Write a page, and the thumbnail after the first one."""
    from PIL import Image

    assert isinstance(first, Image.Image)
    _emit(out, number, first)
    if number == 1:
        thumbnail = first.copy()
        thumbnail.thumbnail((THUMB_SIDE, THUMB_SIDE))
        _emit(out, 0, thumbnail)


def render_pdf(data: bytes, out: IO[bytes]) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        total = len(document)
        for index in range(min(total, MAX_PREVIEW_PAGES)):
            page = document[index]
            width, height = page.get_size()
            if not (width > 0 and height > 0):
                raise ValueError("page without an area")
            scale = min(PAGE_SIDE / max(width, height), MAX_SCALE)
            # No form fields: what a form would show is the applicant's to print in the file.
            bitmap = page.render(scale=scale, may_draw_forms=False)
            _pages(bitmap.to_pil().convert("RGB"), out, index + 1)
            bitmap.close()
            page.close()
    finally:
        document.close()
    return total


def render_image(data: bytes, fmt: str, out: IO[bytes]) -> int:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    with Image.open(io.BytesIO(data), formats=[fmt]) as image:
        # Every TIFF page; the first frame of an animated GIF or PNG is the document.
        total = getattr(image, "n_frames", 1) if fmt == "TIFF" else 1
        for index in range(min(total, MAX_PREVIEW_PAGES)):
            image.seek(index)
            if fmt == "JPEG":
                image.draft("RGB", (PAGE_SIDE, PAGE_SIDE))
            page = _flat(image)
            assert isinstance(page, Image.Image)
            page.thumbnail((PAGE_SIDE, PAGE_SIDE))
            _pages(page, out, index + 1)
    return total


def work(args: list[str], source: IO[bytes], out: IO[bytes]) -> int:
    (fmt,) = args
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    data = source.read()
    if fmt == "PDF":
        pages = render_pdf(data, out)
    elif fmt in ("TIFF", "JPEG", "PNG", "GIF"):
        pages = render_image(data, fmt, out)
    else:
        return 2
    write_end(out, pages)
    return 0


if __name__ == "__main__":
    child_main(work)
