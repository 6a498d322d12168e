"""Forms that behave, in a real browser (Debian's Chromium) at a 390 px phone's width: the error
summary takes the focus and its links show the question with the field; a date is three short
boxes on one line, kept by the language switch; a drawn signature is drawn again after an error;
check your answers prints cleanly. Pages scanned with axe as served (CSP included)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page, expect

from applications.models import Signature
from tests.applications import drafting
from tests.applications import wizard_client as wc
from tests.browser.test_wizard_flow import draw

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}

IN_VIEW = """(element) => {
  const box = element.getBoundingClientRect();
  return box.top >= -1 && box.bottom <= window.innerHeight;  // -1: subpixel rounding
}"""


@pytest.fixture
def phone(browser: Browser, plain_http):
    """A phone-sized browser whose pages must run under the site's CSP without a refusal."""
    context = browser.new_context(viewport=PHONE)
    refused: list[str] = []
    context.on(
        "console",
        lambda message: "Content Security Policy" in message.text and refused.append(message.text),
    )
    yield context
    context.close()
    assert refused == []


def submit(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name=name, exact=True).click()


def active(page: Page, what: str = "id") -> str:
    return page.evaluate("(what) => document.activeElement.getAttribute(what) || ''", what)


def no_sideways_scroll(page: Page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], page.url + " scrolls sideways: " + repr(widths)


def open_in_browser(context: BrowserContext, live_server, client: Client) -> Page:
    """A page of `context` with the session of the test client that filled the wizard."""
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


def filled_to(last: str) -> tuple[Client, object]:
    client = Client()
    trade = drafting.trade_with_pool()
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, last)
    return client, group


# 11. The error summary.


@pytest.mark.parametrize(
    "path",
    [
        "/en/apply/eligibility/",
        "/en/apply/resume/",
        "/en/apply/acknowledgment/find/",
        "/zh-hant/status/",
        "/zh-hans/supplementary/",
    ],
)
def test_the_error_summary_takes_the_focus_on_every_look_up_page(
    live_server, phone, axe_violations, path
):
    page = phone.new_page()
    page.goto(live_server.url + path)
    expect(page.locator("[data-error-summary]")).to_have_count(0)
    assert active(page, "data-error-summary") == ""
    with page.expect_navigation():
        page.locator("main button[type=submit]").last.click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert axe_violations(page) == []
    no_sideways_scroll(page)


def test_the_summary_links_show_the_label_or_legend_with_the_field(live_server, phone):
    page = phone.new_page()
    page.goto(live_server.url + "/en/apply/eligibility/")
    submit(page, "Check")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()

    # A date: the legend of its fieldset in view, its first box focused.
    summary.get_by_role("link", name="Enter your date of birth.").click()
    assert active(page) == "id_date_of_birth_0"
    legend = page.locator("legend", has_text="Your date of birth")
    assert legend.evaluate(IN_VIEW)

    # Radios: the question (legend) in view, the first choice focused.
    page.evaluate("window.scrollTo(0, 0)")
    summary.get_by_role("link", name="Choose where you live now.").click()
    assert active(page) == "id_residence_0"
    assert page.locator("legend", has_text="Where do you live now?").evaluate(IN_VIEW)

    # By keyboard: Tab from the summary to a link, Enter; the field's label is in view too,
    # not hidden above the top of the window as an anchor jump would leave it.
    page.evaluate("window.scrollTo(0, 0)")
    page.locator("[data-error-summary] a[href='#id_contract_months']").focus()
    page.keyboard.press("Enter")
    assert active(page) == "id_contract_months"
    label = page.locator("label[for=id_contract_months]")
    assert label.evaluate(IN_VIEW)
    field_top = page.locator("#id_contract_months").evaluate("e => e.getBoundingClientRect().top")
    assert label.evaluate("e => e.getBoundingClientRect().top") < field_top
    assert page.url.endswith("/eligibility/")  # followed by the script, not the anchor


def test_without_javascript_the_summary_links_are_anchors(live_server, browser, plain_http):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/en/apply/eligibility/")
    submit(page, "Check")
    page.locator("[data-error-summary] a[href='#id_nationality']").click()
    assert page.url.endswith("#id_nationality")
    assert page.locator("#id_nationality").evaluate(IN_VIEW)
    context.close()


