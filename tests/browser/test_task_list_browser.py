"""The task list in a real browser (Debian's Chromium): resuming by the emailed link lands on
it, each reached section opens by keyboard, statuses change as sections are done; no sideways
scroll at 390 px, and an accessibility scan (axe) in English and Chinese. Also the language
switch of a step, which submits the step's form: what was typed comes back in the new
language."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from applications.services import drafts
from tests.applications import drafting
from tests.applications import wizard_client as wc
from tests.browser.test_wizard_flow import continue_to, fill

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


def resume(page: Page, base_url: str, group, language: str = "en") -> None:
    from django.utils import translation

    with translation.override(language):
        path = reverse("applications:resume_link", kwargs={"token": drafts.resume_token(group)})
    page.goto(base_url + path)
    assert page.url.endswith("/" + str(group.public_id) + "/tasks/"), page.url


def status_of(page: Page, step: str) -> str:
    return page.locator("#task-" + step + "-status").inner_text()


def test_the_task_list_leads_through_the_sections(
    live_server, page: Page, plain_http, axe_violations
):
    page.set_viewport_size(PHONE)
    trade = drafting.trade_with_pool()
    group = drafting.start(trade)
    resume(page, live_server.url, group)

    expect(page.get_by_role("heading", level=1)).to_have_text("Your application")
    expect(page.get_by_text("You have completed 0 of 10 sections.")).to_be_visible()
    assert status_of(page, "applicant") == "Not started"
    assert status_of(page, "documents") == "Cannot start yet"
    # Only the reached section is a link; the others are plain text.
    links = page.locator(".task-list__link")
    expect(links).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(page) == []

    # By keyboard: Tab to the section's link (it carries its status) and press Enter.
    link = page.get_by_role("link", name="Your details", exact=True)
    expect(link).to_have_accessible_description("Not started")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/applicant/")
    fill(page, "applicant", wc.applicant())
    continue_to(page, "qualifications")

    # Back to the overview from the step: the first section is done, the second open.
    with page.expect_navigation():
        page.get_by_role("link", name="All sections of your application").click()
    assert status_of(page, "applicant") == "Completed"
    assert status_of(page, "qualifications") == "Not started"
    expect(
        page.get_by_role("link", name="Continue where you left off: Qualifications and experience")
    ).to_be_visible()
    expect(links).to_have_count(2)
    assert axe_violations(page) == []


def test_the_task_list_in_chinese_is_accessible(
    live_server, page: Page, plain_http, axe_violations
):
    page.set_viewport_size(PHONE)
    trade = drafting.trade_with_pool()
    group = drafting.start(trade)
    resume(page, live_server.url, group, "zh-hant")
    expect(page.get_by_role("heading", level=1)).to_have_text("你的申請")
    assert status_of(page, "applicant") == "未開始"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(page) == []


def test_the_language_switch_keeps_what_was_typed(
    live_server, page: Page, plain_http, axe_violations
):
    trade = drafting.trade_with_pool()
    group = drafting.start(trade)
    resume(page, live_server.url, group)
    with page.expect_navigation():
        page.get_by_role("link", name="Your details", exact=True).click()
    page.fill("#id_applicant-surname", "Chan")
    page.fill("#id_applicant-place_of_birth", "Kowloon")
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("button", name="繁體中文").click()
    assert "/zh-hant/apply/" in page.url and page.url.endswith("/applicant/")
    expect(page.locator("#id_applicant-surname")).to_have_value("Chan")
    expect(page.locator("#id_applicant-place_of_birth")).to_have_value("Kowloon")
    expect(page.locator("[data-error-summary]")).to_have_count(0)
    assert page.locator("html").get_attribute("lang") == "zh-hant"


def test_enter_in_a_field_still_continues_rather_than_switching_language(
    live_server, page: Page, plain_http
):
    """The language buttons come first in the page but belong to the step's form: a hidden
    default button before them keeps Enter meaning "Save and continue"."""
    trade = drafting.trade_with_pool()
    group = drafting.start(trade)
    resume(page, live_server.url, group)
    with page.expect_navigation():
        page.get_by_role("link", name="Your details", exact=True).click()
    fill(page, "applicant", wc.applicant())
    with page.expect_navigation():
        page.locator("#id_applicant-phone").press("Enter")
    assert page.url.endswith("/en/apply/" + str(group.public_id) + "/qualifications/"), page.url
