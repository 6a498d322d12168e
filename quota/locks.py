"""The single place that takes quota row locks.

Every writer of pools, holds and allocations runs its work through `run_locked()`: one new
transaction, the pool rows locked with SELECT ... FOR UPDATE in primary-key order (so two
callers never wait on each other in opposite orders: no deadlock), under a short lock timeout.
A timeout (or a deadlock reported by PostgreSQL, which the fixed order should make impossible)
rolls the transaction back; the whole unit of work is retried a few times with a small random
pause and then surfaces as QuotaBusy: never a 500. Callers keep the work short: no network,
files or email while the rows are locked.
"""

import random
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db import OperationalError, connection, transaction
from psycopg import errors as pg_errors

from .exceptions import QuotaBusy
from .models import QuotaPool

T = TypeVar("T")

LOCK_TIMEOUT = "3s"
ATTEMPTS = 3
RETRY_PAUSE_SECONDS = (0.05, 0.25)
RETRYABLE = (pg_errors.LockNotAvailable, pg_errors.DeadlockDetected)


def lock_pools(pool_ids: Iterable[int]) -> dict[int, QuotaPool]:
    """Lock the given pool rows in primary-key order and return them fresh, by id.

    Must run inside a transaction (run_locked opens it). The rows come back as they are once
    the lock is granted, so the caller reads the counters the previous holder committed.
    """
    ids = sorted(set(pool_ids))
    with connection.cursor() as cursor:
        # SET LOCAL cannot take a bound parameter; set_config(..., true) is its function form.
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [LOCK_TIMEOUT])
    pools = QuotaPool.objects.filter(pk__in=ids).order_by("pk").select_for_update(of=("self",))
    return {pool.pk: pool for pool in pools}


def run_locked(pool_ids: Iterable[int], work: Callable[[dict[int, QuotaPool]], T]) -> T:
    """Run `work(pools)` in a transaction with the pool rows locked.

    Retries the whole unit when the lock is not granted in time; raises QuotaBusy after the
    last attempt. Anything `work` raises rolls it back and propagates. Called inside a caller's
    transaction (the admin's, or one that also marks an application submitted), it runs in a
    savepoint and the locks last until that transaction ends: the caller keeps it short.
    """
    ids = sorted(set(pool_ids))
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return work(lock_pools(ids))
        except OperationalError as exc:
            if not isinstance(exc.__cause__, RETRYABLE):
                raise
            if attempt == ATTEMPTS:
                raise QuotaBusy() from exc
            time.sleep(random.uniform(*RETRY_PAUSE_SECONDS))  # noqa: S311 - jitter, not secrecy
    raise AssertionError("unreachable")  # pragma: no cover
