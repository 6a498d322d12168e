"""Employer HR's first page (what this is, the documents to have ready, how long the link
lasts, the collection statement, Save and exit), and the fuller declarations with the
recorded signatures shown back, through the test client."""

import re
from html import unescape

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from applications.models import Signature
from tests.applications import wizard_client as wc

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(client, trade):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "employer", mode="employer")
    client.group = group
    return re.search(r"/employer/(\S+)/company/", mail.outbox[-1].body).group(1)


def hr_post(hr: Client, group, token: str, step: str, values: dict, **extra):
    data = {**wc.management(group, step, "employer"), **wc.prefixed(step, values), **extra}
    if step in wc.DECLARATION_STEPS:  # as a browser: what the page showed is posted back
        data = {**wc.shown_fields(hr.get(wc.employer_url(token, step)).content.decode()), **data}
    return hr.post(wc.employer_url(token, step), data)


def test_hrs_first_page_says_what_this_is_and_what_to_prepare(token):
    html = unescape(Client().get(wc.employer_url(token, "company")).content.decode())
    assert "This link opens that part only." in html
    assert "Documents to have ready" in html
    for label in ("Company chop", "Proof for the specific skilled trade"):
        assert "<li>" + label + "</li>" in html
    unless = html.split("Unless the company is listed on the Main Board or GEM", 1)[1]
    assert "Business Registration Certificate" in unless.split("</ul>", 1)[0]
    assert "This link works until" in html
    assert "the same link brings you back to what you saved" in html
    assert 'href="' + reverse("applications:pics") + '">Personal Information' in html
    assert 'name="wizard_save_exit"' in html


def test_hr_saves_and_exits_and_the_same_link_brings_the_input_back(client, token):
    group = client.group
    hr = Client()
    typed = wc.company(company_name_en="Harbour Aero", business_registration_number="")
    response = hr_post(hr, group, token, "company", typed, wizard_save_exit="1")
    assert response.status_code == 200
    html = response.content.decode()
    assert "The company's part is saved" in html and "open the same link" in html
    # Later, in another browser, the same link shows what was typed, unvalidated.
    page = Client().get(wc.employer_url(token, "company")).content.decode()
    assert 'value="Harbour Aero"' in page
    assert "There is a problem" not in page


def test_every_declaration_warns_that_a_false_statement_is_an_offence(client, trade):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "check")
    html = unescape(client.get(wc.url(group, "declarations")).content.decode())
    warning = "commits an offence under the Immigration Ordinance (Cap. 115)"
    assert html.count(warning) == 2  # the applicant's and the company's
    assert "pay the salary and fringe benefits, stated in this application" in html
    assert "if the employment ends before the end of the contract" in html


def test_the_company_must_give_its_undertakings(client, token):
    group = client.group
    hr = Client()
    assert hr_post(hr, group, token, "company", wc.company()).status_code == 302
    assert hr_post(hr, group, token, "employer_documents", {}).status_code == 302
    values = wc.signing("employer", "Wong Mei Ling", capacity="HR Director")
    del values["sigemployer_undertaking"]
    response = hr_post(hr, group, token, "employer_declaration", values)
    assert response.status_code == 200
    assert "Confirm the company's undertakings" in unescape(response.content.decode())
    assert not Signature.objects.filter(group=group).exists()


def test_recorded_signatures_are_shown_back(client, token):
    group = client.group
    hr = Client()
    assert hr_post(hr, group, token, "company", wc.company()).status_code == 302
    assert hr_post(hr, group, token, "employer_documents", {}).status_code == 302
    values = wc.signing("employer", "Wong Mei Ling", capacity="HR Director", drawn=True)
    response = hr_post(hr, group, token, "employer_declaration", values)
    done = hr.get(response["Location"]).content.decode()
    signature = Signature.objects.get(group=group)
    assert "Signed by Wong Mei Ling (HR Director) on" in done
    assert '<img class="signature-record__image" src="' + signature.drawn_image + '"' in done
    assert 'alt="Signature of Wong Mei Ling, drawn"' in done

    # The applicant signs with a typed name; the status page shows both back.
    wc.fill_to(client, group, trade=group.principal.trade, last="check", mode="employer")
    response = wc.post(client, group, "declarations", wc.signing("0", "CHAN Tai Man"))
    assert response.status_code == 302
    status = unescape(client.get(response["Location"]).content.decode())
    assert "Signatures given" in status
    assert "Signed by CHAN Tai Man on" in status
    assert '<p class="signature-record__typed">' in status and "CHAN Tai Man</p>" in status
    assert "Signed by Wong Mei Ling (HR Director) on" in status
