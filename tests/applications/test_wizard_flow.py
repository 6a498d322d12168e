"""A whole group from the first step to "ready to pay", through the test client.

The applicant, a spouse, a child under 16 (a guardian signs), a child of 16 or 17 (signs
themselves), and the employer's part done by HR through its emailed link; documents uploaded
through the documents app's service and inspected by its task function.
"""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import Application, Signature
from applications.services import readiness
from documents.services import checklist_for_group, inspect_upload, upload_document
from tests.applications import drafting
from tests.applications import wizard_client as wc
from tests.documents import corpus

pytestmark = pytest.mark.django_db


def upload_everything(group) -> None:
    """Upload a valid file for every item the checklist needs, and inspect it."""
    checklist = checklist_for_group(group=group)
    for person in checklist.people:
        for item in person.items:
            if not item.needed:
                continue
            if item.requirement.carries_photo:
                data, name = corpus.jpeg_bytes(), "photo.jpg"
            else:
                data, name = corpus.pdf_bytes(colour=False), "scan.pdf"
            upload = upload_document(
                group=group,
                application=person.application,
                requirement_code=item.code,
                file=SimpleUploadedFile(name, data),
            )
            inspect_upload(upload_id=upload.pk)


def test_a_whole_group_reaches_ready_to_pay(client):
    trade = drafting.trade_with_pool()
    group = wc.open_draft(client, trade)
    rows = [
        wc.dependant("spouse"),
        wc.dependant("child", wc.years_ago(10), given_names="Ka Ho"),
        wc.dependant("child", wc.years_ago(16, days=30), given_names="Ka Yan"),
    ]
    wc.fill_to(client, group, trade, "check", mode="employer", rows=rows)

    # The employer's link went to HR; the applicant's steps have no company step.
    assert len(mail.outbox) == 1
    link = re.search(r"http\S+/employer/(\S+)/company/", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    token = link.group(1)
    assert "company" not in client.get(wc.url(group, "check")).context["wizard"]["steps"].all

    # Employer HR, in a browser of its own, sees the applicant's name, trade and terms.
    hr = type(client)()
    page = hr.get(wc.employer_url(token, "company"))
    assert page.status_code == 200
    assert "CHAN Tai Man" in page.content.decode()
    assert "Aircraft maintenance technician" in page.content.decode()
    data = {**wc.management(group, "company", "employer"), **wc.prefixed("company", wc.company())}
    assert hr.post(wc.employer_url(token, "company"), data).status_code == 302
    data = wc.management(group, "employer_documents", "employer")
    assert hr.post(wc.employer_url(token, "employer_documents"), data).status_code == 302
    data = {
        **wc.management(group, "employer_declaration", "employer"),
        **wc.prefixed(
            "employer_declaration",
            wc.signing("employer", "Wong Mei Ling", capacity="HR Director", drawn=True),
        ),
    }
    page = hr.get(wc.employer_url(token, "employer_declaration")).content.decode()
    data.update(wc.shown_fields(page))
    response = hr.post(wc.employer_url(token, "employer_declaration"), data)
    assert response.status_code == 302 and "/done/" in response.url

    # The applicant sees the company's part done.
    check = client.get(wc.url(group, "check"))
    assert check.context["employer_status"].done

    # Declarations: applicant (drawn), spouse (typed), guardian for the child under 16,
    # the child of 16 (typed).
    people = {a.given_names: a for a in Application.objects.filter(group=group)}
    signing = {
        **wc.signing("0", "CHAN Tai Man", drawn=True),
        **wc.signing(str(people["Siu Ling"].position), "CHAN Siu Ling"),
        **wc.signing(str(people["Ka Ho"].position), "Chan Tai Man", capacity="parent"),
        **wc.signing(str(people["Ka Yan"].position), "CHAN Ka Yan"),
    }
    response = wc.post(client, group, "declarations", signing)
    assert response.status_code == 302, response.context and response.context["errors"]
    roles = sorted(Signature.objects.filter(group=group).values_list("role", flat=True))
    assert roles == ["applicant", "dependant", "dependant", "employer", "guardian"]
    guardian = Signature.objects.get(group=group, role="guardian")
    assert guardian.application == people["Ka Ho"]
    assert guardian.capacity == "parent" and guardian.ip_address == "127.0.0.1"

    # Only the documents are missing now.
    found = readiness(group)
    assert not found.ready
    assert {m.step for m in found.missing} == {"documents"}

    upload_everything(group)
    found = readiness(group)
    assert found.ready, found.missing
    page = client.get(response.url)
    assert "Ready to pay" in page.content.decode()
