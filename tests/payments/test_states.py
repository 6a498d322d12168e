"""The attempt's state machine: every allowed and every forbidden move, and the conditional
update that lets only one of two writers move an attempt."""

import itertools

import pytest

from payments import states
from payments.models import AttemptStatus, AttemptTransition, PaymentAttempt
from tests.factories import ApplicationGroupFactory

S = AttemptStatus
EXPECTED = {
    S.CREATED: {S.PENDING, S.AUTHORISED, S.PAID, S.FAILED, S.CANCELLED, S.EXPIRED},
    S.PENDING: {
        S.AUTHORISED,
        S.PAID,
        S.FAILED,
        S.CANCELLED,
        S.EXPIRED,
        S.REFUNDING,
        S.NEEDS_REVIEW,
    },
    S.AUTHORISED: {S.CAPTURING, S.CANCELLED, S.EXPIRED, S.NEEDS_REVIEW},
    S.CAPTURING: {S.PAID, S.NEEDS_REVIEW},
    S.PAID: {S.REFUNDING, S.NEEDS_REVIEW},
    S.REFUNDING: {S.REFUNDED, S.NEEDS_REVIEW},
    S.NEEDS_REVIEW: {S.PAID, S.REFUNDING, S.CANCELLED},
    S.EXPIRED: {S.PAID, S.NEEDS_REVIEW},
    S.FAILED: set(),
    S.CANCELLED: set(),
    S.REFUNDED: set(),
}


def test_the_table_is_exactly_the_designed_one():
    assert set(states.TRANSITIONS) == set(S.values)
    assert {k: set(v) for k, v in states.TRANSITIONS.items()} == EXPECTED
    assert {S.FAILED, S.CANCELLED, S.REFUNDED} == states.FINAL


def _attempt(status: str) -> PaymentAttempt:
    from django.utils import timezone

    return PaymentAttempt.objects.create(
        group=ApplicationGroupFactory(),
        method="visa",
        provider="sandbox",
        amount_cents=60000,
        idempotency_key=f"start:test:{PaymentAttempt.objects.count()}:{status}",
        status=status,
        window_ends_at=timezone.now(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "source,target", [(a, b) for a, b in itertools.product(S.values, S.values) if a != b]
)
def test_every_move(source, target):
    attempt = _attempt(source)
    if target in EXPECTED[source]:
        assert states.move(attempt, target, reason="test")
        attempt.refresh_from_db()
        assert attempt.status == target
        entry = AttemptTransition.objects.get(attempt=attempt)
        assert (entry.from_status, entry.to_status, entry.reason) == (source, target, "test")
    else:
        with pytest.raises(states.TransitionRefused):
            states.move(attempt, target)
        attempt.refresh_from_db()
        assert attempt.status == source
        assert not AttemptTransition.objects.filter(attempt=attempt).exists()


@pytest.mark.django_db
def test_a_stale_copy_moves_nothing():
    attempt = _attempt(S.PENDING)
    other = PaymentAttempt.objects.get(pk=attempt.pk)
    assert states.move(attempt, S.PAID)
    assert not states.move(other, S.FAILED)  # it still believes "pending"
    other.refresh_from_db()
    assert other.status == S.PAID
    assert AttemptTransition.objects.filter(attempt=attempt).count() == 1


@pytest.mark.django_db
def test_a_group_has_at_most_one_active_attempt():
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    first = _attempt(S.PENDING)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentAttempt.objects.create(
            group=first.group,
            method="fps",
            provider="sandbox",
            amount_cents=60000,
            idempotency_key="start:second",
            window_ends_at=timezone.now(),
        )
    states.move(first, S.FAILED)
    PaymentAttempt.objects.create(
        group=first.group,
        method="fps",
        provider="sandbox",
        amount_cents=60000,
        idempotency_key="start:third",
        window_ends_at=timezone.now(),
    )
