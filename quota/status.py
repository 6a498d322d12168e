"""The public quota status: per trade, whether applications are accepted and places left.

Read by the status page and the fragment the information pages include. It is served from the
cache and rebuilt at most every STATUS_CACHE_SECONDS with one query, so a crowd refreshing the
page costs the database almost nothing while the figures stay a few seconds fresh.
"""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from .models import SkilledTrade
from .services import Availability, assess, trade_pools

STATUS_CACHE_KEY = "quota:status-board:1"
STATUS_CACHE_SECONDS = 5


@dataclass(frozen=True)
class TradeStatus:
    """One row: accepting with `remaining` places; or full (not closed: `remaining` 0); or
    closed, with the reopening time and the places it will have then when one is scheduled."""

    trade: SkilledTrade
    accepting: bool
    remaining: int
    closed: bool = False
    reopens_at: datetime.datetime | None = None
    reopening_remaining: int | None = None


@dataclass(frozen=True)
class StatusBoard:
    trades: tuple[TradeStatus, ...]
    overall_remaining: int | None
    as_of: datetime.datetime


def build_status_board() -> StatusBoard:
    """Compute the board now, with one query (trades, their current pools, holds)."""
    now = timezone.now()
    today = timezone.localdate(now)
    pools = trade_pools(now=now).current_of_trades(today)
    trades = []
    overall_remaining = None
    current = [(pool, pool.trade) for pool in pools if pool.trade is not None]
    for pool, trade in sorted(current, key=lambda found: (found[1].display_order, found[1].code)):
        availability = assess(pool, now=now)
        trades.append(
            TradeStatus(
                trade,
                availability.accepting,
                _places(availability),
                closed=availability.shut,
                reopens_at=availability.reopens_at,
                reopening_remaining=availability.reopening_remaining,
            )
        )
        overall_remaining = availability.overall_remaining
    return StatusBoard(tuple(trades), overall_remaining, now)


def _places(availability: Availability) -> int:
    return availability.remaining if availability.accepting else 0


def status_board() -> StatusBoard:
    """The board from the cache, rebuilt when older than STATUS_CACHE_SECONDS."""
    board = cache.get(STATUS_CACHE_KEY)
    if board is None:
        board = build_status_board()
        cache.set(STATUS_CACHE_KEY, board, STATUS_CACHE_SECONDS)
    return board
