"""The same uploads on S3 (django-storages) against moto's server: store, inspect, serve, delete."""

import datetime

import boto3
import pytest
from django.urls import reverse

from documents.models import Upload
from documents.services import remove_orphaned_files
from documents.tasks import inspect_upload_task
from tests.documents.conftest import uploaded
from tests.documents.corpus import pdf_bytes

pytestmark = pytest.mark.django_db

BUCKET = "immapp-documents-test"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture
def s3(settings, monkeypatch):
    from moto.server import ThreadedMotoServer

    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = "http://" + host + ":" + str(port)
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **CREDENTIALS)
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
                "addressing_style": "path",
            },
        },
    }
    yield client
    server.stop()


def keys(client) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_upload_is_stored_inspected_served_and_deleted_on_s3(
    s3, applicant_client, group, django_capture_on_commit_callbacks
):
    data = pdf_bytes()
    url = reverse("documents:upload", args=[group.public_id])
    applicant_client.post(url, {"person": "0", "item": "A1", "file": uploaded(data, "p.pdf")})
    upload = Upload.objects.get()
    assert keys(s3) == [upload.storage_key]
    inspect_upload_task(upload.pk)
    upload.refresh_from_db()
    assert upload.status == Upload.Status.ACCEPTED and upload.format == "PDF"

    response = applicant_client.get(
        reverse("documents:file", args=[group.public_id, upload.public_id])
    )
    assert response.status_code == 200  # streamed after the access check, never redirected
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == data

    with django_capture_on_commit_callbacks(execute=True):
        applicant_client.post(reverse("documents:delete", args=[group.public_id, upload.public_id]))
    assert keys(s3) == []


def test_orphaned_objects_are_swept_from_s3(s3, group):
    s3.put_object(Bucket=BUCKET, Key="uploads/orphan", Body=b"left behind")
    assert remove_orphaned_files() == 0  # too young
    assert remove_orphaned_files(min_age=datetime.timedelta(0)) == 1
    assert keys(s3) == []
