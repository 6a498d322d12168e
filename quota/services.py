"""Quota use cases: availability, hold, release_hold, secure, release, is_open.

These functions are the only writers of holds, allocations and the pools' counters. Each writer
takes the two pool row locks through quota.locks (trade pool and overall pool, primary-key
order). hold() and secure() are the hot path of a rush: one unlocked statement first turns away
requests that cannot succeed (so a crowd arriving after the quota is used up never queues on
the locks), then one statement of quota.hotpath, sent with the lock, re-checks and writes.
release() and supervisors' changes (quota.supervision) work through the ORM under the lock.

Availability of a pool = capacity - used - unexpired holds, where used = secured slots plus
released ones still waiting for the pool's scheduled reopening. Expired holds are ignored here
and deleted by a periodic task.
"""

import datetime
from dataclasses import dataclass, fields

from django.conf import settings
from django.db import connection
from django.db.models import F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application

from . import hotpath, locks, status_cache
from .exceptions import (
    AlreadySecured,
    InvalidQuotaChange,
    NotAQuotaApplication,
    NotSecured,
    QuotaClosed,
    QuotaError,
    QuotaExhausted,
)
from .locks import Row
from .models import (
    Allocation,
    Hold,
    QuotaChange,
    QuotaPool,
    QuotaPoolQuerySet,
    SkilledTrade,
    count_of,
)


@dataclass(frozen=True)
class Availability:
    """Places left in a trade's current pool and in the overall pool, and whether it accepts.

    `shut`: no current pool, the trade withdrawn, a pool outside its period or closed by a
    supervisor (and no reopening has come). `reopens_at`: when a pool closed by a supervisor
    has a scheduled reopening inside the period, the time from which both pools accept again
    (the later of the two closed pools' reopenings), and `reopening_remaining` the places the
    trade will have then (the released places come back; holds of now still counted).
    """

    trade_remaining: int
    overall_remaining: int
    accepting: bool
    shut: bool = False
    reopens_at: datetime.datetime | None = None
    reopening_remaining: int | None = None

    @property
    def remaining(self) -> int:
        """Places an applicant of this trade can still get: the smaller of the two."""
        return min(self.trade_remaining, self.overall_remaining)

    def refusal(self, *, trade_name: str) -> QuotaError | None:
        """Why one more place cannot be given, or None while accepting. The one order of the
        reasons: shut first, then the overall pool used up, then the trade's pool
        (QuotaClosed, QuotaExhausted(overall=True), QuotaExhausted naming `trade_name`)."""
        if self.accepting:
            return None
        if self.shut:
            return QuotaClosed(reopens_at=self.reopens_at)
        if self.overall_remaining <= 0:
            return QuotaExhausted(pool_name=str(_("Overall quota")), overall=True)
        return QuotaExhausted(pool_name=trade_name, overall=False)


CLOSED = Availability(trade_remaining=0, overall_remaining=0, accepting=False, shut=True)


def trade_pools(*, now: datetime.datetime) -> QuotaPoolQuerySet:
    """Trade pools with their overall pool and the unexpired holds on both, in one query."""
    holds = Hold.objects.unexpired(now)
    # The annotations fill QuotaPool.held and overall_held (declared on the model).
    return (
        QuotaPool.objects.filter(trade__isnull=False)  # type: ignore[no-redef]
        .select_related("trade", "overall")
        .annotate(
            held=count_of(holds.filter(trade_pool=OuterRef("pk"))),
            overall_held=count_of(holds.filter(overall_pool=OuterRef("overall_id"))),
        )
    )


def _current_pool(
    pools: QuotaPoolQuerySet, *, trade_id: int, now: datetime.datetime
) -> QuotaPool | None:
    return pools.current_of_trades(timezone.localdate(now)).filter(trade_id=trade_id).first()


