"""Payments' Celery tasks: thin, idempotent, ids in."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import services, signing, webhooks
from .models import SandboxPayment
from .providers import sandbox


@shared_task
def reconcile_payments_task() -> dict[str, int]:
    """Every minute (CELERY_BEAT_SCHEDULE): settle attempts a webhook did not."""
    return services.reconcile().__dict__


@shared_task
def daily_payment_check_task() -> int:
    """Once a day: yesterday's paid attempts against the providers' records."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    return len(services.daily_check(day=yesterday))


@shared_task(bind=True, max_retries=10)
def deliver_sandbox_event_task(self, payment_id: int, event_type: str) -> int:
    """The sandbox reporting back: a signed webhook, checked as a real provider's is."""
    payment = sandbox.settle_if_due(SandboxPayment.objects.get(pk=payment_id))
    body = sandbox.event_body(payment, event_type)
    headers = {sandbox.SIGNATURE_HEADER: signing.sign(body, secret=settings.SANDBOX_WEBHOOK_SECRET)}
    status = webhooks.receive("sandbox", body=body, headers=headers)
    if status == 503:  # as a provider would: try again later
        raise self.retry(countdown=15)
    return status


@shared_task(bind=True, max_retries=10)
def deliver_sandbox_bank_notification_task(self, payment_id: int) -> int:
    """The sandbox playing the collecting bank: its signed confirmation of a credited FPS
    transfer, checked by the FPS provider as a contracted bank's would be."""
    payment = sandbox.settle_if_due(SandboxPayment.objects.get(pk=payment_id))
    body, headers = sandbox.bank_notification(payment)
    status = webhooks.receive("sandbox_fps", body=body, headers=headers)
    if status == 503:
        raise self.retry(countdown=15)
    return status
