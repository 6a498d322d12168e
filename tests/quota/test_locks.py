"""The lock SQL, and what happens when the rows stay locked."""

import re
import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from quota import locks, services
from quota.exceptions import QuotaBusy
from quota.models import Allocation, QuotaPool


def _lock_statements(queries) -> list[str]:
    return [query["sql"] for query in queries if "FOR UPDATE" in query["sql"]]


LOCK_STATEMENT = re.compile(
    r"SELECT set_config\('lock_timeout', '3s', true\);\s*"
    r"SELECT id FROM quota_quotapool WHERE id = ANY\('\{(\d+),(\d+)\}'[^)]*\) "
    r"ORDER BY id FOR UPDATE"
)


@pytest.mark.django_db
@pytest.mark.parametrize("service", ["hold", "secure"])
def test_both_pool_rows_are_locked_in_primary_key_order_under_a_lock_timeout(make_quota, service):
    setup = make_quota(overall=10, trades=(5,))
    (applicant,) = setup.principals(1)

    with CaptureQueriesContext(connection) as captured:
        getattr(services, service)(application=applicant)

    (lock_sql,) = _lock_statements(captured.captured_queries)
    found = LOCK_STATEMENT.search(lock_sql)
    assert found, lock_sql[:300]
    assert [int(pk) for pk in found.groups()] == sorted([setup.overall.pk, setup.pools[0].pk])
    # The work runs after the lock in the same round trip: nothing else is locked.
    rest = lock_sql[found.end() :]
    assert "FOR UPDATE" not in rest and "FOR SHARE" not in rest
    assert rest.lstrip(";\n ").startswith("EXECUTE quota_" + service + "(")


@pytest.mark.django_db
def test_the_lock_order_is_by_primary_key_whatever_order_is_asked(make_quota):
    setup = make_quota(overall=10, trades=(5,))
    ids = [setup.pools[0].pk, setup.overall.pk]

    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        locked = locks.lock_pools(reversed(ids))

    assert sorted(locked) == sorted(ids)
    (lock_sql,) = _lock_statements(captured.captured_queries)
    assert [int(pk) for pk in LOCK_STATEMENT.search(lock_sql).groups()] == sorted(ids)


@pytest.mark.django_db
def test_supervisor_changes_take_the_same_lock(make_quota, staff):
    from quota import supervision

    setup = make_quota(overall=10, trades=(5,))

    with CaptureQueriesContext(connection) as captured:
        supervision.set_closed(pool_id=setup.pools[0].pk, closed=True, by=staff("supervisor"))

    (lock_sql,) = _lock_statements(captured.captured_queries)
    assert "ORDER BY id FOR UPDATE" in lock_sql and "ANY('{" + str(setup.pools[0].pk) in lock_sql


@pytest.mark.django_db(transaction=True)
def test_a_lock_held_elsewhere_ends_in_service_busy_and_changes_nothing(make_quota, monkeypatch):
    monkeypatch.setattr(locks, "LOCK_TIMEOUT", "100ms")
    monkeypatch.setattr(locks, "RETRY_PAUSE_SECONDS", (0.0, 0.01))
    setup = make_quota(overall=10, trades=(5,))
    (applicant,) = setup.principals(1)
    locked, done = threading.Event(), threading.Event()

    def hold_the_overall_row() -> None:
        try:
            with transaction.atomic():
                list(QuotaPool.objects.select_for_update().filter(pk=setup.overall.pk).order_by())
                locked.set()
                done.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_overall_row)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        with pytest.raises(QuotaBusy) as raised:
            services.secure(application=applicant)
    finally:
        done.set()
        holder.join()

    assert str(raised.value.message) == "The service is busy, please try again."
    assert not Allocation.objects.exists()
    assert services.secure(application=applicant).application == applicant


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_lock_work_and_commit_go_in_one_message(make_quota):
    setup = make_quota(overall=10, trades=(5,))
    (applicant,) = setup.principals(1)

    with CaptureQueriesContext(connection) as captured:
        services.hold(application=applicant)
        services.secure(application=applicant)

    hold_sql, secure_sql = _lock_statements(captured.captured_queries)
    for sql in (hold_sql, secure_sql):
        assert sql.startswith("BEGIN;")
        assert "set_config('synchronous_commit', 'off', true)" in sql
        assert LOCK_STATEMENT.search(sql)
    # The hold does not wait for the disk; the allocation is durable when secure() returns,
    # through a synchronous commit after the locked transaction's own.
    assert hold_sql.rstrip().endswith("COMMIT")
    assert secure_sql.rstrip().endswith("COMMIT;\nSELECT pg_current_xact_id()")
    assert Allocation.objects.filter(application=applicant).count() == 1
