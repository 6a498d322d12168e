"""A stalled beat is visible: each beat-sent task records its runs, and /readyz names the
periodic tasks whose success is overdue (without taking the web process out of rotation)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from immapp.celery import app
from immapp.models import PeriodicTaskRun
from immapp.periodic import HEADER, overdue_names, periodic_states
from quota.tasks import delete_expired_holds_task

pytestmark = pytest.mark.django_db

HOLDS = "quota-delete-expired-holds"  # every 60 seconds
PURGE = "applications-purge-abandoned-drafts"  # every day


@app.task(name="tests.immapp.failing_periodic_task")
def failing_periodic_task() -> None:
    raise RuntimeError("the sweep broke")


def _all_succeeded(at) -> None:
    PeriodicTaskRun.objects.all().delete()
    PeriodicTaskRun.objects.bulk_create(
        PeriodicTaskRun(name=name, watched_since=at, last_succeeded_at=at)
        for name in settings.CELERY_BEAT_SCHEDULE
    )


def test_migrating_watches_every_entry_of_the_schedule():
    assert set(PeriodicTaskRun.objects.values_list("name", flat=True)) == set(
        settings.CELERY_BEAT_SCHEDULE
    )


def test_a_task_sent_by_beat_records_its_start_and_success():
    before = timezone.now()
    delete_expired_holds_task.apply(headers={HEADER: HOLDS})
    run = PeriodicTaskRun.objects.get(name=HOLDS)
    assert before <= run.last_started_at <= run.last_succeeded_at
    assert run.last_failed_at is None


def test_the_same_task_queued_by_other_code_is_not_a_run_of_beat():
    delete_expired_holds_task.apply()
    assert PeriodicTaskRun.objects.get(name=HOLDS).last_started_at is None


def test_a_failing_periodic_task_records_its_failure_not_a_success():
    failing_periodic_task.apply(headers={HEADER: "tests-failing"}, throw=False)
    run = PeriodicTaskRun.objects.get(name="tests-failing")
    assert run.last_failed_at is not None and run.last_succeeded_at is None


def test_an_entry_is_overdue_one_period_and_the_grace_after_its_last_success(settings):
    settings.PERIODIC_TASK_GRACE_SECONDS = 300
    now = timezone.now()
    _all_succeeded(now)
    assert overdue_names(now=now + timedelta(seconds=329)) == []
    reopenings = "quota-apply-due-reopenings"  # every 30 seconds
    assert overdue_names(now=now + timedelta(seconds=331)) == [reopenings]
    every_minute = sorted(
        name
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if float(entry["schedule"]) <= 60
    )
    assert HOLDS in every_minute and "payments-reconcile" in every_minute
    assert overdue_names(now=now + timedelta(seconds=361)) == every_minute
    # The daily purge only after a day and the grace.
    later = now + timedelta(days=1, seconds=301)
    assert PURGE in overdue_names(now=later)
    state = next(s for s in periodic_states(now=now) if s.name == PURGE)
    assert state.due_by == now + timedelta(days=1, seconds=300) and not state.overdue


def test_an_entry_that_never_ran_is_overdue_counting_from_when_it_was_watched():
    now = timezone.now()
    _all_succeeded(now)
    PeriodicTaskRun.objects.filter(name=HOLDS).update(
        watched_since=now - timedelta(minutes=10), last_succeeded_at=None
    )
    assert overdue_names(now=now) == [HOLDS]
    PeriodicTaskRun.objects.filter(name=HOLDS).delete()  # never watched: overdue as well
    assert overdue_names(now=now) == [HOLDS]


def test_readyz_names_the_overdue_tasks_and_stays_ready(client, settings):
    now = timezone.now()
    _all_succeeded(now)
    body = client.get("/readyz").json()
    assert body["checks"]["periodic_tasks"] == "ok" and "overdue" not in body
    # Beat stopped eight minutes ago: the sweeps of every minute or less are overdue (one period
    # and five minutes' grace), the five-minute, hourly and daily ones not yet.
    _all_succeeded(now - timedelta(minutes=8))
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["checks"]["periodic_tasks"] == "overdue"
    every_minute = sorted(
        name
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if float(entry["schedule"]) <= 60
    )
    assert HOLDS in every_minute
    assert body["overdue"] == every_minute
