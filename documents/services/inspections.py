"""Running the content inspection on a stored upload and recording its verdict."""

import logging
from typing import BinaryIO, cast

from django.utils import timezone

from .. import storage
from ..inspection import inspect_file
from ..models import Upload

logger = logging.getLogger(__name__)


def inspect_upload(*, upload_id: int) -> Upload | None:
    """Inspect the stored file of a pending upload and record the verdict.

    Idempotent: an upload already checked, or gone, is left as it is. The verdict is written
    only if the upload still holds the file that was read (a replacement meanwhile gets its own
    inspection). Raises OSError when the storage cannot be read (the task retries).
    """
    upload = Upload.objects.filter(pk=upload_id).first()
    if upload is None or upload.status != Upload.Status.PENDING:
        return upload
    key = upload.storage_key
    with storage.open_file(key) as fileobj:
        result = inspect_file(cast(BinaryIO, fileobj), carries_photo=upload.carries_photo)
    status = Upload.Status.ACCEPTED if result.accepted else Upload.Status.REJECTED
    recorded = Upload.objects.filter(
        pk=upload_id, storage_key=key, status=Upload.Status.PENDING
    ).update(
        status=status,
        format=result.format or "",
        page_count=result.page_count,
        reason_code=result.reason_code or "",
        reason_params=dict(result.reason_params or {}),
        warning_codes=list(result.warning_codes or ()),
        inspected_at=timezone.now(),
    )
    if not recorded:
        logger.info("upload %s changed while it was inspected; verdict dropped", upload_id)
    return Upload.objects.filter(pk=upload_id).first()
