"""The inspection task: called as a function, it records the verdict on the upload row."""

import pytest
from django.utils import translation

from documents.models import Upload
from documents.services import upload_document
from documents.tasks import inspect_upload_task
from tests.documents.conftest import uploaded
from tests.documents.corpus import corpus

pytestmark = pytest.mark.django_db


def add(group, code, sample_name, application="principal"):
    sample = corpus()[sample_name]
    person = group.principal if application == "principal" else application
    return upload_document(
        group=group,
        application=person,
        requirement_code=code,
        file=uploaded(sample.data, sample.filename),
    )


def test_accepted_file_is_recorded_with_its_format_and_pages(group):
    upload = add(group, "A1", "pdf")
    inspect_upload_task(upload.pk)
    upload.refresh_from_db()
    assert (upload.status, upload.format, upload.page_count) == (Upload.Status.ACCEPTED, "PDF", 2)
    assert upload.reason == "" and upload.inspected_at is not None


def test_rejected_file_keeps_a_reason_shown_in_the_viewers_language(group):
    upload = add(group, "A2", "grayscale_photo")
    inspect_upload_task(upload.pk)
    upload.refresh_from_db()
    assert upload.status == Upload.Status.REJECTED
    assert upload.reason_code == "not_in_colour"
    english = upload.reason
    assert "must be in colour" in english
    with translation.override("zh-hant"):
        assert upload.reason not in ("", english)


def test_colour_file_for_a_document_without_a_photo_is_accepted_with_a_notice(group):
    upload = add(group, "A4", "colour_jpeg_no_photo")
    inspect_upload_task(upload.pk)
    upload.refresh_from_db()
    assert upload.status == Upload.Status.ACCEPTED
    assert upload.warning_codes == ["expected_grayscale"]
    assert "grayscale" in upload.warnings[0]


def test_file_renamed_to_look_acceptable_is_judged_by_content(group):
    upload = add(group, "A4", "zip_renamed_jpg")
    inspect_upload_task(upload.pk)
    upload.refresh_from_db()
    assert upload.status == Upload.Status.REJECTED and upload.format == ""


def test_running_the_task_again_changes_nothing(group, django_assert_max_num_queries):
    upload = add(group, "A1", "jpeg")
    inspect_upload_task(upload.pk)
    first = Upload.objects.get(pk=upload.pk)
    with django_assert_max_num_queries(1):
        inspect_upload_task(upload.pk)
    assert Upload.objects.get(pk=upload.pk).inspected_at == first.inspected_at


def test_task_for_a_deleted_upload_does_nothing(group):
    upload = add(group, "A1", "jpeg")
    Upload.objects.filter(pk=upload.pk).delete()
    inspect_upload_task(upload.pk)
    assert not Upload.objects.exists()


def test_verdict_on_a_file_replaced_meanwhile_is_dropped(group, monkeypatch):
    from documents.services import inspections

    upload = add(group, "A2", "grayscale_photo")
    real_open = inspections.storage.open_file

    def open_then_replace(key):
        fileobj = real_open(key)
        Upload.objects.filter(pk=upload.pk).update(storage_key="uploads/replaced")
        return fileobj

    monkeypatch.setattr(inspections.storage, "open_file", open_then_replace)
    inspect_upload_task(upload.pk)
    upload.refresh_from_db()
    assert upload.status == Upload.Status.PENDING and upload.reason_code == ""


def test_item_status_endpoint_reports_the_recorded_verdict(applicant_client, group):
    from django.urls import reverse

    upload = add(group, "A2", "grayscale_photo")
    url = reverse("documents:item_status", args=[group.public_id, "0", "A2"])
    assert applicant_client.get(url).json()["checking"] is True
    inspect_upload_task(upload.pk)
    body = applicant_client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["checking"] is False
    assert "Not accepted" in body["html"] and "must be in colour" in body["html"]
