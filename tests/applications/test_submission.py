"""Going to payment and submission through applications.services, on PostgreSQL: begin_payment,
end_payment, submit_paid_group; reference numbers; the acknowledgment outbox."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from applications import application_references, references, services, tasks
from applications.exceptions import AlreadySubmitted, PaymentBlocked, SlotLost
from applications.models import AcknowledgmentOutbox, Application, ApplicationGroup
from quota import status_cache
from quota.exceptions import QuotaExhausted
from quota.models import Allocation, Hold
from tests.applications import drafting
from tests.applications.submitting import FEE_CENTS, paying_group, submit
from tests.factories import PrincipalFactory

pytestmark = pytest.mark.django_db

WINDOW = datetime.timedelta(minutes=45)


def queued(callbacks) -> list:
    """The on-commit callbacks but the quota status page's forgetting (quota.status_cache)."""
    return [c for c in callbacks if getattr(c, "func", None) is not status_cache.forget]


def status_of(group: ApplicationGroup) -> str:
    return ApplicationGroup.objects.get(pk=group.pk).status


# begin_payment


def test_begin_payment_holds_the_slot_for_the_window_and_marks_the_group(ready_group):
    before = timezone.now()

    services.begin_payment(group=ready_group, hold_for=WINDOW)

    assert ready_group.status == status_of(ready_group) == ApplicationGroup.Status.PAYMENT_PENDING
    hold = Hold.objects.get(application__group=ready_group)
    assert before + WINDOW <= hold.expires_at <= timezone.now() + WINDOW


def test_begin_payment_refuses_a_group_being_paid_or_submitted(ready_group):
    services.begin_payment(group=ready_group, hold_for=WINDOW)
    with pytest.raises(PaymentBlocked, match="already in progress"):
        services.begin_payment(group=ready_group, hold_for=WINDOW)

    ApplicationGroup.objects.filter(pk=ready_group.pk).update(status="submitted")
    with pytest.raises(PaymentBlocked, match="already been submitted"):
        services.begin_payment(group=ready_group, hold_for=WINDOW)


def test_begin_payment_lists_what_remains_and_changes_nothing(trade):
    group = drafting.start(trade)

    with pytest.raises(PaymentBlocked) as raised:
        services.begin_payment(group=group, hold_for=WINDOW)

    message = str(raised.value.message)
    assert message.startswith("The application is not ready for payment yet. Still to be done:")
    assert "Complete “Your details”" in message
    assert raised.value.missing and all(m.text in message for m in raised.value.missing)
    assert status_of(group) == ApplicationGroup.Status.DRAFT
    assert not Hold.objects.exists()


def test_begin_payment_refuses_a_suspended_draft_with_the_reason(ready_group, trade):
    drafting.fill_pool(trade)

    with pytest.raises(PaymentBlocked) as raised:
        services.begin_payment(group=ready_group, hold_for=WINDOW)

    assert str(raised.value.message) == services.suspension_reason(group=ready_group)
    assert "is used up" in str(raised.value.message)
    assert status_of(ready_group) == ApplicationGroup.Status.DRAFT
    assert not Hold.objects.filter(application__group=ready_group).exists()


# end_payment


def test_end_payment_gives_the_draft_back_and_deletes_the_hold(trade):
    group = paying_group(trade)

    services.end_payment(group_id=group.pk)

    assert status_of(group) == ApplicationGroup.Status.DRAFT
    assert not Hold.objects.exists()
    services.end_payment(group_id=group.pk)  # idempotent
    assert status_of(group) == ApplicationGroup.Status.DRAFT


def test_end_payment_leaves_a_submitted_group_alone(trade, django_capture_on_commit_callbacks):
    group = paying_group(trade)
    submit(group)

    with django_capture_on_commit_callbacks() as callbacks:
        services.end_payment(group_id=group.pk, slot_lost=True)

    assert status_of(group) == ApplicationGroup.Status.SUBMITTED
    assert Allocation.objects.filter(application__group=group).exists()
    assert queued(callbacks) == []  # nobody is told that nothing was submitted


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "Nothing was submitted, and your payment was cancelled or refunded in full."),
        ("zh-hant", "全數退還"),
        ("zh-hans", "全数退还"),
    ],
)
def test_a_lost_slot_is_emailed_in_the_group_language(
    trade, language, words, django_capture_on_commit_callbacks
):
    group = paying_group(trade, language=language)

    with django_capture_on_commit_callbacks() as callbacks:
        services.end_payment(group_id=group.pk, slot_lost=True)

    assert [(c.func, c.args) for c in queued(callbacks)] == [
        (tasks.send_slot_lost_email.delay, (group.pk,))
    ]
    assert tasks.send_slot_lost_email(group.pk) is True
    (message,) = mail.outbox
    assert message.to == [group.contact_email]
    assert words in message.body
    assert references.display(group.temporary_reference) in message.subject


