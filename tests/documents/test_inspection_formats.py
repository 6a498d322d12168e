"""Files of other formats are rejected, naming what they seem to be and the accepted formats."""

import io
import struct

import pytest

from documents.inspection import ACCEPTED_FORMATS, inspect_file
from tests.documents.corpus import colour_image, corpus, encode, zip_bytes


def ftyp(brand: bytes) -> bytes:
    return struct.pack(">I", 24) + b"ftyp" + brand + b"\0\0\0\0" + brand + b"mif1" + b"\0" * 64


OTHER_FILES = {
    "zip": zip_bytes(),
    "word": corpus()["docx"].data,
    "excel": zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}),
    "powerpoint": zip_bytes({"ppt/presentation.xml": b"<presentation/>"}),
    "opendocument": zip_bytes(
        {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}
    ),
    "office_legacy": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504,
    "webp": encode(colour_image(), "WEBP"),
    "heic": ftyp(b"heic"),
    "avif": ftyp(b"avif"),
    "video": ftyp(b"isom"),
    "bmp": encode(colour_image(), "BMP"),
    "html": b"\xef\xbb\xbf  <!doctype HTML><title>x</title>",
    "svg": b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
    "xml": b'<?xml version="1.0"?><note/>',
    "rtf": b"{\\rtf1\\ansi hello}",
    "archive": b"\x1f\x8b\x08\x00" + b"\0" * 40,
    "executable": corpus()["elf"].data,
    "script": b"#!/bin/sh\nrm -rf /\n",
    "text": "Passport number: 123 — 護照".encode(),
    "tiff_big": b"II+\x00\x08\x00\x00\x00" + b"\0" * 32,
}


@pytest.mark.parametrize("kind", sorted(OTHER_FILES))
def test_other_format_is_named(kind):
    result = inspect_file(io.BytesIO(OTHER_FILES[kind]), carries_photo=False)

    assert result.reason_code == "unsupported_format"
    assert result.format is None
    assert result.reason_params == {"detected": kind, "accepted": ", ".join(ACCEPTED_FORMATS)}
    assert "JPEG, PDF, GIF, PNG, TIFF" in result.reason


def test_unknown_binary_gets_the_generic_message():
    result = inspect_file(io.BytesIO(bytes(range(256)) * 4), carries_photo=False)

    assert result.reason_code == "unsupported_format"
    assert "detected" not in result.reason_params
    assert result.reason.startswith("The format of this file is not recognised.")


def test_text_that_begins_like_a_bitmap_is_text():
    result = inspect_file(io.BytesIO(b"BMW service record, 2024\n"), carries_photo=False)

    assert result.reason_params["detected"] == "text"
