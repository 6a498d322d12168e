"""The payment attempt's state machine: the allowed moves, and the one function that makes them.

created -> pending (the payer is acting) -> authorised (cards: funds held) -> capturing -> paid,
with failed, cancelled, expired, refunding, refunded and needs_review beside them. Failed,
cancelled and refunded are final. A move is a
conditional UPDATE naming the state it leaves, so of two writers racing only one moves the row,
and a final state is never left (it has no outgoing moves).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .models import AttemptStatus, AttemptTransition, PaymentAttempt

S = AttemptStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    S.CREATED: frozenset({S.PENDING, S.AUTHORISED, S.PAID, S.FAILED, S.CANCELLED, S.EXPIRED}),
    S.PENDING: frozenset(
        {S.AUTHORISED, S.PAID, S.FAILED, S.CANCELLED, S.EXPIRED, S.REFUNDING, S.NEEDS_REVIEW}
    ),
    S.AUTHORISED: frozenset({S.CAPTURING, S.CANCELLED, S.EXPIRED, S.NEEDS_REVIEW}),
    S.CAPTURING: frozenset({S.PAID, S.NEEDS_REVIEW}),
    S.PAID: frozenset({S.REFUNDING, S.NEEDS_REVIEW}),
    S.REFUNDING: frozenset({S.REFUNDED, S.NEEDS_REVIEW}),
    S.NEEDS_REVIEW: frozenset({S.PAID, S.REFUNDING, S.CANCELLED}),
    # The payer may still transfer after the window ended (FPS, PPS): late money is matched,
    # then submitted or returned, so expired is not final.
    S.EXPIRED: frozenset({S.PAID, S.NEEDS_REVIEW}),
    S.FAILED: frozenset(),
    S.CANCELLED: frozenset(),
    S.REFUNDED: frozenset(),
}

FINAL = frozenset(status for status, moves in TRANSITIONS.items() if not moves)
# Active: the payer may still pay, or funds are held; the group stays read-only meanwhile. The
# partial unique index one_active_attempt_per_group lists the same states.
ACTIVE = frozenset({S.CREATED, S.PENDING, S.AUTHORISED, S.CAPTURING})


class TransitionRefused(Exception):
    """The move is not in the table (a programming error, not the payer's)."""


def allowed(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())


def move(attempt: PaymentAttempt, to_status: str, *, reason: str = "", **fields: object) -> bool:
    """Move `attempt` from the status it has in memory to `to_status`, with `fields` set too.

    Returns False, changing nothing, when another writer moved it first (the row no longer has
    the status this copy has). Raises TransitionRefused for a move the table forbids. On
    success the copy in memory is updated and a history row written, in one transaction.
    """
    from_status = attempt.status
    if from_status == to_status and not fields:
        return False
    if from_status != to_status and not allowed(from_status, to_status):
        raise TransitionRefused(f"{from_status} -> {to_status}")
    now = timezone.now()
    with transaction.atomic():
        moved = PaymentAttempt.objects.filter(pk=attempt.pk, status=from_status).update(
            status=to_status, updated_at=now, **fields
        )
        if not moved:
            return False
        if from_status != to_status:
            AttemptTransition.objects.create(
                attempt=attempt,
                from_status=from_status,
                to_status=to_status,
                reason=reason[:300],
                at=now,
            )
    attempt.status = to_status
    attempt.updated_at = now
    for name, value in fields.items():
        setattr(attempt, name, value)
    return True