def test_a_wizard_step_with_errors_focuses_the_summary_and_shows_the_label(
    live_server, phone, axe_violations
):
    client, group = filled_to("applicant")
    page = open_in_browser(phone, live_server, client)
    page.goto(live_server.url + reverse("applications:wizard", args=[group.public_id, "applicant"]))
    page.fill("#id_applicant-surname", "")
    page.fill("#id_applicant-date_of_birth_2", "")
    submit(page, "Save and continue")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert axe_violations(page) == []
    summary.get_by_role("link", name="Date of birth must include a year").click()
    assert active(page) == "id_applicant-date_of_birth_2"
    assert page.locator("legend", has_text="Date of birth").first.evaluate(IN_VIEW)
    page.evaluate("window.scrollTo(0, 0)")
    summary.get_by_role("link").first.click()
    assert active(page) == "id_applicant-surname"
    assert page.locator("label[for=id_applicant-surname]").evaluate(IN_VIEW)


# 12. Three short date boxes on one line; the salary box short too.


def boxes_on_one_line(page: Page, name: str) -> None:
    boxes = [page.locator("[name='" + name + "_" + str(i) + "']") for i in range(3)]
    rects = [box.bounding_box() for box in boxes]
    assert all(rect is not None for rect in rects)
    tops = {round(rect["y"]) for rect in rects}
    assert len(tops) == 1, rects  # one line
    assert rects[0]["x"] < rects[1]["x"] < rects[2]["x"]
    assert all(rect["width"] < 110 for rect in rects), rects  # short, not full width
    assert rects[2]["x"] + rects[2]["width"] <= PHONE["width"]


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_a_date_is_three_short_boxes_on_one_line_at_phone_width(
    live_server, phone, axe_violations, language
):
    page = phone.new_page()
    for path in ("apply/eligibility/", "apply/resume/", "status/", "supplementary/"):
        page.goto(live_server.url + "/" + language + "/" + path)
        expect(page.locator("input[type=date]")).to_have_count(0)
        boxes_on_one_line(page, "date_of_birth")
        no_sideways_scroll(page)
        assert axe_violations(page) == []

    client, group = filled_to("employment")
    page = open_in_browser(phone, live_server, client)
    for step, names in (("applicant", ["applicant-date_of_birth"]), ("employment", [])):
        page.goto(live_server.url + reverse("applications:wizard", args=[group.public_id, step]))
        for name in names or ["employment-contract_start", "employment-contract_end"]:
            boxes_on_one_line(page, name)
        no_sideways_scroll(page)
    salary = page.locator("[name='employment-monthly_salary_hkd']").bounding_box()
    assert salary is not None and salary["width"] < 250, salary


def test_the_language_switch_keeps_the_date_boxes(live_server, phone):
    page = phone.new_page()
    page.goto(live_server.url + "/en/apply/eligibility/")
    page.fill("#id_date_of_birth_0", "27")
    page.fill("#id_date_of_birth_1", "3")
    page.fill("#id_date_of_birth_2", "1996")
    with page.expect_navigation():
        page.get_by_role("button", name="繁體中文").click()
    assert page.url.endswith("/zh-hant/apply/eligibility/")
    expect(page.locator("#id_date_of_birth_0")).to_have_value("27")
    expect(page.locator("#id_date_of_birth_1")).to_have_value("3")
    expect(page.locator("#id_date_of_birth_2")).to_have_value("1996")


# 13. A drawn signature drawn again after an error.


