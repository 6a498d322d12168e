"""The back-office pages an officer uses, in a real browser under the site's CSP: axe finds
nothing (WCAG 2.1 AA and best practice), the console shows no refused style or script, and
nothing scrolls sideways in a 1280 px window; in English and in Traditional Chinese."""

import pprint

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from applications.models import ApplicationGroup
from documents import services as document_services
from quota.models import QuotaPool
from tests.applications import casework, drafting
from tests.applications.submitting import paying_group, submit
from tests.documents.conftest import uploaded
from tests.documents.corpus import jpeg_bytes
from tests.factories import SkilledTradeFactory
from tests.staff import log_in_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def back_office(settings):
    """A submitted group with a dependant and an uploaded file, a trade pool, and the pages
    (name, address) of each, with the role that uses it."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.LANGUAGE_COOKIE_SECURE = False
    trade = SkilledTradeFactory()
    overall = drafting.overall_pool()
    pool = QuotaPool.objects.create(
        trade=trade,
        overall=overall,
        starts_on=overall.starts_on,
        ends_on=overall.ends_on,
        capacity=50,
    )
    group = paying_group(trade, dependants=1)
    ApplicationGroup.objects.filter(pk=group.pk).update(status=ApplicationGroup.Status.DRAFT)
    group.refresh_from_db()
    document_services.upload_document(
        group=group,
        application=group.principal,
        requirement_code="A2",
        # A long name without spaces, as scanners and phones name files.
        file=uploaded(jpeg_bytes(), "Scan_" + "0123456789" * 12 + ".jpg"),
    )
    ApplicationGroup.objects.filter(pk=group.pk).update(
        status=ApplicationGroup.Status.PAYMENT_PENDING
    )
    submit(group)
    return {
        "case list": ("officer", reverse("admin:applications_application_changelist")),
        "case list, searched": (
            "supervisor",
            reverse("admin:applications_application_changelist") + "?q=chan&status=submitted",
        ),
        "case page": (
            "officer",
            reverse("admin:applications_application_change", args=[group.principal.pk]),
        ),
        "reports": ("officer", reverse("admin:applications_application_dashboard")),
        "uploads list": ("officer", reverse("admin:documents_upload_changelist")),
        "quota pools": ("officer", reverse("admin:quota_quotapool_changelist")),
        "quota pool, supervisor's form": (
            "supervisor",
            reverse("admin:quota_quotapool_change", args=[pool.pk]),
        ),
        "home": ("officer", reverse("admin:index")),
    }


def open_as(browser, live_server, role: str, language: str):
    client = Client()
    log_in_staff(client, casework.staff_user(role))
    context = browser.new_context(viewport=DESKTOP)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
        ]
    )
    return context.new_page()


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_admin_pages_pass_axe_csp_and_fit_1280_px(
    live_server, browser, axe_violations, back_office, language
):
    problems = {}
    pages = {}
    for name, (role, path) in back_office.items():
        if role not in pages:
            pages[role] = open_as(browser, live_server, role, language)
        page = pages[role]
        refused: list[str] = []
        page.on("console", lambda message, seen=refused: seen.append(message.text))
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, (name, response)
        assert page.locator("html").get_attribute("lang") == language
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        # Read before axe runs: its own scan may trip the policy, the page must not.
        console = [text for text in refused if "Content Security Policy" in text]
        found = {
            "console": console,
            "axe": axe_violations(page),
            "overflow": widths if widths[0] > widths[1] else None,
        }
        found = {key: value for key, value in found.items() if value}
        if found:
            problems[name] = found
    for page in pages.values():
        page.context.close()
    assert problems == {}, pprint.pformat(problems, width=100)
