"""python -m devstack run | test [pytest args] | exec COMMAND...

run:  find PostgreSQL and Redis, migrate, seed the demo data, start a Celery worker (when Redis
      answers) and the development server on http://127.0.0.1:$PORT/; Ctrl-C stops everything.
test: find PostgreSQL and Redis, run the whole pytest suite, then ruff check, ruff format --check
      and mypy (without pytest args); fails on any failure and when no test was collected.
exec: run one command with the same environment (benchmarks, manage.py commands).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from .postgres import Database, DatabaseUnavailable, find_database
from .redis_probe import find_redis

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data"
BIN = Path(sys.executable).parent
PYTEST_NO_TESTS_COLLECTED = 5


def say(text: str) -> None:
    print("devstack: " + text, flush=True)


def prepare(*, debug: bool) -> tuple[Database, dict[str, str], bool]:
    """Find the services; return the database, the child environment and whether Redis answers."""
    try:
        database = find_database(DATA / "postgres")
    except DatabaseUnavailable as exc:
        print("error: " + str(exc), file=sys.stderr, flush=True)
        raise SystemExit(2) from None
    say("database: " + database.description)
    child_env = dict(os.environ, DATABASE_URL=database.url)
    redis_url, problem = find_redis()
    if problem is None:
        child_env["REDIS_URL"] = redis_url
        say("redis: " + redis_url)
    else:
        child_env["REDIS_URL"] = ""
        say("redis does not answer at " + redis_url + " (" + problem + ")")
    if debug:
        child_env.setdefault("DEBUG", "true")
    else:
        child_env.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-deployment")
        # The tests and benchmarks pay on the sandbox, which DEBUG off refuses unless told.
        child_env.setdefault("PAYMENT_SANDBOX_ALLOWED", "true")
    return database, child_env, problem is None


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True)


def worker_command() -> list[str]:
    """The Celery worker `make run` starts, with beat in the same process."""
    return [
        str(BIN / "celery"),
        "-A",
        "immapp",
        "worker",
        "--beat",  # its schedule is in the database (settings.CELERY_BEAT_SCHEDULER)
        "--pool=threads",
        "--concurrency=2",
        "--loglevel=INFO",
    ]


def run() -> int:
    database, env, has_redis = prepare(debug=True)
    children: list[subprocess.Popen] = []
    try:
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "seed_demo")
        if has_redis:
            say("starting a Celery worker (with beat) for background tasks")
            children.append(subprocess.Popen(worker_command(), env=env, cwd=ROOT))
        else:
            env["CELERY_TASK_ALWAYS_EAGER"] = "true"
            say("no Redis: background tasks run in-process (CELERY_TASK_ALWAYS_EAGER)")
        port = env.get("PORT", "8000")
        say("serving on http://127.0.0.1:" + port + "/ (Ctrl-C stops everything)")
        children.append(
            subprocess.Popen(
                [sys.executable, str(ROOT / "manage.py"), "runserver", "127.0.0.1:" + port],
                env=env,
                cwd=ROOT,
            )
        )
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        return next(child.returncode for child in children if child.poll() is not None) or 0
    except KeyboardInterrupt:
        return 0
    except subprocess.CalledProcessError as exc:
        return exc.returncode or 1
    finally:
        stop(children)
        database.stop()


def stop(children: list[subprocess.Popen]) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for child in children:
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()


def test(pytest_args: list[str]) -> int:
    database, env, _has_redis = prepare(debug=False)
    try:
        failures: list[str] = []
        code = subprocess.run([str(BIN / "pytest"), *pytest_args], env=env, cwd=ROOT).returncode
        if code == PYTEST_NO_TESTS_COLLECTED:
            failures.append("pytest collected no tests")
        elif code != 0:
            failures.append("pytest exited with " + str(code))
        if not pytest_args:
            for check in (["check", "."], ["format", "--check", "."]):
                say("ruff " + " ".join(check))
                if subprocess.run([str(BIN / "ruff"), *check], cwd=ROOT).returncode != 0:
                    failures.append("ruff " + check[0] + " failed")
            # The files and options are in pyproject.toml ([tool.mypy]); the Django plugin
            # loads the settings, so it runs with the tests' environment.
            say("mypy")
            if subprocess.run([str(BIN / "mypy")], env=env, cwd=ROOT).returncode != 0:
                failures.append("mypy failed")
        for failure in failures:
            print("error: " + failure, file=sys.stderr)
        return 1 if failures else 0
    finally:
        database.stop()


def exec_command(command: list[str]) -> int:
    database, env, _has_redis = prepare(debug=True)
    try:
        return subprocess.run(command, env=env, cwd=ROOT).returncode
    except KeyboardInterrupt:
        return 130
    finally:
        database.stop()


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "exec"}:
        print(__doc__, file=sys.stderr)
        return 2
    command, rest = argv[0], [a for a in argv[1:] if a != "--"] if argv[0] == "test" else argv[1:]
    if command == "run":
        return run()
    if command == "test":
        return test(rest)
    if rest and rest[0] == "--":
        rest = rest[1:]
    return exec_command(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
