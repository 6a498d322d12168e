"""TIFF page compressions, read from the directory chain before any page is decoded.

Reading the Compression tag (259) of every image file directory ourselves lets a disallowed or
unknown compression be named, with its page, even where Pillow would refuse to open the file,
and before any pixel is decoded. Compression names follow TIFF 6.0 and its technical notes.
"""

import struct

COMPRESSION_TAG = 259
# No real TIFF writer puts more than a few dozen tags in a directory.
MAX_TAGS = 1000

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
ACCEPTED_COMPRESSIONS = frozenset({1, 4, 5, 7})


class BrokenTiff(ValueError):
    """The directory chain cannot be followed (bad offset, loop, absurd directory)."""


def compression_name(code: int) -> str:
    return TIFF_COMPRESSIONS.get(code, "unknown (" + str(code) + ")")


def page_compressions(data: bytes, *, max_pages: int) -> list[int]:
    """The compression code of each page in order, at most `max_pages` + 1 of them (enough for
    the caller to see there are too many). Raises BrokenTiff."""
    order = "<" if data[:2] == b"II" else ">"
    try:
        (offset,) = struct.unpack_from(order + "I", data, 4)
        codes: list[int] = []
        seen: set[int] = set()
        while offset and len(codes) <= max_pages:
            if offset in seen:
                raise BrokenTiff("directory loop")
            seen.add(offset)
            (count,) = struct.unpack_from(order + "H", data, offset)
            if count > MAX_TAGS:
                raise BrokenTiff("too many tags")
            codes.append(_compression(data, order, offset, count))
            (offset,) = struct.unpack_from(order + "I", data, offset + 2 + 12 * count)
    except struct.error as exc:
        raise BrokenTiff(str(exc)) from None
    return codes


def _compression(data: bytes, order: str, offset: int, count: int) -> int:
    entries = data[offset + 2 : offset + 2 + 12 * count]
    for tag, kind, _count, value in struct.iter_unpack(order + "HHI4s", entries):
        if tag == COMPRESSION_TAG:
            if kind == 3:  # SHORT, left-justified in the value field
                return struct.unpack(order + "H", value[:2])[0]
            if kind == 4:  # LONG
                return struct.unpack(order + "I", value)[0]
            raise BrokenTiff("compression tag of type " + str(kind))
    return 1  # the tag's default: no compression