# submit_paid_group


def test_submit_marks_every_application_and_secures_the_slot(
    trade, django_capture_on_commit_callbacks
):
    group = paying_group(trade, dependants=3)

    with django_capture_on_commit_callbacks() as callbacks:
        submission = submit(group, fee_cents=4 * FEE_CENTS)

    group.refresh_from_db()
    assert group.status == ApplicationGroup.Status.SUBMITTED
    assert group.fee_paid_cents == submission.fee_paid_cents == 240_000
    assert group.submitted_at == submission.submitted_at
    applications = list(group.applications.order_by("position"))
    assert [a.status for a in applications] == [Application.Status.SUBMITTED] * 4
    assert all(a.submitted_at == group.submitted_at for a in applications)
    numbers = [a.reference_number for a in applications]
    assert [r for r, _name in submission.references] == numbers
    assert submission.references[0][1] == "CHAN Tai Man (陳𨋢明)"
    assert len(set(numbers)) == 4
    assert all(application_references.is_valid(n) for n in numbers)
    year = str(timezone.localdate().year)[2:]
    assert all(n.startswith("TP" + year + "-GEP-") for n in numbers)
    # The slot: an allocation, the hold gone; the acknowledgment queued once committed.
    allocation = Allocation.objects.get()
    assert allocation.application_id == applications[0].pk
    assert not Hold.objects.exists()
    outbox = AcknowledgmentOutbox.objects.get(group=group)
    assert submission.acknowledgment_id == outbox.pk and outbox.sent_at is None
    assert [(c.func, c.args) for c in queued(callbacks)] == [
        (tasks.send_acknowledgment.delay, (outbox.pk,))
    ]
    assert services.is_submitted(group.pk)


def test_a_submitted_group_cannot_be_submitted_again(trade):
    group = paying_group(trade)
    submit(group)

    with pytest.raises(AlreadySubmitted):
        submit(group)

    assert AcknowledgmentOutbox.objects.count() == 1
    assert Allocation.objects.count() == 1


def test_a_lost_slot_leaves_nothing_submitted(trade, django_capture_on_commit_callbacks):
    group = paying_group(trade, hold_for=datetime.timedelta(0))  # the hold expired
    drafting.fill_pool(trade)

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(SlotLost) as raised:
        submit(group)

    assert isinstance(raised.value.reason, QuotaExhausted)
    assert "ran out" in str(raised.value.message)
    group.refresh_from_db()
    assert group.status == ApplicationGroup.Status.PAYMENT_PENDING
    assert group.submitted_at is None and group.fee_paid_cents is None
    assert not group.applications.filter(reference_number__isnull=False).exists()
    assert not group.applications.filter(status=Application.Status.SUBMITTED).exists()
    assert not AcknowledgmentOutbox.objects.exists()
    assert not Allocation.objects.filter(application__group=group).exists()
    assert queued(callbacks) == []
    assert not services.is_submitted(group.pk)


def test_an_expired_hold_still_submits_while_places_remain(trade):
    group = paying_group(trade, hold_for=datetime.timedelta(0))

    submit(group)

    assert status_of(group) == ApplicationGroup.Status.SUBMITTED
    assert Allocation.objects.filter(application__group=group).exists()


def test_a_confirmation_after_the_payment_ended_submits_a_draft_still_ready(ready_group):
    services.begin_payment(group=ready_group, hold_for=WINDOW)
    services.end_payment(group_id=ready_group.pk)  # expired, say; then the payment succeeds

    submit(ready_group)

    assert status_of(ready_group) == ApplicationGroup.Status.SUBMITTED


def test_a_confirmation_after_the_payment_ended_refuses_a_changed_draft(trade):
    group = paying_group(trade)
    services.end_payment(group_id=group.pk)  # then the draft lost its signatures, etc.

    with pytest.raises(PaymentBlocked, match="not ready for payment"):
        submit(group)

    assert status_of(group) == ApplicationGroup.Status.DRAFT


def test_a_clashing_reference_number_is_drawn_again(trade, monkeypatch):
    taken = PrincipalFactory(trade=trade)
    drawn = iter([taken_number := "TP26-GEP-22222A-X", "TP26-GEP-33333B-Y"])
    Application.objects.filter(pk=taken.pk).update(reference_number=taken_number)
    monkeypatch.setattr(application_references, "new_reference", lambda **_kw: next(drawn))
    group = paying_group(trade)

    submission = submit(group)

    assert submission.references[0][0] == "TP26-GEP-33333B-Y"
