"""The served stack for a benchmark: gunicorn (DEBUG off, Redis cache) and a real Celery worker,
both on a scratch database made for the run (bench/_scratch.py) and dropped afterwards.

    with served(workers=2, worker_threads=2, overload_ms=None) as stack:
        stack.port, stack.access_log ...

The web processes behave as behind a TLS-terminating proxy on 127.0.0.1 (TRUSTED_PROXIES): a
client sends X-Forwarded-Proto and X-Forwarded-For as that proxy would. With `overload_ms`, the
load shedder reads X-Request-Start and refuses what waited longer. The broker's queue (the Redis
database of REDIS_URL) is purged first, so no message of an earlier run reaches this one.
gunicorn's access log has one line per request: method, path, status and its duration in
microseconds from the worker reading it to the response's end (%(D)s).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(D)s"


@dataclass
class Stack:
    port: int
    env: dict[str, str]
    logs: Path
    access_log: Path
    database: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(name: str) -> str:
    from django.conf import settings

    database = settings.DATABASES["default"]
    host = database["HOST"] or "127.0.0.1"
    password = ":" + database["PASSWORD"] if database["PASSWORD"] else ""
    return (
        "postgres://"
        + database["USER"]
        + password
        + "@"
        + host
        + ":"
        + str(database["PORT"] or 5432)
        + "/"
        + name
    )


def stack_env(*, name: str, port: int, media: Path, overload_ms: int | None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(name),
        DEBUG="false",
        SECRET_KEY=env.get("SECRET_KEY") or "bench-only-secret-key-not-for-any-deployment",
        PAYMENT_SANDBOX_ALLOWED="true",
        PAYMENT_PROVIDER="sandbox",
        TRUSTED_PROXIES="127.0.0.1",
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="https://127.0.0.1:" + str(port),
        MEDIA_ROOT=str(media),
        EMAIL_URL="dummymail://",
        CELERY_TASK_ALWAYS_EAGER="false",
        LOG_LEVEL="WARNING",
    )
    if overload_ms is not None:
        env["OVERLOAD_REQUEST_START_HEADER"] = "X-Request-Start"
        env["OVERLOAD_MAX_QUEUE_MS"] = str(overload_ms)
    else:
        env.pop("OVERLOAD_REQUEST_START_HEADER", None)
    return env


def prepare_database(suffix: str) -> str:
    """A fresh, migrated scratch database; its name."""
    from _scratch import scratch_database
    from django.core.management import call_command

    name = scratch_database(suffix)
    call_command("migrate", "--noinput", verbosity=0)
    return name


def _wait_until_up(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited with " + str(process.returncode))
        with contextlib.suppress(OSError):
            urllib.request.urlopen("http://127.0.0.1:" + str(port) + "/healthz", timeout=2)
            return
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within " + str(seconds) + " s")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def served(
    *, name: str, workers: int, worker_threads: int, overload_ms: int | None = None
) -> Iterator[Stack]:
    """gunicorn with `workers` sync workers and a Celery worker of `worker_threads` threads on
    the scratch database `name` (made by prepare_database); both stopped on exit."""
    logs = Path(tempfile.mkdtemp(prefix="surge-"))
    port = free_port()
    env = stack_env(name=name, port=port, media=logs / "media", overload_ms=overload_ms)
    access_log = logs / "access.log"
    celery = [str(BIN / "celery"), "-A", "immapp"]
    # With DEBUG off the static files are served from the manifest: collected as served.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    subprocess.run(
        [*celery, "purge", "-f"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL
    )
    children: list[subprocess.Popen] = []
    try:
        with open(logs / "worker.log", "w") as worker_log:
            children.append(
                subprocess.Popen(
                    [
                        *celery,
                        "worker",
                        "--pool=threads",
                        "--concurrency=" + str(worker_threads),
                        "--loglevel=WARNING",
                        "--without-gossip",
                        "--without-mingle",
                    ],
                    env=env,
                    cwd=ROOT,
                    stdout=worker_log,
                    stderr=subprocess.STDOUT,
                )
            )
        with open(logs / "gunicorn.log", "w") as web_log:
            web = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "immapp.wsgi",
                    "--workers",
                    str(workers),
                    "--bind",
                    "127.0.0.1:" + str(port),
                    "--backlog",
                    "2048",
                    "--timeout",
                    "120",
                    "--access-logfile",
                    str(access_log),
                    "--access-logformat",
                    ACCESS_FORMAT,
                ],
                env=env,
                cwd=ROOT,
                stdout=web_log,
                stderr=subprocess.STDOUT,
            )
            children.append(web)
        _wait_until_up(port, web)
        yield Stack(port=port, env=env, logs=logs, access_log=access_log, database=name)
    finally:
        for child in reversed(children):
            _stop(child)
        shutil.rmtree(logs / "media", ignore_errors=True)  # the uploads; the logs stay


def access_lines(path: Path) -> list[tuple[str, str, int, float]]:
    """(method, path, status, milliseconds) of each request in gunicorn's access log."""
    lines = []
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2].isdigit():
            lines.append((parts[0], parts[1], int(parts[2]), int(parts[3]) / 1000))
    return lines
