"""A temporary reference is written one way everywhere (ABCD-EFGH-J: pages, emails, the PDF, the
admin), and every box that takes a reference reads it typed in any case, with or without its
hyphens or with spaces."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from applications import application_references, references, services
from applications.models import ApplicationGroup
from documents import services as documents_services
from tests.applications import drafting
from tests.applications import wizard_client as wc
from tests.applications.submitting import pdf_text, submitted_group
from tests.documents.conftest import uploaded
from tests.documents.corpus import jpeg_bytes

pytestmark = pytest.mark.django_db

BORN = drafting.years_ago(30)


def typings(shown: str) -> list[str]:
    """How people type ABCD-EFGH-J: as shown, lower case, without hyphens, with spaces."""
    compact = shown.replace("-", "")
    return [shown, shown.lower(), compact, compact.lower(), " " + shown.replace("-", " ") + " "]


def test_one_parser_and_one_written_form():
    stored = references.new_reference()
    shown = references.display(stored)
    assert shown == stored[:4] + "-" + stored[4:8] + "-" + stored[8]
    for typed in typings(shown):
        assert references.parse(typed) == stored, typed
    assert references.parse(shown[:-1] + ("2" if shown[-1] != "2" else "3")) is None
    number = application_references.new_reference(scheme="GEP", year=2026)
    for typed in (number, number.lower(), number.replace("-", ""), number.replace("-", " ")):
        assert application_references.parse(typed) == number, typed


@pytest.fixture
def draft(trade):
    return drafting.start(trade, date_of_birth=BORN)


def test_the_started_email_the_pages_and_the_task_list_write_it_grouped(client, draft):
    shown = references.display(draft.temporary_reference)
    services.send_notification(notification="started", group_id=draft.pk)
    (started,) = mail.outbox
    assert shown in started.subject and shown in started.body
    wc.remember(client, draft)

    task_list = client.get(reverse("applications:task_list", args=[draft.public_id]))
    status = client.get(reverse("applications:wizard_status", args=[draft.public_id]))
    for page in (task_list, status):
        html = page.content.decode()
        assert shown in html
        assert draft.temporary_reference not in html.replace(shown, "")
    assert str(draft) == shown


@pytest.mark.parametrize("form", ["as shown", "lower case", "compact", "compact lower", "spaced"])
def test_resume_takes_the_reference_however_it_is_typed(client, draft, form):
    shown = references.display(draft.temporary_reference)
    names = ["as shown", "lower case", "compact", "compact lower", "spaced"]
    typed = dict(zip(names, typings(shown), strict=True))[form]

    response = client.post(
        reverse("applications:resume"), {"reference": typed, **wc.date_parts("date_of_birth", BORN)}
    )

    assert response.status_code == 302, response.content.decode()[:500]
    assert str(draft.public_id) in response["Location"]


def test_the_status_look_up_takes_either_form_of_both_references(client, trade):
    group = submitted_group(trade)
    principal = group.principal
    compact = principal.reference_number.replace("-", "").lower()
    response = client.post(
        reverse("status"),
        {"reference": compact, **wc.date_parts("date_of_birth", principal.date_of_birth)},
    )
    assert response.status_code == 200
    assert principal.reference_number in response.content.decode()

    draft = drafting.start(trade, date_of_birth=BORN)
    typed = references.display(draft.temporary_reference).lower()
    response = client.post(
        reverse("status"), {"reference": typed, **wc.date_parts("date_of_birth", BORN)}
    )
    assert "has not been submitted" in response.content.decode()


def test_the_supplementary_look_up_takes_a_reference_number_without_hyphens(client, trade):
    group = submitted_group(trade)
    principal = group.principal
    with translation.override("en"):
        found = services.find_submitted_application(
            reference=principal.reference_number.replace("-", " ").lower(),
            date_of_birth=principal.date_of_birth,
            client_address="203.0.113.9",
        )
    assert found == principal


def test_the_acknowledgment_pdf_writes_the_temporary_reference_grouped(client, trade):
    group = submitted_group(trade)
    wc.remember(client, group)
    content = client.get(reverse("applications:acknowledgment_pdf", args=[group.public_id]))
    text = "".join(pdf_text(content.content).split())
    assert references.display(group.temporary_reference) in text


def test_the_admin_lists_find_a_group_by_its_reference_as_shown(admin_client, trade):
    group = drafting.start(trade)
    documents_services.upload_document(
        group=group, application=group.principal, requirement_code="A1", file=uploaded(jpeg_bytes())
    )
    other = ApplicationGroup.objects.exclude(pk=group.pk).first()
    shown = references.display(group.temporary_reference)
    for typed in (shown, shown.lower(), group.temporary_reference.lower()):
        listing = admin_client.get(reverse("admin:documents_upload_changelist"), {"q": typed})
        html = listing.content.decode()
        assert html.count('class="field-original_name"') == 1, typed
        assert shown in html
    assert other is None or references.display(other.temporary_reference) not in html


@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans"])
def test_the_examples_the_look_up_pages_give_are_references_the_checks_accept(client, language):
    with translation.override(language):
        pages = [reverse("applications:resume"), reverse("status"), reverse("supplementary:find")]
    shown = " ".join(client.get(page).content.decode() for page in pages)
    numbers = set(re.findall(r"TP[0-9]{2}-(?:GEP|ASMTP)-[0-9A-Z]{6}-[0-9A-Z]", shown))
    temporary = set(re.findall(r"(?<![-\w])[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z](?![-\w])", shown))
    assert numbers and temporary
    for number in numbers:
        assert application_references.is_valid(number), number
    for reference in temporary:
        assert references.is_valid(reference), reference
