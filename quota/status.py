"""The public quota status: per trade, whether applications are accepted and places left.

Read by the status page and the fragment the information pages include, and by the pages that
show a draft's suspension (quota.services.displayed_availability). It is served from the cache
and rebuilt with one query when a quota change has made it forgotten (quota.status_cache) or
when it is STATUS_CACHE_SECONDS old, so a crowd refreshing the page costs the database almost
nothing while the figures are the current ones.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import timezone

from .models import SkilledTrade
from .services import Availability, assess, trade_pools
from .status_cache import STATUS_CACHE_KEY, STATUS_CACHE_SECONDS

__all__ = ["STATUS_CACHE_KEY", "STATUS_CACHE_SECONDS", "StatusBoard", "status_board"]


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
    # What quota.services.availability() says of each trade with a current pool, by trade id.
    by_trade: Mapping[int, Availability] = field(default_factory=dict)


def build_status_board() -> StatusBoard:
    """Compute the board now, with one query (trades, their current pools, holds)."""
    now = timezone.now()
    today = timezone.localdate(now)
    pools = trade_pools(now=now).current_of_trades(today)
    trades = []
    by_trade: dict[int, Availability] = {}
    overall_remaining = None
    current = [(pool, pool.trade) for pool in pools if pool.trade is not None]
    for pool, trade in sorted(current, key=lambda found: (found[1].display_order, found[1].code)):
        availability = assess(pool, now=now)
        by_trade[trade.pk] = availability
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
    return StatusBoard(tuple(trades), overall_remaining, now, by_trade)


def _places(availability: Availability) -> int:
    return availability.remaining if availability.accepting else 0


def status_board() -> StatusBoard:
    """The board from the cache, rebuilt when forgotten or older than STATUS_CACHE_SECONDS."""
    board = cache.get(STATUS_CACHE_KEY)
    if board is None:
        board = build_status_board()
        cache.set(STATUS_CACHE_KEY, board, STATUS_CACHE_SECONDS)
    return board
