"""One applicant through the wizard in a real browser (Debian's Chromium): every step by
keyboard-and-mouse form filling, a dependant added with the button, the applicant's signature
drawn with the mouse on the canvas and the guardian's and company's typed instead; the pages
at 360 px wide, and an accessibility scan of a step with errors."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from applications.models import Signature
from applications.services import drafts
from tests.applications import drafting
from tests.applications import wizard_client as wc

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def fill(page: Page, prefix: str, values: dict) -> None:
    """Fill the step's fields as a person would: type text, choose options, tick radios."""
    for key, value in values.items():
        name = prefix + "-" + key
        radio = page.locator(f"input[type=radio][name='{name}'][value='{value}']")
        if radio.count():
            radio.check()
            continue
        field = page.locator(f"[name='{name}']")
        if not field.count() or field.get_attribute("type") == "hidden":
            continue
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(str(value))
        elif field.get_attribute("type") == "checkbox":
            field.set_checked(bool(value))
        else:
            field.fill(str(value))


def continue_to(page: Page, step: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue").click()
    assert page.url.endswith("/" + step + "/"), page.url


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def draw(page: Page, canvas) -> None:
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x, y = box["x"], box["y"]
    page.mouse.move(x + 20, y + box["height"] * 0.7)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(x + 20 + step * 20, y + box["height"] * (0.3 if step % 2 else 0.7), steps=3)
    page.mouse.up()


def assert_accessible(browser, page: Page, axe_script, *, with_errors: bool = True) -> None:
    """Scan the same page in a context that lets axe's inline script run (the site's CSP
    rightly refuses it): the same session; with errors, the kept input posted again."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 360, "height": 800})
    context.add_cookies(page.context.cookies())
    other = context.new_page()
    other.goto(page.url)
    if with_errors:
        with other.expect_navigation():
            other.get_by_role("button", name="Save and continue").click()
        expect(other.locator("[data-error-summary]")).to_be_visible()
    other.add_script_tag(path=str(axe_script))
    result = other.evaluate("async () => await axe.run(document)")
    violations = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
    ]
    assert violations == [], violations
    context.close()


def test_one_applicant_through_the_wizard(live_server, browser, page: Page, plain_http, axe_script):
    page.set_viewport_size({"width": 360, "height": 800})
    refused = []
    page.on("console", lambda m: "Refused" in m.text and refused.append(m.text))
    trade = drafting.trade_with_pool()
    group = drafting.start(trade)
    page.goto(
        live_server.url
        + reverse("applications:resume_link", kwargs={"token": drafts.resume_token(group)})
    )
    # Resuming lands on the task list; the first section opens from there.
    assert page.url.endswith("/" + str(group.public_id) + "/tasks/")
    with page.expect_navigation():
        page.get_by_role("link", name="Your details", exact=True).click()
    assert page.url.endswith("/" + str(group.public_id) + "/applicant/")
    expect(page.locator(".wizard-progress")).to_have_text("Step 1 of 9: Your details")

    # A mistake first: the summary links to the field, the scan finds nothing serious.
    fill(page, "applicant", wc.applicant(hkid_number="A123456(4)"))
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("check the digit in brackets")
    no_sideways_scroll(page)
    assert_accessible(browser, page, axe_script)
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_applicant-hkid_number"
    page.fill("#id_applicant-hkid_number", "A123456(3)")
    continue_to(page, "qualifications")

    fill(page, "qualifications", wc.qualifications())
    continue_to(page, "employment")
    fill(page, "employment", wc.employment(trade))
    continue_to(page, "employer")
    fill(page, "employer", wc.employer_choice("applicant"))
    continue_to(page, "company")
    fill(page, "company", wc.company())
    continue_to(page, "dependants")

    with page.expect_navigation():
        page.get_by_role("button", name="Add a dependant").click()
    fill(
        page,
        "dependants",
        {
            "0-" + k: v
            for k, v in wc.dependant("child", wc.years_ago(9), given_names="Ka Ho").items()
        },
    )
    no_sideways_scroll(page)
    continue_to(page, "documents")
    expect(page.get_by_role("heading", name="Applicant: CHAN Tai Man")).to_be_visible()
    continue_to(page, "check")
    expect(page.get_by_text("Ka Ho")).not_to_have_count(0)
    no_sideways_scroll(page)
    assert_accessible(browser, page, axe_script, with_errors=False)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue to the declarations").click()
    assert page.url.endswith("/declarations/")

    blocks = page.locator("section.wizard-person")
    expect(blocks).to_have_count(3)
    assert_accessible(browser, page, axe_script, with_errors=False)
    applicant, guardian, company = blocks.nth(0), blocks.nth(1), blocks.nth(2)
    # The applicant draws with the mouse.
    applicant.get_by_label("I declare").check()
    expect(applicant.locator("[data-signature-pad]")).to_be_visible()
    draw(page, applicant.locator("canvas"))
    assert (
        applicant.locator("[data-signature-data]")
        .input_value()
        .startswith("data:image/png;base64,")
    )
    # The guardian and the company's authorised person use the typed alternative.
    guardian.get_by_label("I declare").check()
    guardian.get_by_label("Full name of the parent or legal guardian signing").fill("Chan Tai Man")
    guardian.get_by_label("Parent", exact=True).check()
    guardian.get_by_label("Or type the full name").fill("Chan Tai Man")
    company.get_by_label("I declare").check()
    company.get_by_label("On behalf of the company, I give these undertakings").check()
    company.get_by_label("Or type the full name").fill("Wong Mei Ling")
    no_sideways_scroll(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign and continue").click()
    assert page.url.endswith("/status/"), page.content()[:2000]
    expect(page.get_by_role("heading", name="Still to do before you can pay")).to_be_visible()

    signed = {s.role: s for s in Signature.objects.filter(group=group)}
    assert signed["applicant"].method == "drawn"
    assert signed["guardian"].method == "typed" and signed["guardian"].capacity == "parent"
    assert signed["employer"].typed_name == "Wong Mei Ling"
    assert refused == []
