"""The child's output: for each image, one line of JSON (`number`: 0 for the thumbnail, 1 for
the first page and so on; `width`, `height`, `mode` "L" or "RGB"), then exactly its raw pixels;
last, `{"end": true, "pages": N}` with the number of pages in the file.

`write_image` and `write_end` are the child's; `read_frames` is the worker's, and trusts
nothing: it raises MalformedOutput for any line, size, mode, number or length out of shape.
No Django, no Pillow here.
"""

import json
from dataclasses import dataclass
from typing import IO

from . import MAX_PREVIEW_PAGES, PAGE_SIDE, THUMB_SIDE

MAX_LINE = 256
BANDS = {"L": 1, "RGB": 3}


class MalformedOutput(Exception):
    pass


@dataclass(frozen=True)
class Frame:
    number: int
    width: int
    height: int
    mode: str
    pixels: bytes


@dataclass(frozen=True)
class Frames:
    images: tuple[Frame, ...]
    page_count: int


def write_image(
    out: IO[bytes], number: int, width: int, height: int, mode: str, pixels: bytes
) -> None:
    header = {"number": number, "width": width, "height": height, "mode": mode}
    out.write(json.dumps(header).encode() + b"\n")
    out.write(pixels)


def write_end(out: IO[bytes], page_count: int) -> None:
    out.write(json.dumps({"end": True, "pages": page_count}).encode() + b"\n")


def _header(line: bytes) -> dict:
    if not line.endswith(b"\n") or len(line) > MAX_LINE:
        raise MalformedOutput("header line")
    try:
        header = json.loads(line)
    except ValueError:
        raise MalformedOutput("header json") from None
    if not isinstance(header, dict):
        raise MalformedOutput("header shape")
    return header


def _is_count(value: object, low: int, high: int) -> bool:
    return type(value) is int and low <= value <= high


def _frame(header: dict, source: IO[bytes], seen: set[int]) -> Frame:
    number, width, height, mode = (header.get(k) for k in ("number", "width", "height", "mode"))
    side = THUMB_SIDE if number == 0 else PAGE_SIDE
    if not _is_count(number, 0, MAX_PREVIEW_PAGES) or number in seen:
        raise MalformedOutput("number")
    if not (_is_count(width, 1, side) and _is_count(height, 1, side)) or mode not in BANDS:
        raise MalformedOutput("size or mode")
    assert isinstance(number, int) and isinstance(width, int) and isinstance(height, int)
    assert isinstance(mode, str)
    length = width * height * BANDS[mode]
    pixels = source.read(length)
    if len(pixels) != length:
        raise MalformedOutput("pixels cut short")
    seen.add(number)
    return Frame(number, width, height, mode, pixels)


def read_frames(source: IO[bytes]) -> Frames:
    """Every image the child wrote, and the file's page count; MalformedOutput otherwise (pages
    must be 1, 2, ... with no gap, the thumbnail at most once, nothing after the end line)."""
    images: list[Frame] = []
    seen: set[int] = set()
    while True:
        header = _header(source.readline(MAX_LINE + 1))
        if header.get("end") is True:
            pages = header.get("pages")
            if not _is_count(pages, 1, 1_000_000) or source.read(1):
                raise MalformedOutput("end line")
            break
        images.append(_frame(header, source, seen))
    numbers = sorted(seen - {0})
    if numbers != list(range(1, len(numbers) + 1)) or not numbers:
        raise MalformedOutput("page numbers")
    assert isinstance(pages, int)
    if pages < len(numbers):
        raise MalformedOutput("page count")
    return Frames(tuple(images), pages)
