"""The lock SQL, and what happens when the rows stay locked."""

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from quota import locks, services
from quota.exceptions import QuotaBusy
from quota.models import Allocation, QuotaPool


def _lock_statements(queries) -> list[str]:
    return [query["sql"] for query in queries if "FOR UPDATE" in query["sql"]]


@pytest.mark.django_db
@pytest.mark.parametrize("service", ["hold", "secure"])
def test_both_pool_rows_are_locked_in_primary_key_order_under_a_lock_timeout(make_quota, service):
    setup = make_quota(overall=10, trades=(5,))
    (applicant,) = setup.principals(1)

    with CaptureQueriesContext(connection) as captured:
        getattr(services, service)(application=applicant)

    sql = [query["sql"] for query in captured.captured_queries]
    (lock_sql,) = _lock_statements(captured.captured_queries)
    assert 'FROM "quota_quotapool"' in lock_sql
    assert lock_sql.endswith('ORDER BY "quota_quotapool"."id" ASC FOR UPDATE OF "quota_quotapool"')
    low, high = sorted([setup.overall.pk, setup.pools[0].pk])
    assert "IN (" + str(low) + ", " + str(high) + ")" in lock_sql
    timeout_at = next(i for i, s in enumerate(sql) if "set_config('lock_timeout'" in s)
    assert "'3s'" in sql[timeout_at]
    assert timeout_at < sql.index(lock_sql)


@pytest.mark.django_db
def test_the_lock_order_is_by_primary_key_whatever_order_is_asked(make_quota):
    setup = make_quota(overall=10, trades=(5,))
    ids = [setup.pools[0].pk, setup.overall.pk]

    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        locked = locks.lock_pools(reversed(ids))

    assert list(locked) == sorted(ids)
    (lock_sql,) = _lock_statements(captured.captured_queries)
    assert "IN (" + ", ".join(str(pk) for pk in sorted(ids)) + ")" in lock_sql


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
