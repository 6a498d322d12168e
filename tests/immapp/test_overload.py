"""Load shedding: a request that waited too long in front of the application gets the busy page,
503 and Retry-After, in its language, and nothing it carried is saved."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.translation import override

from applications.models import ApplicationGroup
from immapp.overload import request_start

HEADER = "X-Request-Start"
SHEDDING = override_settings(OVERLOAD_REQUEST_START_HEADER=HEADER, OVERLOAD_MAX_QUEUE_MS=1000)


def waited(seconds: float) -> dict[str, str]:
    """The header nginx would set for a request that arrived `seconds` ago."""
    return {"headers": {HEADER: f"t={time.time() - seconds:.3f}"}}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("t=1700000000.123", 1700000000.123),
        ("1700000000.5", 1700000000.5),
        ("t=1700000000123", 1700000000.123),
        ("t=1700000000123456", 1700000000.123456),
        ("", None),
        ("t=", None),
        ("t=nan", None),
        ("t=-5", None),
        ("t=abc", None),
        ("t=" + "9" * 40, None),
    ],
)
def test_request_start_reads_the_forms_proxies_write(value, expected):
    result = request_start(value)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


@pytest.mark.django_db
@SHEDDING
@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "The service is busy"), ("zh-hant", "系統繁忙"), ("zh-hans", "系统繁忙")],
)
def test_a_request_that_queued_too_long_gets_the_busy_page_in_its_language(language, text):
    with override(language):
        url = reverse("home")
    response = Client().get(url, **waited(5))
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert text in body
    assert f'href="{url}"' in body  # try again, same page


@pytest.mark.django_db
@SHEDDING
def test_a_shed_post_saves_nothing_and_sets_no_cookie():
    """The busy page is answered before the session, the form or the database is touched."""
    client = Client(enforce_csrf_checks=False)
    with override("en"):
        url = reverse("applications:new_draft")
    sessions_before = Session.objects.count()
    response = client.post(url, {"contact_email": "a@example.com"}, **waited(5))
    assert response.status_code == 503
    assert "Retry-After" in response
    assert not response.cookies
    assert Session.objects.count() == sessions_before
    assert not ApplicationGroup.objects.exists()


@pytest.mark.django_db
@SHEDDING
def test_a_request_served_in_time_is_served():
    response = Client().get(reverse("home"), **waited(0.1))
    assert response.status_code == 200


@pytest.mark.django_db
@SHEDDING
def test_health_probes_are_never_shed():
    assert Client().get("/healthz", **waited(30)).status_code == 200


@pytest.mark.django_db
def test_without_a_configured_header_nothing_is_shed():
    response = Client().get(reverse("home"), **waited(30))
    assert response.status_code == 200
