"""Reconciliation: a lost webhook never strands a payment or a hold; late and second payments
are matched and returned; the daily comparison with the provider's records."""

import datetime

import pytest
from django.utils import timezone

from applications.models import ApplicationGroup
from payments import services
from payments.methods import PaymentMethod
from payments.models import AttemptStatus, Outcome, PaymentAttempt, SandboxPayment
from payments.providers.sandbox import SandboxProvider
from quota.models import Hold
from tests.applications import drafting
from tests.payments import paying
from tests.payments.ready import ready_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def trade():
    return drafting.trade_with_pool(capacity=10)


def _age(attempt: PaymentAttempt, **delta) -> None:
    PaymentAttempt.objects.filter(pk=attempt.pk).update(
        updated_at=timezone.now() - datetime.timedelta(**delta)
    )


def test_a_lost_webhook_is_settled_by_reconciliation(client, trade):
    group = ready_group(client, trade)
    paying.start(client, group, PaymentMethod.UNIONPAY_CARD)
    attempt = paying.attempt_of(group)
    paying.play(client, attempt, "success")  # no return, no webhook
    assert services.reconcile().confirmed == 0  # too recent: the webhook may still come
    _age(attempt, minutes=3)
    services.reconcile()
    attempt.refresh_from_db()
    assert (attempt.status, attempt.outcome) == (AttemptStatus.PAID, Outcome.SUBMITTED)
    group.refresh_from_db()
    assert group.status == ApplicationGroup.Status.SUBMITTED


def test_an_abandoned_payment_expires_and_releases_the_hold(client, trade):
    group = ready_group(client, trade)
    paying.start(client, group, PaymentMethod.VISA)
    attempt = paying.attempt_of(group)  # the payer never comes back
    PaymentAttempt.objects.filter(pk=attempt.pk).update(
        window_ends_at=timezone.now() - datetime.timedelta(hours=1)
    )
    _age(attempt, hours=1)
    assert services.reconcile().expired == 1
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED
    assert paying.sandbox_of(attempt).status == "cancelled"
    group.refresh_from_db()
    assert group.status == ApplicationGroup.Status.DRAFT
    assert not Hold.objects.exists()


def test_a_second_payment_for_a_submitted_group_is_refunded(client, trade):
    group = ready_group(client, trade)
    # A first FPS payment the payer leaves; its window ends; they pay again by card.
    paying.start(client, group, PaymentMethod.FPS)
    first = paying.attempt_of(group)
    services.cancel_attempt(attempt=first, expired=True)
    first.refresh_from_db()
    assert first.status == AttemptStatus.EXPIRED
    paying.start(client, group, PaymentMethod.VISA)
    second = paying.attempt_of(group)
    paying.follow_return(client, paying.play(client, second, "success"))
    group.refresh_from_db()
    assert group.status == ApplicationGroup.Status.SUBMITTED
    # The first transfer arrives late after all: matched, and returned in full.
    bank_page = client.get(first.next_action["url"])
    assert "HK$600" in bank_page.content.decode()
    paying.play(client, first, "success")
    assert paying.deliver(first) == 200
    first.refresh_from_db()
    assert (first.status, first.outcome) == (AttemptStatus.REFUNDED, Outcome.DUPLICATE)
    assert paying.sandbox_of(first).amount_refunded_cents == 60000
    second.refresh_from_db()
    assert (second.status, second.outcome) == (AttemptStatus.PAID, Outcome.SUBMITTED)


def test_a_refund_is_made_once_even_when_settled_again(client, trade):
    group = ready_group(client, trade)
    paying.start(client, group, PaymentMethod.WECHAT_PAY)
    attempt = paying.attempt_of(group)
    paying.play(client, attempt, "after_hold")
    Hold.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    drafting.fill_pool(trade)
    SandboxPayment.objects.filter(provider_reference=attempt.provider_reference).update(
        settles_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    for _ in range(3):
        services.confirm_attempt(attempt=PaymentAttempt.objects.get(pk=attempt.pk))
        services.settle(attempt=PaymentAttempt.objects.get(pk=attempt.pk))
    assert paying.sandbox_of(attempt).amount_refunded_cents == 60000  # not 3 x


def test_the_daily_check_flags_a_payment_we_do_not_know_as_paid(client, trade):
    group = ready_group(client, trade)
    paying.start(client, group, PaymentMethod.ALIPAY)
    attempt = paying.attempt_of(group)
    paying.follow_return(client, paying.play(client, attempt, "success"))
    today = timezone.localdate()
    assert services.daily_check(day=today) == []
    # The provider took money for a payment our rows say is not paid.
    PaymentAttempt.objects.filter(pk=attempt.pk).update(status=AttemptStatus.NEEDS_REVIEW)
    mismatches = services.daily_check(day=today)
    assert [m.provider_reference for m in mismatches] == [attempt.provider_reference]


def test_a_capture_that_fails_after_submission_goes_to_officers(client, trade, caplog, monkeypatch):
    group = ready_group(client, trade)
    paying.start(client, group, PaymentMethod.VISA)
    attempt = paying.attempt_of(group)
    paying.play(client, attempt, "success")
    # The authorisation lapses at the provider between the confirmation and the capture.
    real_capture = SandboxProvider.capture

    def lapsed(self, reference, **kwargs):
        SandboxPayment.objects.filter(provider_reference=reference).update(status="cancelled")
        return real_capture(self, reference, **kwargs)

    monkeypatch.setattr(SandboxProvider, "capture", lapsed)
    services.confirm_attempt(attempt=attempt)
    attempt.refresh_from_db()
    assert (attempt.status, attempt.outcome) == (AttemptStatus.NEEDS_REVIEW, Outcome.SUBMITTED)
    group.refresh_from_db()
    assert group.status == ApplicationGroup.Status.SUBMITTED  # the place stays; officers decide
    assert "capture refused" in caplog.text
