"""What decisions do beyond the status: the quota slot released on refusal and withdrawal (it
stays counted until the pool's reopening), the visa issuance fee on approval, the email's
language, and assignment."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from applications.exceptions import InvalidAssignee, ReviewBusy
from applications.models import Application, AuditEntry
from applications.services import assignment, review
from quota import locks, supervision
from quota import services as quota_services
from quota.models import Allocation, QuotaPool
from tests.applications import reviewing as rv
from tests.factories import PrincipalFactory, SkilledTradeFactory

pytestmark = pytest.mark.django_db

Status = Application.Status


def _remaining(trade) -> int:
    return quota_services.availability(trade=trade).trade_remaining


@pytest.mark.parametrize(
    ("decide", "reason"),
    [
        (lambda a, who: review.refuse(application=a, actor=who, note="Not a nurse."), "refused"),
        (lambda a, who: review.withdraw(application=a, actor=who), "withdrawn"),
    ],
    ids=["refusal", "withdrawal"],
)
def test_the_principal_releases_its_slot_counted_until_the_reopening(decide, reason, trade):
    officer = rv.staff_user("officer")
    principal = rv.set_status(rv.principal_of(rv.case(trade)), Status.UNDER_REVIEW)
    pool = QuotaPool.objects.get(trade=trade)
    remaining_before = _remaining(trade)

    decision = decide(principal, rv.actor(officer))

    allocation = Allocation.objects.get(application=principal)
    assert allocation.is_released and allocation.release_reason == reason
    assert decision.quota_released is True
    assert rv.entries(principal)[-1].detail["quota_released"] is True
    pool.refresh_from_db()
    assert (pool.allocated, pool.released_pending) == (0, 1)
    # Released, but still counted as used until a supervisor's reopening takes effect.
    assert _remaining(trade) == remaining_before
    supervisor = rv.staff_user("supervisor")
    supervision.set_closed(pool_id=pool.pk, closed=True, by=supervisor)
    supervision.set_closed(pool_id=pool.pk, closed=False, by=supervisor)
    assert _remaining(trade) == remaining_before + 1


def test_a_dependants_refusal_releases_nothing(trade):
    officer = rv.staff_user("officer")
    group = rv.case(trade, dependants=1)
    principal = rv.principal_of(group)
    dependant = rv.set_status(rv.dependant_of(group), Status.UNDER_REVIEW)

    decision = review.refuse(application=dependant, actor=rv.actor(officer), note="Not a child.")

    assert decision.quota_released is False
    assert rv.entries(dependant)[-1].detail["quota_released"] is False
    assert not Allocation.objects.get(application=principal).is_released


@pytest.mark.django_db(transaction=True)
def test_busy_quota_locks_leave_the_case_as_it_was(trade, monkeypatch):
    monkeypatch.setattr(locks, "LOCK_TIMEOUT", "100ms")
    monkeypatch.setattr(locks, "RETRY_PAUSE_SECONDS", (0.0, 0.01))
    # No role: after a serialized-rollback test the tables (permissions too) start empty, and
    # the service checks no permission anyway.
    officer = rv.staff_user(None)
    principal = rv.set_status(rv.principal_of(rv.case(trade)), Status.UNDER_REVIEW)
    pool = QuotaPool.objects.get(trade=trade)
    locked, done = threading.Event(), threading.Event()

    def hold_the_trade_pool() -> None:
        try:
            with transaction.atomic():
                list(QuotaPool.objects.select_for_update().filter(pk=pool.pk).order_by())
                locked.set()
                done.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_trade_pool)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        with pytest.raises(ReviewBusy):
            review.refuse(application=principal, actor=rv.actor(officer), note="Not a nurse.")
    finally:
        done.set()
        holder.join()

    assert rv.status_of(principal) == Status.UNDER_REVIEW and rv.entries(principal) == []
    assert not Allocation.objects.get(application=principal).is_released


# The visa issuance fee


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (datetime.date(2025, 1, 31), 1, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 1, 31), 1, datetime.date(2024, 2, 29)),
        (datetime.date(2025, 11, 15), 36, datetime.date(2028, 11, 15)),
        (datetime.date(2025, 12, 1), 1, datetime.date(2026, 1, 1)),
    ],
)
def test_add_months(start, months, end):
    assert review.add_months(start, months) == end


@pytest.mark.parametrize(
    ("stay", "fee"),
    [(36, 130_000), (24, 130_000), (6, 130_000), (5, 60_000), (1, 60_000)],
)
def test_the_visa_fee_follows_the_trades_initial_stay(stay, fee):
    trade = SkilledTradeFactory(initial_stay_months=stay)
    principal = PrincipalFactory(trade=trade)

    # Six months are always over 180 days (181 at the least), five never.
    for day in (datetime.date(2025, 9, 1), datetime.date(2026, 1, 1), datetime.date(2025, 3, 1)):
        assert review.visa_fee_cents(application=principal, on=day) == fee


def test_the_approval_email_gives_the_fee_in_the_groups_language(
    trade, django_capture_on_commit_callbacks
):
    officer = rv.staff_user("officer")
    group = rv.case(trade, language="zh-hant")
    principal = rv.set_status(rv.principal_of(group), Status.UNDER_REVIEW)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        decision = review.approve(application=principal, actor=rv.actor(officer))
    [email] = rv.run_email_tasks(rv.queued_email_ids(callbacks))

    assert decision.visa_fee_cents == 130_000
    entry = AuditEntry.objects.get(pk=decision.entry_id)
    assert entry.detail["visa_fee_cents"] == 130_000 and entry.detail["stay_months"] == 36
    assert "HK$1,300" in email.body
    assert "簽證簽發費" in email.body and "獲批" in email.subject
    assert trade.name_zh_hant in email.body


# Assignment


def test_a_case_is_assigned_and_reassigned_with_its_record(trade):
    supervisor, first, second = (
        rv.staff_user("supervisor"),
        rv.staff_user("officer"),
        rv.staff_user("officer"),
    )
    principal = rv.principal_of(rv.case(trade))

    assignment.assign(application=principal, officer=first, actor=rv.actor(first))
    assignment.assign(
        application=principal, officer=second, actor=rv.actor(supervisor), note="Leave."
    )
    again = assignment.assign(application=principal, officer=second, actor=rv.actor(supervisor))

    principal.refresh_from_db()
    assert principal.assigned_to == second and again.changed is False
    taken, given = rv.entries(principal)
    assert (taken.actor, taken.detail["to_officer"]) == (first, first.pk)
    assert (given.actor, given.detail["from_officer"], given.detail["to_officer"]) == (
        supervisor,
        first.pk,
        second.pk,
    )
    assert given.detail["note"] == "Leave." and len(mail.outbox) == 0


def test_only_officers_and_supervisors_can_be_assigned(trade):
    supervisor = rv.staff_user("supervisor")
    clerk = rv.staff_user(None)
    gone = rv.staff_user("officer")
    gone.is_active = False
    gone.save()
    principal = rv.principal_of(rv.case(trade))

    for nobody in (clerk, gone):
        with pytest.raises(InvalidAssignee):
            assignment.assign(application=principal, officer=nobody, actor=rv.actor(supervisor))

    principal.refresh_from_db()
    assert principal.assigned_to is None and rv.entries(principal) == []


def test_who_may_assign_whom(trade):
    supervisor, officer, other = (
        rv.staff_user("supervisor"),
        rv.staff_user("officer"),
        rv.staff_user("officer"),
    )
    principal = rv.principal_of(rv.case(trade))

    assert assignment.may_assign(supervisor, application=principal, officer=other)
    assert assignment.may_assign(officer, application=principal, officer=officer)
    assert not assignment.may_assign(officer, application=principal, officer=other)
    assert not assignment.may_assign(officer, application=principal, officer=None)
    principal.assigned_to = other
    assert not assignment.may_assign(officer, application=principal, officer=officer)
    assert assignment.may_assign(supervisor, application=principal, officer=None)
    assert not assignment.may_assign(rv.staff_user(None), application=principal, officer=None)


def test_decisions_record_their_time(trade):
    officer = rv.staff_user("officer")
    principal = rv.principal_of(rv.case(trade))
    before = timezone.now()

    decision = review.start_review(application=principal, actor=rv.actor(officer))

    entry = AuditEntry.objects.get(pk=decision.entry_id)
    assert before <= entry.at <= timezone.now()


@pytest.mark.parametrize(
    ("language", "subject", "body"),
    [
        ("en", "Decision on your application", "has been refused"),
        ("zh-hant", "你的申請的決定", "已被拒絕"),
        ("zh-hans", "你的申请的决定", "已被拒绝"),
    ],
)
def test_the_refusal_email_is_in_the_groups_language(
    trade, django_capture_on_commit_callbacks, language, subject, body
):
    officer = rv.staff_user("officer")
    principal = rv.set_status(rv.principal_of(rv.case(trade, language=language)), "under_review")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        review.refuse(application=principal, actor=rv.actor(officer), note="Internal reason.")
    [email] = rv.run_email_tasks(rv.queued_email_ids(callbacks))

    assert subject in email.subject and body in email.body
    assert principal.reference_number in email.body
    assert "Internal reason." not in email.body  # the note is the office's, not the letter's
