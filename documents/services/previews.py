"""Officers' previews: queueing, drawing (in a limited child process) and storing page images.

An accepted upload of a submitted group gets a Preview row; the worker draws it through
documents.previews.child under documents.isolation's limits, checks what came back
(documents.previews.frames) and stores PNG files it encoded itself. A file that exhausts a
limit, crashes the renderer or answers out of shape gets a FAILED preview saying what stopped it:
nothing is retried for it (the same bytes would stop it again), and the officer is told to
download the file instead. Previews are queued by the periodic sweep (every accepted file of a
submitted group, replacements included) and when an officer opens an upload.
"""

import io
import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import IO

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from PIL import Image

from applications.models import ApplicationGroup

from .. import storage
from ..catalogue import MAX_FILE_BYTES
from ..isolation import Limits, run_isolated
from ..models import Preview, PreviewPage, Upload
from ..previews import MAX_PREVIEW_PAGES, PAGE_SIDE
from ..previews.frames import BANDS, Frames, MalformedOutput, read_frames
from ..tasks import render_preview_task

logger = logging.getLogger(__name__)

CHILD = "documents.previews.child"
STALE_AFTER = timedelta(minutes=10)
BATCH = 200


def preview_limits() -> Limits:
    """The renderer's limits from the settings; its output holds at most every page and the
    thumbnail at full size, with their header lines."""
    per_image = PAGE_SIDE * PAGE_SIDE * BANDS["RGB"] + 1024
    return Limits(
        cpu_seconds=settings.PREVIEW_CPU_SECONDS,
        memory_bytes=settings.PREVIEW_MEMORY_MB * 1024 * 1024,
        wall_seconds=float(settings.PREVIEW_WALL_SECONDS),
        output_bytes=(MAX_PREVIEW_PAGES + 1) * per_image + 1024,
    )


def request_preview(*, upload: Upload) -> Preview | None:
    """Queue the drawing of an accepted upload's preview (on commit); None for an upload not
    accepted. Idempotent: a preview of the upload's current file is returned as it is; one of
    a replaced file is drawn again."""
    if upload.status != Upload.Status.ACCEPTED:
        return None
    with transaction.atomic():
        preview, created = Preview.objects.get_or_create(
            upload=upload, defaults={"source_key": upload.storage_key}
        )
        if not created:
            preview = Preview.objects.select_for_update().get(pk=preview.pk)
            if preview.source_key == upload.storage_key:
                return preview
            # The file was replaced: its images go (their files with the orphan sweep).
            preview.pages.all().delete()
            preview.source_key = upload.storage_key
            preview.status = Preview.Status.PENDING
            preview.stopped_by = ""
            preview.page_count = preview.rendered_at = None
            preview.save()
        transaction.on_commit(partial(render_preview_task.delay, upload.pk), robust=True)
    return preview


@dataclass(frozen=True)
class _Read:
    frames: Frames | None
    problem: str = ""


def _read(output: IO[bytes]) -> _Read:
    try:
        return _Read(read_frames(output))
    except MalformedOutput as error:
        logger.warning("preview renderer answered out of shape: %s", error)
        return _Read(None, "malformed")


def _png(frame_mode: str, size: tuple[int, int], pixels: bytes) -> bytes:
    buffer = io.BytesIO()
    Image.frombytes(frame_mode, size, pixels).save(buffer, "PNG")
    return buffer.getvalue()


def _finish(preview: Preview, key: str, **fields: object) -> bool:
    """Record the outcome if the preview is still the pending one of file `key`."""
    return bool(
        Preview.objects.filter(pk=preview.pk, status=Preview.Status.PENDING, source_key=key).update(
            rendered_at=timezone.now(), **fields
        )
    )


def render_preview(*, upload_id: int) -> Preview | None:
    """Draw a pending preview and record it: READY with its images, or FAILED with what stopped
    the renderer. Idempotent: a preview already drawn, or gone, is left as it is, and so is one
    whose file was replaced meanwhile. Raises OSError when the storage cannot be read or written
    (the task retries) or no child can be started."""
    preview = (
        Preview.objects.select_related("upload")
        .filter(upload_id=upload_id, status=Preview.Status.PENDING)
        .first()
    )
    if preview is None:
        return Preview.objects.filter(upload_id=upload_id).first()
    upload, key = preview.upload, preview.source_key
    if upload.storage_key != key:
        return preview  # replaced: request_preview queues the new file
    with storage.open_file(key) as fileobj:
        data = fileobj.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        _finish(preview, key, status=Preview.Status.FAILED, stopped_by="too_large")
        return Preview.objects.get(pk=preview.pk)
    run = run_isolated(
        module=CHILD, data=data, limits=preview_limits(), read=_read, args=[upload.format]
    )
    outcome = run.result
    if outcome is None or outcome.frames is None:
        stopped_by = run.stopped_by or (outcome.problem if outcome else "failed")
        logger.info("preview of upload %s not drawn: %s", upload_id, stopped_by)
        _finish(preview, key, status=Preview.Status.FAILED, stopped_by=stopped_by)
        return Preview.objects.get(pk=preview.pk)
    _store(preview, key, outcome.frames)
    return Preview.objects.get(pk=preview.pk)


def _store(preview: Preview, key: str, frames: Frames) -> None:
    saved: list[str] = []
    try:
        pages = []
        for frame in frames.images:
            png = _png(frame.mode, (frame.width, frame.height), frame.pixels)
            page_key = storage.save(io.BytesIO(png), storage.PREVIEW_PREFIX)
            saved.append(page_key)
            pages.append(
                PreviewPage(
                    preview=preview,
                    number=frame.number,
                    storage_key=page_key,
                    width=frame.width,
                    height=frame.height,
                )
            )
        with transaction.atomic():
            if not _finish(preview, key, status=Preview.Status.READY, page_count=frames.page_count):
                raise _Stale
            PreviewPage.objects.bulk_create(pages)
    except BaseException as error:
        for page_key in saved:
            storage.delete(page_key)
        if not isinstance(error, _Stale):
            raise


class _Stale(Exception):
    """The file was replaced, or the preview drawn by another run, meanwhile."""


def queue_missing_previews() -> int:
    """The periodic sweep: queue a preview for accepted files of submitted groups that have
    none of their current file, and again those pending for longer than STALE_AFTER (a lost
    task). Returns how many were queued."""
    missing = (
        Upload.objects.filter(
            status=Upload.Status.ACCEPTED, group__status=ApplicationGroup.Status.SUBMITTED
        )
        .exclude(preview__source_key=F("storage_key"))
        .order_by("pk")[:BATCH]
    )
    queued = 0
    for upload in missing:
        request_preview(upload=upload)
        queued += 1
    cutoff = timezone.now() - STALE_AFTER
    stale = Preview.objects.filter(status=Preview.Status.PENDING, created_at__lt=cutoff)
    for upload_id in stale.values_list("upload_id", flat=True)[:BATCH]:
        render_preview_task.delay(upload_id)
        queued += 1
    return queued


def preview_image(*, upload: Upload, number: int) -> PreviewPage | None:
    """The stored image `number` (0: the thumbnail) of the upload's ready preview of its
    current file, or None."""
    return PreviewPage.objects.filter(
        preview__upload=upload,
        preview__status=Preview.Status.READY,
        preview__source_key=upload.storage_key,
        number=number,
    ).first()
