import pytest

from quota.models import QuotaPool, SkilledTrade
from quota.seed import TRADES

pytestmark = pytest.mark.django_db


def test_every_deployment_has_the_eight_trades_and_the_pilot_pools():
    trades = SkilledTrade.objects.filter(code__in=[seed.code for seed in TRADES])
    assert trades.count() == 8
    for trade in trades:
        assert trade.name_en and trade.name_zh_hant and trade.name_zh_hans
        assert trade.guidance_en and trade.guidance_zh_hant and trade.guidance_zh_hans
        assert trade.initial_stay_months in (24, 36)
    overall = QuotaPool.objects.get(trade=None, starts_on="2025-06-30")
    assert (str(overall.ends_on), overall.capacity) == ("2028-06-29", 10_000)
    pools = QuotaPool.objects.filter(overall=overall, trade__in=trades)
    assert sorted(pool.capacity for pool in pools) == [3_000] * 8
