"""Reason and warning texts: every code has one, in each language, with its parameters."""

import pytest
from django.utils import translation

from documents import messages
from documents.inspection.result import InspectionResult, reject

EXAMPLE_PARAMS = {
    "limit_mb": 5,
    "accepted": "JPEG, PDF, GIF, PNG, TIFF",
    "format": "TIFF",
    "megapixels": 64,
    "limit": 50,
    "compression": "PackBits",
    "chunk": "IDAT",
}
VARIANT_PARAMS = {"page": 2, "detected": "webp"}


@pytest.mark.parametrize("language", ["zh-hant", "zh-hans"])
@pytest.mark.parametrize("code", sorted(messages.REASONS))
def test_every_reason_is_translated_and_filled_in(code, language):
    for params in (EXAMPLE_PARAMS, {**EXAMPLE_PARAMS, **VARIANT_PARAMS}):
        english = messages.describe_reason(code, params)
        with translation.override(language):
            translated = messages.describe_reason(code, params)
        assert "%(" not in english
        assert "%(" not in translated
        assert translated != english


@pytest.mark.parametrize("language", ["zh-hant", "zh-hans"])
def test_warnings_and_detected_kinds_are_translated(language):
    for code in messages.WARNINGS:
        english = messages.describe_warning(code)
        with translation.override(language):
            assert messages.describe_warning(code) != english
    for kind in messages.DETECTED_KINDS:
        params = {"detected": kind, "accepted": "JPEG"}
        english_kind = str(messages.DETECTED_KINDS[kind])
        with translation.override(language):
            translated_kind = str(messages.DETECTED_KINDS[kind])
            text = messages.describe_reason("unsupported_format", params)
        assert translated_kind != english_kind
        assert translated_kind in text


def test_variant_is_chosen_by_its_parameter():
    assert "page 2" in messages.describe_reason("corrupt", {"format": "TIFF", "page": 2})
    assert "page" not in messages.describe_reason("corrupt", {"format": "JPEG"})
    assert "WebP" in messages.describe_reason(
        "unsupported_format", {"detected": "webp", "accepted": "JPEG"}
    )
    assert "not recognised" in messages.describe_reason("unsupported_format", {"accepted": "JPEG"})


def test_unknown_or_unfit_data_still_gives_a_text():
    """Rows stored by another version must still render."""
    assert messages.describe_reason("no_such_code", {}) == "The file was rejected."
    assert messages.describe_reason("too_large", {}) == "The file was rejected."
    assert messages.describe_reason("pdf_encrypted", {"extra": 1}).startswith("The PDF")
    assert messages.describe_warning("no_such_warning") == "no_such_warning"


def test_result_renders_in_the_language_active_when_read():
    result = reject("tiff_compression", fmt="TIFF", compression="PackBits", page=2)
    assert isinstance(result, InspectionResult)

    with translation.override("en"):
        english = result.as_dict()
    with translation.override("zh-hant"):
        chinese = result.as_dict()

    assert english["verdict"] == chinese["verdict"] == "rejected"
    assert "PackBits" in english["reason"] and "PackBits" in chinese["reason"]
    assert english["reason"] != chinese["reason"]


def test_rejection_leaves_out_empty_parameters():
    assert reject("corrupt", fmt="GIF", format="GIF", page=None).reason_params == {"format": "GIF"}
