"""The employer link comes from the official sender: sends are limited per draft, per recipient
address and per client, and no text the applicant typed goes into the subject."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from applications.exceptions import EmployerLinkError
from applications.services import employer
from tests.applications import wizard_client as wc

pytestmark = pytest.mark.django_db

HR = "hr@harbour-aero.example"


@pytest.fixture
def limits(settings):
    settings.EMPLOYER_LINK_DAILY_SENDS_PER_DRAFT = 3
    settings.EMPLOYER_LINK_DAILY_SENDS_PER_RECIPIENT = 4
    settings.EMPLOYER_LINK_DAILY_SENDS_PER_CLIENT = 6
    return settings


def handed_over(client: Client, trade, **applicant) -> object:
    """A draft whose company part was handed to HR (one email sent to HR)."""
    group = wc.open_draft(client, trade)
    for step, values in (
        ("applicant", wc.applicant(**applicant)),
        ("qualifications", wc.qualifications()),
        ("employment", wc.employment(trade)),
        ("employer", wc.employer_choice("employer", HR)),
    ):
        assert wc.post(client, group, step, values).status_code == 302, step
    return group


def send_again(client: Client, group, **meta: str):
    address = reverse("applications:send_employer_link", kwargs={"group_id": group.public_id})
    return client.post(address, follow=True, **meta)


def test_the_subject_holds_no_text_the_applicant_typed(client, trade):
    handed_over(client, trade, surname="Winner", given_names="Prize Claim Now")
    message = mail.outbox[-1]
    assert message.subject == "Complete the employing company's part of an application"
    assert "WINNER" not in message.subject.upper() and "Prize" not in message.subject


def test_the_subject_is_translated(client, trade):
    group = handed_over(client, trade)
    type(group).objects.filter(pk=group.pk).update(language="zh-hant")
    group.refresh_from_db()
    employer.send_employer_link(group=group, to="other@harbour-aero.example", client_address="")
    assert mail.outbox[-1].subject == "請填寫申請中僱主公司的部分"


def test_sends_per_draft_are_limited(client, trade, limits):
    group = handed_over(client, trade)
    for _ in range(limits.EMPLOYER_LINK_DAILY_SENDS_PER_DRAFT - 1):
        assert "We sent the link again" in send_again(client, group).content.decode()
    sent = len(mail.outbox)
    for _ in range(20):
        page = send_again(client, group).content.decode()
        assert "The link to the company&#x27;s part has been sent too many times" in page
    assert len(mail.outbox) == sent == limits.EMPLOYER_LINK_DAILY_SENDS_PER_DRAFT


def test_a_new_address_on_the_employer_step_counts_against_the_draft(client, trade, limits):
    group = handed_over(client, trade)
    for n in range(limits.EMPLOYER_LINK_DAILY_SENDS_PER_DRAFT - 1):
        choice = wc.employer_choice("employer", "hr" + str(n) + "@harbour-aero.example")
        assert wc.post(client, group, "employer", choice).status_code == 302
    choice = wc.employer_choice("employer", "late@harbour-aero.example")
    response = wc.post(client, group, "employer", choice)
    assert response.status_code == 200
    assert "sent too many times" in response.content.decode()
    assert mail.outbox[-1].to != ["late@harbour-aero.example"]


def test_sends_per_recipient_are_limited_across_drafts_and_clients(trade, limits):
    groups = [handed_over(Client(REMOTE_ADDR="198.51.100." + str(n)), trade) for n in range(3)]
    # Three sent already, one to go for this recipient, whichever draft or client asks.
    employer.send_employer_link(group=groups[0], to=HR, client_address="203.0.113.1")
    with pytest.raises(EmployerLinkError):
        employer.send_employer_link(group=groups[1], to=HR.upper(), client_address="203.0.113.2")
    employer.send_employer_link(
        group=groups[2], to="people@harbour-aero.example", client_address="203.0.113.3"
    )


def test_sends_per_client_are_limited_across_drafts(trade, limits):
    client = Client(REMOTE_ADDR="203.0.113.50")
    recipients = iter("hr" + str(n) + "@example.com" for n in range(100))
    groups = [handed_over(client, trade) for _ in range(3)]  # three sends from this client
    for group in groups:
        employer.send_employer_link(group=group, to=next(recipients), client_address="203.0.113.50")
    with pytest.raises(EmployerLinkError):  # the seventh from this client
        employer.send_employer_link(
            group=groups[0], to=next(recipients), client_address="203.0.113.50"
        )
    employer.send_employer_link(group=groups[0], to=next(recipients), client_address="192.0.2.8")


def test_a_send_the_mail_server_refused_is_not_counted(client, trade, limits, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    group = handed_over(client, trade)
    real_send = EmailMultiAlternatives.send

    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    for _ in range(5):
        with pytest.raises(EmployerLinkError):
            employer.send_employer_link(group=group, to=HR, client_address="203.0.113.1")
    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    employer.send_employer_link(group=group, to=HR, client_address="203.0.113.1")
