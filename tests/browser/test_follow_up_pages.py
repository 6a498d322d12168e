"""The applicant's follow-up pages in a real browser: the status look-up and the supplementary
documents page (an upload by the page's script included), at 360 and 1280 px, in English and
Traditional Chinese, axe-clean as served and with nothing refused by the CSP."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from applications.models import Application
from documents import services
from tests.applications import drafting
from tests.applications.submitting import submitted_group
from tests.documents.corpus import jpeg_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}
TEXT = {
    "en": {"check": "Check the status", "continue": "Continue", "upload": "Upload"},
    "zh-hant": {"check": "查詢進度", "continue": "繼續", "upload": "上載"},
}


@pytest.fixture
def application(plain_http, tmp_path):
    group = submitted_group(drafting.trade_with_pool())
    principal = group.applications.get(role=Application.Role.PRINCIPAL)
    principal.status = Application.Status.UNDER_REVIEW  # documents are asked during review
    principal.save(update_fields=["status"])
    services.request_supplementary_documents(
        application=principal,
        requirement_codes=["A2"],
        descriptions=["Payslips for the last three months"],
        message="Please send a new photograph and your payslips.",
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )
    return principal


def checked(page: Page, axe_violations, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []


def enter(page: Page, application: Application, button: str) -> None:
    page.locator("input[name=reference]").fill(application.reference_number)
    born = application.date_of_birth
    for box, value in (("_0", born.day), ("_1", born.month), ("_2", born.year)):
        page.locator("input[name=date_of_birth" + box + "]").fill(str(value))
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("language", TEXT)
def test_status_and_supplementary_pages(
    live_server, browser, axe_violations, application, viewport, language, tmp_path
):
    size = VIEWPORTS[viewport]
    context = browser.new_context(viewport=size)
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda message: "Refused" in message.text and refused.append(message.text))
    base = live_server.url + "/" + language

    page.goto(base + "/status/")
    checked(page, axe_violations, size["width"])
    enter(page, application, TEXT[language]["check"])
    expect(page.locator(".tag").first).to_be_visible()
    checked(page, axe_violations, size["width"])

    page.goto(base + "/supplementary/")
    checked(page, axe_violations, size["width"])
    enter(page, application, TEXT[language]["continue"])
    assert page.url.endswith("/supplementary/documents/")
    checked(page, axe_violations, size["width"])

    # The photograph through the page's script: it comes back into the item, being checked.
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_bytes())
    item = page.locator(".doc-item").first
    item.locator("input[type=file]").set_input_files(str(photo))
    item.get_by_role("button", name=TEXT[language]["upload"]).click()
    expect(item.get_by_role("link", name="photo.jpg")).to_be_visible()
    checked(page, axe_violations, size["width"])
    assert not refused, "CSP blocked something the page needs: " + repr(refused)
    context.close()
