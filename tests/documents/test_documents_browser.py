"""The documents page in a real browser, under its CSP, at 360 px: the script uploads with
progress and shows the verdict as it changes, without reloading; axe finds no violation."""

from pathlib import Path

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from playwright.sync_api import expect

from applications.access import SESSION_KEY
from documents.models import Upload
from documents.tasks import inspect_upload_task
from tests.documents.corpus import jpeg_bytes
from tests.factories import PrincipalFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_documents(page, live_server, settings):
    """Open a new group's documents page in `page`, as the browser that started the group."""
    settings.CSRF_COOKIE_SECURE = settings.SESSION_COOKIE_SECURE = False
    group = PrincipalFactory().group
    session = SessionStore()
    session[SESSION_KEY] = [str(group.public_id)]
    session.create()
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session.session_key}
    page.context.add_cookies([{**cookie, "url": live_server.url}])
    page.goto(live_server.url + reverse("documents:group", args=[group.public_id]))
    return page


def assert_accessible(page, live_server) -> None:
    """axe finds no violation and nothing overflows 360 px. axe is loaded as a same-origin
    script (the browser is handed the file for that address), so the page's CSP stays on."""
    import axe_playwright_python

    script = Path(axe_playwright_python.__file__).parent / "axe.min.js"
    page.route("**/__axe.min.js", lambda route: route.fulfill(path=script))
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(url=live_server.url + "/__axe.min.js")
    result = page.evaluate("axe.run()")
    assert [violation["id"] for violation in result["violations"]] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.fixture
def documents_page(page, live_server, settings):
    return open_documents(page, live_server, settings)


def test_upload_and_refusal_show_without_reloading(
    documents_page, live_server, tmp_path, _queued_inspections
):
    page = documents_page
    page.set_viewport_size({"width": 360, "height": 740})
    assert_accessible(page, live_server)
    photo = tmp_path / "me.jpg"
    photo.write_bytes(jpeg_bytes())
    page.evaluate("window.notReloaded = true")
    page.set_input_files("#file-0-A2", str(photo))
    page.click("#item-0-A2 .doc-upload button")
    page.wait_for_selector("#item-0-A2 .doc-file--pending")
    assert "Being checked" in page.inner_text("#item-0-A2")

    # The worker's part, done here: the page finds out by itself.
    inspect_upload_task(Upload.objects.get().pk)
    page.wait_for_selector("#item-0-A2 .doc-item__state--accepted", timeout=10_000)
    assert page.evaluate("window.notReloaded") is True
    # The live region is emptied, then filled 50 ms later (so screen readers announce it again).
    expect(page.locator("[data-live]")).to_contain_text("Accepted")
    assert _queued_inspections == [Upload.objects.get().pk]

    # A refusal shows in its item, and nothing is stored.
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    page.set_input_files("#file-0-A4", str(empty))
    page.click("#item-0-A4 .doc-upload button")
    page.wait_for_selector("#item-0-A4 [data-error]:not([hidden])")
    assert "The file is empty" in page.inner_text("#item-0-A4 [data-error]")
    assert Upload.objects.count() == 1 and page.evaluate("window.notReloaded") is True
    assert_accessible(page, live_server)  # with a file listed and an error shown


def test_progress_shows_and_rises_while_the_file_is_sent(
    documents_page, tmp_path, _queued_inspections
):
    """The upload is held back by page.route, then let go; the bar's changes are recorded by a
    MutationObserver the test adds (page.evaluate: outside the page's CSP). Chromium reports
    upload progress for an intercepted request only once it is let go, so: shown at 0 while
    held, above 0 before the answer replaces the item, hidden again after."""
    page = documents_page
    while_held = []

    def hold(route):
        while_held.append(page.evaluate("window.barValues.slice()"))
        route.continue_()

    page.route("**/upload/", hold)
    big = tmp_path / "scan.jpg"
    big.write_bytes(jpeg_bytes() + b"\0" * (3 * 1024 * 1024))
    bar = "#item-0-A4 .doc-upload progress"
    assert page.is_hidden(bar)
    page.evaluate(
        """(selector) => {
            const bar = document.querySelector(selector);
            window.barValues = [];
            new MutationObserver(() => window.barValues.push([bar.hidden, bar.value]))
                .observe(bar, {attributes: true});
        }""",
        bar,
    )
    page.set_input_files("#file-0-A4", str(big))
    page.click("#item-0-A4 .doc-upload button")
    page.wait_for_selector("#item-0-A4 .doc-file--pending")
    assert while_held == [[[False, 0]]]  # shown, at 0, while the request was held
    values = page.evaluate("window.barValues")
    assert all(hidden is False for hidden, _ in values)
    assert values[-1][1] > 0 and [v for _, v in values] == sorted(v for _, v in values)
    assert page.is_hidden(bar)  # the item's new form, ready for the next file
    assert Upload.objects.count() == 1
