"""An oversized file is refused without being read in full: the upload and replace views put
documents.upload_handlers.FileSizeGuard first, which stops taking the file once it is past
MAX_FILE_BYTES, and the refusal is the upload service's own size message."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.test import Client
from django.urls import reverse

from documents.catalogue import MAX_FILE_BYTES
from documents.models import Upload
from documents.upload_handlers import FileSizeGuard
from tests.documents.conftest import open_group, uploaded
from tests.documents.corpus import jpeg_bytes, oversize_bytes

pytestmark = pytest.mark.django_db

MESSAGE = "The file is larger than 5 MB. Each file must be 5 MB or less."
CHUNK = FileUploadHandler.chunk_size


def stored_files() -> list[Path]:
    return sorted(path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file())


def guard_of(response) -> FileSizeGuard:
    handlers = response.wsgi_request.upload_handlers
    assert isinstance(handlers[0], FileSizeGuard)
    return handlers[0]


def twenty_megabytes() -> bytes:
    data = jpeg_bytes()
    return data + b"\x00" * (20 * 1024 * 1024 - len(data))


@pytest.mark.parametrize("make", [oversize_bytes, twenty_megabytes], ids=["5MB+1", "20MB"])
def test_oversized_upload_is_refused_after_reading_no_more_than_the_limit(
    applicant_client, group, make
):
    url = reverse("documents:upload", args=[group.public_id])
    data = make()
    response = applicant_client.post(
        url, {"person": "0", "item": "A1", "file": uploaded(data, "big.jpg")}
    )
    assert response.status_code == 302 and response.url.endswith("#item-0-A1")
    guard = guard_of(response)
    # It saw just past the limit (at most one chunk more), never the whole file.
    assert MAX_FILE_BYTES < guard.stopped_at <= MAX_FILE_BYTES + CHUNK
    assert "file" not in response.wsgi_request.FILES
    page = applicant_client.get(response.url)
    assert [str(m) for m in page.context["messages"]] == ["Travel document: " + MESSAGE]
    assert not Upload.objects.exists() and stored_files() == []


def test_twenty_megabytes_stop_long_before_the_end(applicant_client, group):
    url = reverse("documents:upload", args=[group.public_id])
    response = applicant_client.post(
        url,
        {"person": "0", "item": "A1", "file": uploaded(twenty_megabytes())},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400 and response.json()["error"] == MESSAGE
    assert guard_of(response).stopped_at <= MAX_FILE_BYTES + CHUNK  # of 20 MB sent
    assert not Upload.objects.exists() and stored_files() == []


def test_file_of_exactly_the_limit_passes_the_guard(applicant_client, group):
    data = jpeg_bytes()
    data += b"\0" * (MAX_FILE_BYTES - len(data))
    url = reverse("documents:upload", args=[group.public_id])
    response = applicant_client.post(url, {"person": "0", "item": "A1", "file": uploaded(data)})
    assert response.status_code == 302
    assert not guard_of(response).too_large
    assert Upload.objects.get().size == MAX_FILE_BYTES


def test_oversized_replacement_is_refused_and_keeps_the_old_file(applicant_client, group):
    upload_url = reverse("documents:upload", args=[group.public_id])
    applicant_client.post(upload_url, {"person": "0", "item": "A2", "file": uploaded(jpeg_bytes())})
    upload = Upload.objects.get()
    before = stored_files()
    url = reverse("documents:replace", args=[group.public_id, upload.public_id])
    response = applicant_client.post(url, {"file": uploaded(twenty_megabytes())})
    assert guard_of(response).stopped_at <= MAX_FILE_BYTES + CHUNK
    page = applicant_client.get(response.url)
    assert [str(m) for m in page.context["messages"]][-1] == "Recent photograph: " + MESSAGE
    upload.refresh_from_db()
    assert upload.original_name == "scan.jpg" and stored_files() == before


def test_csrf_is_still_checked_and_read_after_a_skipped_file(group):
    client = Client(enforce_csrf_checks=True)
    open_group(client, group)
    client.get(reverse("documents:group", args=[group.public_id]))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    url = reverse("documents:upload", args=[group.public_id])
    fields = {"person": "0", "item": "A1", "file": uploaded(oversize_bytes())}
    assert client.post(url, fields).status_code == 403
    # The token comes after the file in the body: it is still read past the skipped file.
    response = client.post(
        url, {**fields, "file": uploaded(oversize_bytes()), "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302 and guard_of(response).too_large
    assert not Upload.objects.exists()
