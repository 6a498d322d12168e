"""The periodic tasks' last runs, and which of them are overdue: a stalled beat made visible.

settings.CELERY_BEAT_SCHEDULE is the source of the periodic tasks (immapp.beat copies it into
django-celery-beat's tables, where supervisors see it in the admin). Beat sends each task with
its entry's name in the `periodic_task_name` header; Celery's task signals below record, in
PeriodicTaskRun, when a worker started it and when it last succeeded or failed. Nothing else
writes those rows, so a task queued by other code (not by beat) does not count as a run.

An entry is overdue when its next success was due (one period after its last success, or after
it was first watched when it never succeeded) more than settings.PERIODIC_TASK_GRACE_SECONDS
ago: beat is stalled or not running, no worker takes the queue, or the task keeps failing.
/readyz (immapp.health) and the admin's list of periodic task runs say so.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from celery import signals
from celery.schedules import maybe_schedule
from django.conf import settings
from django.utils import timezone

from .models import PeriodicTaskRun

logger = logging.getLogger(__name__)

HEADER = "periodic_task_name"


@dataclass(frozen=True)
class PeriodicState:
    """One schedule entry as the health check sees it."""

    name: str
    last_succeeded_at: datetime | None
    due_by: datetime  # the latest time of its next success, grace included
    overdue: bool


def watch_schedule(*, names: Iterable[str], now: datetime) -> None:
    """Give each named entry its PeriodicTaskRun row, watched from `now`; existing rows are
    kept as they are. Idempotent."""
    rows = [PeriodicTaskRun(name=name, watched_since=now) for name in names]
    PeriodicTaskRun.objects.bulk_create(rows, ignore_conflicts=True)


def watch_schedule_after_migrate(**_kwargs: Any) -> None:
    """post_migrate: every deployment migrates, so each entry is watched from its first one."""
    watch_schedule(names=settings.CELERY_BEAT_SCHEDULE, now=timezone.now())


def _entry_name(task: Any) -> str | None:
    request = task.request
    # A worker puts custom message headers on the request itself; an eager call keeps them in
    # request.headers.
    name = getattr(request, HEADER, None) or (request.headers or {}).get(HEADER)
    return name if isinstance(name, str) and name else None


def record_run(*, name: str, field: str, at: datetime) -> None:
    """Set one of the `last_*_at` fields of the entry's row, creating the row if needed (one
    statement: an upsert on the unique name, safe with several workers)."""
    row = PeriodicTaskRun(name=name, watched_since=at, **{field: at})
    PeriodicTaskRun.objects.bulk_create(
        [row], update_conflicts=True, unique_fields=["name"], update_fields=[field]
    )


def _recorder(field: str) -> Any:
    def receiver(sender: Any = None, **_kwargs: Any) -> None:
        name = _entry_name(sender) if sender is not None else None
        if name is not None:
            record_run(name=name, field=field, at=timezone.now())

    return receiver


_ON_START = _recorder("last_started_at")
_ON_SUCCESS = _recorder("last_succeeded_at")
_ON_FAILURE = _recorder("last_failed_at")


def connect_signals() -> None:
    """Record the runs of beat's tasks. Celery logs, and does not raise, a receiver's error, so
    a database problem here never fails the task itself."""
    signals.task_prerun.connect(_ON_START, weak=False, dispatch_uid="immapp.periodic.start")
    signals.task_success.connect(_ON_SUCCESS, weak=False, dispatch_uid="immapp.periodic.ok")
    signals.task_failure.connect(_ON_FAILURE, weak=False, dispatch_uid="immapp.periodic.fail")


def _next_due(entry: dict[str, Any], since: datetime, now: datetime) -> datetime:
    """When the entry's schedule makes it due next after a run at `since`."""
    schedule = maybe_schedule(entry["schedule"])
    schedule.nowfun = lambda: now  # both interval and crontab schedules read "now" from it
    return now + schedule.remaining_estimate(since)


def state_of(run: PeriodicTaskRun, *, now: datetime) -> PeriodicState | None:
    """The state of the entry of this row; None when settings no longer schedule it. No query."""
    entry = settings.CELERY_BEAT_SCHEDULE.get(run.name)
    if entry is None:
        return None
    grace = timedelta(seconds=settings.PERIODIC_TASK_GRACE_SECONDS)
    since = run.last_succeeded_at or run.watched_since
    due_by = _next_due(entry, since, now) + grace
    return PeriodicState(run.name, run.last_succeeded_at, due_by, now > due_by)


def periodic_states(*, now: datetime | None = None) -> list[PeriodicState]:
    """Every entry of settings.CELERY_BEAT_SCHEDULE, in name order, with whether it is overdue.
    An entry without a row (never watched: the deployment did not migrate) is overdue. One
    query."""
    now = now or timezone.now()
    names = sorted(settings.CELERY_BEAT_SCHEDULE)
    rows = {row.name: row for row in PeriodicTaskRun.objects.filter(name__in=names)}
    states = []
    for name in names:
        state = state_of(rows[name], now=now) if name in rows else None
        states.append(state or PeriodicState(name, None, now, True))
    return states


def overdue_names(*, now: datetime | None = None) -> list[str]:
    return [state.name for state in periodic_states(now=now) if state.overdue]
