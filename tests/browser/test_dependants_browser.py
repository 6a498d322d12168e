"""The dependants step in Chromium at 390 px: saved dependants collapsed to one line each
(<details>), opened by mouse or keyboard, with and without JavaScript; a second spouse's error
opens that dependant and the summary link lands on it; axe finds nothing."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from applications.services import drafts
from tests.applications import drafting
from tests.applications import wizard_client as wc

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def group_with_dependants(plain_http):
    """A draft filled up to the dependants step, with a spouse and two children saved."""
    trade = drafting.trade_with_pool()
    client = Client()
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "company")
    rows = [
        wc.dependant("spouse", given_names="Siu Ling"),
        wc.dependant("child", wc.years_ago(9), given_names="Siu Ming"),
        wc.dependant("child", wc.years_ago(5), given_names="Ka Yan"),
    ]
    assert wc.post(client, group, "dependants", wc.dependants(rows)).status_code == 302
    return group


def open_dependants(page: Page, base_url: str, group) -> None:
    """Resume by the emailed link (this browser may then open the draft), then the step."""
    with translation.override("en"):
        path = reverse("applications:resume_link", kwargs={"token": drafts.resume_token(group)})
    page.goto(base_url + path)
    page.goto(base_url + wc.url(group, "dependants"))


def test_saved_dependants_are_one_line_each_and_open_by_keyboard(
    live_server, page: Page, group_with_dependants, axe_violations
):
    page.set_viewport_size(PHONE)
    open_dependants(page, live_server.url, group_with_dependants)

    summaries = page.locator("summary.wizard-person__summary")
    expect(summaries).to_have_count(3)
    expect(summaries.nth(1)).to_contain_text("Dependant 2: CHAN Siu Ming, child, born")
    expect(summaries.nth(1)).to_contain_text("Change")
    expect(page.locator("#id_dependants-1-surname")).to_be_hidden()
    # Three closed dependants fit in little more than a screen.
    assert page.evaluate("document.documentElement.scrollHeight") < 3 * PHONE["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(page) == []

    summaries.nth(1).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_dependants-1-surname")).to_be_visible()
    expect(page.locator("#id_dependants-1-surname")).to_have_value("Chan")
    expect(summaries.nth(1)).not_to_contain_text("Change", use_inner_text=True)
    assert axe_violations(page) == []

    # Saving with every dependant closed keeps them all.
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue").click()
    assert page.url.endswith("/documents/"), page.url
    assert group_with_dependants.applications.filter(role="dependant").count() == 3


def test_an_error_opens_that_dependant_and_the_summary_names_it(
    live_server, page: Page, group_with_dependants, axe_violations
):
    page.set_viewport_size(PHONE)
    open_dependants(page, live_server.url, group_with_dependants)
    page.locator("summary.wizard-person__summary").nth(2).click()
    page.check("#id_dependants-2-relationship_0")  # a second spouse
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Dependant 3 (CHAN Ka Yan): Only one spouse or partner")
    expect(summary).to_contain_text("Dependant 1 (CHAN Siu Ling) is already one")
    details = page.locator("details[data-dependant]")
    assert [details.nth(n).get_attribute("open") is not None for n in range(3)] == [
        False,
        False,
        True,
    ]
    summary.get_by_role("link").first.click()
    expect(page.locator("#id_dependants-2-relationship_0")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(page) == []


def test_without_javascript_the_summary_still_opens(live_server, browser, group_with_dependants):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    open_dependants(page, live_server.url, group_with_dependants)
    expect(page.locator("#id_dependants-0-surname")).to_be_hidden()
    page.locator("summary.wizard-person__summary").first.click()
    expect(page.locator("#id_dependants-0-surname")).to_be_visible()
    context.close()
