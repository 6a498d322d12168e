"""Paying in a real browser (Debian's Chromium) on the sandbox: the Pay page by keyboard, the
sandbox's page, back to the acknowledgment; the pages scanned by axe as served (CSP included)
and without sideways scrolling on a 390 px phone, in English and Traditional Chinese."""

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from tests.applications import drafting
from tests.payments.ready import ready_group

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def _fee(transactional_db):
    import datetime

    from django.utils import timezone

    from payments.models import Fee

    Fee.objects.get_or_create(
        effective_from=timezone.make_aware(datetime.datetime(2025, 6, 30)),
        defaults={"amount_cents": 60000},
    )


def _open_in_browser(page: Page, live_server, client: Client) -> None:
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.mark.parametrize(
    "language,pay,success",
    [("en", "Pay HK$600", "Application submitted"), ("zh-hant", "繳付 HK$600", "申請已遞交")],
)
def test_pay_by_wallet_on_the_sandbox_by_keyboard(
    page: Page, live_server, plain_http, _fee, axe_violations, language, pay, success
):
    client = Client()
    group = ready_group(client, drafting.trade_with_pool(capacity=3))
    _open_in_browser(page, live_server, client)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/{language}/payments/{group.public_id}/")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#method-alipay").focus()
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.get_by_role("button", name=pay).press("Enter")
    assert "/payments/sandbox/" in page.url
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("button").last.click()  # "Pay successfully" is chosen first
    expect(page.locator("h1")).to_contain_text(success)
    assert page.url.endswith("/acknowledgment/")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
