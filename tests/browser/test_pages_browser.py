"""The public pages in a real browser: small and large screens, keyboard, accessibility scan."""

import pytest
from playwright.sync_api import Browser, Page

from immapp.guide import GUIDE_PAGES

# The pages only read what migrations seed (the trades), committed before any test runs, so the
# live server's own connection sees it without a transactional (flushing) test database.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}
PAGES = ("", "guide/eligibility/", "guide/documents/")
OTHER_LANGUAGE = {"en": "zh-hant", "zh-hant": "en"}


def open_page(browser: Browser, url: str, viewport: dict) -> Page:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(url)
    return page


def focused(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {tag: el.tagName.toLowerCase(), id: el.id, cls: el.className,
                    hreflang: el.getAttribute('hreflang') || ''};
        }"""
    )


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
@pytest.mark.parametrize("language", OTHER_LANGUAGE)
@pytest.mark.parametrize("path", PAGES, ids=["home", "eligibility", "documents"])
def test_page_fits_the_screen_and_works_by_keyboard(live_server, browser, viewport, language, path):
    url = live_server.url + "/" + language + "/" + path
    page = open_page(browser, url, VIEWPORTS[viewport])
    refused = []
    page.on("console", lambda message: "Refused" in message.text and refused.append(message.text))
    page.reload()
    assert page.locator("html").get_attribute("lang") == language

    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], "horizontal scrolling: " + repr(widths)

    # The skip link is the first Tab stop, becomes visible, and moves focus to main.
    page.keyboard.press("Tab")
    assert "skip-link" in focused(page)["cls"]
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main-content"

    # The language switch is reached by keyboard and opens the same page in the other language.
    other = OTHER_LANGUAGE[language]
    page.goto(url)
    for _ in range(10):
        page.keyboard.press("Tab")
        if focused(page)["hreflang"] == other:
            break
    else:
        raise AssertionError("language link not reached by keyboard")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_server.url + "/" + other + "/" + path
    assert page.locator("html").get_attribute("lang") == other
    assert not refused, "CSP blocked something the page needs: " + repr(refused)
    page.context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
@pytest.mark.parametrize("language", OTHER_LANGUAGE)
@pytest.mark.parametrize("path", PAGES, ids=["home", "eligibility", "documents"])
def test_axe_finds_no_accessibility_violations(
    live_server, browser, axe_violations, viewport, language, path
):
    page = open_page(browser, live_server.url + "/" + language + "/" + path, VIEWPORTS[viewport])
    assert axe_violations(page) == []
    page.context.close()


def test_no_public_page_scrolls_sideways_at_320_px(live_server, browser):
    """WCAG 1.4.10 reflow: 320 CSS px is a 1280 px window zoomed to 400 %."""
    paths = ["", "apply/", *["guide/" + guide.slug + "/" for guide in GUIDE_PAGES]]
    page = open_page(browser, live_server.url + "/en/", {"width": 320, "height": 640})
    too_wide = []
    for language in ("en", "zh-hant", "zh-hans"):
        for path in paths:
            page.goto(live_server.url + "/" + language + "/" + path)
            widths = page.evaluate(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            if widths[0] > widths[1]:
                too_wide.append((language, path, widths))
    assert too_wide == []
    page.context.close()
