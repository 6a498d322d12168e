"""Running the content inspection on a stored upload and recording its verdict.

Each check runs in a child process with the limits of the INSPECTION_* settings; a file that
exhausts them is refused as too complex. A check that never finishes (its worker killed, say
out of memory or at the task's hard time limit) leaves the upload pending, and the message comes
back (acks late) or the sweep queues it again: each try is counted, and after
MAX_INSPECTION_ATTEMPTS the file is refused without being opened again, so no file makes a
retry loop.
"""

import logging
from typing import BinaryIO, cast

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from .. import storage
from ..inspection import InspectionResult, read_head
from ..inspection.isolated import ChildLimits, inspect_in_child
from ..inspection.result import reject
from ..models import Upload, UploadVersion
from .progress import note_check_finished

logger = logging.getLogger(__name__)

MAX_INSPECTION_ATTEMPTS = 3


def child_limits() -> ChildLimits:
    """The hard limits of one inspection's child process, from the settings."""
    return ChildLimits(
        cpu_seconds=settings.INSPECTION_CPU_SECONDS,
        memory_bytes=settings.INSPECTION_MEMORY_MB * 1024 * 1024,
        wall_seconds=settings.INSPECTION_WALL_SECONDS,
    )


def inspect_upload(*, upload_id: int) -> Upload | None:
    """Inspect the stored file of a pending upload and record the verdict.

    Idempotent: an upload already checked, or gone, is left as it is. The verdict is written
    only if the upload still holds the file that was read (a replacement meanwhile gets its own
    inspection). Raises OSError when the storage cannot be read or no child process can be
    started (the task retries; neither counts as a try).
    """
    upload = Upload.objects.filter(pk=upload_id).first()
    if upload is None or upload.status != Upload.Status.PENDING:
        return upload
    key = upload.storage_key
    if upload.inspection_attempts >= MAX_INSPECTION_ATTEMPTS:
        logger.warning(
            "upload %s: %d checks never finished; refused", upload_id, MAX_INSPECTION_ATTEMPTS
        )
        return _record(upload_id, key, reject("too_complex"))
    with storage.open_file(key) as fileobj:
        data = read_head(cast(BinaryIO, fileobj))
    pending = Upload.objects.filter(pk=upload_id, storage_key=key, status=Upload.Status.PENDING)
    if not pending.update(inspection_attempts=F("inspection_attempts") + 1):
        return _dropped(upload_id)
    run = inspect_in_child(data, carries_photo=upload.carries_photo, limits=child_limits())
    logger.info(
        "upload %s checked in %.2f s, peak %d MB, %s%s",
        upload_id,
        run.wall_seconds,
        run.peak_rss_bytes // (1024 * 1024),
        run.result.reason_code or "accepted",
        " (stopped by " + run.stopped_by + ")" if run.stopped_by else "",
    )
    return _record(upload_id, key, run.result)


def refuse_unfinished_inspection(*, upload_id: int) -> Upload | None:
    """Refuse a pending upload as too complex: its check ran past the task's soft time limit.
    A no-op for an upload already checked, or gone."""
    upload = Upload.objects.filter(pk=upload_id).first()
    if upload is None or upload.status != Upload.Status.PENDING:
        return upload
    return _record(upload_id, upload.storage_key, reject("too_complex"))


def _record(upload_id: int, key: str, result: InspectionResult) -> Upload | None:
    """Write the verdict on the pending upload that still holds the file `key`; if it was
    replaced meanwhile, on the version that holds it now."""
    verdict = {
        "status": Upload.Status.ACCEPTED if result.accepted else Upload.Status.REJECTED,
        "format": result.format or "",
        "page_count": result.page_count,
        "reason_code": result.reason_code or "",
        "reason_params": dict(result.reason_params or {}),
        "warning_codes": list(result.warning_codes or ()),
        "inspected_at": timezone.now(),
    }
    pending = {"storage_key": key, "status": Upload.Status.PENDING}
    if Upload.objects.filter(pk=upload_id, **pending).update(**verdict):
        return _checked(upload_id)
    if UploadVersion.objects.filter(upload_id=upload_id, **pending).update(**verdict):
        logger.info(
            "upload %s was replaced while it was inspected; verdict kept on its version", upload_id
        )
        return Upload.objects.filter(pk=upload_id).first()
    return _dropped(upload_id)


def _checked(upload_id: int) -> Upload | None:
    """The upload with its verdict; pages waiting for it are told (documents.services.progress)."""
    upload = Upload.objects.select_related("group").filter(pk=upload_id).first()
    if upload is not None:
        note_check_finished(group_public_id=upload.group.public_id)
    return upload


def _dropped(upload_id: int) -> Upload | None:
    logger.info("upload %s changed while it was inspected; verdict dropped", upload_id)
    return Upload.objects.filter(pk=upload_id).first()
