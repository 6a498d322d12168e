"""The quota status page in a real browser: a phone's width, keyboard, accessibility scan."""

import pytest

# The live server has its own connection: the rows it shows must be committed.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans"])
def test_status_page_fits_a_phone_and_passes_the_accessibility_scan(
    live_server, browser, axe_violations, make_quota, language
):
    setup = make_quota(overall=100, trades=(40,))
    trade = setup.trades[0]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_server.url + "/" + language + "/quota/")

    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], "horizontal scrolling: " + repr(widths)
    name = {"en": trade.name_en, "zh-hant": trade.name_zh_hant, "zh-hans": trade.name_zh_hans}
    row = page.locator(".quota-status tbody tr", has_text=name[language])
    assert row.locator("td.numeric").inner_text() == "40"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link moves focus to the main content
    assert page.evaluate("() => document.activeElement.id") == "main-content"
    assert axe_violations(page) == []
    context.close()
