"""Is a decoded page grayscale? Judged on a sample of its pixels, not on its declared mode alone.

Single-channel modes (1, L, LA, I, I;16..., F) are grayscale. Any other mode is judged by its
pixels: a nearest-neighbour sample of at most SAMPLE_SIDE pixels on the long side (cheap: it
touches only the sampled pixels, so it costs well under a millisecond beside a full decode),
converted to RGB. A sampled pixel is coloured when its chroma (largest minus smallest channel)
exceeds CHROMA_TOLERANCE, which absorbs JPEG chroma noise and the slight cast of a colour scanner;
the page is grayscale when at most COLOURED_FRACTION of the sample is coloured, so a colour scan
of a black-and-white page with colour fringes around its text still counts as grayscale, while a
passport photo covering a few per cent of a page makes it colour.
"""

from PIL import Image, ImageChops

SAMPLE_SIDE = 512
CHROMA_TOLERANCE = 24
COLOURED_FRACTION = 0.005

GRAYSCALE_MODES = frozenset({"1", "L", "LA", "La", "I", "I;16", "I;16L", "I;16B", "I;16N", "F"})


def is_grayscale(page: Image.Image) -> bool:
    """True when the decoded page shows no colour (see the module's rule)."""
    if page.mode in GRAYSCALE_MODES:
        return True
    try:
        rgb = _sample(page).convert("RGB")
    except (ValueError, OSError):
        return False  # a mode Pillow cannot turn into RGB: not provably grayscale
    red, green, blue = rgb.split()
    brightest = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    darkest = ImageChops.darker(ImageChops.darker(red, green), blue)
    histogram = ImageChops.subtract(brightest, darkest).histogram()
    coloured = sum(histogram[CHROMA_TOLERANCE + 1 :])
    return coloured <= COLOURED_FRACTION * rgb.width * rgb.height


def _sample(page: Image.Image) -> Image.Image:
    width, height = page.size
    scale = max(width, height) / SAMPLE_SIDE
    if scale <= 1:
        return page
    size = (max(1, round(width / scale)), max(1, round(height / scale)))
    return page.resize(size, Image.Resampling.NEAREST)
