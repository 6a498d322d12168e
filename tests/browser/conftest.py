"""Playwright drives Debian's Chromium (apt-get install chromium); never `playwright install`."""

from pathlib import Path

import axe_playwright_python
import pytest
from django.test.utils import override_settings
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
