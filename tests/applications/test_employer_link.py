"""The employer's part by its emailed, signed, expiring link: only the employer's steps, the
applicant's name, trade and terms, never the applicant's personal documents."""

import re
import time

import pytest
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from applications import access
from applications.access import employer_token
from applications.models import EmployerPart, Signature
from documents.services import upload_document
from tests.applications import wizard_client as wc
from tests.documents import corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(client, trade):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "employer", mode="employer")
    return group


@pytest.fixture
def token(group):
    found = re.search(r"/employer/(\S+)/company/", mail.outbox[-1].body)
    return found.group(1)


def hr_post(hr: Client, group, token: str, step: str, values: dict):
    data = {**wc.management(group, step, "employer"), **wc.prefixed(step, values)}
    if step in wc.DECLARATION_STEPS:  # as a browser: what the page showed is posted back
        data = {**wc.shown_fields(hr.get(wc.employer_url(token, step)).content.decode()), **data}
    return hr.post(wc.employer_url(token, step), data)


def test_handing_the_part_over_emails_a_link_to_hr(group, token):
    message = mail.outbox[-1]
    assert message.to == ["hr@harbour-aero.example"]
    assert "CHAN Tai Man" in message.body and "CHAN" not in message.subject
    part = EmployerPart.objects.get(group=group)
    assert part.completed_by == "employer" and part.link_sent_to == "hr@harbour-aero.example"
    assert part.link_sent_at is not None


def test_the_link_opens_only_the_employer_steps(group, token):
    hr = Client()
    assert hr.get(wc.employer_url(token, "company")).status_code == 200
    # The applicant's steps are not there: redirected to the company step, refused on POST.
    response = hr.get(wc.employer_url(token, "applicant"))
    assert response.status_code == 302 and response.url == wc.employer_url(token, "company")
    response = hr_post(hr, group, token, "applicant", wc.applicant(surname="Forged"))
    assert response.status_code == 400
    # Nor is the applicant's own wizard, with or without the token.
    assert hr.get(wc.url(group, "applicant")).status_code == 404
    assert hr.get(wc.url(group, "company") + "?employer=" + token).status_code == 404
    # The employer's later steps open only once the company step is done.
    response = hr_post(
        hr,
        group,
        token,
        "employer_declaration",
        wc.signing("employer", "Wong Mei Ling", capacity="HR"),
    )
    assert response.status_code == 400
    assert not Signature.objects.filter(group=group).exists()


def test_hr_sees_name_trade_and_terms_but_not_personal_documents(group, token, trade):
    principal = group.applications.get(role="principal")
    upload_document(
        group=group,
        application=principal,
        requirement_code="A2",
        file=SimpleUploadedFile("applicant-photo.jpg", corpus.jpeg_bytes()),
    )
    hr = Client()
    page = hr.get(wc.employer_url(token, "company")).content.decode()
    assert "CHAN Tai Man" in page and trade.name in page and "HK$32,000" in page
    assert hr_post(hr, group, token, "company", wc.company()).status_code == 302
    page = hr.get(wc.employer_url(token, "employer_documents")).content.decode()
    assert "Company chop" in page
    assert "applicant-photo.jpg" not in page and "Recent photograph" not in page
    assert "data-session-timeout" not in page  # HR has no applicant session to keep alive


def test_hr_completes_and_signs_and_the_applicant_sees_it_done(client, group, token):
    page = client.get(wc.url(group, "employer")).content.decode()
    assert "Not done yet." in page and "Send the link again" in page
    hr = Client()
    assert hr_post(hr, group, token, "company", wc.company()).status_code == 302
    assert hr_post(hr, group, token, "employer_documents", {}).status_code == 302
    response = hr_post(
        hr,
        group,
        token,
        "employer_declaration",
        wc.signing("employer", "Wong Mei Ling", capacity="HR Director"),
    )
    assert response.status_code == 302
    assert response.url == reverse("applications:employer_done", kwargs={"token": token})
    page = client.get(wc.url(group, "employer")).content.decode()
    assert "Done: signed by Wong Mei Ling" in page and "Send the link again" not in page
    assert EmployerPart.objects.get(group=group).company_name_en == (
        "Harbour Aero Engineering Limited"
    )


