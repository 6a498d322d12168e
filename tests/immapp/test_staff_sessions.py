"""Staff sessions end after STAFF_SESSION_IDLE_MINUTES without a request, and in any case
STAFF_SESSION_MAX_HOURS after logging in; applicants' sessions keep SESSION_COOKIE_AGE."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from freezegun import freeze_time

from applications.roles import OFFICER, ensure_roles
from tests.staff import log_in_staff

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"


@pytest.fixture
def officer_client(client):
    user = get_user_model().objects.create_user("officer-b", is_staff=True)
    user.groups.set([ensure_roles()[OFFICER]])
    log_in_staff(client, user)
    return client


def test_a_staff_session_ends_after_the_idle_time(officer_client, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 15
    with freeze_time() as clock:
        assert officer_client.get(ADMIN).status_code == 200
        clock.tick(timedelta(minutes=14))
        assert officer_client.get(ADMIN).status_code == 200  # each request starts it again
        clock.tick(timedelta(minutes=14))
        assert officer_client.get(ADMIN).status_code == 200
        clock.tick(timedelta(minutes=16))
        response = officer_client.get(ADMIN)
        assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_a_busy_staff_session_still_ends_after_the_maximum_time(officer_client, settings):
    settings.STAFF_SESSION_MAX_HOURS = 1
    with freeze_time() as clock:
        for _ in range(6):
            assert officer_client.get(ADMIN).status_code == 200
            clock.tick(timedelta(minutes=10))
        clock.tick(timedelta(minutes=1))
        response = officer_client.get(ADMIN)
        assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_the_staff_session_cookie_lasts_the_idle_time(officer_client, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 15
    response = officer_client.get(ADMIN)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 15 * 60
