"""Replacing a file keeps every earlier version for officers; the latest counts for the applicant.

Each replacement archives the file it replaces, with its name, size, verdict and times, as a
version of the upload; the upload shows the new file and the time it was sent. The checklist,
the applicant's pages and the file limits see only the latest file; officers see every version
in the back office and open its file; the sweeps keep version files while their upload exists.
"""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from documents import services
from documents.models import Upload, UploadVersion
from documents.services.checklist import ItemState
from documents.tasks import inspect_upload_task
from tests.documents.conftest import open_group, uploaded
from tests.documents.corpus import corpus, jpeg_bytes
from tests.factories import PrincipalFactory
from tests.staff import log_in_staff

pytestmark = pytest.mark.django_db


def photo(group, sample: str, name: str = "photo.jpg"):
    upload = services.upload_document(
        group=group,
        application=group.principal,
        requirement_code="A2",
        file=uploaded(corpus()[sample].data, name),
    )
    inspect_upload_task(upload.pk)
    return Upload.objects.get(pk=upload.pk)


def replace(upload, sample: str, name: str):
    new = services.replace_upload(upload=upload, file=uploaded(corpus()[sample].data, name))
    inspect_upload_task(new.pk)
    return Upload.objects.get(pk=new.pk)


def version_url(version) -> str:
    return reverse(
        "documents:version_file", args=[version.upload.group.public_id, version.public_id]
    )


def test_replacing_a_rejected_file_keeps_it_with_its_verdict(
    group, django_capture_on_commit_callbacks
):
    first = photo(group, "grayscale_photo", "gray.jpg")
    assert first.status == Upload.Status.REJECTED

    with django_capture_on_commit_callbacks(execute=True):
        current = replace(first, "jpeg", "colour.jpg")

    (version,) = current.versions.all()
    assert (version.number, version.original_name, version.status) == (
        1,
        "gray.jpg",
        Upload.Status.REJECTED,
    )
    assert version.reason_code == "not_in_colour" and "colour" in version.reason
    assert (version.uploaded_at, version.inspected_at) == (first.uploaded_at, first.inspected_at)
    assert version.storage_key == first.storage_key
    assert default_storage.exists(version.storage_key)  # the file is kept, not deleted
    assert (current.version, current.original_name, current.status) == (
        2,
        "colour.jpg",
        Upload.Status.ACCEPTED,
    )


def test_the_upload_shows_the_time_of_its_latest_file(group):
    first = photo(group, "grayscale_photo")
    Upload.objects.filter(pk=first.pk).update(
        uploaded_at=timezone.now() - datetime.timedelta(hours=3)
    )
    first.refresh_from_db()

    current = replace(first, "jpeg", "colour.jpg")

    assert current.uploaded_at > first.uploaded_at + datetime.timedelta(hours=2)
    assert current.versions.get().uploaded_at == first.uploaded_at


def test_every_replacement_adds_a_version_in_order(group):
    upload = photo(group, "grayscale_photo", "one.jpg")
    upload = replace(upload, "grayscale_photo_rgb", "two.jpg")
    upload = replace(upload, "jpeg", "three.jpg")

    names = list(upload.versions.values_list("number", "original_name"))
    assert names == [(1, "one.jpg"), (2, "two.jpg")]
    assert (upload.version, upload.original_name) == (3, "three.jpg")


def test_the_checklist_counts_only_the_latest_file(group):
    rejected = photo(group, "grayscale_photo")
    checklist = services.checklist_for_group(group=group)
    assert checklist.person("0").item("A2").state == ItemState.NOT_ACCEPTED

    current = replace(rejected, "jpeg", "colour.jpg")

    item = services.checklist_for_group(group=group).person("0").item("A2")
    assert item.state == ItemState.ACCEPTED
    assert [upload.pk for upload in item.uploads] == [current.pk]
    assert not item.can_add  # one file for the photo: the earlier version takes no place


