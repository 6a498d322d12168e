"""Fixtures shared by the applications tests; a test file may override them with its own."""

import os

import pytest

from applications.services import readiness
from tests.applications import drafting
from tests.applications import wizard_client as wc


@pytest.fixture
def trade():
    """An active trade whose pools (trade and overall) have room."""
    return drafting.trade_with_pool()


@pytest.fixture
def ready_group(client, trade):
    """The applicant alone, company filled in by the applicant, all signed and uploaded: ready
    to pay, and open in `client`'s session."""
    from tests.applications.test_wizard_flow import upload_everything

    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "check")
    values = {
        **wc.signing("0", "CHAN Tai Man"),
        **wc.signing("employer", "Wong Mei Ling", capacity="HR Director"),
    }
    assert wc.post(client, group, "declarations", values).status_code == 302
    upload_everything(group)
    assert readiness(group).ready, readiness(group).missing
    return group


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
