"""Logging in to the back office: a password of 12 characters or more, a second factor (the code
of the staff member's authenticator app), and a lockout after repeated failures.

The review found 30 wrong passwords accepted in 9 seconds, then the right one logging in.
"""

import base64
import io
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from applications.roles import OFFICER, ensure_roles
from tests.factories import PrincipalFactory
from tests.staff import current_code, log_in_staff, staff_device

pytestmark = pytest.mark.django_db

PASSWORD = "harbour-lift-49-tide"
LOGIN = "/admin/login/?next=/admin/"
ADMIN = "/admin/"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Thirty log-ins with the real hasher take twenty seconds; the rules tested are the same."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def officer():
    user = get_user_model().objects.create_user("officer-a", password=PASSWORD, is_staff=True)
    user.groups.set([ensure_roles()[OFFICER]])
    return user


def log_in(client: Client, password: str = PASSWORD, code: str = "", username="officer-a"):
    data = {"username": username, "password": password, "otp_token": code, "next": ADMIN}
    return client.post(LOGIN, data)


def logged_in(client: Client) -> bool:
    return client.get(ADMIN).status_code == 200


def test_password_and_the_current_code_log_staff_in(client, officer):
    response = log_in(client, code=current_code(staff_device(officer)))
    assert response.status_code == 302 and response.url == ADMIN
    assert logged_in(client)


def test_a_password_alone_does_not_log_staff_in(client, officer):
    staff_device(officer)
    response = log_in(client)
    assert response.status_code == 200
    assert not logged_in(client)


def test_a_wrong_code_is_answered_as_a_wrong_password_is(client, officer):
    device = staff_device(officer)
    wrong = str((int(current_code(device)) + 1) % 10**6).zfill(6)
    wrong_code = log_in(client, code=wrong)
    wrong_password = log_in(Client(), password=PASSWORD + "x", code=current_code(device))
    assert not logged_in(client)
    error = "Enter the user name, password and authentication code of a staff account"
    assert error in wrong_code.content.decode() and error in wrong_password.content.decode()


def test_staff_without_an_authenticator_cannot_log_in(client, officer):
    response = log_in(client, code="123456")
    assert response.status_code == 200
    assert not logged_in(client)


def test_a_code_logs_in_once(client, officer):
    code = current_code(staff_device(officer))
    assert log_in(client, code=code).status_code == 302
    other = Client()
    assert log_in(other, code=code).status_code == 200
    assert not logged_in(other)


def test_a_session_without_the_second_factor_opens_nothing_of_the_back_office(client, officer):
    group = PrincipalFactory().group
    documents = reverse("documents:group", args=[group.public_id])
    client.force_login(officer)  # the password's half of a log-in
    assert client.get(ADMIN).status_code == 302
    assert client.get(documents).status_code == 404
    log_in_staff(client, officer)
    assert client.get(ADMIN).status_code == 200
    assert client.get(documents).status_code == 200


def test_repeated_wrong_passwords_lock_the_account_out_even_with_the_right_one(officer):
    device = staff_device(officer)
    attacker = Client()
    for _ in range(30):
        log_in(attacker, password="Password" + str(_))
    response = log_in(attacker, code=current_code(device))
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert not logged_in(attacker)
    # The account is locked from every address, the attacker's address for every account.
    elsewhere = Client(REMOTE_ADDR="198.51.100.20")
    assert log_in(elsewhere, code=current_code(device)).status_code == 429
    other = get_user_model().objects.create_user("officer-c", password=PASSWORD, is_staff=True)
    other_code = current_code(staff_device(other))
    assert log_in(attacker, username="officer-c", code=other_code).status_code == 429
    with freeze_time(timedelta(minutes=16), tick=True):  # after the cool-off
        device.refresh_from_db()
        assert log_in(elsewhere, code=current_code(device)).status_code == 302


def test_wrong_codes_count_as_failures_too(officer):
    device = staff_device(officer)
    client = Client()
    for _ in range(5):
        log_in(client, code="000000")
    assert log_in(client, code=current_code(device)).status_code == 429
    assert not logged_in(client)


def test_the_lockout_page_speaks_the_staff_members_language(officer):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hant")
    for _ in range(6):
        response = log_in(client, password="wrong")
    assert response.status_code == 429
    assert "登入失敗次數太多" in response.content.decode()


@pytest.mark.parametrize(
    ("password", "accepted"),
    [("Harbour-7qz!", True), ("Harbour-7qz", False)],  # 12 and 11 characters
)
def test_a_staff_password_has_at_least_12_characters(officer, password, accepted):
    if accepted:
        validate_password(password, user=officer)
    else:
        with pytest.raises(ValidationError) as error:
            validate_password(password, user=officer)
        assert [e.code for e in error.value.error_list] == ["password_too_short"]


def test_the_first_staff_account_as_readme_says_it(monkeypatch, client):
    # createsuperuser, then enrol_staff_totp prints the authenticator's key.
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", "--noinput", username="chief", email="chief@example.invalid")
    out = io.StringIO()
    call_command("enrol_staff_totp", "chief", stdout=out)
    uri = next(line for line in out.getvalue().split() if line.startswith("otpauth://"))
    query = parse_qs(urlsplit(uri).query)
    assert query["issuer"] == ["TP Stream e-Application"]
    secret = query["secret"][0]
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    code = str(totp(key)).zfill(6)  # what the staff member's app shows
    response = log_in(client, username="chief", code=code)
    assert response.status_code == 302 and logged_in(client)
    # Enrolling again replaces the authenticator: the old key no longer works.
    call_command("enrol_staff_totp", "chief", stdout=io.StringIO())
    assert TOTPDevice.objects.filter(user__username="chief").count() == 1
    assert TOTPDevice.objects.get(user__username="chief").bin_key != key
