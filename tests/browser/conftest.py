"""Fixtures of the browser tests."""

import pytest


@pytest.fixture
def plain_http(settings):
    """The live server speaks plain HTTP: cookies marked Secure would never come back."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.LANGUAGE_COOKIE_SECURE = False
    return settings
