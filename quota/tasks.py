"""Periodic quota sweeps (Celery beat runs them every minute; see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from . import services, supervision


@shared_task
def delete_expired_holds_task() -> int:
    """Delete expired holds (reads already ignore them). Idempotent."""
    return services.delete_expired_holds()


@shared_task
def apply_due_reopenings_task() -> int:
    """Make scheduled reopenings whose time has come take effect. Idempotent."""
    return supervision.apply_due_reopenings()