def test_a_drawn_signature_is_drawn_again_after_an_error(live_server, phone, axe_violations):
    client, group = filled_to("check")
    page = open_in_browser(phone, live_server, client)
    page.goto(
        live_server.url + reverse("applications:wizard", args=[group.public_id, "declarations"])
    )
    applicant = page.locator("section.wizard-person").first
    expect(applicant.locator("[data-signature-pad]")).to_be_visible()
    draw(page, applicant.locator("canvas"))
    drawn = applicant.locator("[data-signature-data]").input_value()
    assert drawn.startswith("data:image/png;base64,")
    submit(page, "Sign and continue")  # the declaration not ticked: an error
    expect(page.locator("[data-error-summary]")).to_be_focused()

    applicant = page.locator("section.wizard-person").first
    canvas = applicant.locator("canvas")
    expect(canvas).to_have_attribute("data-signature-restored", "")
    inked = canvas.evaluate(
        """(canvas) => {
          const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
          let inked = 0;
          for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) { inked += 1; } }
          return inked;
        }"""
    )
    assert inked > 100  # the strokes are there again, not a blank box
    assert applicant.locator("[data-signature-data]").input_value() == drawn
    assert axe_violations(page) == []

    for block in page.locator("section.wizard-person").all():
        block.get_by_label("I declare").check()
    company = page.locator("section.wizard-person").last
    company.get_by_label("On behalf of the company, I give these undertakings").check()
    company.get_by_label("Or type the full name").fill("Wong Mei Ling")
    submit(page, "Sign and continue")
    signed = Signature.objects.get(group=group, role="applicant")
    assert signed.method == "drawn" and signed.drawn_image == drawn


# 21. Check your answers on paper.


def test_check_your_answers_prints_the_answers_only(live_server, phone, axe_violations):
    client, group = filled_to("documents")
    page = open_in_browser(phone, live_server, client)
    page.goto(live_server.url + reverse("applications:wizard", args=[group.public_id, "check"]))
    button = page.get_by_role("button", name="Print your answers")
    expect(button).to_be_visible()
    assert axe_violations(page) == []
    page.evaluate("window.print = () => { window.printed = true; }")
    button.click()
    assert page.evaluate("window.printed === true")

    page.emulate_media(media="print")
    for hidden in (
        "[data-print-answers]",
        ".language-switch",
        ".check-list__action",
        ".wizard-buttons",
        ".skip-link",
        ".site-footer",
        ".wizard-progress",
    ):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.get_by_role("heading", name="Applicant: CHAN Tai Man")).to_be_visible()
    expect(page.locator(".check-list__value").first).to_be_visible()
    expect(page.locator(".reference").first).to_be_visible()
    styles = page.evaluate(
        """() => {
          const link = document.querySelector(".check-list__action a, .summary-panel a");
          const body = getComputedStyle(document.body);
          const section = getComputedStyle(document.querySelector(".check-section"));
          return {
            after: getComputedStyle(link, "::after").content,
            color: body.color,
            background: body.backgroundColor,
            breakInside: section.breakInside,
          };
        }"""
    )
    assert styles["after"] in ("none", "normal"), styles  # no address written after links
    assert styles["color"] == "rgb(0, 0, 0)"
    assert styles["background"] in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
    assert styles["breakInside"] in ("avoid", "avoid-page")  # Chromium reports "avoid"


def test_without_javascript_there_is_no_print_button(live_server, browser, plain_http):
    client, group = filled_to("documents")
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = open_in_browser(context, live_server, client)
    page.goto(live_server.url + reverse("applications:wizard", args=[group.public_id, "check"]))
    expect(page.get_by_role("button", name="Print your answers")).to_be_hidden()
    expect(page.get_by_role("heading", name="Applicant: CHAN Tai Man")).to_be_visible()
    context.close()


def test_the_pay_page_error_summary_leads_to_the_payment_methods(
    live_server, phone, transactional_db, axe_violations
):
    import datetime

    from django.utils import timezone

    from payments.models import Fee
    from tests.payments.ready import ready_group

    Fee.objects.get_or_create(
        effective_from=timezone.make_aware(datetime.datetime(2025, 6, 30)),
        defaults={"amount_cents": 60000},
    )
    client = Client()
    group = ready_group(client, drafting.trade_with_pool(capacity=3))
    page = open_in_browser(phone, live_server, client)
    page.goto(live_server.url + "/en/payments/" + str(group.public_id) + "/")
    submit(page, "Pay HK$600")  # no method chosen
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert axe_violations(page) == []
    summary.get_by_role("link").first.click()
    assert active(page) == page.locator("#method-choices input").first.get_attribute("id")
    assert page.locator("#method-choices legend").evaluate(IN_VIEW)
