"""Quota fixtures: trades with pools of chosen sizes, principals, staff of each role."""

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from applications.roles import OFFICER, SUPERVISOR, ensure_roles
from quota.models import QuotaPool, SkilledTrade
from tests.factories import PrincipalFactory, SkilledTradeFactory

_periods = itertools.count(1)


@dataclass
class Setup:
    overall: QuotaPool
    trades: list[SkilledTrade]
    pools: list[QuotaPool]

    def principals(self, count: int, *, trade_index: int = 0) -> list:
        trade = self.trades[trade_index]
        return [PrincipalFactory(trade=trade) for _ in range(count)]


@pytest.fixture
def make_quota() -> Callable[..., Setup]:
    """Pools of their own for the current period, apart from the seeded pilot pools."""

    def make(*, overall: int, trades: tuple[int, ...] = (3,)) -> Setup:
        today = timezone.localdate()
        # Each setup gets its own start date (one overall pool per start date).
        starts_on = today - datetime.timedelta(days=next(_periods))
        ends_on = today + datetime.timedelta(days=365)
        overall_pool = QuotaPool.objects.create(
            starts_on=starts_on, ends_on=ends_on, capacity=overall
        )
        made_trades, pools = [], []
        for capacity in trades:
            trade = SkilledTradeFactory()
            made_trades.append(trade)
            pools.append(
                QuotaPool.objects.create(
                    trade=trade,
                    overall=overall_pool,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    capacity=capacity,
                )
            )
        return Setup(overall_pool, made_trades, pools)

    return make


@pytest.fixture
def staff(db) -> Callable[[str], object]:
    """A staff user in the given role ("officer" or "supervisor")."""
    groups = ensure_roles()

    def make(role: str):
        assert role in (OFFICER, SUPERVISOR)
        user = get_user_model().objects.create_user(
            username=role + "-" + str(next(_periods)), password="not-used", is_staff=True
        )
        user.groups.set([groups[role]])
        return user

    return make
