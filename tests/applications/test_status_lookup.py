"""The applicant's status look-up at /status/: a reference and a date of birth give the status
and what happens next, in three languages, with nothing personal beyond initials and the trade;
attempts are limited on the same counters as resuming a draft."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from applications import references
from applications.access import SESSION_KEY
from applications.exceptions import ResumeDetailsWrong
from applications.models import Application, ApplicationGroup
from applications.services import drafts
from documents import services as documents_services
from tests.applications import drafting
from tests.applications.submitting import submitted_group
from tests.applications.wizard_client import date_parts

pytestmark = pytest.mark.django_db

SUBMITTED = {"en": "Submitted", "zh-hant": "已遞交", "zh-hans": "已递交"}
NEXT = {
    "en": "We have received the application. An officer will review it.",
    "zh-hant": "我們已收到申請。入境事務處人員會審核申請。",
    "zh-hans": "我们已收到申请。入境事务处人员会审核申请。",
}


def status_url(language: str = "en") -> str:
    with translation.override(language):
        return reverse("status")


def look_up(client, reference: str, born: datetime.date, language: str = "en"):
    data = {"reference": reference, **date_parts("date_of_birth", born)}
    return client.post(status_url(language), data)


@pytest.fixture
def group(trade):
    group = submitted_group(trade, dependants=1)
    ApplicationGroup.objects.filter(pk=group.pk).update(
        temporary_reference=references.new_reference()
    )
    group.refresh_from_db()
    return group


def people(group):
    principal = group.applications.get(role=Application.Role.PRINCIPAL)
    dependant = group.applications.get(role=Application.Role.DEPENDANT)
    return principal, dependant


@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans"])
def test_reference_and_birthday_give_status_and_what_next_only(client, group, language, trade):
    principal, _dependant = people(group)

    response = look_up(client, principal.reference_number, principal.date_of_birth, language)

    assert response.status_code == 200
    html = response.content.decode()
    assert SUBMITTED[language] in html and NEXT[language] in html
    assert principal.reference_number in html
    assert "C. T. M." in html
    with translation.override(language):
        assert trade.name in html
    for personal in (
        principal.surname,
        principal.given_names,
        principal.chinese_name,
        principal.travel_document_number,
        group.contact_email,
        principal.date_of_birth.isoformat(),
        group.temporary_reference,
    ):
        assert personal not in html, personal


def test_a_dependants_reference_and_birthday_show_that_application(client, group):
    principal, dependant = people(group)

    html = look_up(client, dependant.reference_number, dependant.date_of_birth).content.decode()

    assert dependant.reference_number in html and principal.reference_number not in html
    # The principal's birthday does not open the dependant's application.
    other = look_up(client, dependant.reference_number, principal.date_of_birth)
    assert "We could not find an application" in other.content.decode()


def test_the_temporary_reference_shows_every_application_of_the_group(client, group):
    principal, dependant = people(group)

    html = look_up(client, group.temporary_reference, principal.date_of_birth).content.decode()

    assert principal.reference_number in html and dependant.reference_number in html
    assert html.count(SUBMITTED["en"]) >= 2


def test_a_draft_is_told_it_was_not_submitted(client, trade):
    draft = drafting.start(trade)
    born = draft.principal.date_of_birth

    html = look_up(client, references.display(draft.temporary_reference), born).content.decode()

    assert "This application has not been submitted." in html
    assert "this unfinished application is deleted on" in html
    assert reverse("applications:resume") in html


def test_an_open_request_for_documents_is_announced(client, group):
    principal, _dependant = people(group)
    principal.status = principal.Status.UNDER_REVIEW  # an officer reviews it, then asks
    principal.save(update_fields=["status"])
    documents_services.request_supplementary_documents(
        application=principal,
        requirement_codes=["A2"],
        message="Please.",
        deadline=timezone.localdate() + datetime.timedelta(days=5),
    )

    html = look_up(client, principal.reference_number, principal.date_of_birth).content.decode()

    assert "An officer has asked for 1 document by" in html
    assert reverse("supplementary:find") in html


def test_a_wrong_birthday_is_refused_and_counted_with_resuming(client, group):
    principal, _dependant = people(group)
    wrong = principal.date_of_birth - datetime.timedelta(days=3)
    for _ in range(drafts.RESUME_ATTEMPTS - 1):
        response = look_up(client, group.temporary_reference, wrong)
        assert response.status_code == 200
        html = response.content.decode()
        assert "We could not find an application with that reference and date of birth." in html
        assert SUBMITTED["en"] not in html
    # A failed resume with the same reference counts on the same keys...
    with pytest.raises(ResumeDetailsWrong):
        drafts.resume_by_reference(
            reference=group.temporary_reference,
            date_of_birth=wrong,
            client_address="127.0.0.1",
        )
    # ...so even the right details are now refused, for this reference and this address.
    response = look_up(client, group.temporary_reference, principal.date_of_birth)
    assert response.status_code == 429
    assert "too many attempts to look up an application" in response.content.decode()
    response = look_up(client, principal.reference_number, principal.date_of_birth)
    assert response.status_code == 429


def test_a_mistyped_reference_is_not_looked_up(client, group):
    principal, _dependant = people(group)
    for _ in range(drafts.RESUME_ATTEMPTS + 1):
        response = look_up(client, "TP26-GEP-ABCDEF-2", principal.date_of_birth)
        assert "Enter the reference exactly as it is" in response.content.decode()
    ok = look_up(client, principal.reference_number, principal.date_of_birth)
    assert ok.status_code == 200 and SUBMITTED["en"] in ok.content.decode()


@pytest.mark.parametrize("page", ["home", "acknowledgment"])
def test_the_home_and_acknowledgment_pages_link_to_the_look_up(client, group, page):
    if page == "home":
        url = reverse("home")
    else:
        session = client.session
        session[SESSION_KEY] = [str(group.public_id)]
        session.save()
        url = reverse("applications:acknowledgment", args=[group.public_id])
    html = client.get(url).content.decode()
    assert status_url() in html and reverse("supplementary:find") in html
