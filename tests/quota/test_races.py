"""Races on PostgreSQL with real threads, each on its own connection: never oversold."""

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from psycopg import errors as pg_errors

from quota import locks, services
from quota.exceptions import QuotaExhausted
from quota.models import Allocation, Hold, QuotaPool

# Threads run at once, each on its own connection. PostgreSQL here allows max_connections=100
# (3 reserved for superusers); 80 leaves room for pytest's own connection and for the other
# test runs sharing the server, while 200 calls from 80 threads still pile up on the two rows.
WORKERS = 80


def _deadlocks() -> int:
    """PostgreSQL's count of deadlocks detected in the test database so far."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def _wait_for_workers_to_exit(timeout: float = 10.0) -> None:
    """Wait until the workers' backends are gone: a backend reports its counters (deadlocks
    among them) when it exits, a moment after leaving pg_stat_activity."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                break
            time.sleep(0.05)
    time.sleep(0.3)


def _race(call, applications) -> Counter:
    """Run call(application=...) for every application from WORKERS threads released together.

    Also fails if a deadlock happened, which locks.py would otherwise retry out of sight: none
    may reach its retry loop, and PostgreSQL's own count for the database must not move.
    """
    deadlocks_before = _deadlocks()
    retried: list[BaseException] = []
    locks.retry_listeners.append(retried.append)
    start = threading.Barrier(min(WORKERS, len(applications)))
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def attempt(index_and_application) -> None:
        index, application = index_and_application
        if index < WORKERS:
            start.wait(timeout=30)
        try:
            call(application=application)
            outcome = "ok"
        except QuotaExhausted:
            outcome = "exhausted"
        except Exception as exc:  # any other error fails the test below, with its name
            outcome = type(exc).__name__ + ": " + str(exc)
        finally:
            connection.close()
        with lock:
            outcomes[outcome] += 1

    try:
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            list(pool.map(attempt, enumerate(applications)))
    finally:
        locks.retry_listeners.remove(retried.append)
    assert [e for e in retried if isinstance(e, pg_errors.DeadlockDetected)] == []
    _wait_for_workers_to_exit()
    assert _deadlocks() - deadlocks_before == 0
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_200_concurrent_secures_on_50_slots_give_exactly_50_allocations(make_quota):
    setup = make_quota(overall=10_000, trades=(50,))
    applications = setup.principals(200)

    outcomes = _race(services.secure, applications)

    assert outcomes == Counter(ok=50, exhausted=150)
    assert Allocation.objects.filter(trade_pool=setup.pools[0]).count() == 50
    pool = QuotaPool.objects.get(pk=setup.pools[0].pk)
    assert pool.allocated == 50
    assert QuotaPool.objects.get(pk=setup.overall.pk).allocated == 50


@pytest.mark.django_db(transaction=True)
def test_an_overall_pool_smaller_than_its_trades_is_never_oversold(make_quota):
    setup = make_quota(overall=30, trades=(20, 20))
    applications = [
        application
        for pair in zip(
            setup.principals(40, trade_index=0), setup.principals(40, trade_index=1), strict=True
        )
        for application in pair
    ]

    outcomes = _race(services.secure, applications)

    assert outcomes == Counter(ok=30, exhausted=50)
    assert Allocation.objects.count() == 30
    per_trade = [Allocation.objects.filter(trade_pool=pool).count() for pool in setup.pools]
    assert all(count <= 20 for count in per_trade) and sum(per_trade) == 30
    assert QuotaPool.objects.get(pk=setup.overall.pk).allocated == 30


@pytest.mark.django_db(transaction=True)
def test_concurrent_holds_never_exceed_the_pool(make_quota):
    setup = make_quota(overall=10_000, trades=(25,))
    applications = setup.principals(100)

    outcomes = _race(services.hold, applications)

    assert outcomes == Counter(ok=25, exhausted=75)
    assert Hold.objects.count() == 25
