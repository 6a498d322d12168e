"""Playwright drives Debian's Chromium (apt-get install chromium); never `playwright install`."""

from pathlib import Path

import axe_playwright_python
import pytest
from django.test.utils import override_settings
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

CHROMIUM = "/usr/bin/chromium"
AXE_SCRIPT = Path(axe_playwright_python.__file__).parent / "axe.min.js"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(CHROMIUM + " is missing: apt-get install -y chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def axe_script() -> Path:
    assert AXE_SCRIPT.exists(), "axe.min.js ships inside axe_playwright_python"
    return AXE_SCRIPT


@pytest.fixture
def axe_violations(axe_script):
    """Run axe-core on a page and return its violations as (rule, impact, first targets).

    The script goes in through page.evaluate, which the DevTools protocol runs outside the
    page's Content-Security-Policy; add_script_tag would be refused by script-src 'self'. So
    the page is scanned exactly as served, CSP included.
    """
    source = axe_script.read_text(encoding="utf-8")

    def scan(page: Page) -> list[tuple[str, str, list]]:
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(source)
        result = page.evaluate("async () => await axe.run(document)")
        assert result["passes"], "axe ran no checks"
        return [
            (rule["id"], rule["impact"], [node["target"] for node in rule["nodes"]][:3])
            for rule in result["violations"]
        ]

    return scan


@pytest.fixture(scope="session")
def live_server(django_db_setup):
    """pytest-django's live server, on plain HTTP.

    The server builds its middleware once, when it starts, so the per-test setting of
    tests/conftest.py comes too late: SecurityMiddleware would redirect every request to https.
    Depending on django_db_setup stops the server before the test database is dropped.
    """
    with override_settings(SECURE_SSL_REDIRECT=False):
        server = LiveServer("localhost")
        yield server
        server.stop()
