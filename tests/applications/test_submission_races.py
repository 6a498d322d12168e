"""Submission races on PostgreSQL with real threads, each on its own connection: a group is
submitted once, the last places go to exactly as many groups, the acknowledgment is emailed
once, and nothing deadlocks."""

import datetime
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import connection, transaction

from applications import services, tasks
from applications.exceptions import AlreadySubmitted, SlotLost
from applications.models import AcknowledgmentOutbox, Application, ApplicationGroup
from quota import locks
from quota.models import Allocation, QuotaPool
from tests.applications import drafting
from tests.applications.submitting import FEE_CENTS, paying_group, submitted_group
from tests.quota.test_races import _deadlocks, _wait_for_workers_to_exit

pytestmark = pytest.mark.django_db(transaction=True)


def confirm(group_id: int) -> str:
    """One confirmation as the payments app runs it: its own transaction, a row locked first
    (here the group's principal application stands in for the payment attempt), then
    submit_paid_group. Returns what happened."""
    try:
        with transaction.atomic():
            Application.objects.select_for_update().filter(
                group_id=group_id, role=Application.Role.PRINCIPAL
            ).get()
            services.submit_paid_group(group_id=group_id, fee_paid_cents=FEE_CENTS)
        return "submitted"
    except SlotLost:
        return "slot lost"
    except AlreadySubmitted:
        return "already submitted"
    except Exception as exc:  # any other error fails the test, with its name
        return type(exc).__name__ + ": " + str(exc)
    finally:
        connection.close()


def race(calls: list) -> Counter:
    """Run every call from its own thread, released together; also fails on a deadlock, which
    quota.locks would otherwise retry out of sight."""
    deadlocks_before = _deadlocks()
    retried: list[BaseException] = []
    locks.retry_listeners.append(retried.append)
    start = threading.Barrier(len(calls))

    def run(call):
        start.wait(timeout=30)
        return call()

    try:
        with ThreadPoolExecutor(max_workers=len(calls)) as pool:
            outcomes = Counter(pool.map(run, calls))
    finally:
        locks.retry_listeners.remove(retried.append)
    assert retried == []
    _wait_for_workers_to_exit()
    assert _deadlocks() == deadlocks_before
    return outcomes


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """The acknowledgments queued on commit (the broker left out)."""
    ids: list[int] = []
    monkeypatch.setattr(tasks.send_acknowledgment, "delay", ids.append)
    return ids


def test_submit_needs_the_callers_transaction(queued):
    group = paying_group(drafting.trade_with_pool())

    with pytest.raises(AssertionError, match="transaction"):
        services.submit_paid_group(group_id=group.pk, fee_paid_cents=FEE_CENTS)

    assert ApplicationGroup.objects.get(pk=group.pk).status == "payment_pending"


def test_two_confirmations_of_one_group_submit_it_once_and_email_once(monkeypatch):
    # A worker picks the task up at once: the task runs in the confirming thread.
    monkeypatch.setattr(
        tasks.send_acknowledgment, "delay", lambda pk: tasks.send_acknowledgment(pk)
    )
    group = paying_group(drafting.trade_with_pool(), dependants=1)

    outcomes = race([lambda: confirm(group.pk)] * 2)

    assert outcomes == Counter({"submitted": 1, "already submitted": 1})
    assert Allocation.objects.count() == 1
    assert AcknowledgmentOutbox.objects.filter(group=group, sent_at__isnull=False).count() == 1
    assert len(mail.outbox) == 1
    numbers = list(group.applications.values_list("reference_number", flat=True))
    assert len(set(numbers)) == 2 and None not in numbers


def test_twenty_groups_for_the_last_five_places(queued):
    trade = drafting.trade_with_pool(capacity=5)
    # Every hold has expired: the places go to whoever secures first.
    groups = [paying_group(trade, hold_for=datetime.timedelta(0)) for _ in range(20)]

    outcomes = race([lambda pk=group.pk: confirm(pk) for group in groups])

    assert outcomes == Counter({"submitted": 5, "slot lost": 15})
    pool = QuotaPool.objects.get(trade=trade)
    assert pool.allocated == Allocation.objects.filter(trade_pool=pool).count() == 5
    submitted = ApplicationGroup.objects.filter(pk__in=[g.pk for g in groups], status="submitted")
    assert submitted.count() == 5
    assert (
        sorted(queued) == sorted(AcknowledgmentOutbox.objects.values_list("pk", flat=True))
        and len(queued) == 5
    )
    # The 15 others: nothing submitted, still being paid (the caller ends their payment).
    lost = ApplicationGroup.objects.filter(pk__in=[g.pk for g in groups]).exclude(
        status="submitted"
    )
    assert set(lost.values_list("status", flat=True)) == {"payment_pending"}
    assert not Application.objects.filter(group__in=lost, reference_number__isnull=False).exists()
    numbers = list(
        Application.objects.filter(group__in=submitted).values_list("reference_number", flat=True)
    )
    assert len(set(numbers)) == 5


def test_the_acknowledgment_task_run_twice_at_once_sends_one_email(queued):
    group = submitted_group(drafting.trade_with_pool())
    (outbox_id,) = queued

    def send() -> bool:
        try:
            return tasks.send_acknowledgment(outbox_id)
        finally:
            connection.close()

    outcomes = race([send, send])

    assert outcomes == Counter({True: 1, False: 1})
    assert len(mail.outbox) == 1
    assert tasks.send_acknowledgment(outbox_id) is False  # and once more, later
    assert len(mail.outbox) == 1
    outbox = AcknowledgmentOutbox.objects.get(group=group)
    assert outbox.sent_at is not None and outbox.attempts == 1
