"""The pages before the wizard in a real browser at 360 px: the whole start by keyboard-usable
forms, an accessibility scan of each page (errors included), and no horizontal scrolling."""

import pytest
from playwright.sync_api import Page, expect

from applications.models import ApplicationGroup
from tests.applications.drafting import trade_with_pool

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 360, "height": 740}


def check(page: Page, axe_script) -> None:
    """No axe violation, no horizontal scrolling."""
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate("async () => await axe.run(document)")
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == [], page.url + " " + repr(violations)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], page.url + " scrolls sideways: " + repr(widths)


def submit(page: Page) -> None:
    with page.expect_navigation():
        page.click("main button[type=submit]")


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_the_start_pages_are_accessible_at_phone_width(
    live_server, browser, axe_script, plain_http, language
):
    trade = trade_with_pool()
    # axe is injected as an inline script, which the site's CSP rightly refuses: bypass it here.
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    base = live_server.url + "/" + language + "/apply/"

    page.goto(base + "eligibility/")
    check(page, axe_script)
    submit(page)  # nothing answered
    expect(page.locator(".error-summary")).to_be_visible()
    check(page, axe_script)
    # The summary's links take the user to the field.
    page.click(".error-summary a[href='#id_nationality']")
    assert page.evaluate("() => document.activeElement.id") == "id_nationality"

    page.fill("#id_date_of_birth_0", "1")
    page.fill("#id_date_of_birth_1", "5")
    page.fill("#id_date_of_birth_2", "1996")
    page.select_option("#id_nationality", "KP")
    page.check("#id_residence_3")
    page.select_option("#id_trade", trade.code)
    page.fill("#id_contract_months", "36")
    submit(page)
    expect(page.locator("[data-failure=nationality]")).to_be_visible()
    check(page, axe_script)

    page.goto(base + "eligibility/")
    page.fill("#id_date_of_birth_0", "1")
    page.fill("#id_date_of_birth_1", "5")
    page.fill("#id_date_of_birth_2", "1996")
    page.select_option("#id_nationality", "GB")
    page.check("#id_residence_3")
    page.select_option("#id_trade", trade.code)
    page.fill("#id_contract_months", "36")
    submit(page)
    assert page.url == base + "privacy/"
    check(page, axe_script)
    page.check("#id_acknowledge")
    submit(page)
    assert page.url == base + "new/"
    check(page, axe_script)
    page.fill("#id_contact_email", "chan@example.com")
    page.fill("#id_confirm_email", "chan@example.com")
    submit(page)
    group = ApplicationGroup.objects.get(contact_email="chan@example.com")
    assert page.url == live_server.url + "/" + language + "/apply/" + str(group.public_id) + (
        "/applicant/"
    )

    resume = context.new_page()
    resume.goto(base + "resume/")
    check(resume, axe_script)
    resume.fill("#id_reference", "ABCD-EFGH-J")
    resume.fill("#id_date_of_birth_0", "1")
    resume.fill("#id_date_of_birth_1", "5")
    resume.fill("#id_date_of_birth_2", "1996")
    submit(resume)
    expect(resume.locator(".error-summary")).to_be_visible()
    check(resume, axe_script)
    context.close()
