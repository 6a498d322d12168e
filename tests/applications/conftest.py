"""Fixtures shared by the applications tests; a test file may override them with its own."""

import os

import pytest

from tests.applications import drafting


@pytest.fixture
def trade():
    """An active trade whose pools (trade and overall) have room."""
    return drafting.trade_with_pool()


@pytest.fixture
def redis_cache(settings):
    """The production cache backend, on the Redis devstack found (REDIS_URL)."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("no Redis: REDIS_URL is empty")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "immapp-test-" + str(os.getpid()),
        }
    }
    from django.core.cache import cache

    yield cache
    cache.clear()
