"""A group whose payment is in flight (PAYMENT_PENDING) is shown read-only, with the reason,
to its applicant and to employer HR: never a 404, and a post changes nothing."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from applications.models import Application, ApplicationGroup
from tests.applications import wizard_client as wc

pytestmark = pytest.mark.django_db

IN_PROGRESS = "A payment for this application is in progress"


def set_status(group: ApplicationGroup, status: str) -> None:
    ApplicationGroup.objects.filter(pk=group.pk).update(status=status)


@pytest.fixture
def group(client, trade):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "employer", mode="employer")
    return group


def test_every_step_shows_the_group_read_only_and_says_why(client, group):
    set_status(group, ApplicationGroup.Status.PAYMENT_PENDING)
    for step in ("applicant", "qualifications", "employment", "documents", "check"):
        response = client.get(wc.url(group, step))
        assert response.status_code == 200
        html = response.content.decode()
        assert IN_PROGRESS in html
        assert "Chan" in html  # the answers are shown
        assert 'name="wizard_' not in html  # but no form
    with translation.override("en"):
        status_url = reverse("applications:wizard_status", kwargs={"group_id": group.public_id})
    status_page = client.get(status_url)
    assert status_page.status_code == 200
    assert IN_PROGRESS in status_page.content.decode()


def test_a_post_while_the_payment_is_in_flight_changes_nothing(client, group):
    set_status(group, ApplicationGroup.Status.PAYMENT_PENDING)
    before = Application.objects.get(group=group, role="principal").surname
    updated = ApplicationGroup.objects.get(pk=group.pk).updated_at
    response = wc.post(client, group, "applicant", wc.applicant(surname="Wong"))
    assert response.status_code == 409
    assert IN_PROGRESS in response.content.decode()
    assert Application.objects.get(group=group, role="principal").surname == before
    assert ApplicationGroup.objects.get(pk=group.pk).updated_at == updated


def test_employer_hr_sees_the_reason_and_no_form(group):
    token = re.search(r"/employer/(\S+)/company/", mail.outbox[-1].body).group(1)
    set_status(group, ApplicationGroup.Status.PAYMENT_PENDING)
    response = Client().get(wc.employer_url(token, "company"))
    assert response.status_code == 200
    html = response.content.decode()
    assert IN_PROGRESS in html
    assert "Chan" not in html  # HR never sees the applicant's answers here


def test_a_submitted_group_is_never_editable(client, group):
    token = re.search(r"/employer/(\S+)/company/", mail.outbox[-1].body).group(1)
    set_status(group, ApplicationGroup.Status.SUBMITTED)
    response = client.get(wc.url(group, "applicant"))  # the applicant: to the acknowledgment
    with translation.override("en"):
        acknowledgment = reverse(
            "applications:acknowledgment", kwargs={"group_id": group.public_id}
        )
    assert (response.status_code, response["Location"]) == (302, acknowledgment)
    # HR: nothing to change, and told why.
    hr = Client().get(wc.employer_url(token, "company"))
    assert hr.status_code == 410
    assert "The application has been submitted" in hr.content.decode()
    assert "<form" not in hr.content.decode()


def test_the_group_rules_follow_the_status():
    group = ApplicationGroup(status=ApplicationGroup.Status.DRAFT)
    assert (group.is_editable, group.is_resumable, group.payment_in_flight) == (True, True, False)
    group.status = ApplicationGroup.Status.PAYMENT_PENDING
    assert (group.is_editable, group.is_resumable, group.payment_in_flight) == (False, True, True)
    group.status = ApplicationGroup.Status.SUBMITTED
    assert (group.is_editable, group.is_resumable, group.payment_in_flight) == (False, False, False)
