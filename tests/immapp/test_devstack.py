"""The bootstrap behind `make run` and `make test`: finding PostgreSQL, and failing clearly."""

import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from psycopg import sql

from devstack.postgres import DatabaseUnavailable, _conninfo, _local_server, find_database

ROOT = Path(__file__).resolve().parents[2]


def devstack(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "devstack", *args],
        cwd=ROOT,
        env=dict(os.environ, **env),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_database_url_that_points_at_nothing_gives_one_clear_line():
    result = devstack("exec", "--", "true", DATABASE_URL="postgres://postgres@127.0.0.1:1/nothing")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: DATABASE_URL postgres://postgres@127.0.0.1:1/nothing")
    assert "does not answer" in lines[0]
    assert "Traceback" not in result.stdout + result.stderr


def test_the_password_of_a_database_url_is_never_printed(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://app:s3cret@127.0.0.1:1/nothing")
    with pytest.raises(DatabaseUnavailable) as excinfo:
        find_database(ROOT / ".data" / "unused")
    assert "s3cret" not in str(excinfo.value)
    assert "app:***@127.0.0.1:1" in str(excinfo.value)


def _suite_server_url(name: str) -> str:
    """The URL of a database called `name` on the server this test run uses (TCP or socket)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return parts._replace(path="/" + name).geturl()


def test_a_missing_database_on_a_live_server_is_created(monkeypatch):
    name = "immapp_devstack_" + uuid.uuid4().hex[:8]
    url = _suite_server_url(name)
    monkeypatch.setenv("DATABASE_URL", url)
    try:
        database = find_database(ROOT / ".data" / "unused")
        assert database.url == url
        with psycopg.connect(_conninfo(url)) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == (name,)
    finally:
        with psycopg.connect(_conninfo(_suite_server_url("postgres")), autocommit=True) as c:
            c.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def test_without_database_url_a_silent_local_address_is_passed_over():
    assert _local_server("127.0.0.1:1") is None


def test_without_database_url_the_local_server_is_used(monkeypatch):
    parts = urlsplit(os.environ["DATABASE_URL"])
    if not parts.hostname:
        pytest.skip("this run's server listens on a socket, not on a TCP address to probe")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DEVSTACK_LOCAL_POSTGRES", parts.hostname + ":" + str(parts.port or 5432))
    database = find_database(ROOT / ".data" / "unused")
    assert database.server is None
    assert (
        database.url
        == "postgres://postgres@" + parts.hostname + ":" + str(parts.port or 5432) + "/immapp"
    )


def test_when_nothing_listens_the_embedded_server_is_started_and_stopped(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DEVSTACK_LOCAL_POSTGRES", "127.0.0.1:1")
    # Not under pytest's tmp_path: concurrent pytest sessions prune each other's old folders.
    with tempfile.TemporaryDirectory(prefix="immapp-embedded-pg-") as folder:
        database = find_database(Path(folder) / "postgres")
        try:
            assert database.server is not None
            assert "embedded PostgreSQL" in database.description
            with psycopg.connect(database.url) as conn:
                assert conn.execute("SELECT current_database()").fetchone() == ("immapp",)
        finally:
            database.stop()
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(database.url, connect_timeout=2)


def test_the_test_command_fails_when_no_test_is_collected():
    result = devstack("test", "tests/immapp/test_devstack.py", "-k", "no_test_has_this_name")
    assert result.returncode == 1
    assert "pytest collected no tests" in result.stderr
