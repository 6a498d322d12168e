"""The periodic sweeps, called as functions."""

import pytest

from quota import services
from quota.models import Hold
from quota.tasks import apply_due_reopenings_task, delete_expired_holds_task

pytestmark = pytest.mark.django_db


def test_the_sweep_deletes_expired_holds_only(make_quota, settings):
    setup = make_quota(overall=10, trades=(5,))
    expired, live = setup.principals(2)
    settings.QUOTA_HOLD_MINUTES = 0
    services.hold(application=expired)
    settings.QUOTA_HOLD_MINUTES = 30
    services.hold(application=live)

    assert delete_expired_holds_task() == 1
    assert delete_expired_holds_task() == 0
    assert list(Hold.objects.values_list("application", flat=True)) == [live.pk]


def test_reopenings_task_with_nothing_due_changes_nothing(make_quota):
    make_quota(overall=10, trades=(5,))
    assert apply_due_reopenings_task() == 0


def test_the_beat_schedule_runs_both_sweeps(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "quota.tasks.delete_expired_holds_task",
        "quota.tasks.apply_due_reopenings_task",
    } <= tasks
