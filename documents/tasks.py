"""Celery tasks of the documents app: thin, by id, idempotent (acks late).

The services import these tasks to enqueue them, so each task imports the services when it
runs, not at module level.
"""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def inspect_upload_task(upload_id: int) -> None:
    """Inspect one upload's content and record the verdict; a no-op once it is recorded.

    Its soft and hard time limits are set in settings (CELERY_TASK_ANNOTATIONS), beyond the
    inspection child's own deadline: past the soft one the file is refused as too complex,
    never retried. Only a storage that cannot be read (OSError) is retried.
    """
    from . import services

    try:
        services.inspect_upload(upload_id=upload_id)
    except SoftTimeLimitExceeded:
        services.refuse_unfinished_inspection(upload_id=upload_id)


@shared_task(acks_late=True)
def sweep_uploads_task() -> None:
    """Hourly: remove stored files no row refers to, and re-queue inspections left pending."""
    from . import services

    services.remove_orphaned_files()
    services.requeue_stale_inspections()
