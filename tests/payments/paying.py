"""Helpers of the payment tests: pay through the Pay page and the sandbox's page as a payer's
browser does, and deliver the sandbox's signed webhook as its worker does."""

from urllib.parse import urlparse

from django.test import Client
from django.urls import reverse
from django.utils import translation

from applications.models import ApplicationGroup
from payments.models import PaymentAttempt, SandboxPayment
from payments.tasks import deliver_sandbox_bank_notification_task, deliver_sandbox_event_task


def pay_url(group: ApplicationGroup, language: str = "en") -> str:
    with translation.override(language):
        return reverse("payments:pay", kwargs={"group_id": group.public_id})


def start(client: Client, group: ApplicationGroup, method: str, language: str = "en"):
    """Press Pay with `method`; returns the response (a redirect to the sandbox's page)."""
    return client.post(pay_url(group, language), {"method": method})


def attempt_of(group: ApplicationGroup) -> PaymentAttempt:
    return PaymentAttempt.objects.filter(group=group).latest("created_at")


def sandbox_of(attempt: PaymentAttempt) -> SandboxPayment:
    return SandboxPayment.objects.get(provider_reference=attempt.provider_reference)


def play(client: Client, attempt: PaymentAttempt, outcome: str):
    """Choose `outcome` on the sandbox page; returns the redirect back to our return address."""
    return client.post(attempt.next_action["url"], {"outcome": outcome})


def return_url(attempt: PaymentAttempt, language: str = "en") -> str:
    with translation.override(language):
        return reverse("payments:return", kwargs={"attempt_id": attempt.public_id})


def follow_return(client: Client, response):
    """Follow the sandbox's redirect to our return view (an absolute address)."""
    assert response.status_code == 302, response
    return client.get(urlparse(response.url).path)


def deliver(attempt: PaymentAttempt) -> int:
    """Run the sandbox's webhook delivery (what its Celery task does) for this attempt: the
    sandbox provider's event, or for FPS the sandbox bank's confirmation."""
    if attempt.provider == "sandbox_fps":
        return deliver_sandbox_bank_notification_task(sandbox_of(attempt).pk)
    return deliver_sandbox_event_task(sandbox_of(attempt).pk, "payment.updated")


def run_queued_tasks(callbacks) -> None:
    """Run, in this thread, the Celery tasks that on-commit callbacks would have queued
    (`partial(task.delay, *args)` or a function calling `.delay`/`.apply_async`)."""
    for callback in callbacks:
        func = getattr(callback, "func", None)
        task = getattr(func, "__self__", None)
        if task is not None and hasattr(task, "run"):
            task(*callback.args, **callback.keywords)
