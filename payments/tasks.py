"""Payments' Celery tasks: thin, idempotent, ids in."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import services, signing, webhooks
from .models import SandboxPayment
from .providers import sandbox

logger = logging.getLogger(__name__)


@shared_task
def reconcile_payments_task() -> dict[str, int]:
    """Every minute (CELERY_BEAT_SCHEDULE): settle attempts a webhook did not."""
    return services.reconcile().__dict__


@shared_task
def daily_payment_check_task() -> int:
    """Once a day: yesterday's paid attempts against the providers' records."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    return len(services.daily_check(day=yesterday))


def _sandbox_payment(payment_id: int) -> SandboxPayment | None:
    """The sandbox's ledger row, settled if due; None (with a warning) when it is not in this
    database: a message left in the broker by a run whose database is gone, or a row deleted
    since. Nothing can be reported for it, and retrying would not make it appear."""
    payment = SandboxPayment.objects.filter(pk=payment_id).first()
    if payment is None:
        logger.warning("sandbox payment %s not found: nothing to report", payment_id)
        return None
    return sandbox.settle_if_due(payment)


@shared_task(bind=True, max_retries=10)
def deliver_sandbox_event_task(self, payment_id: int, event_type: str) -> int | None:
    """The sandbox reporting back: a signed webhook, checked as a real provider's is. A payment
    the ledger does not hold is logged and skipped (None)."""
    payment = _sandbox_payment(payment_id)
    if payment is None:
        return None
    body = sandbox.event_body(payment, event_type)
    headers = {sandbox.SIGNATURE_HEADER: signing.sign(body, secret=settings.SANDBOX_WEBHOOK_SECRET)}
    status = webhooks.receive("sandbox", body=body, headers=headers)
    if status == 503:  # as a provider would: try again later
        raise self.retry(countdown=15)
    return status


@shared_task(bind=True, max_retries=10)
def deliver_sandbox_bank_notification_task(self, payment_id: int) -> int | None:
    """The sandbox playing the collecting bank: its signed confirmation of a credited FPS
    transfer, checked by the FPS provider as a contracted bank's would be. A transfer the
    ledger does not hold is logged and skipped (None)."""
    payment = _sandbox_payment(payment_id)
    if payment is None:
        return None
    body, headers = sandbox.bank_notification(payment)
    status = webhooks.receive("sandbox_fps", body=body, headers=headers)
    if status == 503:
        raise self.retry(countdown=15)
    return status
