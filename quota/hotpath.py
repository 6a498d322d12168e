# ruff: noqa: S608 - statements joined from constants; every value is a bound parameter.
"""The statements of hold() and secure(): one unlocked read, and two that run under the lock.

On the day a quota reopens, thousands of attempts queue on the same two rows, so the time they
stay locked decides the throughput. Each statement below re-reads what can have changed (the
pool rows and the unexpired holds, with a snapshot taken after the lock was granted), decides,
and writes, in one round trip: quota.locks sends it in the same message as the lock itself, so
the rows stay locked only while PostgreSQL works plus the COMMIT, never while Python waits for
a CPU. The rules mirror QuotaPool.used(), is_closed() and covers(), which the unlocked reads
use; the tests drive both paths. Time is PostgreSQL's clock read after the lock is granted, so
a hold that expires while an attempt waits for the lock is seen as expired.

They are prepared once per database connection (PREPARE), so the rows stay locked while
PostgreSQL executes a ready plan rather than while it plans a long statement (planning took
three times as long as executing). A connection pooler that discards session state (pgbouncer
in transaction mode) would need them prepared per transaction instead.
"""

import weakref
from dataclasses import dataclass

from django.db import connection

_CLOCK = """
clock AS (
    SELECT now, (now AT TIME ZONE %(time_zone)s)::date AS today
    FROM (SELECT clock_timestamp() AS now) AS read_once
)"""

# The pools to judge: given by id (under the lock), or the trade's current pool (unlocked), by
# the rule of QuotaPoolQuerySet.current_of_trades.
_GIVEN = """
target AS (
    SELECT %(trade_pool)s::bigint AS trade_pool, %(overall_pool)s::bigint AS overall_pool
)"""
_CURRENT = """
target AS (
    SELECT p.id AS trade_pool, p.overall_id AS overall_pool
    FROM quota_quotapool p JOIN quota_skilledtrade s ON s.id = p.trade_id CROSS JOIN clock c
    WHERE p.trade_id = %(trade)s AND s.active AND p.starts_on <= c.today AND c.today <= p.ends_on
    ORDER BY p.starts_on DESC, p.id DESC
    LIMIT 1
)"""

# Effective state of both pools: free places before holds, and whether the pool is shut
# (closed by a supervisor and no reopening has come, or outside its period); the unexpired
# holds of other applications; this application's allocation and hold.
_VERDICT = """
pools AS (
    SELECT p.id,
        p.capacity - p.allocated - CASE
            WHEN p.reopens_at IS NOT NULL AND p.reopens_at <= c.now THEN 0
            ELSE p.released_pending END AS free,
        (p.closed AND NOT (p.reopens_at IS NOT NULL AND p.reopens_at <= c.now))
            OR NOT (p.starts_on <= c.today AND c.today <= p.ends_on) AS shut
    FROM quota_quotapool p CROSS JOIN clock c
    WHERE p.id IN (SELECT trade_pool FROM target UNION ALL SELECT overall_pool FROM target)
),
held AS (
    SELECT count(*) FILTER (WHERE h.trade_pool_id = tg.trade_pool) AS on_trade,
        count(*) AS on_overall
    FROM quota_hold h JOIN target tg ON h.overall_pool_id = tg.overall_pool CROSS JOIN clock c
    WHERE h.expires_at > c.now AND h.application_id <> %(application)s
),
verdict AS (
    SELECT tg.trade_pool, tg.overall_pool,
        t.free - held.on_trade AS trade_left,
        o.free - held.on_overall AS overall_left,
        t.shut OR o.shut AS shut,
        (SELECT a.id FROM quota_allocation a WHERE a.application_id = %(application)s)
            AS allocation_id,
        EXISTS (
            SELECT 1 FROM quota_hold h
            WHERE h.application_id = %(application)s AND h.trade_pool_id = tg.trade_pool
                AND h.expires_at > c.now
        ) AS own_hold
    FROM target tg
        JOIN pools t ON t.id = tg.trade_pool
        JOIN pools o ON o.id = tg.overall_pool
        CROSS JOIN held CROSS JOIN clock c
)"""

# Columns every statement returns first, by these names (read into services.Standing).
_VERDICT_COLUMNS = (
    "v.trade_pool, v.overall_pool, v.trade_left, v.overall_left, v.shut, v.allocation_id, "
    "v.own_hold"
)

