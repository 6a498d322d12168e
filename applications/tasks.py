"""Celery tasks of the applications app: thin, idempotent."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def purge_abandoned_drafts_task() -> int:
    """Daily: delete drafts untouched for 14 days, with their files. Idempotent."""
    return services.purge_abandoned_drafts()