def test_a_check_still_running_when_its_file_is_replaced_lands_on_the_version(group, monkeypatch):
    from documents.services import inspections

    upload = services.upload_document(
        group=group,
        application=group.principal,
        requirement_code="A2",
        file=uploaded(corpus()["grayscale_photo"].data, "gray.jpg"),
    )
    old_key = upload.storage_key
    real_check = inspections.inspect_in_child

    def check_while_the_applicant_replaces(data, **options):
        run = real_check(data, **options)
        services.replace_upload(upload=upload, file=uploaded(jpeg_bytes(), "colour.jpg"))
        return run

    monkeypatch.setattr(inspections, "inspect_in_child", check_while_the_applicant_replaces)
    inspect_upload_task(upload.pk)

    version = UploadVersion.objects.get(storage_key=old_key)
    assert (version.status, version.reason_code) == (Upload.Status.REJECTED, "not_in_colour")
    assert Upload.objects.get(pk=upload.pk).status == Upload.Status.PENDING  # its own check


def test_officer_sees_every_version_in_the_back_office_and_opens_it(admin_client, group):
    current = replace(photo(group, "grayscale_photo", "gray.jpg"), "jpeg", "colour.jpg")
    version = current.versions.get()

    page = admin_client.get(reverse("admin:documents_upload_change", args=[current.pk]))

    text = page.content.decode()
    assert "gray.jpg" in text and "colour.jpg" in text
    assert "must be in colour" in text  # the earlier version's verdict
    assert version_url(version) in text
    response = admin_client.get(version_url(version))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == corpus()["grayscale_photo"].data


def test_officer_role_opens_a_version_file(officer_client, group):
    version = replace(photo(group, "grayscale_photo"), "jpeg", "colour.jpg").versions.get()
    response = officer_client.get(version_url(version))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")  # a rejected file
    assert response["X-Content-Type-Options"] == "nosniff"


def test_applicant_and_employer_cannot_open_earlier_versions(
    applicant_client, group, employer_query
):
    version = replace(photo(group, "grayscale_photo"), "jpeg", "colour.jpg").versions.get()

    assert applicant_client.get(version_url(version)).status_code == 404
    assert Client().get(version_url(version) + employer_query).status_code == 404
    other = Client()
    open_group(other, PrincipalFactory().group)
    assert other.get(version_url(version)).status_code == 404


def test_applicant_page_shows_only_the_latest_file(applicant_client, group):
    replace(photo(group, "grayscale_photo", "gray.jpg"), "jpeg", "colour.jpg")
    page = applicant_client.get(reverse("documents:group", args=[group.public_id]))
    text = page.content.decode()
    assert "colour.jpg" in text and "gray.jpg" not in text


def test_sweep_keeps_version_files(group, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version = replace(photo(group, "grayscale_photo"), "jpeg", "colour.jpg").versions.get()

    services.remove_orphaned_files(min_age=datetime.timedelta(0))

    assert default_storage.exists(version.storage_key)


def test_deleting_an_upload_or_the_draft_removes_its_version_files(
    group, django_capture_on_commit_callbacks
):
    current = replace(photo(group, "grayscale_photo"), "jpeg", "colour.jpg")
    version = current.versions.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_upload(upload=current)
    assert not UploadVersion.objects.exists()
    assert not default_storage.exists(version.storage_key)

    again = replace(photo(group, "grayscale_photo"), "jpeg", "colour.jpg")
    kept = again.versions.get().storage_key
    with django_capture_on_commit_callbacks(execute=True):
        assert services.delete_group_documents(group=group) == 1
    assert not default_storage.exists(kept)


def test_officer_role_sees_the_versions_in_the_back_office(client, group):
    from django.contrib.auth.models import User

    from applications.roles import OFFICER, ensure_roles

    current = replace(photo(group, "grayscale_photo", "gray.jpg"), "jpeg", "colour.jpg")
    officer = User.objects.create_user("officer2", is_staff=True)
    officer.groups.add(ensure_roles()[OFFICER])
    log_in_staff(client, officer)

    page = client.get(reverse("admin:documents_upload_change", args=[current.pk]))

    assert page.status_code == 200
    assert "gray.jpg" in page.content.decode()
    assert version_url(current.versions.get()) in page.content.decode()