def test_the_applicant_can_send_the_link_again(client, group):
    before = EmployerPart.objects.get(group=group).link_sent_at
    time.sleep(0.01)
    response = client.post(
        reverse("applications:send_employer_link", kwargs={"group_id": group.public_id})
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 2 and mail.outbox[-1].to == ["hr@harbour-aero.example"]
    assert EmployerPart.objects.get(group=group).link_sent_at > before
    # Nobody else can.
    assert (
        Client()
        .post(reverse("applications:send_employer_link", kwargs={"group_id": group.public_id}))
        .status_code
        == 404
    )


def test_an_expired_or_altered_link_opens_nothing(group, token, monkeypatch):
    hr = Client()
    assert hr.get(wc.employer_url(token[:-2] + "xx", "company")).status_code == 404
    # A token signed at the start of the epoch has long expired.
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: "1")
    old = employer_token(group)
    monkeypatch.undo()
    expired = hr.get(wc.employer_url(old, "company"))
    assert expired.status_code == 410
    assert "This link stopped working on" in expired.content.decode()
    assert "1970" in expired.content.decode()


def test_the_link_stops_working_when_the_applicant_takes_the_part_back(client, group, token):
    assert wc.post(client, group, "employer", wc.employer_choice("applicant")).status_code == 302
    refused = Client().get(wc.employer_url(token, "company"))
    assert refused.status_code == 410
    assert "chosen to fill in the company's part themselves" in refused.content.decode()
    # And the applicant now has the company step.
    assert client.get(wc.url(group, "company")).status_code == 200


def test_sending_to_another_address_revokes_the_old_link(client, group, token):
    hr = Client()
    assert hr.get(wc.employer_url(token, "company")).status_code == 200
    choice = wc.employer_choice("employer", hr_email="people@harbour-aero.example")
    assert wc.post(client, group, "employer", choice).status_code == 302
    assert mail.outbox[-1].to == ["people@harbour-aero.example"]
    new = re.search(r"/employer/(\S+)/company/", mail.outbox[-1].body).group(1)
    assert new != token
    assert Client().get(wc.employer_url(token, "company")).status_code == 410
    assert Client().get(wc.employer_url(new, "company")).status_code == 200
    assert EmployerPart.objects.get(group=group).link_sent_to == "people@harbour-aero.example"


def test_two_sends_in_the_same_second_give_distinct_links_and_only_the_last_works(
    group, token, monkeypatch
):
    from applications.services import employer

    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: "1kQ3Zr")
    links = []
    for _ in range(2):
        employer.send_employer_link(
            group=group, to="hr@harbour-aero.example", client_address="203.0.113.5"
        )
        links.append(re.search(r"/employer/(\S+)/company/", mail.outbox[-1].body).group(1))
    monkeypatch.undo()
    assert links[0] != links[1]
    assert access.group_for_employer_token(links[0], max_age=10**10) is None
    assert access.group_for_employer_token(links[1], max_age=10**10) == group
    assert access.group_for_employer_token(token) is None


def test_a_failed_send_keeps_the_current_link(group, token, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    from applications.services import employer

    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    with pytest.raises(employer.EmployerLinkError):
        employer.send_employer_link(
            group=group, to="other@harbour-aero.example", client_address="203.0.113.5"
        )
    assert Client().get(wc.employer_url(token, "company")).status_code == 200


def test_handing_the_part_over_again_after_taking_it_back_sends_a_new_link(client, group, token):
    assert wc.post(client, group, "employer", wc.employer_choice("applicant")).status_code == 302
    part = EmployerPart.objects.get(group=group)
    assert part.link_sent_at is None and part.link_nonce
    sent = len(mail.outbox)
    choice = wc.employer_choice("employer", hr_email="hr@harbour-aero.example")
    assert wc.post(client, group, "employer", choice).status_code == 302
    assert len(mail.outbox) == sent + 1
    new = re.search(r"/employer/(\S+)/company/", mail.outbox[-1].body).group(1)
    assert Client().get(wc.employer_url(token, "company")).status_code == 410
    assert Client().get(wc.employer_url(new, "company")).status_code == 200
