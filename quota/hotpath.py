# ruff: noqa: S608 - statements joined from constants; every value is a bound parameter.
"""The two statements that run while hold() and secure() keep the pool rows locked.

On the day a quota reopens, thousands of attempts queue on the same two rows, so the time they
stay locked decides the throughput. Each statement below re-reads what can have changed (the
pool rows and the unexpired holds, with a snapshot taken after the lock was granted), decides,
and writes, in one round trip: quota.locks sends it in the same message as the lock itself, so
the rows stay locked only while PostgreSQL works plus the COMMIT, never while Python waits for
a CPU. The rules mirror QuotaPool.used(), is_closed() and covers(), which the unlocked reads
use; the tests drive both paths. Time is PostgreSQL's clock read after the lock is granted, so
a hold that expires while an attempt waits for the lock is seen as expired.
"""

# Effective state of both pools: free places before holds, and whether the pool is shut
# (closed by a supervisor and no reopening has come, or outside its period).
_POOLS = """
clock AS (
    SELECT now, (now AT TIME ZONE %(time_zone)s)::date AS today
    FROM (SELECT clock_timestamp() AS now) AS read_once
),
pools AS (
    SELECT p.id,
        p.capacity - p.allocated - CASE
            WHEN p.reopens_at IS NOT NULL AND p.reopens_at <= c.now THEN 0
            ELSE p.released_pending END AS free,
        (p.closed AND NOT (p.reopens_at IS NOT NULL AND p.reopens_at <= c.now))
            OR NOT (p.starts_on <= c.today AND c.today <= p.ends_on) AS shut
    FROM quota_quotapool p, clock c
    WHERE p.id IN (%(trade_pool)s, %(overall_pool)s)
),
held AS (
    SELECT count(*) FILTER (WHERE h.trade_pool_id = %(trade_pool)s) AS on_trade,
        count(*) AS on_overall
    FROM quota_hold h, clock c
    WHERE h.overall_pool_id = %(overall_pool)s AND h.expires_at > c.now
        AND h.application_id <> %(application)s
),
verdict AS (
    SELECT t.free - held.on_trade AS trade_left,
        o.free - held.on_overall AS overall_left,
        t.shut OR o.shut AS shut,
        (SELECT a.id FROM quota_allocation a WHERE a.application_id = %(application)s)
            AS allocation_id,
        EXISTS (
            SELECT 1 FROM quota_hold h
            WHERE h.application_id = %(application)s AND h.trade_pool_id = %(trade_pool)s
                AND h.expires_at > c.now
        ) AS own_hold
    FROM pools t, pools o, held, clock c
    WHERE t.id = %(trade_pool)s AND o.id = %(overall_pool)s
)"""

# Columns every statement returns first, in this order (see services.LockedVerdict).
_VERDICT_COLUMNS = "v.trade_left, v.overall_left, v.shut, v.allocation_id, v.own_hold"

HOLD = (
    "WITH"
    + _POOLS
    + """,
placed AS (
    INSERT INTO quota_hold (application_id, trade_pool_id, overall_pool_id, created_at, expires_at)
    SELECT %(application)s, %(trade_pool)s, %(overall_pool)s, clock.now,
        clock.now + make_interval(mins => %(hold_minutes)s)
    FROM verdict, clock
    WHERE allocation_id IS NULL AND NOT shut AND trade_left > 0 AND overall_left > 0
    ON CONFLICT (application_id) DO UPDATE SET trade_pool_id = EXCLUDED.trade_pool_id,
        overall_pool_id = EXCLUDED.overall_pool_id, expires_at = EXCLUDED.expires_at
    RETURNING id, created_at, expires_at
)
SELECT """
    + _VERDICT_COLUMNS
    + """, placed.id, placed.created_at, placed.expires_at
FROM verdict v LEFT JOIN placed ON true"""
)

# A valid own hold already reserves the place; without one, the pools need room and be open.
SECURE = (
    "WITH"
    + _POOLS
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
    + """, made.id, made.allocated_at
FROM verdict v LEFT JOIN made ON true"""
)
