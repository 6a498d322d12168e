"""Payments racing on PostgreSQL with real threads: the payer's return and the webhook at once,
and twenty groups paying for the last five places of a trade."""

import datetime
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from applications.models import AcknowledgmentOutbox, ApplicationGroup
from payments import services
from payments.methods import PaymentMethod
from payments.models import AttemptStatus, Outcome, PaymentAttempt, Refund
from quota.models import Allocation, Hold, QuotaPool
from tests.applications import drafting
from tests.payments import paying
from tests.payments.ready import ready_group

pytestmark = pytest.mark.django_db(transaction=True)


def _in_threads(work, items) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(items))

    def run(item):
        try:
            barrier.wait(timeout=30)
            work(item)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return errors


def test_the_return_and_the_webhook_together_allocate_once_and_queue_one_acknowledgment():
    client = Client()
    group = ready_group(client, drafting.trade_with_pool(capacity=3))
    paying.start(client, group, PaymentMethod.VISA)
    attempt = paying.attempt_of(group)
    paying.play(client, attempt, "success")

    def arrive(kind):
        if kind == "webhook":
            paying.deliver(PaymentAttempt.objects.get(pk=attempt.pk))
        else:
            services.confirm_attempt(attempt=PaymentAttempt.objects.get(pk=attempt.pk))

    errors = _in_threads(arrive, ["webhook", "return", "webhook", "return"])
    assert not errors, errors
    attempt.refresh_from_db()
    assert (attempt.status, attempt.outcome) == (AttemptStatus.PAID, Outcome.SUBMITTED)
    assert Allocation.objects.filter(application__group=group).count() == 1
    assert AcknowledgmentOutbox.objects.filter(group=group).count() == 1
    assert attempt.transitions.filter(to_status="paid").count() == 1


def test_twenty_groups_paying_at_once_for_the_last_five_places():
    trade = drafting.trade_with_pool(capacity=20)
    client = Client()
    groups = [ready_group(client, trade) for _ in range(20)]
    attempts = []
    for index, group in enumerate(groups):
        method = PaymentMethod.VISA if index % 2 else PaymentMethod.ALIPAY
        assert paying.start(client, group, method).status_code == 302
        attempt = paying.attempt_of(group)
        paying.play(client, attempt, "success")
        attempts.append(attempt)
    # The holds expire, and the pool shrinks to five places left: the confirmations race.
    Hold.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    QuotaPool.objects.filter(trade=trade).update(capacity=5)

    def confirm(attempt):
        services.confirm_attempt(attempt=PaymentAttempt.objects.get(pk=attempt.pk))

    errors = _in_threads(confirm, attempts)
    assert not errors, errors
    final = PaymentAttempt.objects.filter(pk__in=[a.pk for a in attempts])
    submitted = [a for a in final if a.outcome == Outcome.SUBMITTED]
    given_back = [a for a in final if a.outcome == Outcome.NO_SLOT]
    assert len(submitted) == 5 and len(given_back) == 15
    assert ApplicationGroup.objects.filter(status="submitted").count() == 5
    assert Allocation.objects.filter(trade_pool__trade=trade).count() == 5
    assert all(a.status == AttemptStatus.PAID for a in submitted)
    # Nobody charged without a place: cards cancelled before capture, wallets refunded in full.
    for attempt in given_back:
        sandbox = paying.sandbox_of(attempt)
        if attempt.method == PaymentMethod.VISA:
            assert attempt.status == AttemptStatus.CANCELLED and sandbox.status == "cancelled"
        else:
            assert attempt.status == AttemptStatus.REFUNDED
            assert sandbox.amount_refunded_cents == sandbox.amount_received_cents == 60000
            assert Refund.objects.get(attempt=attempt).status == Refund.Status.SUCCEEDED
    charged = sum(
        paying.sandbox_of(a).amount_received_cents - paying.sandbox_of(a).amount_refunded_cents
        for a in final
    )
    assert charged == 5 * 60000