def assess(pool: QuotaPool | None, *, now: datetime.datetime) -> Availability:
    """What a trade pool from trade_pools() (and its overall pool) can give now."""
    if pool is None:
        return CLOSED
    overall = pool.overall
    today = timezone.localdate(now)
    if overall is None:  # a trade pool always has one (its constraint); closed otherwise
        return CLOSED
    trade_remaining = pool.remaining(held=pool.held, now=now)
    overall_remaining = overall.remaining(held=pool.overall_held, now=now)
    shut = not (
        pool.trade is not None
        and pool.trade.active
        and pool.covers(today)
        and overall.covers(today)
        and not pool.is_closed(now)
        and not overall.is_closed(now)
    )
    accepting = not shut and trade_remaining > 0 and overall_remaining > 0
    reopens_at = _reopening(pool, overall, now=now) if shut else None
    reopening_remaining = None
    if reopens_at is not None:
        reopening_remaining = min(
            pool.remaining(held=pool.held, now=reopens_at),
            overall.remaining(held=pool.overall_held, now=reopens_at),
        )
    return Availability(
        trade_remaining, overall_remaining, accepting, shut, reopens_at, reopening_remaining
    )


def _reopening(
    pool: QuotaPool, overall: QuotaPool, *, now: datetime.datetime
) -> datetime.datetime | None:
    """When the trade accepts again after a supervisor's closing: every closed pool of the two
    has a reopening scheduled that falls inside both periods; None otherwise (shut for another
    reason, or closed with no date)."""
    closed = [p for p in (pool, overall) if p.is_closed(now)]
    if not closed or any(p.reopens_at is None for p in closed):
        return None
    if pool.trade is None or not pool.trade.active:
        return None
    reopens_at = max(p.reopens_at for p in closed if p.reopens_at is not None)
    day = timezone.localdate(reopens_at)
    if not (pool.covers(day) and overall.covers(day)):
        return None
    return reopens_at


def _quota_trade_id(application: Application) -> int:
    if application.role != Application.Role.PRINCIPAL or application.trade_id is None:
        raise NotAQuotaApplication()
    return application.trade_id


def availability(*, trade: SkilledTrade) -> Availability:
    """Remaining places in the trade's current pool and the overall pool (one query, no lock)."""
    now = timezone.now()
    pool = _current_pool(trade_pools(now=now), trade_id=trade.pk, now=now)
    return assess(pool, now=now)


def displayed_availability(*, trade: SkilledTrade) -> Availability:
    """availability() as the public status board has it: from the cache, forgotten on every
    quota change and at most STATUS_CACHE_SECONDS old otherwise (no query while cached). For
    what a page shows only; decisions (a hold, a submission) use availability() or the locks."""
    from .status import status_board  # the board is built from this module's readers

    return status_board().by_trade.get(trade.pk, CLOSED)


def is_open(*, trade: SkilledTrade) -> bool:
    """False when either pool is used up, outside its period, or closed by a supervisor.

    The wizard calls this to suspend drafts of the trade, saved ones included.
    """
    return availability(trade=trade).accepting


def apply_due_reopening(pool: QuotaPool, *, now: datetime.datetime) -> None:
    """Make a scheduled reopening that has come take effect. Caller holds the pool's lock."""
    if not pool.reopening_due(now):
        return
    pool.closed = False
    pool.released_pending = 0
    pool.reopens_at = None
    pool.save(update_fields=["closed", "released_pending", "reopens_at"])
    QuotaChange.objects.create(
        pool=pool, action=QuotaChange.Action.REOPENING_APPLIED, changed_at=now
    )


def _apply_due_reopenings(pools: dict[int, QuotaPool], *, now: datetime.datetime) -> None:
    for pool in pools.values():
        apply_due_reopening(pool, now=now)


