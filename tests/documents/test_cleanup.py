"""A draft's documents go with the draft; stored files without a row are swept after an hour."""

import os
import time
from pathlib import Path

import pytest
from django.conf import settings

from documents import services, storage
from documents.models import Upload
from documents.tasks import sweep_uploads_task
from tests.documents.conftest import uploaded
from tests.documents.corpus import jpeg_bytes, pdf_bytes
from tests.factories import PrincipalFactory

pytestmark = pytest.mark.django_db


def stored() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def age(key: str, seconds: int) -> None:
    path = Path(settings.MEDIA_ROOT) / key
    then = time.time() - seconds
    os.utime(path, (then, then))


def add(group, code="A1", application="principal"):
    return services.upload_document(
        group=group,
        application=group.principal if application == "principal" else application,
        requirement_code=code,
        file=uploaded(jpeg_bytes()),
    )


def test_deleting_a_drafts_documents_removes_rows_and_files(
    group, django_capture_on_commit_callbacks
):
    add(group)
    services.upload_document(
        group=group, application=None, requirement_code="B1", file=uploaded(pdf_bytes())
    )
    kept = add(PrincipalFactory().group)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.delete_group_documents(group=group) == 2
    assert list(Upload.objects.all()) == [kept]
    assert stored() == {kept.storage_key}


def test_orphaned_file_older_than_an_hour_is_removed(group):
    upload = add(group)
    orphan = storage.save(uploaded(b"no row refers to me"))
    young = storage.save(uploaded(b"being uploaded right now"))
    age(orphan, 3700)
    age(upload.storage_key, 3700)
    assert services.remove_orphaned_files() == 1
    assert stored() == {upload.storage_key, young}


def test_sweep_task_removes_orphans_and_requeues_stale_inspections(group, _queued_inspections):
    upload = add(group)
    Upload.objects.filter(pk=upload.pk).update(
        uploaded_at=upload.uploaded_at - services.cleanup.STALE_INSPECTION_AGE * 2
    )
    orphan = storage.save(uploaded(b"x"))
    age(orphan, 7200)
    sweep_uploads_task()
    assert _queued_inspections == [upload.pk]
    assert stored() == {upload.storage_key}


def test_sweep_is_in_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["documents-sweep-uploads"]
    assert entry["task"] == "documents.tasks.sweep_uploads_task"
    assert entry["schedule"] <= 3600
