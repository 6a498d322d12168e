"""A trade closed by the Immigration Department, as the public sees it: "Closed" on the quota
status page (never "0 places remaining" when none is used), the reopening date and the places
it will have then; the eligibility check says it is closed, apart from a full quota."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.formats import date_format

from quota import services
from quota.models import QuotaPool
from tests.applications.test_entry_pages import ELIGIBILITY, eligible_post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_board():
    cache.clear()  # the board is cached for a few seconds
    yield
    cache.clear()


def row_of(content: str, name: str) -> str:
    return content[content.index(name) :].split("</tr>")[0]


def shown(when: datetime.datetime) -> str:
    """The day as the English pages write a date (whatever the format setting is)."""
    with translation.override("en"):
        return date_format(timezone.localtime(when), "DATE_FORMAT")


def reopening(days: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def test_a_closed_trade_shows_closed_not_zero_places(client, make_quota):
    setup = make_quota(overall=100, trades=(5,))
    QuotaPool.objects.filter(pk=setup.pools[0].pk).update(closed=True)

    row = row_of(client.get("/en/quota/").content.decode(), setup.trades[0].name_en)

    assert "Closed" in row
    assert ">0</td>" not in row and "fully used" not in row
    assert "Reopens on" not in row


def test_a_closed_trade_with_a_reopening_shows_the_date_and_the_places_it_will_have(
    client, make_quota
):
    setup = make_quota(overall=100, trades=(5,))
    pool = setup.pools[0]
    first, second = setup.principals(2)
    services.secure(application=first)
    services.secure(application=second)
    services.release(application=second, reason="refused")  # comes back at the reopening
    when = reopening(10)
    QuotaPool.objects.filter(pk=pool.pk).update(closed=True, reopens_at=when)

    row = row_of(client.get("/en/quota/").content.decode(), setup.trades[0].name_en)

    assert "Closed" in row
    assert "Reopens on " + shown(when) in row
    assert "4 places when it reopens" in row


def test_the_overall_pool_closed_closes_every_trade_until_the_later_reopening(client, make_quota):
    setup = make_quota(overall=3, trades=(5,))
    later = reopening(20)
    QuotaPool.objects.filter(pk=setup.pools[0].pk).update(closed=True, reopens_at=reopening(5))
    QuotaPool.objects.filter(pk=setup.overall.pk).update(closed=True, reopens_at=later)

    found = services.availability(trade=setup.trades[0])

    assert not found.accepting and found.shut
    assert found.reopens_at == later
    assert found.reopening_remaining == 3  # the overall pool is the smaller


def test_a_reopening_after_the_period_ends_gives_no_date(make_quota):
    setup = make_quota(overall=100, trades=(5,))
    QuotaPool.objects.filter(pk=setup.pools[0].pk).update(closed=True, reopens_at=reopening(400))

    assert services.availability(trade=setup.trades[0]).reopens_at is None


def test_a_full_trade_is_told_apart_from_a_closed_one(client, make_quota):
    setup = make_quota(overall=100, trades=(1,))
    services.secure(application=setup.principals(1)[0])

    row = row_of(client.get("/en/quota/").content.decode(), setup.trades[0].name_en)

    assert "fully used" in row and ">0</td>" in row and "Closed" not in row


def test_the_chinese_page_says_closed_and_when_it_reopens(client, make_quota):
    setup = make_quota(overall=100, trades=(5,))
    QuotaPool.objects.filter(pk=setup.pools[0].pk).update(closed=True, reopens_at=reopening(10))

    row = row_of(client.get("/zh-hant/quota/").content.decode(), setup.trades[0].name_zh_hant)

    assert "已關閉" in row and "重新開放" in row and "5 個名額" in row


# The eligibility check


def test_eligibility_explains_a_closed_trade_with_its_reopening(client, make_quota):
    setup = make_quota(overall=100, trades=(5,))
    trade = setup.trades[0]
    when = reopening(10)
    QuotaPool.objects.filter(pk=setup.pools[0].pk).update(closed=True, reopens_at=when)

    html = client.post(ELIGIBILITY, eligible_post(trade)).content.decode()

    assert 'data-failure="quota_closed"' in html and 'data-failure="quota"' not in html
    assert "Applications for " + trade.name_en + " are closed at present" in html
    assert "not because its places are used up" in html
    assert "It reopens on " + shown(when) in html and "with 5 places" in html


def test_eligibility_says_no_reopening_date_is_set(client, make_quota):
    setup = make_quota(overall=100, trades=(5,))
    QuotaPool.objects.filter(pk=setup.pools[0].pk).update(closed=True)

    html = client.post(ELIGIBILITY, eligible_post(setup.trades[0])).content.decode()

    assert 'data-failure="quota_closed"' in html
    assert "No date to reopen has been announced" in html


def test_eligibility_says_full_for_a_used_up_trade(client, make_quota):
    setup = make_quota(overall=100, trades=(1,))
    services.secure(application=setup.principals(1)[0])

    html = client.post(ELIGIBILITY, eligible_post(setup.trades[0])).content.decode()

    assert 'data-failure="quota"' in html and 'data-failure="quota_closed"' not in html
    assert "fully used" in html
