"""Damage that a decoder repairs with no more than a warning, which Pillow does not pass on.

- JPEG (`jpeg_damage`): decoded a second time with libjpeg-turbo (simplejpeg) at an eighth of
  its size in gray, which still runs all of the entropy-coded data through the Huffman decoder,
  with libjpeg's warnings made errors. "Corrupt JPEG data" (a bad Huffman code, a segment that
  ends before its last block, bytes left over before a marker) means that part of the picture
  decodes as garbage. Warnings about metadata (an unknown JFIF revision, a bad ICC marker) do
  not concern the picture and pass.
- PNG (`png_damage`): every chunk's declared length must fit in the file and its CRC must
  match. Pillow checks neither for the image data, so a changed byte there, or a chunk that
  swallows the IEND chunk after it, went through.
- TIFF (`libtiff_errors`): libtiff reports a bad CCITT code word, or any other decoding error
  it recovers from, only by printing it on standard error, and returns the rest of the page
  blank; what it prints while a page is decoded is captured here. This briefly redirects the
  process's file descriptor 2, which is why the inspection runs it in its own child process.
"""

import os
import struct
import sys
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from documents.inspection.result import InspectionResult, reject

# libjpeg's warnings that mean the picture itself is damaged (jerror.h).
_JPEG_DAMAGE = (
    "Corrupt JPEG data",
    "Premature end of JPEG file",
    "Inconsistent progression sequence",
    "Invalid SOS parameters",
)
_JPEG_METADATA_ONLY = ("bad ICC marker",)
# What is kept of libtiff's messages: enough to see that it complained.
_MESSAGES_BYTES = 64 * 1024
_PNG_SIGNATURE_BYTES = 8


def jpeg_damage(data: bytes) -> InspectionResult | None:
    """The refusal of a JPEG that libjpeg decodes only with warnings of damage, else None."""
    # Imported here: simplejpeg brings numpy, which only a JPEG's inspection needs.
    import simplejpeg

    try:
        _height, _width, colour_space, _subsampling = simplejpeg.decode_jpeg_header(data)
        simplejpeg.decode_jpeg(
            data,
            # libjpeg-turbo turns CMYK and YCCK into CMYK only, everything else into gray.
            colorspace="CMYK" if colour_space in ("CMYK", "YCCK") else "GRAY",
            min_height=1,
            min_width=1,
            min_factor=8,
            strict=True,
        )
    except ValueError as exc:
        message = str(exc)
        if any(text in message for text in _JPEG_METADATA_ONLY):
            return None
        if any(text in message for text in _JPEG_DAMAGE):
            return reject("jpeg_data_corrupt", fmt="JPEG")
        # Anything else Pillow's libjpeg decoded without complaint: not ours to refuse.
    return None


def png_damage(data: bytes) -> InspectionResult | None:
    """The refusal of a PNG with a chunk past the end of the file or a failed CRC, else None."""
    offset = _PNG_SIGNATURE_BYTES
    while offset < len(data):
        if offset + 8 > len(data):
            return reject("corrupt", fmt="PNG", format="PNG")
        length, kind = struct.unpack_from(">I4s", data, offset)
        name = _chunk_name(kind)
        end = offset + 12 + length
        if end > len(data):
            return reject("png_chunk_overrun", fmt="PNG", chunk=name)
        (stored,) = struct.unpack_from(">I", data, end - 4)
        if zlib.crc32(data[offset + 4 : end - 4]) != stored:
            return reject("png_bad_checksum", fmt="PNG", chunk=name)
        offset = end
    return None


def _chunk_name(kind: bytes) -> str:
    """A chunk type for the message: four ASCII letters, or "?" for each byte that is not."""
    return "".join(
        chr(byte) if chr(byte).isascii() and chr(byte).isalpha() else "?" for byte in kind
    )


@contextmanager
def libtiff_errors() -> Iterator[list[str]]:
    """The error lines libtiff's default handlers print on standard error inside the block
    (its warnings, and Python's, left out), in the list given, once the block has ended."""
    found: list[str] = []
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with tempfile.TemporaryFile() as capture:
            os.dup2(capture.fileno(), 2)
            try:
                yield found
            finally:
                os.dup2(saved, 2)
            capture.seek(0)
            text = capture.read(_MESSAGES_BYTES).decode("utf-8", "replace")
    finally:
        os.close(saved)
    found.extend(line for line in text.splitlines() if line.strip() and "Warning" not in line)
