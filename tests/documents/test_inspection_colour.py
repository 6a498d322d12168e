"""The colour rule on real files: photos must be colour, other documents are expected gray."""

import io

import pytest
from PIL import Image, ImageDraw

from documents.inspection import inspect_file
from tests.documents.corpus import colour_image, encode, gray_image, tiff_bytes


def verdict(data: bytes, *, carries_photo: bool) -> tuple[str, tuple[str, ...]]:
    result = inspect_file(io.BytesIO(data), carries_photo=carries_photo)
    return result.reason_code, result.warning_codes


def is_judged_colour(data: bytes) -> bool:
    """Colour by both readings of the rule, which must agree."""
    as_photo = verdict(data, carries_photo=True)
    as_letter = verdict(data, carries_photo=False)
    assert as_photo in {("", ()), ("not_in_colour", ())}
    assert as_letter in {("", ()), ("", ("expected_grayscale",))}
    assert (as_photo == ("", ())) == (as_letter == ("", ("expected_grayscale",)))
    return as_photo == ("", ())


def page_with_patch(fraction: float, size=(1000, 800)) -> Image.Image:
    """A gray page with a saturated colour patch covering `fraction` of it."""
    page = gray_image(size).convert("RGB")
    side = int((fraction * size[0] * size[1]) ** 0.5)
    ImageDraw.Draw(page).rectangle((100, 100, 100 + side - 1, 100 + side - 1), fill=(200, 30, 40))
    return page


def test_photo_on_a_gray_page_makes_it_colour():
    assert is_judged_colour(encode(page_with_patch(0.05), "PNG"))


def test_small_colour_stamp_on_a_gray_page_stays_gray():
    assert not is_judged_colour(encode(page_with_patch(0.001), "PNG"))


def test_scanner_cast_and_jpeg_noise_stay_gray():
    gray = gray_image((800, 600))
    cast = Image.merge(
        "RGB", (gray.point(lambda v: min(255, v + 6)), gray, gray.point(lambda v: max(0, v - 4)))
    )

    assert not is_judged_colour(encode(cast, "JPEG", quality=40))


@pytest.mark.parametrize("mode", ["L", "LA", "1", "I;16", "I"])
def test_single_channel_modes_are_gray(mode):
    image = gray_image().convert(mode) if mode != "I;16" else gray_image().convert("I;16")

    assert not is_judged_colour(encode(image, "TIFF" if mode.startswith("I") else "PNG"))


def test_palette_images_are_judged_by_the_colours_they_use():
    gray_palette = gray_image().convert("P", palette=Image.Palette.ADAPTIVE, colors=32)
    colour_palette = colour_image().quantize(32)

    assert not is_judged_colour(encode(gray_palette, "PNG"))
    assert not is_judged_colour(encode(gray_palette, "GIF"))
    assert is_judged_colour(encode(colour_palette, "PNG"))


def test_cmyk_and_rgba():
    assert is_judged_colour(encode(colour_image().convert("CMYK"), "JPEG"))
    gray_cmyk = Image.merge("CMYK", (Image.new("L", (320, 240), 0),) * 3 + (gray_image(),))
    assert not is_judged_colour(encode(gray_cmyk, "JPEG"))
    assert is_judged_colour(encode(colour_image().convert("RGBA"), "PNG"))


def test_one_colour_frame_makes_an_animation_colour():
    frames = [gray_image(seed=1).convert("RGB"), gray_image(seed=2).convert("RGB"), colour_image()]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)

    assert is_judged_colour(data)


def test_one_colour_page_makes_a_tiff_colour_and_ccitt_pages_are_gray():
    assert not is_judged_colour(tiff_bytes(("group4", "group4")))
    assert is_judged_colour(tiff_bytes(("group4", "jpeg", "group4")))
    assert not is_judged_colour(tiff_bytes(("tiff_lzw", "jpeg"), colour=False))
