"""Deleting a draft's documents, and sweeping stored files that no row refers to."""

import logging
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from applications.models import ApplicationGroup

from .. import storage
from ..models import Upload, UploadVersion
from ..tasks import inspect_upload_task
from .uploads import file_keys

logger = logging.getLogger(__name__)

ORPHAN_MIN_AGE = timedelta(hours=1)
STALE_INSPECTION_AGE = timedelta(minutes=10)
BATCH = 500


def delete_group_documents(*, group: ApplicationGroup) -> int:
    """Delete every upload of the group (checklist and supplementary), with their earlier
    versions, and on commit their files.

    The draft purge calls this before deleting the group; rows that go by cascade without it
    leave files that remove_orphaned_files sweeps later. Returns the number of uploads deleted.
    """
    with transaction.atomic():
        uploads = Upload.objects.filter(group=group)
        keys = file_keys(uploads)
        deleted = uploads.count()
        uploads.delete()
        transaction.on_commit(partial(storage.delete_all, keys))
    return deleted


def remove_orphaned_files(*, min_age: timedelta = ORPHAN_MIN_AGE) -> int:
    """Delete stored files that no upload or version row refers to, older than `min_age`.

    The age keeps a file being uploaded right now (stored, its row not yet committed) safe.
    Returns the number of files deleted.
    """
    cutoff = timezone.now() - min_age
    keys = list(storage.stored_keys())
    removed = 0
    for start in range(0, len(keys), BATCH):
        batch = keys[start : start + BATCH]
        known = set(
            Upload.objects.filter(storage_key__in=batch).values_list("storage_key", flat=True)
        ) | set(
            UploadVersion.objects.filter(storage_key__in=batch).values_list(
                "storage_key", flat=True
            )
        )
        for key in batch:
            if key in known:
                continue
            try:
                if storage.modified_at(key) >= cutoff:
                    continue
            except FileNotFoundError:
                continue
            storage.delete(key)
            removed += 1
    if removed:
        logger.info("removed %d orphaned stored files", removed)
    return removed


def requeue_stale_inspections(*, min_age: timedelta = STALE_INSPECTION_AGE) -> int:
    """Queue again the inspection of uploads still pending after `min_age` (a lost message)."""
    cutoff = timezone.now() - min_age
    ids = list(
        Upload.objects.filter(status=Upload.Status.PENDING, uploaded_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    for upload_id in ids:
        inspect_upload_task.delay(upload_id)
    return len(ids)
