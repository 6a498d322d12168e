"""The public status page and the fragment, in three languages, cheap under load."""

import time
from types import SimpleNamespace

import pytest
from django.core.cache.backends import base as cache_base
from django.core.cache.backends import locmem
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from quota import services
from quota.models import QuotaPool
from quota.seed import TRADES
from quota.status import STATUS_CACHE_SECONDS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "title", "nurses", "accepting"),
    [
        ("en", "Quota status", "Nurses", "Yes"),
        ("zh-hant", "配額狀況", "護士", "是"),
        ("zh-hans", "配额状况", "护士", "是"),
    ],
)
def test_status_page_lists_every_seeded_trade_in_each_language(
    client, language, title, nurses, accepting
):
    with translation.override(language):
        url = reverse("quota:status")

    response = client.get(url)

    assert url.startswith("/" + language + "/")
    assert response.status_code == 200
    content = response.content.decode()
    assert title in content and nurses in content and accepting in content
    assert '<html lang="' + language + '"' in content
    assert content.count('<th scope="row">') == len(TRADES)
    figures = content.replace(",", "")  # grouping follows the language's number format
    assert '<td class="numeric">3000</td>' in figures and "10000" in figures


def test_status_shows_places_left_and_when_a_trade_stops(client, make_quota):
    setup = make_quota(overall=100, trades=(2,))
    trade = setup.trades[0]
    services.secure(application=setup.principals(1)[0])
    assert '<td class="numeric">1</td>' in client.get("/en/quota/").content.decode()

    QuotaPool.objects.filter(pk=setup.pools[0].pk).update(closed=True)
    from django.core.cache import cache

    cache.clear()
    content = client.get("/en/quota/").content.decode()
    row = content[content.index(trade.name_en) :].split("</tr>")[0]
    # Closed, not full: tests/quota/test_closed_trade.py
    assert "Closed" in row and ">0</td>" not in row


def test_one_query_per_refresh_and_none_while_cached(
    client, django_assert_num_queries, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        first = client.get("/en/quota/")
    with django_assert_num_queries(0):
        second = client.get("/zh-hant/quota/")

    assert first.status_code == second.status_code == 200
    assert "護士" in second.content.decode()


def test_the_fragment_can_be_included_in_any_page(django_assert_max_num_queries):
    template = Template("{% load quota_tags %}<main>{% quota_status %}</main>")

    with django_assert_max_num_queries(1), translation.override("zh-hans"):
        html = template.render(Context({}))

    assert "电气技术员" in html and 'aria-labelledby="quota-status-title"' in html


def test_the_status_page_answers_only_reads(client):
    assert client.post("/en/quota/").status_code == 405


def test_the_status_is_fresh_again_once_its_cache_lifetime_has_passed(
    client, make_quota, monkeypatch
):
    """What no quota service announces (here a change made straight in the database, as a
    hold expiring before the sweep deletes it) shows once the cached page has expired."""
    setup = make_quota(overall=100, trades=(2,))
    # The test cache's clock (and only its clock) is moved by hand.
    now = [time.time()]
    clock = SimpleNamespace(time=lambda: now[0])
    monkeypatch.setattr(cache_base, "time", clock)
    monkeypatch.setattr(locmem, "time", clock)

    assert places_left(client, setup) == "2"
    QuotaPool.objects.filter(pk=setup.pools[0].pk).update(capacity=1)

    now[0] += STATUS_CACHE_SECONDS - 0.5
    assert places_left(client, setup) == "2"  # still the cached page
    now[0] += 1
    assert places_left(client, setup) == "1"


def places_left(client, setup, language: str = "en") -> str:
    content = client.get("/" + language + "/quota/").content.decode()
    name = setup.trades[0].name_en if language == "en" else setup.trades[0].name
    row = content[content.index(name) :].split("</tr>")[0]
    return row.rsplit('<td class="numeric">', 1)[1].split("</td>")[0]


def test_the_page_is_served_from_the_cache_without_rendering_it_again(
    client, make_quota, monkeypatch, django_assert_num_queries
):
    make_quota(overall=100, trades=(2,))
    first = client.get("/en/quota/").content
    from quota import views

    def no_rendering(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(views, "render_to_string", no_rendering)
    with django_assert_num_queries(0):
        again = client.get("/en/quota/")
    assert again.status_code == 200 and again.content == first


def test_every_quota_change_shows_on_the_page_at_once_after_its_commit(
    client, make_quota, django_capture_on_commit_callbacks
):
    from quota import supervision

    setup = make_quota(overall=100, trades=(3,))
    first, second = setup.principals(2)
    assert places_left(client, setup) == "3"
    assert places_left(client, setup, "zh-hant") == "3"

    with django_capture_on_commit_callbacks(execute=True):
        services.hold(application=first)
    assert places_left(client, setup) == "2"
    assert places_left(client, setup, "zh-hant") == "2"

    with django_capture_on_commit_callbacks(execute=True):
        services.secure(application=first)
        services.secure(application=second)
    assert places_left(client, setup) == "1"

    with django_capture_on_commit_callbacks(execute=True):
        services.release(application=second, reason="refused")
    pool = QuotaPool.objects.get(pk=setup.pools[0].pk)
    edit = supervision.PoolEdit(10, pool.starts_on, pool.ends_on, False, None)
    with django_capture_on_commit_callbacks(execute=True):
        supervision.change_pool(pool_id=pool.pk, edit=edit, by=None)
    # 10, less the secured place and the released one (used until the pool's reopening)
    assert places_left(client, setup) == "8"

    held = setup.principals(1)[0]
    with django_capture_on_commit_callbacks(execute=True):
        services.hold(application=held)
    assert places_left(client, setup) == "7"
    with django_capture_on_commit_callbacks(execute=True):
        services.release_hold(application=held)
    assert places_left(client, setup) == "8"


def test_a_change_is_not_shown_before_its_transaction_commits(
    client, make_quota, django_capture_on_commit_callbacks
):
    setup = make_quota(overall=100, trades=(3,))
    assert places_left(client, setup) == "3"

    with django_capture_on_commit_callbacks() as pending:
        services.secure(application=setup.principals(1)[0])
        assert places_left(client, setup) == "3"  # the page cached before the commit
    assert len(pending) == 1
    pending[0]()
    assert places_left(client, setup) == "2"


def test_a_visitor_with_messages_gets_them_on_the_page(client):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest

    client.get("/en/quota/")  # cached for everyone else
    storage = CookieStorage(HttpRequest())
    client.cookies["messages"] = storage._encode([Message(constants.INFO, "Your draft was saved.")])

    content = client.get("/en/quota/").content.decode()

    assert "Your draft was saved." in content and "Quota status" in content
    assert "Your draft was saved." not in client.get("/en/quota/").content.decode()
