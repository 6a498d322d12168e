"""The session-timeout warning in a real browser, with a session of a few seconds more than the
two-minute lead: it appears, takes focus, keeps it, extends the session by keyboard, and says
so when the session has ended. Also an accessibility scan with the dialog open."""

import time

import pytest
from playwright.sync_api import Page, expect

from tests.applications.drafting import trade_with_pool

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LEAD = 120  # seconds of warning before the session ends


@pytest.fixture
def short_session(settings):
    # Plain HTTP in tests: the cookies must not be marked Secure.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.LANGUAGE_COOKIE_SECURE = False
    return settings


def open_statement_page(page: Page, base_url: str, language: str = "en") -> None:
    """Answer the pre-check in the browser; the statement page carries the warning."""
    trade = trade_with_pool()
    page.goto(base_url + "/" + language + "/apply/eligibility/")
    page.fill("#id_date_of_birth_0", "1")
    page.fill("#id_date_of_birth_1", "5")
    page.fill("#id_date_of_birth_2", "1996")
    page.select_option("#id_nationality", "GB")
    page.check("#id_residence_3")  # overseas
    page.select_option("#id_trade", trade.code)
    page.fill("#id_contract_months", "36")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url.endswith("/" + language + "/apply/privacy/")


def active(page: Page) -> str:
    return page.evaluate(
        "() => document.activeElement.getAttribute('data-keepalive') !== null ? 'keepalive'"
        " : document.activeElement.getAttribute('data-expired-link') !== null ? 'expired-link'"
        " : document.activeElement.tagName.toLowerCase()"
    )


def session_expiry(page: Page) -> float:
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "sessionid"]
    return cookie["expires"]


def test_the_warning_appears_takes_focus_and_stay_signed_in_extends_the_session(
    live_server, page, short_session
):
    short_session.SESSION_COOKIE_AGE = LEAD + 4
    refused = []
    page.on("console", lambda message: "Refused" in message.text and refused.append(message.text))
    open_statement_page(page, live_server.url)
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_hidden()
    loaded_expiry = session_expiry(page)

    expect(dialog).to_be_visible(timeout=10_000)
    expect(dialog.locator("[data-warning-panel]")).to_be_visible()
    expect(dialog.locator("[data-expired-panel]")).to_be_hidden()
    expect(dialog.locator("#session-timeout-title")).to_have_text("You will be signed out soon")
    assert active(page) == "keepalive"
    page.keyboard.press("Tab")  # focus stays inside the dialog
    assert active(page) == "keepalive"
    page.keyboard.press("Shift+Tab")
    assert active(page) == "keepalive"

    time.sleep(1.1)  # so that the new expiry is measurably later
    with page.expect_response(lambda r: r.url.endswith("/apply/session/keepalive/")) as answer:
        page.keyboard.press("Enter")
    assert answer.value.status == 200
    expect(dialog).to_be_hidden()
    assert session_expiry(page) > loaded_expiry
    # The warning comes back when the extended session nears its end again.
    expect(dialog).to_be_visible(timeout=10_000)
    with page.expect_response(lambda r: r.url.endswith("/apply/session/keepalive/")):
        page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    # A request the page's own scripts send (an upload) counts as activity too.
    expect(dialog).to_be_visible(timeout=10_000)
    page.evaluate("() => document.dispatchEvent(new Event('immapp:session-activity'))")
    expect(dialog).to_be_hidden()
    assert not refused, refused


def test_when_time_runs_out_the_dialog_says_so_and_links_to_resume(
    live_server, page, short_session
):
    short_session.SESSION_COOKIE_AGE = 3  # shorter than the lead: the warning shows at once
    open_statement_page(page, live_server.url)
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible(timeout=5_000)
    expect(dialog.locator("[data-countdown]")).to_have_text("0:03", timeout=2_000)
    expired = dialog.locator("[data-expired-panel]")
    expect(expired).to_be_visible(timeout=6_000)
    expect(expired).to_contain_text("You have been signed out")
    expect(dialog.locator("[data-warning-panel]")).to_be_hidden()
    assert active(page) == "expired-link"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/en/apply/resume/")


def test_the_open_dialog_passes_an_accessibility_scan(
    live_server, browser, axe_script, short_session
):
    short_session.SESSION_COOKIE_AGE = LEAD + 2
    # axe is injected as an inline script, which the site's CSP rightly refuses: bypass it here.
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    page = context.new_page()
    open_statement_page(page, live_server.url, language="zh-hant")
    expect(page.get_by_role("alertdialog")).to_be_visible(timeout=10_000)
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate("async () => await axe.run(document)")
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == [], violations
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
    context.close()
