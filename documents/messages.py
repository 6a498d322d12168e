"""Reason and warning codes of the content inspection, and their texts in the active language.

The inspection returns codes with JSON-serialisable parameters; an upload row stores them and
every reader renders them here, in the language of whoever is looking. A code whose message
depends on an optional parameter (the page of a multi-page file, the detected format) has a
second template used when that parameter is present.
"""

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

REASONS: dict[str, Promise] = {
    "empty": _("The file is empty."),
    "too_large": _("The file is larger than the limit of %(limit_mb)s MB."),
    "unsupported_format": _(
        "The format of this file is not recognised. Accepted formats: %(accepted)s."
    ),
    "corrupt": _("The file is damaged or incomplete and cannot be read as %(format)s."),
    "jpeg_data_corrupt": _(
        "The JPEG image is damaged: its compressed picture data is corrupt, so parts of the "
        "picture would show as garbage."
    ),
    "png_bad_checksum": _(
        "The PNG image is damaged: its %(chunk)s chunk does not match its checksum (CRC)."
    ),
    "png_chunk_overrun": _(
        "The PNG image is damaged: its %(chunk)s chunk claims more data than the file holds."
    ),
    "tiff_data_corrupt": _(
        "The TIFF image is damaged: the compressed data of page %(page)s is corrupt, so the page "
        "would show blank or wrong."
    ),
    "too_many_pixels": _(
        "The image has %(megapixels)s million pixels, more than the limit of %(limit)s million."
    ),
    "too_many_pixels_total": _(
        "The pages of this file add up to more than %(limit)s million pixels."
    ),
    "too_many_pages": _("The file has more than %(limit)s pages."),
    "tiff_compression": _(
        "Page %(page)s of this TIFF file uses %(compression)s compression, which is not "
        "accepted. Accepted TIFF compressions: none, LZW, JPEG and CCITT Group 4."
    ),
    "not_in_colour": _(
        "This document carries a photo and must be in colour, but the file is in grayscale."
    ),
    "pdf_encrypted": _("The PDF is encrypted or protected by a password."),
    "pdf_javascript": _("The PDF contains JavaScript."),
    "pdf_launch": _("The PDF contains an action that launches a program."),
    "pdf_embedded_file": _("The PDF contains an attached or embedded file."),
    "pdf_xfa": _("The PDF contains an XFA form, which can run scripts."),
    "pdf_automatic_action": _(
        "The PDF contains an action that runs by itself when the file is opened or used, such as "
        "opening a web address or sending form data."
    ),
    "pdf_no_pages": _("The PDF has no pages."),
    "pdf_too_complex": _("The PDF has more than %(limit)s objects and is too complex to check."),
    "too_complex": _(
        "The file could not be checked in time: it is too complex. Save or scan it again as a "
        "simpler file and upload that."
    ),
    "unreadable": _("The file could not be read."),
}

# (code, parameter) -> the template used when that parameter is present and not empty.
REASON_VARIANTS: dict[tuple[str, str], Promise] = {
    ("unsupported_format", "detected"): _(
        "This file is %(detected)s, which is not accepted. Accepted formats: %(accepted)s."
    ),
    ("corrupt", "page"): _(
        "The file is damaged or incomplete: page %(page)s cannot be read as %(format)s."
    ),
    ("too_many_pixels", "page"): _(
        "Page %(page)s has %(megapixels)s million pixels, more than the limit of %(limit)s million."
    ),
}

# What a rejected file was recognised as (the `detected` parameter of "unsupported_format").
DETECTED_KINDS: dict[str, Promise] = {
    "webp": _("a WebP image"),
    "heic": _("a HEIC/HEIF image"),
    "avif": _("an AVIF image"),
    "bmp": _("a BMP image"),
    "psd": _("a Photoshop document"),
    "jpeg2000": _("a JPEG 2000 image"),
    "tiff_big": _("a BigTIFF image"),
    "ico": _("an icon file"),
    "svg": _("an SVG drawing"),
    "video": _("a video or other media file"),
    "zip": _("a ZIP archive"),
    "word": _("a Word document"),
    "excel": _("an Excel workbook"),
    "powerpoint": _("a PowerPoint presentation"),
    "opendocument": _("an OpenDocument file"),
    "office_legacy": _("an older Microsoft Office document"),
    "rtf": _("an RTF document"),
    "archive": _("a compressed archive"),
    "html": _("an HTML page"),
    "xml": _("an XML file"),
    "executable": _("an executable program"),
    "script": _("a script"),
    "text": _("a plain text file"),
}

_GENERIC = _("The file was rejected.")

WARNINGS: dict[str, Promise] = {
    "expected_grayscale": _(
        "This file is in colour. Documents without a photo are usually scanned in grayscale, "
        "but a colour file is fine: it was accepted and you do not need to do anything."
    ),
}


def describe_reason(code: str, params: dict[str, Any]) -> str:
    """The text of a rejection reason in the active language (unknown codes get a generic text)."""
    template = REASONS.get(code)
    if template is None:
        return str(_GENERIC)
    for (variant_code, name), variant in REASON_VARIANTS.items():
        if variant_code == code and params.get(name):
            template = variant
            break
    values = dict(params)
    if "detected" in values:
        values["detected"] = str(DETECTED_KINDS.get(values["detected"], values["detected"]))
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        # Parameters stored by an older version that no longer fit the template.
        return str(_GENERIC)


def describe_warning(code: str) -> str:
    """The text of a warning in the active language (unknown codes are returned as they are)."""
    template = WARNINGS.get(code)
    return str(template) if template is not None else code
