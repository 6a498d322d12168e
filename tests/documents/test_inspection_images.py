"""Images and TIFF: the guards act before decoding, on every frame and page, with our limits."""

import io

import pytest
from PIL import Image, ImageFile

from documents.inspection import MAX_FILE_BYTES, inspect_file
from documents.inspection.limits import MAX_PAGES, MAX_PIXELS
from tests.documents.corpus import (
    corpus,
    gif_bytes,
    gif_frames_on_canvas,
    jpeg_bytes,
    png_bomb,
    tiff_bytes,
    tiff_with_compression_code,
)


def inspect(data: bytes, *, carries_photo: bool = True):
    return inspect_file(io.BytesIO(data), carries_photo=carries_photo)


@pytest.fixture
def no_decoding(monkeypatch):
    """Record any pixel decoding (Pillow's ImageFile.load) and fail the test if one happened."""
    calls = []
    original = ImageFile.ImageFile.load

    def recording_load(self):
        calls.append(self.format)
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", recording_load)
    yield
    assert calls == [], "pixels were decoded"


@pytest.mark.parametrize(
    "name",
    ["decompression_bomb", "decompression_bomb_header", "gif_bomb", "tiff_bomb", "tiff_packbits"],
)
def test_rejected_from_the_header_without_decoding(name, no_decoding):
    sample = corpus()[name]

    assert inspect(sample.data).reason_code == sample.reason_code


def test_bomb_under_pillows_own_limit_is_caught_by_ours():
    """64 megapixels: below Pillow's default warning threshold, above the inspection's limit."""
    assert Image.MAX_IMAGE_PIXELS > 64_000_000

    result = inspect(png_bomb(8000, 8000))

    assert result.reason_code == "too_many_pixels"
    assert result.reason_params == {"megapixels": 64, "limit": MAX_PIXELS // 1_000_000}


def test_pillow_process_wide_settings_are_left_alone():
    max_pixels = Image.MAX_IMAGE_PIXELS
    for sample in corpus().values():
        inspect(sample.data, carries_photo=sample.carries_photo)
    assert max_pixels == Image.MAX_IMAGE_PIXELS
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_refuses_to_run_if_truncated_images_were_allowed_process_wide(monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)

    with pytest.raises(RuntimeError, match="LOAD_TRUNCATED_IMAGES"):
        inspect(corpus()["jpeg_truncated"].data)


def test_every_frame_counts_towards_the_pixel_budget():
    """Five one-pixel frames on a 49-megapixel canvas: each alone passes, together they do not."""
    result = inspect(gif_frames_on_canvas((7000, 7000), frames=5), carries_photo=False)

    assert result.reason_code == "too_many_pixels_total"


@pytest.mark.parametrize(
    ("data", "reason_code"),
    [
        (gif_frames_on_canvas((16, 16), frames=MAX_PAGES), ""),
        (gif_frames_on_canvas((16, 16), frames=MAX_PAGES + 1), "too_many_pages"),
        (tiff_bytes(("group4",) * (MAX_PAGES + 1), size=(8, 8)), "too_many_pages"),
    ],
    ids=["gif-at-limit", "gif-over", "tiff-over"],
)
def test_page_limit(data, reason_code):
    assert inspect(data, carries_photo=False).reason_code == reason_code


def test_damaged_later_frame_is_found():
    data = bytearray(gif_bytes(frames=3))
    # Cut the file inside its last frame's image data, keeping the trailer byte.
    result = inspect(bytes(data[: len(data) - 400]) + b";")

    assert result.reason_code == "corrupt"
    assert result.reason_params["format"] == "GIF"


@pytest.mark.parametrize(
    ("code", "named"),
    [
        (6, "old-style JPEG"),
        (8, "Deflate"),
        (32946, "Deflate (PKZIP)"),
        (34925, "LZMA"),
        (50001, "WebP"),
        (99, "unknown (99)"),
    ],
)
def test_tiff_compression_is_named_even_where_no_decoder_exists(code, named, no_decoding):
    result = inspect(tiff_with_compression_code(code))

    assert result.reason_code == "tiff_compression"
    assert result.reason_params == {"compression": named, "page": 1}
    assert named in result.reason


def test_bad_page_is_named_even_when_it_is_the_last():
    pages = ("raw",) * 5 + ("tiff_adobe_deflate",)

    result = inspect(tiff_bytes(pages, size=(16, 16)))

    assert result.reason_params == {"compression": "Deflate", "page": 6}


def test_tiff_directory_loop_is_corrupt():
    data = bytearray(tiff_bytes(("raw",), size=(8, 8)))
    first = int.from_bytes(data[4:8], "little")
    entries = int.from_bytes(data[first : first + 2], "little")
    next_pointer = first + 2 + 12 * entries
    data[next_pointer : next_pointer + 4] = first.to_bytes(4, "little")

    assert inspect(bytes(data)).reason_code == "corrupt"


def test_size_limit_is_exact():
    image = jpeg_bytes()
    at_limit = image + b"\0" * (MAX_FILE_BYTES - len(image))  # padding after the end marker

    assert inspect(at_limit).accepted
    assert inspect(at_limit + b"\0").reason_code == "too_large"


def test_reads_from_the_start_and_copes_with_short_reads():
    class Trickle(io.RawIOBase):
        """A non-seekable stream that hands out at most 1000 bytes a read."""

        def __init__(self, data):
            self._data = io.BytesIO(data)

        def readable(self):
            return True

        def read(self, size=-1):
            return self._data.read(min(size, 1000) if size >= 0 else 1000)

    sample = corpus()["tiff_multipage"]

    result = inspect_file(Trickle(sample.data), carries_photo=True)

    assert result.accepted
    assert result.page_count == 4


def test_file_larger_than_limit_is_not_read_whole():
    class Endless(io.RawIOBase):
        served = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            buffer[:] = b"\xff" * len(buffer)
            self.served += len(buffer)
            return len(buffer)

    stream = Endless()

    assert inspect_file(stream, carries_photo=False).reason_code == "too_large"
    assert stream.served <= MAX_FILE_BYTES + 1
