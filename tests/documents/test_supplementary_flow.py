"""A supplementary request end to end through the test client: the officer asks in admin (with
a confirmation step), the applicant is emailed, opens /supplementary/ with the reference number
and date of birth, uploads through the same inspection, sends; the officers are told. Also the
attempt limit, the deadline, and what another browser can reach."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from applications.models import Application
from applications.roles import OFFICER, ensure_roles
from applications.services import drafts
from documents import services, tasks
from documents.models import SupplementaryRequest, Upload
from tests.applications import drafting
from tests.applications.submitting import submitted_group
from tests.applications.wizard_client import date_parts
from tests.documents.conftest import uploaded
from tests.documents.corpus import jpeg_bytes, pdf_bytes
from tests.staff import log_in_staff

pytestmark = pytest.mark.django_db

OFFICERS = "tp-officers@example.gov.hk"


@pytest.fixture(autouse=True)
def _officers_address(settings):
    settings.SUPPLEMENTARY_OFFICERS_EMAIL = [OFFICERS]


@pytest.fixture
def queued(monkeypatch):
    """The emails queued by a test, by task name, instead of reaching the broker."""
    sent: dict[str, list[int]] = {"request": [], "officers": []}
    monkeypatch.setattr(
        tasks.send_supplementary_request_email_task, "delay", sent["request"].append
    )
    monkeypatch.setattr(tasks.notify_officers_task, "delay", sent["officers"].append)
    return sent


@pytest.fixture
def application():
    group = submitted_group(drafting.trade_with_pool(), language="zh-hant")
    group.applications.update(status=Application.Status.UNDER_REVIEW)  # an officer reviews it
    return group.applications.get(role=Application.Role.PRINCIPAL)


@pytest.fixture
def officer(client):
    ensure_roles()
    user = User.objects.create_user("officer-supp", is_staff=True)
    user.groups.add(ensure_roles()[OFFICER])
    log_in_staff(client, user)
    return client


def request_url(application):
    return reverse("admin:documents_supplementaryrequest_request", args=[application.pk])


def ask(officer, application, queued, django_capture_on_commit_callbacks, **changes):
    values = {
        "requirement_codes": ["A2"],
        "descriptions": "Payslips for the last three months\n",
        "message": "Please send a new photograph\nand your payslips.",
        "deadline": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        **changes,
    }
    confirmation = officer.post(request_url(application), values)
    assert confirmation.status_code == 200
    assert "Check the request before it is sent" in confirmation.content.decode()
    assert not SupplementaryRequest.objects.exists()  # nothing until confirmed
    with django_capture_on_commit_callbacks(execute=True):
        done = officer.post(request_url(application), {**values, "confirm": "1"})
    assert done.status_code == 302
    return SupplementaryRequest.objects.get(application=application)


def find_url(language="en"):
    with translation.override(language):
        return reverse("supplementary:find")


def page_url():
    return reverse("supplementary:request")


def open_request(client, application, *, date_of_birth=None, language="en"):
    born = date_of_birth or application.date_of_birth
    return client.post(
        find_url(language),
        {"reference": application.reference_number, **date_parts("date_of_birth", born)},
    )


def upload(client, item, data, name="scan.jpg"):
    return client.post(
        reverse("supplementary:upload"), {"item": str(item.pk), "file": uploaded(data, name)}
    )


def test_request_upload_send_and_the_officers_are_told(
    officer, application, queued, django_capture_on_commit_callbacks, _queued_inspections
):
    request = ask(officer, application, queued, django_capture_on_commit_callbacks)
    assert [item.label for item in request.items.all()] == [
        "Recent photograph",
        "Payslips for the last three months",
    ]
    assert request.message == "Please send a new photograph\nand your payslips."
    assert request.requested_by.username == "officer-supp"

    # The applicant's email, once, in the group's language (Traditional Chinese).
    assert queued["request"] == [request.pk]
    assert tasks.send_supplementary_request_email_task(request.pk) is True
    assert tasks.send_supplementary_request_email_task(request.pk) is False
    (email,) = mail.outbox
    assert email.to == [application.group.contact_email]
    assert application.reference_number in email.subject
    assert "近照" in email.body and "Payslips for the last three months" in email.body
    assert "/zh-hant/supplementary/" in email.body

    applicant = Client()
    planted = applicant.session  # a session that existed before the look-up (say, planted)
    planted["seen"] = True
    planted.save()
    applicant.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key
    response = open_request(applicant, application)
    assert response.status_code == 302 and response["Location"] == page_url()
    # The key is cycled: the old session key opens nothing.
    assert applicant.cookies[settings.SESSION_COOKIE_NAME].value != planted.session_key
    assert not Session.objects.filter(session_key=planted.session_key).exists()
    stale = Client()
    stale.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key
    assert stale.get(page_url()).status_code == 302
    page = applicant.get(page_url()).content.decode()
    assert "Payslips for the last three months" in page and "Please send a new photograph" in page

    photo, payslips = request.items.all()
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(applicant, photo, jpeg_bytes()).status_code == 302
        # The page's script sends files in the background and gets the item's new HTML.
        pdf = pdf_bytes(colour=False)
        sent = applicant.post(
            reverse("supplementary:upload"),
            {"item": str(payslips.pk), "file": uploaded(pdf, "payslips.pdf")},
            headers={"accept": "application/json"},
        )
    assert sent.status_code == 200 and sent.json()["checking"] is True
    assert "payslips.pdf" in sent.json()["html"]
    assert len(_queued_inspections) == 2
    # Sending before the files are checked is refused, and changes nothing.
    refused = applicant.post(reverse("supplementary:submit"), follow=True)
    assert "Every requested document needs an accepted file first." in refused.content.decode()
    for upload_id in _queued_inspections:
        tasks.inspect_upload_task(upload_id)
    assert set(Upload.objects.values_list("status", flat=True)) == {Upload.Status.ACCEPTED}
    status = applicant.get(reverse("supplementary:item_status", args=[payslips.pk])).json()
    assert status["checking"] is False and "Accepted" in status["html"]

    with django_capture_on_commit_callbacks(execute=True):
        sent = applicant.post(reverse("supplementary:submit"), follow=True)
    assert "The documents were sent" in sent.content.decode()
    request.refresh_from_db()
    assert request.status == SupplementaryRequest.Status.ANSWERED
    assert queued["officers"] == [request.pk]
    assert tasks.notify_officers_task(request.pk) is True
    told = mail.outbox[-1]
    assert told.to == [OFFICERS] and application.reference_number in told.subject
    change_url = reverse("admin:documents_supplementaryrequest_change", args=[request.pk])
    assert change_url in told.body
    # The case is visible in admin, with the files sent.
    case = officer.get(change_url).content.decode()
    assert "scan.jpg" in case and "payslips.pdf" in case
    listed = officer.get(
        reverse("admin:documents_supplementaryrequest_changelist") + "?status=answered"
    )
    assert application.reference_number in listed.content.decode()
    # Nothing more can be uploaded once sent.
    assert upload(applicant, photo, jpeg_bytes()).status_code == 404


def test_the_officer_can_change_the_request_before_confirming(
    officer, application, queued, django_capture_on_commit_callbacks
):
    values = {
        "requirement_codes": ["A2"],
        "message": "Please.",
        "deadline": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
    }
    back = officer.post(request_url(application), {**values, "edit": "1"})
    assert 'name="message"' in back.content.decode()
    assert not SupplementaryRequest.objects.exists()
    empty = officer.post(request_url(application), {**values, "requirement_codes": []})
    assert "Choose at least one document to request." in empty.content.decode()
    past = officer.post(request_url(application), {**values, "deadline": "2020-01-01"})
    assert "The deadline cannot be in the past." in past.content.decode()
    assert not SupplementaryRequest.objects.exists()


def test_a_second_open_request_is_refused(
    officer, application, queued, django_capture_on_commit_callbacks
):
    ask(officer, application, queued, django_capture_on_commit_callbacks)
    values = {
        "requirement_codes": ["A4"],
        "message": "Also this.",
        "deadline": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
        "confirm": "1",
    }
    response = officer.post(request_url(application), values)
    assert "already open for this application" in response.content.decode()
    assert SupplementaryRequest.objects.count() == 1


def test_the_add_button_leads_to_the_application_by_its_reference(officer, application):
    add = officer.get(reverse("admin:documents_supplementaryrequest_add"))
    assert add.status_code == 302
    find = reverse("admin:documents_supplementaryrequest_find")
    assert add["Location"] == find
    unknown = officer.post(find, {"reference": "TP26-GEP-ABCDEF-G"})
    assert "No submitted application has this reference number." in unknown.content.decode()
    found = officer.post(find, {"reference": application.reference_number.lower()})
    assert found.status_code == 302 and found["Location"] == request_url(application)
    form = officer.get(request_url(application)).content.decode()
    assert "A2 Recent photograph" in form and "C2" not in form  # the principal's sections


def test_staff_without_the_permission_cannot_ask(client, application):
    user = User.objects.create_user("clerk", is_staff=True)
    log_in_staff(client, user)
    assert client.get(request_url(application)).status_code == 403
    values = {"requirement_codes": ["A2"], "message": "x", "deadline": "2999-01-01", "confirm": "1"}
    assert client.post(request_url(application), values).status_code == 403
    assert not SupplementaryRequest.objects.exists()


def test_a_wrong_date_of_birth_is_refused_and_the_attempts_are_limited(application, queued, client):
    services.request_supplementary_documents(
        application=application,
        requirement_codes=["A2"],
        message="Please.",
        deadline=timezone.localdate() + datetime.timedelta(days=5),
    )
    wrong = application.date_of_birth - datetime.timedelta(days=1)
    for _ in range(drafts.RESUME_ATTEMPTS):
        response = open_request(client, application, date_of_birth=wrong)
        assert response.status_code == 200
        assert "We could not find a submitted application" in response.content.decode()
        assert client.get(page_url()).status_code == 302  # back to the form: nothing opened
    # Now even the right details are refused for a while, in every language.
    response = open_request(client, application, language="zh-hans")
    assert response.status_code == 429
    assert "次数太多" in response.content.decode() and "15 分钟" in response.content.decode()
    assert client.get(page_url()).status_code == 302


def test_a_mistyped_reference_is_caught_before_any_look_up(application, client):
    typo = application.reference_number[:-1] + (
        "A" if application.reference_number[-1] != "A" else "B"
    )
    for _ in range(drafts.RESUME_ATTEMPTS + 1):
        response = client.post(
            find_url(),
            {"reference": typo, **date_parts("date_of_birth", application.date_of_birth)},
        )
        assert "exactly as it is on your acknowledgment" in response.content.decode()
    assert open_request(client, application).status_code == 302  # nothing was counted


def test_after_the_deadline_the_request_closes(
    application, queued, client, django_capture_on_commit_callbacks
):
    request = services.request_supplementary_documents(
        application=application,
        requirement_codes=["A2"],
        message="Please.",
        deadline=timezone.localdate() + datetime.timedelta(days=1),
    )
    open_request(client, application)
    item = request.items.get()
    assert upload(client, item, jpeg_bytes()).status_code == 302
    SupplementaryRequest.objects.filter(pk=request.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    # Checked on access: the upload is refused, the page says why, and the officers are told.
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(client, item, jpeg_bytes()).status_code == 404
    page = client.get(page_url()).content.decode()
    assert "The request is closed, so documents can no longer be sent here." in page
    request.refresh_from_db()
    assert request.status == SupplementaryRequest.Status.CLOSED and request.closed_at
    assert queued["officers"] == [request.pk]
    assert tasks.notify_officers_task(request.pk) is True
    assert "not received by the deadline" in mail.outbox[-1].subject
    assert client.post(reverse("supplementary:submit")).status_code == 302
    request.refresh_from_db()
    assert request.status == SupplementaryRequest.Status.CLOSED


def test_the_periodic_sweep_closes_overdue_requests_once(
    application, queued, django_capture_on_commit_callbacks
):
    request = services.request_supplementary_documents(
        application=application,
        requirement_codes=["A2"],
        message="Please.",
        deadline=timezone.localdate(),
    )
    # Open through the whole deadline day (Hong Kong time)...
    assert tasks.sweep_supplementary_requests_task() == 0
    SupplementaryRequest.objects.filter(pk=request.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    # ...and closed the day after, once.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_supplementary_requests_task() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_supplementary_requests_task() == 0
    request.refresh_from_db()
    assert request.status == SupplementaryRequest.Status.CLOSED
    assert queued["officers"] == [request.pk]
    # A new request can be made after the deadline has closed the old one.
    again = services.request_supplementary_documents(
        application=application,
        requirement_codes=["A2"],
        message="Please, again.",
        deadline=timezone.localdate() + datetime.timedelta(days=7),
    )
    assert again.status == SupplementaryRequest.Status.OPEN


def test_another_browser_reaches_nothing(application, queued, client):
    request = services.request_supplementary_documents(
        application=application,
        requirement_codes=["A2"],
        message="Please.",
        deadline=timezone.localdate() + datetime.timedelta(days=5),
    )
    open_request(client, application)
    upload(client, request.items.get(), jpeg_bytes())
    stored = Upload.objects.get()
    stranger = Client()
    assert stranger.get(reverse("supplementary:file", args=[stored.public_id])).status_code == 404
    assert upload(stranger, request.items.get(), jpeg_bytes()).status_code == 404
    delete = reverse("supplementary:delete", args=[stored.public_id])
    assert stranger.post(delete).status_code == 404
    assert client.get(reverse("supplementary:file", args=[stored.public_id])).status_code == 200
    assert Upload.objects.count() == 1


def test_a_page_without_a_request_says_so(application, client):
    open_request(client, application)
    page = client.get(page_url()).content.decode()
    assert "No officer has asked for documents for this application." in page
