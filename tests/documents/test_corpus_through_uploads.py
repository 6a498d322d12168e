"""Samples of each family of the corpus, uploaded and inspected from storage, get their verdict.

The inspection's own tests judge every sample's bytes directly; this runs one of each kind the
way production does: through the upload service, the storage and the task (and so in the
inspection's child process), for an item with or without a photo.
"""

import pytest

from documents import services
from documents.exceptions import EmptyFile, FileTooLarge
from documents.models import Upload
from documents.tasks import inspect_upload_task
from tests.documents.conftest import uploaded
from tests.documents.corpus import REJECTED, corpus
from tests.factories import PrincipalFactory

pytestmark = pytest.mark.django_db

# The service refuses these before storing anything (its own messages, tested in test_uploads).
REFUSED_UP_FRONT = {"empty": EmptyFile, "too_large": FileTooLarge}
ONE_OF_EACH_KIND = (
    "jpeg",
    "gif_animated",
    "tiff_multipage",
    "pdf",
    "colour_jpeg_no_photo",
    "grayscale_photo",
    "tiff_multipage_one_bad",
    "jpeg_truncated",
    "decompression_bomb",
    "pdf_encrypted",
    "pdf_javascript",
    "pdf_attachment",
    "pdf_lookalike",
    "pdf_nested_deflate_object_streams",
    "pdf_xfa",
    "pdf_open_action_uri",
    "jpeg_corrupt_data",
    "png_idat_bad_crc",
    "png_chunk_past_the_end",
    "tiff_group4_bad_code_word",
    "png_renamed_pdf",
    "zip_renamed_jpg",
    "empty",
    "too_large",
)


def test_each_kind_gets_its_verdict_through_upload_storage_and_task():
    mismatches = []
    for name in ONE_OF_EACH_KIND:
        sample = corpus()[name]
        principal = PrincipalFactory()
        code = "A2" if sample.carries_photo else "A4"
        file = uploaded(sample.data, sample.filename)
        if name in REFUSED_UP_FRONT:
            with pytest.raises(REFUSED_UP_FRONT[name]):
                services.upload_document(
                    group=principal.group, application=principal, requirement_code=code, file=file
                )
            assert sample.verdict == REJECTED
            continue
        upload = services.upload_document(
            group=principal.group, application=principal, requirement_code=code, file=file
        )
        inspect_upload_task(upload.pk)
        upload.refresh_from_db()
        expected = Upload.Status.REJECTED if sample.verdict == REJECTED else Upload.Status.ACCEPTED
        got = (upload.status, upload.reason_code, tuple(upload.warning_codes))
        if got != (expected, sample.reason_code, sample.warning_codes):
            mismatches.append((name, got))
        if sample.verdict == REJECTED:
            assert upload.reason, name  # a message for the user, in words
    assert mismatches == []
