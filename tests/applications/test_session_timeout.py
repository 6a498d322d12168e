"""The session-timeout warning: its include, its script and the keep-alive view."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from tests.applications.wizard_client import date_parts

from .drafting import start, trade_with_pool

pytestmark = pytest.mark.django_db

KEEPALIVE = "/en/apply/session/keepalive/"
SCRIPT = Path(settings.BASE_DIR) / "applications/static/applications/session-timeout.js"


def include_html(age: int) -> str:
    request = RequestFactory().get("/en/apply/")
    from django.middleware.csrf import get_token

    get_token(request)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "SESSION_COOKIE_AGE", age)
        return render_to_string("applications/entry/session_timeout.html", request=request)


def test_the_include_passes_the_numbers_as_data_attributes_without_inline_script():
    html = include_html(1800)
    assert 'data-timeout-seconds="1800"' in html
    assert 'data-warning-seconds="120"' in html
    assert 'data-keepalive-url="/en/apply/session/keepalive/"' in html
    assert 'role="alertdialog"' in html
    assert 'aria-modal="true"' in html
    assert 'aria-labelledby="session-timeout-title"' in html
    assert 'aria-describedby="session-timeout-text"' in html
    assert "Stay signed in" in html
    assert re.search(r'<button type="button"[^>]*data-keepalive', html)
    assert 'name="csrfmiddlewaretoken"' in html
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", html, re.S)
    assert scripts == [""]
    assert '<script src="/static/applications/session-timeout.js" defer>' in html


def test_the_include_follows_the_session_age():
    assert 'data-timeout-seconds="300"' in include_html(300)


def test_the_script_moves_focus_keeps_it_in_the_dialog_and_calls_the_keepalive():
    source = SCRIPT.read_text()
    assert "button.focus()" in source
    assert 'event.key === "Escape"' in source
    assert 'event.key === "Tab"' in source
    assert '"X-CSRFToken"' in source
    assert "data-timeout-seconds" in source


def test_pages_with_a_session_carry_the_warning(client):
    trade = trade_with_pool()
    client.post(
        "/en/apply/eligibility/",
        {
            **date_parts("date_of_birth", datetime.date(1996, 5, 1)),
            "nationality": "GB",
            "residence": "overseas",
            "trade": trade.code,
            "contract_months": "36",
        },
    )
    html = client.get("/en/apply/privacy/").content.decode()
    assert "data-session-timeout" in html
    assert "/static/applications/session-timeout.js" in html
    client.post("/en/apply/privacy/", {"acknowledge": "on"})
    assert "data-session-timeout" in client.get("/en/apply/new/").content.decode()


def test_the_statement_read_outside_the_start_has_no_warning(client):
    assert "data-session-timeout" not in client.get("/en/apply/privacy/").content.decode()


def test_keepalive_extends_a_live_session(client, settings):
    settings.SESSION_COOKIE_AGE = 600
    group = start(trade_with_pool())
    session = client.session
    session["applications.open_groups"] = [str(group.public_id)]
    session.save()
    before = client.session.get_expiry_date()
    response = client.post(KEEPALIVE)
    assert response.status_code == 200
    assert response.json() == {"active": True, "expires_in": 600}
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == 600
    after = client.session.get_expiry_date()
    assert after >= before
    assert after - datetime.datetime.now(tz=datetime.UTC) > datetime.timedelta(seconds=590)


def test_keepalive_says_when_the_session_has_ended(client):
    response = client.post(KEEPALIVE)
    assert response.status_code == 410
    assert response.json() == {"active": False}


def test_keepalive_takes_only_posts_with_the_csrf_token():
    strict = Client(enforce_csrf_checks=True)
    assert strict.get(KEEPALIVE).status_code == 405
    assert strict.post(KEEPALIVE).status_code == 403
