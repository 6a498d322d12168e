"""Telling people what happened, through the test client and the tasks a worker runs: the
applicant when the company finishes its part; HR, with the link, when a change voids the
company's signature; HR and the authorised person after the company's declaration is signed."""

import re

import pytest
from django.core import mail
from django.test import Client

from applications import references, tasks
from applications.models import ApplicationGroup
from applications.services import send_notification
from tests.applications import wizard_client as wc
from tests.applications.test_getting_lost import run_queued, task_list, task_rows

pytestmark = pytest.mark.django_db

HR = "hr@harbour-aero.example"
AUTHORISED = "wong.ml@harbour-aero.example"


@pytest.fixture
def handed(client, trade):
    """A draft whose company part is handed to HR, and HR's link."""
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "employer", mode="employer")
    token = re.search(r"/employer/(\S+)/company/", mail.outbox[-1].body).group(1)
    mail.outbox.clear()
    return group, token


def hr_post(hr: Client, group, token: str, step: str, values: dict):
    data = {**wc.management(group, step, "employer"), **wc.prefixed(step, values)}
    if step in wc.DECLARATION_STEPS:  # as a browser: what the page showed is posted back
        data = {**wc.shown_fields(hr.get(wc.employer_url(token, step)).content.decode()), **data}
    return hr.post(wc.employer_url(token, step), data)


def hr_signs(group, token, callbacks_fixture):
    hr = Client()
    company = wc.company(authorised_person_email=AUTHORISED)
    assert hr_post(hr, group, token, "company", company).status_code == 302
    assert hr_post(hr, group, token, "employer_documents", {}).status_code == 302
    signing = wc.signing("employer", "Wong Mei Ling", capacity="HR Director", drawn=True)
    with callbacks_fixture() as callbacks:
        response = hr_post(hr, group, token, "employer_declaration", signing)
    assert response.status_code == 302
    return callbacks


def test_hr_signing_tells_the_applicant_and_confirms_to_the_company(
    handed, django_capture_on_commit_callbacks
):
    group, token = handed
    callbacks = hr_signs(group, token, django_capture_on_commit_callbacks)
    assert [(c.func, c.args) for c in callbacks] == [
        (tasks.send_notification_task.delay, ("company_signed", group.pk)),
        (tasks.send_notification_task.delay, ("company_finished", group.pk)),
    ]
    run_queued(callbacks)
    confirmation, finished = mail.outbox

    assert sorted(confirmation.to) == sorted([HR, AUTHORISED])
    assert confirmation.subject == "Confirmation: the company's declaration is signed"
    assert "Signed by Wong Mei Ling (HR Director) on" in confirmation.body
    assert "CHAN Tai Man" in confirmation.body

    assert finished.to == [group.contact_email]
    assert references.display(group.temporary_reference) in finished.subject
    assert "has completed its particulars and documents" in finished.body
    link = re.search(r"http://\S+/resume/\S+/", finished.body).group(0)
    assert Client().get(link.replace("http://127.0.0.1:8000", "")).status_code == 302


def test_a_change_that_voids_hrs_signature_emails_hr_the_link_to_sign_again(
    client, trade, handed, django_capture_on_commit_callbacks
):
    group, token = handed
    run_queued(hr_signs(group, token, django_capture_on_commit_callbacks))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks() as callbacks:
        changed = wc.employment(trade, monthly_salary_hkd="35000")
        assert wc.post(client, group, "employment", changed).status_code == 302
    assert [(c.func, c.args) for c in callbacks] == [
        (tasks.send_notification_task.delay, ("company_signature_voided", group.pk))
    ]
    run_queued(callbacks)
    (message,) = mail.outbox
    assert message.to == [HR]
    assert message.subject == "Please sign the company's declaration again"
    assert "no longer valid" in message.body
    link = re.search(r"http://\S+/employer/\S+/company/", message.body).group(0)
    hr = Client()
    page = hr.get(link.replace("http://127.0.0.1:8000", ""))
    assert page.status_code == 200 and "HK$35,000" in page.content.decode()
    # The applicant's task list says the company must sign again.
    rows = task_rows(task_list(client, group))
    assert rows["The employing company's part"][0] == "needs_signing_again"

    # A second change voids nothing more: no second email.
    with django_capture_on_commit_callbacks() as callbacks:
        changed = wc.employment(trade, monthly_salary_hkd="36000")
        assert wc.post(client, group, "employment", changed).status_code == 302
    assert callbacks == []


def test_the_company_signing_with_the_applicant_is_confirmed_to_the_authorised_person(
    client, trade, django_capture_on_commit_callbacks
):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "check")
    company = wc.company(authorised_person_email=AUTHORISED)
    assert wc.post(client, group, "company", company).status_code == 302
    values = {
        **wc.signing("0", "CHAN Tai Man"),
        **wc.signing("employer", "Wong Mei Ling", capacity="HR Director"),
    }
    with django_capture_on_commit_callbacks() as callbacks:
        assert wc.post(client, group, "declarations", values).status_code == 302
    assert [c.args for c in callbacks] == [("company_signed", group.pk)]
    run_queued(callbacks)
    (message,) = mail.outbox
    assert message.to == [AUTHORISED]
    assert "filled in the company's part with the company" in message.body


@pytest.mark.parametrize("notification", ["started", "company_finished", "company_signed"])
def test_nothing_is_sent_about_a_group_no_longer_a_draft(handed, notification):
    group, _token = handed
    ApplicationGroup.objects.filter(pk=group.pk).update(status="submitted")
    assert send_notification(notification=notification, group_id=group.pk) is False
    group.delete()
    assert send_notification(notification=notification, group_id=group.pk) is False
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "sign the declaration again"), ("zh-hant", "再次簽署"), ("zh-hans", "再次签署")],
)
def test_hr_is_told_in_the_groups_language(handed, language, words):
    group, _token = handed
    ApplicationGroup.objects.filter(pk=group.pk).update(language=language)
    assert send_notification(notification="company_signature_voided", group_id=group.pk)
    (message,) = mail.outbox
    assert words in message.body
    assert "/" + language + "/apply/employer/" in message.body
