"""Session fixation: a session cookie planted in the victim's browser before a draft is started
or resumed must not open that draft afterwards. The session key is renewed at each of these."""

import pytest
from django.conf import settings
from django.test import Client

from applications.models import ApplicationGroup
from applications.services import drafts
from tests.applications.wizard_client import date_parts

from .drafting import start, years_ago
from .test_entry_pages import NEW, RESUME, through_statement, wizard_prefix

pytestmark = pytest.mark.django_db

BORN = years_ago(30)
COOKIE = settings.SESSION_COOKIE_NAME


def planted_pair() -> tuple[Client, Client]:
    """An attacker's client with a live session, and a victim's client carrying its cookie."""
    attacker = Client()
    attacker.get("/en/apply/eligibility/")
    session = attacker.session
    session["planted"] = True
    session.save()
    attacker.cookies[COOKIE] = session.session_key
    victim = Client()
    victim.cookies[COOKIE] = session.session_key
    return attacker, victim


def assert_only_the_victim_opens(attacker: Client, victim: Client, address: str) -> None:
    assert victim.get(address).status_code in (200, 302)
    assert attacker.get(address).status_code == 404
    assert attacker.post(address, {}).status_code == 404
    assert victim.cookies[COOKIE].value != attacker.cookies[COOKIE].value


def test_starting_a_draft_renews_the_session_key(trade):
    attacker, victim = planted_pair()
    through_statement(victim, trade)
    response = victim.post(
        NEW, {"contact_email": "victim@example.com", "confirm_email": "victim@example.com"}
    )
    assert response.status_code == 302
    group = ApplicationGroup.objects.get(contact_email="victim@example.com")
    assert_only_the_victim_opens(attacker, victim, wizard_prefix(group) + "applicant/")


def test_resuming_by_reference_renews_the_session_key(trade):
    group = start(trade, date_of_birth=BORN)
    attacker, victim = planted_pair()
    response = victim.post(
        RESUME, {"reference": group.temporary_reference, **date_parts("date_of_birth", BORN)}
    )
    assert response.status_code == 302
    assert_only_the_victim_opens(attacker, victim, wizard_prefix(group) + "applicant/")


def test_resuming_by_link_renews_the_session_key(trade):
    group = start(trade, date_of_birth=BORN)
    attacker, victim = planted_pair()
    response = victim.get(RESUME + drafts.resume_token(group) + "/")
    assert response.status_code == 302
    assert_only_the_victim_opens(attacker, victim, wizard_prefix(group) + "applicant/")


def test_the_renewed_session_keeps_what_it_held(trade):
    """Renewing the key keeps the session's data: drafts opened before stay open."""
    first = start(trade, date_of_birth=BORN)
    second = start(trade, date_of_birth=BORN)
    client = Client()
    client.get(RESUME + drafts.resume_token(first) + "/")
    client.get(RESUME + drafts.resume_token(second) + "/")
    assert client.get(wizard_prefix(first) + "applicant/").status_code == 200
    assert client.get(wizard_prefix(second) + "applicant/").status_code == 200
