"""The single place that takes quota row locks.

Every writer of pools, holds and allocations runs its work through `run_locked()` or
`run_locked_statement()`: one transaction, the pool rows locked with SELECT ... FOR UPDATE in
primary-key order (so two callers never wait on each other in opposite orders: no deadlock),
under a short lock timeout. These locks come last in the project's lock order (payment attempt,
then application group, then quota pools), written once in applications.services.groups.
A timeout (or a deadlock reported by PostgreSQL, which the fixed order should make impossible)
rolls the transaction back; the whole unit of work is retried a few times with a small random
pause and then surfaces as QuotaBusy: never a 500. Callers keep the work short: no network,
files or email while the rows are locked. Each unit of work that completes makes the public
quota status forgotten once its transaction commits (quota.status_cache).
"""

import random
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.db import OperationalError, connection, transaction
from psycopg import errors as pg_errors

from . import status_cache
from .exceptions import QuotaBusy
from .models import QuotaPool

T = TypeVar("T")
# A statement's row, read by column name (never by position).
Row = Mapping[str, Any]

LOCK_TIMEOUT = "3s"
ATTEMPTS = 3
RETRY_PAUSE_SECONDS = (0.05, 0.25)
RETRYABLE = (pg_errors.LockNotAvailable, pg_errors.DeadlockDetected)

# Called with the PostgreSQL error (LockNotAvailable or DeadlockDetected) each time a unit of
# work is rolled back for it (then retried, or after the last attempt turned into QuotaBusy),
# so what callers never see stays visible to tests and monitoring. Listeners run in the
# failing thread and must be quick.
retry_listeners: list[Callable[[BaseException], None]] = []


# One statement takes every quota row lock: the pool rows, in primary-key order.
LOCK = (
    "SELECT set_config('lock_timeout', %(lock_timeout)s, true);\n"
    "SELECT id FROM quota_quotapool WHERE id = ANY(%(lock_ids)s) ORDER BY id FOR UPDATE"
)


def _lock_params(pool_ids: Iterable[int]) -> dict[str, Any]:
    return {"lock_timeout": LOCK_TIMEOUT, "lock_ids": sorted(set(pool_ids))}


def lock_pools(pool_ids: Iterable[int]) -> dict[int, QuotaPool]:
    """Lock the given pool rows in primary-key order and return them fresh, by id.

    Must run inside a transaction (run_locked opens it). Read after the lock is granted, the
    rows carry the counters the previous holder committed.
    """
    params = _lock_params(pool_ids)
    with connection.cursor() as cursor:
        cursor.execute(LOCK, params)
    return QuotaPool.objects.in_bulk(params["lock_ids"])


def named_row(cursor: Any) -> Row | None:
    """The cursor's next row as a mapping of column name to value, or None."""
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip((column.name for column in cursor.description), row, strict=True))


def locked_statement(pool_ids: Iterable[int], statement: str, params: dict[str, Any]) -> Row | None:
    """Lock the pool rows and run `statement` in the same round trip; return its first row.

    The statement runs after the lock is granted, with a snapshot of its own, so it sees what
    the previous holder committed. Must run inside a transaction (run_locked opens it).
    """
    with connection.cursor() as cursor:
        cursor.execute(LOCK + ";\n" + statement, {**params, **_lock_params(pool_ids)})
        cursor.nextset()  # the lock's rows
        cursor.nextset()  # the statement's rows
        return named_row(cursor)


# The commit inside the locked transaction never waits for the disk: the rows are unlocked as
# soon as it is written. When the caller needs durability, a second tiny transaction in the
# same message commits synchronously; WAL is flushed in order, so once it returns the locked
# transaction is on disk too, and the wait for the disk happened with no row locked (and shared
# with every other backend flushing at the same time). Others may see the locked transaction's
# rows before they are durable; after a crash they would just find the quota less used.
_ASYNC_COMMIT = "SELECT set_config('synchronous_commit', 'off', true)"
_FLUSH = "SELECT pg_current_xact_id()"


def in_one_message(
    pool_ids: Iterable[int],
    statement: str,
    params: dict[str, Any],
    *,
    wait_for_flush: bool = True,
) -> Row | None:
    """Outside any transaction: BEGIN, the lock, `statement` and COMMIT sent as one message.

    The rows then stay locked only while PostgreSQL runs the statement and writes the commit,
    never while this process waits for a CPU to send the next command, nor while the disk
    flushes. With `wait_for_flush`, it returns only once the transaction is durable; without,
    for writes a server crash may lose without harm (a hold), it does not wait for the disk.
    Returns the statement's first row. On an error PostgreSQL skips the rest of the message;
    the transaction is rolled back here.
    """
    message = ["BEGIN", _ASYNC_COMMIT, LOCK, statement, "COMMIT"]
    if wait_for_flush:
        message.append(_FLUSH)
    with connection.cursor() as cursor:
        try:
            cursor.execute(";\n".join(message), {**params, **_lock_params(pool_ids)})
        except Exception:
            cursor.execute("ROLLBACK")
            raise
        for _result in ("BEGIN", "synchronous_commit", "lock_timeout", "lock"):
            cursor.nextset()
        return named_row(cursor)


def _retrying(unit: Callable[[], T], *, atomic: bool = True) -> T:
    """Run `unit` (in a transaction when `atomic`); a lock timeout or deadlock retries it a
    few times, then QuotaBusy.

    Called inside a caller's transaction (the admin's, or one that also marks an application
    submitted), it runs in a savepoint and the locks last until that transaction ends: the
    caller keeps it short. Anything `unit` raises rolls it back and propagates.
    """
    for attempt in range(1, ATTEMPTS + 1):
        try:
            if not atomic:
                done = unit()
            else:
                with transaction.atomic():
                    done = unit()
            status_cache.forget_on_commit()  # the outermost commit (now, outside any)
            return done
        except OperationalError as exc:
            if not isinstance(exc.__cause__, RETRYABLE):
                raise
            for listener in retry_listeners:
                listener(exc.__cause__)
            if attempt == ATTEMPTS:
                raise QuotaBusy() from exc
            time.sleep(random.uniform(*RETRY_PAUSE_SECONDS))  # noqa: S311 - jitter, not secrecy
    raise AssertionError("unreachable")  # pragma: no cover


def run_locked(pool_ids: Iterable[int], work: Callable[[dict[int, QuotaPool]], T]) -> T:
    """Run `work(pools)` with the pool rows locked (supervisors' changes, releases)."""
    return _retrying(lambda: work(lock_pools(pool_ids)))


def run_locked_statement(
    pool_ids: Iterable[int],
    statement: str,
    params: dict[str, Any],
    decide: Callable[[Row | None], T],
    *,
    wait_for_flush: bool = True,
) -> T:
    """Lock the pool rows, run `statement` in the same round trip, then `decide(row)` (hold and
    secure). The statement must write nothing when `decide` is going to refuse: outside a
    transaction, the whole transaction is one message and has committed when `decide` runs.
    Inside a caller's transaction, `wait_for_flush` is left to that transaction."""
    if connection.in_atomic_block:
        return _retrying(lambda: decide(locked_statement(pool_ids, statement, params)))
    return _retrying(
        lambda: decide(in_one_message(pool_ids, statement, params, wait_for_flush=wait_for_flush)),
        atomic=False,
    )
