"""Celery beat as `make run` starts it, on a fresh clone: it starts, takes its schedule from the
settings into the database, and sends the periodic tasks, whose runs are recorded.

The worker (with beat) runs as `make run` runs it, in a process of its own on this test run's
database and on the Redis database of REDIS_URL, so its queue is no other run's.
"""

import os
import subprocess
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

import devstack.__main__ as devstack
from immapp.models import PeriodicTaskRun

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 60


def _test_database_url() -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return parts._replace(path="/" + connection.settings_dict["NAME"]).geturl()


def _redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.fail("REDIS_URL is not set: run the tests through `python -m devstack test`")
    return url


def _run_until(command: list[str], log: Path, done: Callable[[str], bool], *, linger: float) -> str:
    """Run `command` until done(its log) holds, then `linger` seconds more; return the log as it
    was then (what the shutdown writes after is not what is tested)."""
    env = dict(os.environ, DATABASE_URL=_test_database_url(), REDIS_URL=_redis_url())
    env["DEBUG"] = "true"
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + START_SECONDS
        while not done(log.read_text()) and time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            time.sleep(0.3)
        assert done(log.read_text()), log.read_text()
        time.sleep(linger)
        output = log.read_text()
        assert process.poll() is None, output
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    return output


def _recorded(name: str) -> bool:
    return PeriodicTaskRun.objects.filter(name=name, last_succeeded_at__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
def test_make_runs_beat_starts_on_a_fresh_clone_and_its_tasks_run(tmp_path, monkeypatch):
    # A fresh clone: no .data/ folder yet.
    monkeypatch.setattr(devstack, "DATA", tmp_path / "clone" / ".data")
    every = IntervalSchedule.objects.create(every=30, period=IntervalSchedule.SECONDS)
    # An entry last sent an hour ago is due at once; one the settings no longer name must stop.
    due = "quota-apply-due-reopenings"
    an_hour_ago = timezone.now() - timedelta(hours=1)
    PeriodicTask.objects.create(
        name=due,
        task=settings.CELERY_BEAT_SCHEDULE[due]["task"],
        interval=every,
        last_run_at=an_hour_ago,
    )
    PeriodicTask.objects.create(
        name="removed-from-settings", task="quota.tasks.delete_expired_holds_task", interval=every
    )
    output = _run_until(
        devstack.worker_command(),
        tmp_path / "worker.log",
        lambda log: "beat: Starting" in log and _recorded(due),
        linger=2,
    )
    assert "Traceback" not in output, output
    assert "Error" not in output, output
    # The settings' schedule is the database's, the removed entry disabled.
    enabled = set(PeriodicTask.objects.filter(enabled=True).values_list("name", flat=True))
    assert enabled == set(settings.CELERY_BEAT_SCHEDULE)
    assert PeriodicTask.objects.get(name=due).interval.every == 30
    assert PeriodicTask.objects.get(name="removed-from-settings").enabled is False
    run = PeriodicTaskRun.objects.get(name=due)
    assert run.last_started_at is not None and run.last_started_at <= run.last_succeeded_at