@dataclass(frozen=True)
class Standing:
    """What hotpath's statements found for one application (their verdict columns, by name)."""

    trade_pool: int
    overall_pool: int
    trade_left: int
    overall_left: int
    shut: bool
    allocation_id: int | None
    own_hold: bool

    @property
    def has_room(self) -> bool:
        return not self.shut and self.trade_left > 0 and self.overall_left > 0

    @property
    def pool_ids(self) -> tuple[int, int]:
        return (self.trade_pool, self.overall_pool)

    @property
    def availability(self) -> Availability:
        """The same verdict as availability() gives, for the one refusal()."""
        return Availability(self.trade_left, self.overall_left, self.has_room, self.shut)


STANDING_COLUMNS = tuple(field.name for field in fields(Standing))


def _standing(row: Row | None) -> Standing:
    if row is None:  # no current pool for the trade, or a pool row is gone
        raise QuotaClosed()
    return Standing(**{name: row[name] for name in STANDING_COLUMNS})


def _current_standing(application: Application, trade_id: int) -> Standing:
    """The trade's current pools, read without locks in one statement; QuotaClosed if none."""
    with connection.cursor() as cursor:
        cursor.execute(
            hotpath.CURRENT.execute_sql(),
            {"trade": trade_id, "application": application.pk, "time_zone": settings.TIME_ZONE},
        )
        return _standing(locks.named_row(cursor))


def _refusal(standing: Standing, application: Application) -> QuotaError:
    """Why the pools cannot take one more (Availability.refusal, with the application's trade)."""
    refusal = standing.availability.refusal(trade_name=str(application.trade))
    return refusal if refusal is not None else QuotaClosed()


def _params(application: Application, pool_ids: tuple[int, int]) -> dict[str, object]:
    return {
        "application": application.pk,
        "trade_pool": pool_ids[0],
        "overall_pool": pool_ids[1],
        "time_zone": settings.TIME_ZONE,
    }


def _hold_seconds(duration: datetime.timedelta | None) -> float:
    if duration is None:
        duration = datetime.timedelta(minutes=settings.QUOTA_HOLD_MINUTES)
    if duration < datetime.timedelta(0):
        raise ValueError("a hold cannot last a negative time")
    return duration.total_seconds()


def hold(*, application: Application, duration: datetime.timedelta | None = None) -> Hold:
    """Place, or renew, the application's hold on one slot of its trade pool and the overall pool.

    The hold lasts `duration` (by default QUOTA_HOLD_MINUTES): the payment window of the method
    the applicant chose. Idempotent per application: a second call moves the expiry `duration`
    from now.
    Raises NotAQuotaApplication (dependants use no quota), AlreadySecured, QuotaClosed,
    QuotaExhausted naming the pool without room, or QuotaBusy. Locks both pool rows for one
    statement and the commit.
    """
    trade_id = _quota_trade_id(application)
    standing = _current_standing(application, trade_id)
    if standing.allocation_id is not None:
        raise AlreadySecured()
    if not standing.has_room:  # unlocked: turns the crowd away once the quota is used up
        raise _refusal(standing, application)

    def decide(row: Row | None) -> Hold:
        locked = _standing(row)
        if locked.allocation_id is not None:
            raise AlreadySecured()
        assert row is not None  # _standing raised otherwise
        if row["hold_id"] is None:
            raise _refusal(locked, application)
        return Hold(
            pk=row["hold_id"],
            application_id=application.pk,
            trade_pool_id=locked.trade_pool,
            overall_pool_id=locked.overall_pool,
            created_at=row["hold_created_at"],
            expires_at=row["hold_expires_at"],
        )

    params = {
        **_params(application, standing.pool_ids),
        "hold_seconds": _hold_seconds(duration),
    }
    # A hold lost in a server crash is harmless (secure() allocates without it while there is
    # room), so hold() does not wait for the disk at all.
    return locks.run_locked_statement(
        standing.pool_ids, hotpath.HOLD.execute_sql(), params, decide, wait_for_flush=False
    )