# Unlocked: the trade's current pools and what they can give now (hold and secure read this
# first, so that a crowd arriving once the quota is used up never queues on the locks).
_CURRENT_SQL = (
    "WITH"
    + _CLOCK
    + ","
    + _CURRENT
    + ","
    + _VERDICT
    + "\nSELECT "
    + _VERDICT_COLUMNS
    + " FROM verdict v"
)

_HOLD_SQL = (
    "WITH"
    + _CLOCK
    + ","
    + _GIVEN
    + ","
    + _VERDICT
    + """,
placed AS (
    INSERT INTO quota_hold (application_id, trade_pool_id, overall_pool_id, created_at, expires_at)
    SELECT %(application)s, %(trade_pool)s, %(overall_pool)s, clock.now,
        clock.now + make_interval(secs => %(hold_seconds)s)
    FROM verdict, clock
    WHERE allocation_id IS NULL AND NOT shut AND trade_left > 0 AND overall_left > 0
    ON CONFLICT (application_id) DO UPDATE SET trade_pool_id = EXCLUDED.trade_pool_id,
        overall_pool_id = EXCLUDED.overall_pool_id, expires_at = EXCLUDED.expires_at
    RETURNING id, created_at, expires_at
)
SELECT """
    + _VERDICT_COLUMNS
    + """, placed.id AS hold_id, placed.created_at AS hold_created_at,
    placed.expires_at AS hold_expires_at
FROM verdict v LEFT JOIN placed ON true"""
)

# A valid own hold already reserves the place; without one, the pools need room and be open.
_SECURE_SQL = (
    "WITH"
    + _CLOCK
    + ","
    + _GIVEN
    + ","
    + _VERDICT
    + """,
made AS (
    INSERT INTO quota_allocation
        (application_id, trade_pool_id, overall_pool_id, allocated_at, released_at, release_reason)
    SELECT %(application)s, %(trade_pool)s, %(overall_pool)s, clock.now, NULL, ''
    FROM verdict, clock
    WHERE allocation_id IS NULL
        AND (own_hold OR (NOT shut AND trade_left > 0 AND overall_left > 0))
    RETURNING id, allocated_at
),
counted AS (
    UPDATE quota_quotapool SET allocated = allocated + 1
    WHERE id IN (%(trade_pool)s, %(overall_pool)s) AND EXISTS (SELECT 1 FROM made)
    RETURNING id
),
dropped AS (
    DELETE FROM quota_hold
    WHERE application_id = %(application)s AND EXISTS (SELECT 1 FROM made)
    RETURNING id
)
SELECT """
    + _VERDICT_COLUMNS
    + """, made.id AS new_allocation_id, made.allocated_at
FROM verdict v LEFT JOIN made ON true"""
)


@dataclass(frozen=True)
class Statement:
    """A statement prepared per connection; `params` are its (name, type) in order."""

    name: str
    text: str
    params: tuple[tuple[str, str], ...]

    def prepare_sql(self) -> str:
        body = self.text
        for number, (name, _type) in enumerate(self.params, start=1):
            body = body.replace("%(" + name + ")s", "$" + str(number))
        types = ", ".join(sql_type for _name, sql_type in self.params)
        return "PREPARE " + self.name + " (" + types + ") AS " + body

    def execute_sql(self) -> str:
        """EXECUTE with the named parameters, prepared on this connection first if needed."""
        _ensure_prepared()
        names = ", ".join("%(" + name + ")s" for name, _type in self.params)
        return "EXECUTE " + self.name + "(" + names + ")"


_APPLICATION = ("application", "bigint")
_POOL_IDS = (("trade_pool", "bigint"), ("overall_pool", "bigint"))
_TIME_ZONE = ("time_zone", "text")

CURRENT = Statement("quota_current", _CURRENT_SQL, (("trade", "bigint"), _APPLICATION, _TIME_ZONE))
HOLD = Statement(
    "quota_hold",
    _HOLD_SQL,
    (_APPLICATION, *_POOL_IDS, _TIME_ZONE, ("hold_seconds", "double precision")),
)
SECURE = Statement("quota_secure", _SECURE_SQL, (_APPLICATION, *_POOL_IDS, _TIME_ZONE))

# The connections (psycopg objects, one per database session) that have the statements.
_prepared: "weakref.WeakSet[object]" = weakref.WeakSet()


def _ensure_prepared() -> None:
    connection.ensure_connection()
    session = connection.connection
    if session in _prepared:
        return
    with connection.cursor() as cursor:
        cursor.execute(";\n".join(s.prepare_sql() for s in (CURRENT, HOLD, SECURE)))
    _prepared.add(session)
