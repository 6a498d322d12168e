"""Celery tasks of the documents app: thin, by id, idempotent (acks late).

The services import these tasks to enqueue them, so each task imports the services when it
runs, not at module level.
"""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from .exceptions import NotificationNotSent

EMAIL_RETRIES = {
    "acks_late": True,
    "autoretry_for": (NotificationNotSent,),
    "retry_backoff": 60,
    "retry_backoff_max": 3600,
    "max_retries": 12,
}


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


@shared_task(**EMAIL_RETRIES)
def send_supplementary_request_email_task(request_id: int) -> bool:
    """Email the applicant what an officer asks for; sent once (the row records it)."""
    from . import services

    return services.send_request_email(request_id=request_id)


@shared_task(**EMAIL_RETRIES)
def notify_officers_task(request_id: int) -> bool:
    """Email the officers' address that a request was answered or closed; sent once."""
    from . import services

    return services.notify_officers(request_id=request_id)


@shared_task(acks_late=True)
def sweep_supplementary_requests_task() -> int:
    """Every few minutes: close requests past their deadline, and queue again the emails still
    unsent. Idempotent. Returns how many requests it closed."""
    from . import services

    closed = services.close_overdue_requests()
    applicant, officers = services.pending_notifications()
    for request_id in applicant:
        send_supplementary_request_email_task.delay(request_id)
    for request_id in officers:
        notify_officers_task.delay(request_id)
    return closed


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def render_preview_task(upload_id: int) -> None:
    """Draw one upload's preview in a limited child process; a no-op once it is drawn."""
    from . import services

    services.render_preview(upload_id=upload_id)


@shared_task(acks_late=True)
def queue_previews_task() -> int:
    """Every minute: queue the previews of accepted files of submitted groups still missing."""
    from . import services

    return services.queue_missing_previews()
