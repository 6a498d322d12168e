"""PDF: active content anywhere, damage, budgets, and colour judged from image declarations."""

import io

import pytest

from documents.inspection import inspect_file
from documents.inspection.limits import MAX_PAGES, MAX_PDF_OBJECTS
from tests.documents.corpus import (
    IMAGE_COLOUR_SPACES,
    blank_pdf_bytes,
    pdf_bytes,
    pdf_claiming_pages_bytes,
    pdf_with_image_bytes,
    pdf_with_objects_bytes,
)

COLOUR_SPACES_IN_COLOUR = {
    "rgb",
    "cmyk",
    "calrgb",
    "lab",
    "icc_rgb",
    "indexed_colour",
    "devicen",
    "jpx",
    "form_rgb",
}


def inspect(data: bytes, *, carries_photo: bool):
    return inspect_file(io.BytesIO(data), carries_photo=carries_photo)


@pytest.mark.parametrize("kind", IMAGE_COLOUR_SPACES)
def test_colour_is_judged_from_declared_image_colour_spaces(kind):
    data = pdf_with_image_bytes(kind)
    in_colour = kind in COLOUR_SPACES_IN_COLOUR

    for_photo = inspect(data, carries_photo=True)
    for_letter = inspect(data, carries_photo=False)

    assert for_photo.reason_code == ("" if in_colour else "not_in_colour")
    assert for_letter.accepted
    assert for_letter.warning_codes == (("expected_grayscale",) if in_colour else ())


def test_pdf_without_images_cannot_carry_a_photo():
    assert inspect(blank_pdf_bytes(), carries_photo=True).reason_code == "not_in_colour"
    assert inspect(blank_pdf_bytes(), carries_photo=False).accepted


def test_page_count_is_recorded():
    assert inspect(pdf_bytes(pages=4), carries_photo=True).page_count == 4


def test_page_limit():
    assert inspect(blank_pdf_bytes(pages=MAX_PAGES), carries_photo=False).accepted
    over = inspect(blank_pdf_bytes(pages=MAX_PAGES + 1), carries_photo=False)
    assert over.reason_code == "too_many_pages"
    assert over.reason_params == {"limit": MAX_PAGES}


def test_declared_page_count_is_checked_before_the_tree_is_walked():
    result = inspect(pdf_claiming_pages_bytes(10**9), carries_photo=False)

    assert result.reason_code == "too_many_pages"


def test_pdf_with_no_pages_is_rejected():
    from pypdf import PdfWriter

    buffer = io.BytesIO()
    PdfWriter().write(buffer)

    assert inspect(buffer.getvalue(), carries_photo=False).reason_code == "pdf_no_pages"


def test_object_budget():
    assert inspect(pdf_with_objects_bytes(100), carries_photo=False).accepted
    result = inspect(pdf_with_objects_bytes(MAX_PDF_OBJECTS + 1), carries_photo=False)
    assert result.reason_code == "pdf_too_complex"
    assert result.reason_params == {"limit": MAX_PDF_OBJECTS}


def test_header_must_open_the_file():
    """A PDF behind a prefix (an HTML or ZIP polyglot, say) is not taken for a PDF."""
    data = b"<html><!-- -->\n" + pdf_bytes()

    result = inspect(data, carries_photo=True)

    assert result.reason_code == "unsupported_format"
    assert result.reason_params["detected"] == "html"


@pytest.mark.parametrize("keep", [0.25, 0.5, 0.75, 0.95])
def test_cut_pdf_with_a_forged_end_marker_is_damaged(keep):
    data = pdf_bytes(pages=3)

    result = inspect(data[: int(len(data) * keep)] + b"\n%%EOF\n", carries_photo=True)

    assert result.reason_code == "corrupt"
