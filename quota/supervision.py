"""Supervisors' changes to pools, each recorded as a QuotaChange (who, when, what), and the
scheduled reopenings. Only the supervisor role may call these (admin checks the permission).
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import locks, status_cache
from .exceptions import InvalidQuotaChange
from .models import QuotaChange, QuotaPool, SkilledTrade
from .services import apply_due_reopening

# Who made a change: a supervisor (the admin always has one), or None for a script.
Officer = AbstractBaseUser | AnonymousUser | None


def _apply_all(locked: dict[int, QuotaPool]) -> None:
    now = timezone.now()
    for pool in locked.values():
        apply_due_reopening(pool, now=now)


@dataclass(frozen=True)
class PoolEdit:
    """The fields a supervisor may change on a pool (the admin form's cleaned data)."""

    capacity: int
    starts_on: datetime.date
    ends_on: datetime.date
    closed: bool
    reopens_at: datetime.datetime | None


def _text(value: object) -> str:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    return "" if value is None else str(value)


def capacity_below_used(used: int) -> str:
    """The refusal of a capacity below the places already used (admin form and change_pool)."""
    return ngettext(
        "The capacity cannot be less than the %(used)d place already used.",
        "The capacity cannot be less than the %(used)d places already used.",
        used,
    ) % {"used": used}


def change_pool(*, pool_id: int, edit: PoolEdit, by: Officer) -> list[QuotaChange]:
    """Apply a supervisor's edit of one pool under its row lock and record each change.

    Reopening (unticking "closed", or a reopening time that has come) opens the pool and gives
    back the released places. Raises InvalidQuotaChange when the capacity would fall below the
    places already secured or the period is reversed; QuotaBusy. The caller checks permission.
    """
    if edit.ends_on < edit.starts_on:
        raise InvalidQuotaChange(_("The period must end on or after the day it starts."))

    def work(locked: dict[int, QuotaPool]) -> list[QuotaChange]:
        now = timezone.now()
        pool = locked[pool_id]
        apply_due_reopening(pool, now=now)
        if edit.capacity < pool.used(now):
            raise InvalidQuotaChange(capacity_below_used(pool.used(now)))
        changes: list[QuotaChange] = []

        def record(action: str, old: object, new: object) -> None:
            changes.append(
                QuotaChange(
                    pool=pool,
                    action=action,
                    old_value=_text(old),
                    new_value=_text(new),
                    changed_by=by,  # type: ignore[misc]  # the project's user model
                    changed_at=now,
                )
            )

        Action = QuotaChange.Action
        if edit.capacity != pool.capacity:
            record(Action.CAPACITY, pool.capacity, edit.capacity)
        if (edit.starts_on, edit.ends_on) != (pool.starts_on, pool.ends_on):
            record(
                Action.PERIOD,
                _text(pool.starts_on) + " / " + _text(pool.ends_on),
                _text(edit.starts_on) + " / " + _text(edit.ends_on),
            )
        if edit.reopens_at != pool.reopens_at:
            action = Action.REOPENING_CANCELLED if edit.reopens_at is None else None
            record(action or Action.REOPENING_SCHEDULED, pool.reopens_at, edit.reopens_at)
        if edit.closed and not pool.closed:
            record(Action.CLOSED, "", "")
        reopened = pool.closed and not edit.closed
        if reopened:
            record(Action.REOPENED, pool.released_pending, 0)
        pool.capacity = edit.capacity
        pool.starts_on, pool.ends_on = edit.starts_on, edit.ends_on
        pool.closed, pool.reopens_at = edit.closed, edit.reopens_at
        if reopened:
            pool.released_pending = 0
        pool.full_clean()
        pool.save()
        QuotaChange.objects.bulk_create(changes)
        apply_due_reopening(pool, now=now)
        return changes

    return locks.run_locked([pool_id], work)


def overall_places_left_pending(*, pool_id: int) -> int:
    """Released places the overall pool of a trade pool will still count as used when the
    trade pool's released places come back (now, or at its scheduled reopening); 0 for an
    overall pool, or when the overall pool's own reopening comes no later.

    A released place counts on both pools and each pool gives it back only at its own
    reopening: the overall pool's count is shared by all its trades, so a reopening of one
    trade cannot tell which of them are its own. The supervisor reopens the overall pool too.
    """
    pool = QuotaPool.objects.select_related("overall").get(pk=pool_id)
    overall = pool.overall
    if overall is None or overall.released_pending == 0:
        return 0
    now = timezone.now()
    trade_back_at = max(pool.reopens_at or now, now)
    if overall.reopens_at is not None and overall.reopens_at <= trade_back_at:
        return 0
    return overall.released_pending


def set_closed(*, pool_id: int, closed: bool, by: Officer) -> list[QuotaChange]:
    """Close a pool, or reopen it now (giving back released places): the admin actions."""
    pool = QuotaPool.objects.get(pk=pool_id)
    edit = PoolEdit(pool.capacity, pool.starts_on, pool.ends_on, closed, pool.reopens_at)
    return change_pool(pool_id=pool_id, edit=edit, by=by)


def create_pool(
    *,
    trade: SkilledTrade | None,
    overall: QuotaPool | None,
    edit: PoolEdit,
    by: Officer,
) -> QuotaPool:
    """Create a pool for a period (a supervisor in admin) and record it. Validates the row."""
    pool = QuotaPool(
        trade=trade,
        overall=overall,
        capacity=edit.capacity,
        starts_on=edit.starts_on,
        ends_on=edit.ends_on,
        closed=edit.closed,
        reopens_at=edit.reopens_at,
    )
    pool.full_clean()
    with transaction.atomic():
        pool.save()
        QuotaChange.objects.create(
            pool=pool,
            action=QuotaChange.Action.CREATED,
            new_value=_text(pool.capacity),
            changed_by=by,  # type: ignore[misc]  # the project's user model
        )
        status_cache.forget_on_commit()
    return pool


def apply_due_reopenings() -> int:
    """Make every scheduled reopening that has come take effect; returns how many. Idempotent."""
    due = QuotaPool.objects.filter(reopens_at__lte=timezone.now()).values_list("pk", flat=True)
    for pool_id in due:
        locks.run_locked([pool_id], lambda locked: _apply_all(locked))
    return len(due)
