"""Celery beat as `make run` starts it, on a fresh clone: it starts and sends the periodic tasks.

The worker (with beat) runs as `make run` runs it, in a process of its own on this test run's
database and on the Redis database of REDIS_URL, so its queue is no other run's.
"""

import os
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection

import devstack.__main__ as devstack

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


def _run_until(command: list[str], log: Path, done: str, *, linger: float) -> str:
    """Run `command` until its log shows `done`, then `linger` seconds more; return the log."""
    env = dict(os.environ, DATABASE_URL=_test_database_url(), REDIS_URL=_redis_url())
    env["DEBUG"] = "true"
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + START_SECONDS
        while done not in log.read_text() and time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            time.sleep(0.2)
        assert done in log.read_text(), log.read_text()
        time.sleep(linger)
        assert process.poll() is None, log.read_text()
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    return log.read_text()


@pytest.mark.django_db(transaction=True)
def test_make_runs_beat_starts_on_a_fresh_clone(tmp_path, monkeypatch):
    # A fresh clone: no .data/ folder yet.
    monkeypatch.setattr(devstack, "DATA", tmp_path / "clone" / ".data")
    output = _run_until(
        devstack.worker_command(), tmp_path / "worker.log", "beat: Starting", linger=5
    )
    assert "Traceback" not in output, output
    assert "Error" not in output, output
