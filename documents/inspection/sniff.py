"""Recognise a file by its first bytes: one of the accepted formats, or what it is instead.

Only the content counts. An accepted format is recognised by its signature at offset 0 (a PDF
too: the "%PDF-" header must open the file, so HTML or ZIP polyglots that carry a PDF further in
are not taken for PDFs). For other files the kind is only named in the rejection message; an
unknown kind is "".
"""

import io
import zipfile

HEAD_BYTES = 4096

_ACCEPTED_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"%PDF-", "PDF"),
)

_OTHER_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x7fELF", "executable"),
    (b"MZ", "executable"),
    (b"\xfe\xed\xfa\xce", "executable"),
    (b"\xfe\xed\xfa\xcf", "executable"),
    (b"\xce\xfa\xed\xfe", "executable"),
    (b"\xcf\xfa\xed\xfe", "executable"),
    (b"\xca\xfe\xba\xbe", "executable"),
    (b"#!", "script"),
    (b"8BPS", "psd"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "jpeg2000"),
    (b"\xff\x4f\xff\x51", "jpeg2000"),
    (b"\x00\x00\x01\x00", "ico"),
    (b"{\\rtf", "rtf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "office_legacy"),
    (b"\x1f\x8b", "archive"),
    (b"7z\xbc\xaf\x27\x1c", "archive"),
    (b"Rar!\x1a\x07", "archive"),
    (b"BZh", "archive"),
    (b"\xfd7zXZ\x00", "archive"),
    (b"II+\x00", "tiff_big"),
    (b"MM\x00+", "tiff_big"),
)

# The size field of a BMP's information header tells its version; plain text rarely matches.
_BMP_HEADER_SIZES = {size.to_bytes(4, "little") for size in (12, 40, 52, 56, 64, 108, 124)}
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_MARKUP_OPENINGS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe")


def sniff(data: bytes) -> tuple[str | None, str]:
    """(accepted format, "") for an accepted signature, else (None, kind of file or "")."""
    for signature, fmt in _ACCEPTED_SIGNATURES:
        if data.startswith(signature):
            return fmt, ""
    return None, _other_kind(data)


def _other_kind(data: bytes) -> str:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in _HEIF_BRANDS:
            return "heic"
        return "avif" if brand in (b"avif", b"avis") else "video"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data)
    if data[:2] == b"BM" and data[14:18] in _BMP_HEADER_SIZES:
        return "bmp"
    for signature, kind in _OTHER_SIGNATURES:
        if data.startswith(signature):
            return kind
    return _text_kind(data[:HEAD_BYTES])


def _zip_kind(data: bytes) -> str:
    """Office and OpenDocument files are ZIP archives; their member names tell them apart."""
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except Exception:  # only naming the kind; any damage just leaves it a ZIP archive
        return "zip"
    if "mimetype" in names and any(name == "content.xml" for name in names):
        return "opendocument"
    prefixes = {"word/": "word", "xl/": "excel", "ppt/": "powerpoint"}
    for name in names:
        for prefix, kind in prefixes.items():
            if name.startswith(prefix):
                return kind
    return "zip"


def _text_kind(head: bytes) -> str:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(_MARKUP_OPENINGS):
        return "html"
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text):
        return "svg"
    if text.startswith(b"<?xml"):
        return "xml"
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A multi-byte character cut by the end of the head is still text.
            if exc.start < len(head) - 3:
                return ""
        return "text"
    return ""
