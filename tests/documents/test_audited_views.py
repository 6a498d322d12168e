"""An officer opening or downloading a stored document is written to the audit trail; the
applicant opening their own files is not."""

import pytest
from django.urls import reverse

from applications.models import AuditEntry
from documents.services import upload_document
from documents.tasks import inspect_upload_task
from tests.documents.conftest import uploaded
from tests.documents.corpus import pdf_bytes
from tests.staff import log_in_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def passport(group):
    upload = upload_document(
        group=group,
        application=group.principal,
        requirement_code="A1",
        file=uploaded(pdf_bytes(), "passport.pdf"),
    )
    inspect_upload_task(upload.pk)
    upload.refresh_from_db()
    return upload


def file_url(upload) -> str:
    return reverse("documents:file", args=[upload.group.public_id, upload.public_id])


def test_an_officers_download_is_audited(officer_client, passport):
    response = officer_client.get(file_url(passport))

    assert response.status_code == 200
    entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.DOCUMENT_VIEWED
    assert entry.actor_name == "officer1" and entry.ip_address == "127.0.0.1"
    assert (entry.object_type, entry.object_id) == ("documents.upload", str(passport.pk))
    assert (entry.application_id, entry.group_id) == (passport.application_id, passport.group_id)
    assert entry.detail["name"] == "passport.pdf"


def test_the_applicant_opening_their_own_file_is_not(applicant_client, passport):
    assert applicant_client.get(file_url(passport)).status_code == 200
    assert not AuditEntry.objects.exists()


def test_a_refused_request_records_nothing(client, passport, django_user_model):
    log_in_staff(client, django_user_model.objects.create_user("clerk", is_staff=True))

    assert client.get(file_url(passport)).status_code == 404
    assert not AuditEntry.objects.exists()


def test_an_officer_opening_an_earlier_version_is_audited(officer_client, group):
    from tests.documents.test_upload_versions import photo, replace, version_url

    upload = replace(photo(group, "grayscale_photo"), "jpeg", "colour.jpg")
    version = upload.versions.get()

    assert officer_client.get(version_url(version)).status_code == 200

    entry = AuditEntry.objects.get()
    assert (entry.object_type, entry.object_id) == ("documents.uploadversion", str(version.pk))
    assert (entry.application_id, entry.group_id) == (upload.application_id, upload.group_id)
    assert entry.detail["version"] == version.number and entry.detail["name"] == "photo.jpg"