def secure(*, application: Application) -> Allocation:
    """Turn the application's hold into an allocation (its secured slot).

    With an unexpired hold the slot is already reserved. With an expired or missing hold it
    allocates only if both current pools still have room, else raises QuotaExhausted (or
    QuotaClosed) and leaves nothing behind. Idempotent: a second call returns the same
    allocation. Raises QuotaBusy when the locks stay taken. Locks both pool rows for one
    statement and the commit.
    """
    trade_id = _quota_trade_id(application)
    try:
        standing: Standing | None = _current_standing(application, trade_id)
    except QuotaClosed:
        standing = None
    if standing is not None and standing.allocation_id is not None:
        return Allocation.objects.get(pk=standing.allocation_id)
    if standing is not None and standing.own_hold:
        pool_ids = standing.pool_ids
    else:
        held = Hold.objects.unexpired(timezone.now()).filter(application_id=application.pk).first()
        if held is not None:  # a hold placed in another period still stands
            pool_ids = (held.trade_pool_id, held.overall_pool_id)
        elif standing is None:
            existing = Allocation.objects.filter(application_id=application.pk).first()
            if existing is not None:
                return existing
            raise QuotaClosed()
        elif not standing.has_room:  # unlocked: turns the crowd away once used up
            raise _refusal(standing, application)
        else:
            pool_ids = standing.pool_ids

    def decide(row: Row | None) -> Allocation:
        locked = _standing(row)
        if locked.allocation_id is not None:
            return Allocation.objects.get(pk=locked.allocation_id)
        assert row is not None  # _standing raised otherwise
        if row["new_allocation_id"] is None:
            raise _refusal(locked, application)
        return Allocation(
            pk=row["new_allocation_id"],
            application_id=application.pk,
            trade_pool_id=locked.trade_pool,
            overall_pool_id=locked.overall_pool,
            allocated_at=row["allocated_at"],
        )

    params = _params(application, pool_ids)
    return locks.run_locked_statement(pool_ids, hotpath.SECURE.execute_sql(), params, decide)


def release(*, application: Application, reason: str) -> Allocation:
    """Free the application's secured slot (refused or withdrawn). Idempotent.

    The slot still counts as used until the pool's next reopening takes effect (a time a
    supervisor sets). Raises InvalidQuotaChange for an unknown reason, NotSecured when there is
    no allocation, QuotaBusy. Locks both pool rows briefly.
    """
    if reason not in Allocation.ReleaseReason.values:
        raise InvalidQuotaChange()
    allocation = Allocation.objects.filter(application_id=application.pk).first()
    if allocation is None:
        raise NotSecured()
    if allocation.is_released:
        return allocation

    def work(locked: dict[int, QuotaPool]) -> Allocation:
        now = timezone.now()
        _apply_due_reopenings(locked, now=now)
        current = Allocation.objects.get(pk=allocation.pk)
        if current.is_released:
            return current
        current.released_at = now
        current.release_reason = reason
        current.save(update_fields=["released_at", "release_reason"])
        QuotaPool.objects.filter(pk__in=locked).update(
            allocated=F("allocated") - 1, released_pending=F("released_pending") + 1
        )
        return current

    return locks.run_locked([allocation.trade_pool_id, allocation.overall_pool_id], work)


def release_hold(*, application: Application) -> bool:
    """Delete the application's hold, if any (its payment failed or was cancelled); True when
    there was one. Idempotent. Needs no pool lock: a hold only ever takes places away, so
    removing one can make no pool oversold, and the counters do not count holds."""
    deleted, _by_model = Hold.objects.filter(application_id=application.pk).delete()
    if deleted:
        status_cache.forget_on_commit()
    return deleted > 0


def delete_expired_holds() -> int:
    """Delete holds past their expiry; returns how many. Needs no lock: reads ignore them already,
    and a hold renewed meanwhile no longer matches the condition when PostgreSQL re-checks it."""
    deleted, _by_model = Hold.objects.expired(timezone.now()).delete()
    if deleted:
        status_cache.forget_on_commit()
    return deleted
