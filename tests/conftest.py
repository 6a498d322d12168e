"""Test-only adjustments of the settings, and fixtures every app's tests use."""

import os
from pathlib import Path

import axe_playwright_python
import pytest
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
from django.utils import translation
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from tests.staff import log_in_staff

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Plain HTTP, a private cache per test, and no real broker unless a test asks for one."""
    settings.SECURE_SSL_REDIRECT = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    """Each test stores uploads in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media"), "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts and ends in the default language: a test-client request in Chinese leaves
    its language active in the thread (LocaleMiddleware does not undo it), which would otherwise
    decide the language of whatever the next test renders outside a request."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def admin_client(db, admin_user) -> Client:
    """pytest-django's admin_client, logged in with the second factor the back office asks
    for (tests/staff.py)."""
    client = Client()
    log_in_staff(client, admin_user)
    return client


# Browser tests: Playwright drives Debian's Chromium (apt-get install chromium); never
# `playwright install`. These fixtures serve every test folder that opens a page.
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


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests that commit (transactional, the live server's browser tests) run after every test
    that rolls back: they flush the tables when they end, seeded rows included, and a test
    relying on the migrations' seed (the eight trades, the fee) must run before that. This is
    pytest-django's own order, made sure of once every plugin has sorted."""

    def commits(item) -> bool:
        marker = item.get_closest_marker("django_db")
        transactional = bool(
            marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
        )
        names = getattr(item, "fixturenames", ())
        return transactional or "transactional_db" in names or "live_server" in names

    items.sort(key=commits)
