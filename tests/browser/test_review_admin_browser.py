"""The officers' workflow pages in a real browser: the case's workflow page and an action's
confirmation page, accessible (axe, WCAG 2.1 AA), refused nothing by the CSP, no horizontal
scrolling at 1280 px."""

import pytest
from django.urls import reverse

from applications import admin_actions
from applications.models import Application
from quota.models import QuotaPool
from tests.applications import drafting
from tests.applications import reviewing as rv

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

from tests.staff import current_code, staff_device  # noqa: E402

PASSWORD = "a long test password 1"


def _log_in(page, live_server, user):
    """Log in as staff do: the password and the authenticator's current code."""
    device = staff_device(user)
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", current_code(device))
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def test_the_workflow_pages_pass_axe_and_the_csp(live_server, browser, axe_violations):
    officer = rv.staff_user("officer", name="officer-b")
    officer.set_password(PASSWORD)
    officer.save()
    principal = rv.principal_of(rv.case(drafting.trade_with_pool()))
    rv.set_status(principal, Application.Status.UNDER_REVIEW)

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda message: "Refused" in message.text and refused.append(message.text))
    _log_in(page, live_server, officer)

    for path in (
        reverse("case_actions:case", args=[principal.pk]),
        reverse("case_actions:action", args=[principal.pk, "approve"]),
        reverse("case_actions:action", args=[principal.pk, "refuse"]),
    ):
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], path + ": horizontal scrolling " + repr(widths)
    assert refused == []

    # Refusing without a note is sent back with the error; with one, it is done.
    page.click("input[type=submit]")
    assert page.locator(".errorlist").count() == 1
    page.fill("textarea[name=note]", "The contract is for another trade.")
    page.click("input[type=submit]")
    page.wait_for_url("**" + admin_actions.case_page_url(principal))  # back on the case page
    assert rv.status_of(principal) == Application.Status.REFUSED
    assert refused == []


def test_the_quota_closing_confirmation_passes_axe_and_the_csp(
    live_server, browser, axe_violations
):
    supervisor = rv.staff_user("supervisor", name="supervisor-b")
    supervisor.set_password(PASSWORD)
    supervisor.save()
    trade = drafting.trade_with_pool()
    pool = QuotaPool.objects.get(trade=trade)

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda message: "Refused" in message.text and refused.append(message.text))
    _log_in(page, live_server, supervisor)
    page.goto(live_server.url + reverse("admin:quota_quotapool_changelist"))
    page.check("input[name=_selected_action][value='" + str(pool.pk) + "']")
    page.select_option("select[name=action]", "close_pools")
    page.click("button[name=index]")

    assert page.locator("h1").inner_text() == "Close these pools?"
    assert axe_violations(page) == []
    assert refused == []
    page.click("input[type=submit]")
    page.wait_for_url("**" + reverse("admin:quota_quotapool_changelist"))
    pool.refresh_from_db()
    assert pool.closed is True
