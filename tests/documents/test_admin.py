"""The back office's read-mostly views of uploads and supplementary requests."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from documents import services
from documents.models import Upload
from tests.documents.conftest import uploaded
from tests.documents.corpus import jpeg_bytes
from tests.factories import PrincipalFactory

pytestmark = pytest.mark.django_db


def add_uploads(count: int) -> None:
    for _ in range(count):
        group = PrincipalFactory().group
        services.upload_document(
            group=group,
            application=group.principal,
            requirement_code="A1",
            file=uploaded(jpeg_bytes()),
        )


def test_upload_list_costs_the_same_for_many_rows(admin_client, django_assert_max_num_queries):
    add_uploads(6)
    url = reverse("admin:documents_upload_changelist")
    with django_assert_max_num_queries(12):
        response = admin_client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("/files/") == 6


def test_upload_page_links_the_file_through_the_serving_view(admin_client, group):
    upload = services.upload_document(
        group=group, application=group.principal, requirement_code="A1", file=uploaded(jpeg_bytes())
    )
    page = admin_client.get(reverse("admin:documents_upload_change", args=[upload.pk]))
    file_url = reverse("documents:file", args=[group.public_id, upload.public_id])
    assert file_url in page.content.decode()
    assert admin_client.get(file_url).status_code == 200  # a superuser is staff with the permission


def test_deleting_in_the_admin_goes_through_the_service(
    admin_client, group, django_capture_on_commit_callbacks
):
    upload = services.upload_document(
        group=group, application=group.principal, requirement_code="A1", file=uploaded(jpeg_bytes())
    )
    from django.core.files.storage import default_storage

    url = reverse("admin:documents_upload_delete", args=[upload.pk])
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {"post": "yes"})
    assert not Upload.objects.exists()
    assert not default_storage.exists(upload.storage_key)


def test_supplementary_request_page_shows_its_items(admin_client, group):
    group.status = group.Status.SUBMITTED
    group.save()
    group.applications.update(status="under_review")
    request = services.request_supplementary_documents(
        application=group.principal,
        requirement_codes=["A2"],
        descriptions=["Payslips"],
        message="Please send them.",
        deadline=timezone.localdate() + datetime.timedelta(days=7),
    )
    page = admin_client.get(
        reverse("admin:documents_supplementaryrequest_change", args=[request.pk])
    )
    assert page.status_code == 200 and "Payslips" in page.content.decode()
