"""Celery tasks of the applications app: thin, idempotent."""

from celery import shared_task

from . import services
from .exceptions import AcknowledgmentNotSent, DecisionEmailNotSent, NotificationNotSent


@shared_task(acks_late=True)
def purge_abandoned_drafts_task() -> int:
    """Daily: delete drafts untouched for 14 days, with their files. Idempotent."""
    return services.purge_abandoned_drafts()


@shared_task(
    acks_late=True,
    autoretry_for=(AcknowledgmentNotSent,),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=12,
)
def send_acknowledgment(outbox_id: int) -> bool:
    """Send a submitted group's acknowledgment email with its PDF, once (the outbox row says
    whether it went). A refusing mail server is tried again later; the periodic sweep below
    catches what is still unsent after that."""
    return services.send_acknowledgment(outbox_id=outbox_id)


@shared_task(acks_late=True)
def send_pending_acknowledgments() -> int:
    """Every few minutes: queue again the acknowledgments still unsent. Idempotent."""
    pending = services.pending_acknowledgments()
    for outbox_id in pending:
        send_acknowledgment.delay(outbox_id)
    return len(pending)


@shared_task(acks_late=True)
def send_slot_lost_email(group_id: int) -> bool:
    """Tell the payer that the places ran out and nothing was submitted."""
    return services.send_slot_lost_email(group_id=group_id)


@shared_task(
    acks_late=True,
    autoretry_for=(DecisionEmailNotSent,),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=12,
)
def send_decision_email(email_id: int) -> bool:
    """Tell the applicant of an officer's decision, once (the outbox row says whether it went)."""
    return services.send_decision_email(email_id=email_id)


@shared_task(acks_late=True)
def send_pending_decision_emails() -> int:
    """Every few minutes: queue again the decision emails still unsent. Idempotent."""
    pending = services.pending_decision_emails()
    for email_id in pending:
        send_decision_email.delay(email_id)
    return len(pending)


@shared_task(
    acks_late=True,
    autoretry_for=(NotificationNotSent,),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=8,
)
def send_notification_task(notification: str, group_id: int) -> bool:
    """Send one of the draft's notification emails (applications.services.notifications); a
    refusing mail server is tried again later."""
    return services.send_notification(notification=notification, group_id=group_id)
