"""Images damaged in ways their decoders repair silently are refused as damaged, with the reason.

Made from good files by changing a few bytes: a JPEG whose entropy-coded data is corrupt (libjpeg
warns and decodes garbage), a PNG whose IDAT chunk fails its CRC, a PNG whose chunk declares more
bytes than the file holds, and a CCITT Group 4 TIFF page with bad code words (libtiff reports
them and returns a blank page). Pillow raises on none of them.
"""

import io

import pytest
from django.utils import translation
from PIL import Image

from documents.inspection import inspect_file
from tests.documents.corpus import jpeg_bytes, png_bytes, tiff_bytes
from tests.documents.hostile import (
    jpeg_with_corrupt_data,
    png_with_bad_idat_crc,
    png_with_overlong_chunk,
    tiff_with_bad_code_word,
)


def inspect(data: bytes, *, carries_photo: bool = True):
    return inspect_file(io.BytesIO(data), carries_photo=carries_photo)


def pillow_decodes(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as image:
        for frame in range(getattr(image, "n_frames", 1)):
            image.seek(frame)
            image.load()
    return True


def test_samples_are_damage_that_pillow_decodes_without_an_error(capfd):
    assert pillow_decodes(jpeg_with_corrupt_data(jpeg_bytes((640, 480))))
    assert pillow_decodes(png_with_bad_idat_crc(png_bytes()))
    assert pillow_decodes(png_with_overlong_chunk(png_bytes()))
    assert pillow_decodes(tiff_with_bad_code_word(tiff_bytes(("group4",)), page=1))
    assert "Bad code word" in capfd.readouterr().err  # what libtiff prints, and only prints


def test_jpeg_with_corrupt_entropy_coded_data_is_refused():
    result = inspect(jpeg_with_corrupt_data(jpeg_bytes((640, 480))))
    assert (result.accepted, result.format, result.reason_code) == (
        False,
        "JPEG",
        "jpeg_data_corrupt",
    )
    assert "damaged" in result.reason


def test_progressive_and_grayscale_jpegs_are_still_accepted():
    from tests.documents.corpus import colour_image, encode, gray_image

    assert inspect(encode(colour_image((640, 480)), "JPEG", progressive=True)).accepted
    assert inspect(encode(gray_image(), "JPEG"), carries_photo=False).accepted
    assert inspect(encode(colour_image().convert("CMYK"), "JPEG")).accepted


def test_png_whose_idat_fails_its_crc_is_refused_naming_the_chunk():
    result = inspect(png_with_bad_idat_crc(png_bytes()))
    assert (result.accepted, result.reason_code) == (False, "png_bad_checksum")
    assert result.reason_params["chunk"] == "IDAT"
    assert "IDAT" in result.reason


def test_png_whose_chunk_runs_past_the_end_is_refused_naming_the_chunk():
    result = inspect(png_with_overlong_chunk(png_bytes()))
    assert (result.accepted, result.reason_code) == (False, "png_chunk_overrun")
    assert result.reason_params["chunk"] == "IDAT"


@pytest.mark.parametrize("damaged", [1, 2])
def test_group4_tiff_page_with_bad_code_words_is_refused_naming_the_page(damaged):
    data = tiff_with_bad_code_word(tiff_bytes(("group4", "group4")), page=damaged)

    result = inspect(data, carries_photo=False)

    assert (result.accepted, result.reason_code) == (False, "tiff_data_corrupt")
    assert result.reason_params["page"] == damaged
    with translation.override("zh-hant"):
        assert str(damaged) in result.reason


def test_good_group4_tiff_is_still_accepted():
    assert inspect(tiff_bytes(("group4", "group4")), carries_photo=False).accepted
