"""Every sample of the corpus gets its expected verdict, format, reason, warnings and pages.

No test here is marked django_db, so pytest-django would fail any database access: these tests
also show that the inspection makes none.
"""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from documents.inspection import inspect_file
from tests.documents.corpus import ACCEPTED, REJECTED, corpus

NAMES = sorted(corpus())


@pytest.mark.parametrize("name", NAMES)
def test_sample_gets_its_verdict(name):
    sample = corpus()[name]

    result = inspect_file(io.BytesIO(sample.data), carries_photo=sample.carries_photo)

    assert ("accepted" if result.accepted else "rejected") == sample.verdict
    assert result.reason_code == sample.reason_code
    assert result.format == sample.format
    assert result.warning_codes == sample.warning_codes
    if sample.page_count is not None:
        assert result.page_count == sample.page_count


@pytest.mark.parametrize("name", NAMES)
def test_outcome_is_json_and_reads_in_each_language(name):
    sample = corpus()[name]
    result = inspect_file(io.BytesIO(sample.data), carries_photo=sample.carries_photo)

    json.dumps(result.reason_params)  # stored on the upload row as JSON
    for language in ("en", "zh-hant", "zh-hans"):
        with translation.override(language):
            outcome = result.as_dict()
        assert set(outcome) == {"verdict", "format", "reason", "warnings"}
        assert outcome["verdict"] == sample.verdict
        assert bool(outcome["reason"]) == (sample.verdict == REJECTED)
        assert len(outcome["warnings"]) == len(sample.warning_codes)
        assert all(outcome["warnings"])


@pytest.mark.parametrize("name", NAMES)
def test_declared_name_and_type_change_nothing(name):
    """An upload as Django hands it over, named and typed as the browser claimed."""
    sample = corpus()[name]
    upload = SimpleUploadedFile(sample.filename, sample.data, content_type="application/pdf")
    upload.read(3)  # a caller that already peeked at the file

    result = inspect_file(upload, carries_photo=sample.carries_photo)

    assert result.reason_code == sample.reason_code
    assert result.format == sample.format


def test_corpus_covers_the_issue_list():
    samples = corpus()
    verdicts = {name: sample.verdict for name, sample in samples.items()}
    assert {verdicts[name] for name in ("jpeg", "png", "gif_animated", "tiff_multipage")} == {
        ACCEPTED
    }
    for name in ("tiff_raw", "tiff_lzw", "tiff_jpeg", "tiff_group4", "pdf"):
        assert verdicts[name] == ACCEPTED
    for name in (
        "tiff_packbits",
        "tiff_deflate",
        "tiff_group3",
        "tiff_multipage_one_bad",
        "jpeg_truncated",
        "decompression_bomb",
        "pdf_encrypted",
        "pdf_javascript",
        "pdf_attachment",
        "pdf_launch",
        "zip_renamed_jpg",
        "empty",
        "too_large",
        "grayscale_photo",
        "webp",
        "html",
        "pdf_nested_deflate_object_streams",
        "pdf_too_many_object_streams",
        "pdf_xfa",
        "jpeg_corrupt_data",
        "png_idat_bad_crc",
        "png_chunk_past_the_end",
        "tiff_group4_bad_code_word",
    ):
        assert verdicts[name] == REJECTED
    assert samples["png_renamed_pdf"].filename.endswith(".pdf")
    assert samples["zip_renamed_jpg"].filename.endswith(".jpg")
    assert len(samples["too_large"].data) == 5 * 1024 * 1024 + 1
    assert len(samples["decompression_bomb"].data) < 64 * 1024
    assert len(samples["pdf_nested_deflate_object_streams"].data) < 2048
    kinds = {samples[name].reason_code for name in samples if name.startswith("pdf_")}
    assert {"pdf_automatic_action", "pdf_launch", "pdf_xfa"} <= kinds
