"""One case's page: everything declared, signed, uploaded and paid, read-only, in one place."""

import datetime
import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import Application, Signature
from documents import services as document_services
from documents.models import UploadVersion
from payments.models import AttemptTransition, PaymentAttempt
from tests.applications import casework
from tests.applications import wizard_client as wc
from tests.applications.submitting import submit
from tests.documents import corpus
from tests.factories import ApplicationGroupFactory, PrincipalFactory
from tests.staff import log_in_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(ready_group):
    """The ready group (made through the wizard, signed, every document uploaded), paid and
    submitted, with a voided drawn signature and a payment attempt on record."""
    group = ready_group
    photo = group.document_uploads.get(requirement_code="A2")
    replaced = document_services.replace_upload(
        upload=photo, file=SimpleUploadedFile("new-photo.jpg", corpus.jpeg_bytes())
    )
    document_services.inspect_upload(upload_id=replaced.pk)
    services.begin_payment(group=group, hold_for=datetime.timedelta(minutes=30))
    now = timezone.now()
    attempt = PaymentAttempt.objects.create(
        group=group,
        method="visa",
        provider="sandbox",
        amount_cents=60_000,
        idempotency_key="case-page-test",
        status="paid",
        window_ends_at=now + datetime.timedelta(minutes=30),
    )
    AttemptTransition.objects.create(attempt=attempt, from_status="created", to_status="paid")
    submit(group)
    Signature.objects.create(
        group=group,
        application=group.principal,
        role=Signature.Role.APPLICANT,
        signer_name="CHAN Tai Man",
        method=Signature.Method.DRAWN,
        drawn_image=wc.signature_png(),
        ip_address="203.0.113.9",
        signed_at=now - datetime.timedelta(days=1),
        fingerprint="0" * 64,
        voided_at=now - datetime.timedelta(hours=20),
        void_reason="The applicant's particulars changed",
    )
    group.refresh_from_db()
    return group


def open_case(client, application: Application) -> str:
    log_in_staff(client, casework.staff_user("officer"))
    response = client.get(reverse("admin:applications_application_change", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_the_page_shows_what_was_declared_and_why_the_scheme(client, submitted):
    principal = submitted.principal
    page = open_case(client, principal)
    text = text_of(page)

    for shown in (
        principal.reference_number,
        "陳大文",
        "K1234567",
        "Imperial College",  # qualifications
        "Rolls-Royce",  # experience
        "Harbour",  # the company (wizard's answers)
        "Not a Chinese resident of the Mainland: GEP.",
        "Length of the contract offered, in months",  # a pre-check answer, with its label
    ):
        assert shown in text, shown
    assert 'name="surname"' not in page  # nothing to edit
    assert 'name="_save"' not in page


def test_the_page_shows_signatures_documents_payments_and_the_quota_place(client, submitted):
    principal = submitted.principal
    page = open_case(client, principal)
    text = text_of(page)

    # Signatures: the valid typed one and the voided drawn one, with address and reason.
    assert "CHAN Tai Man" in text and "Wong Mei Ling" in text
    assert "203.0.113.9" in text
    assert "The applicant's particulars changed" in text
    assert 'src="data:image/png;base64,' in page
    # Documents by person and item, named, each linked through the private file view.
    assert "Recent photograph" in text and "Company chop" in text
    for upload in submitted.document_uploads.all():
        url = reverse("documents:file", args=[submitted.public_id, upload.public_id])
        assert url in page
    # A replaced file stays, as an earlier version of its upload, with its own link.
    version = UploadVersion.objects.get(upload__group=submitted)
    assert version.original_name != "new-photo.jpg" and "new-photo.jpg" in text
    assert version.original_name in text and "Version 1, replaced at" in text
    url = reverse("documents:version_file", args=[submitted.public_id, version.public_id])
    assert url in page
    attempt = submitted.payment_attempts.get()
    assert reverse("admin:payments_paymentattempt_change", args=[attempt.pk]) in page
    assert attempt.reference in text and "HK$600" in text
    allocation = principal.quota_allocation
    assert reverse("admin:quota_allocation_change", args=[allocation.pk]) in page
    # The timeline, oldest first: started, signed, paid, submitted.
    timeline = page[page.index('class="case-timeline"') :]
    order = [
        timeline.index("Application started"),
        timeline.index("Signed by Wong Mei Ling"),
        timeline.index("Quota place secured"),
    ]
    assert order == sorted(order)
    assert "Submitted; application reference numbers given" in timeline


def test_the_duplicate_check_finds_other_groups_with_the_same_numbers(client, submitted):
    principal = submitted.principal
    Application.objects.filter(pk=principal.pk).update(hkid_number="A123456(3)")
    elsewhere = PrincipalFactory(travel_document_number="k 123-4567")  # as someone typed it
    by_hkid = PrincipalFactory(
        group=ApplicationGroupFactory(), hkid_number="A123456(3)", travel_document_number="X1"
    )
    unrelated = PrincipalFactory(travel_document_number="K7654321")

    page = open_case(client, principal)
    section = page[page.index('id="case-duplicates"') : page.index('id="case-eligibility"')]

    assert elsewhere.travel_document_number in section
    assert by_hkid.travel_document_number in section and "A123456(3)" in section
    assert unrelated.travel_document_number not in section


def test_the_case_page_costs_a_bounded_number_of_queries(
    client, submitted, django_assert_max_num_queries
):
    log_in_staff(client, casework.staff_user("officer"))
    url = reverse("admin:applications_application_change", args=[submitted.principal.pk])
    with django_assert_max_num_queries(22):
        assert client.get(url).status_code == 200


def test_opening_a_case_page_is_audited_and_it_offers_the_actions_its_status_allows(
    client, submitted
):
    from applications.audit_models import AuditEntry

    page = open_case(client, submitted.principal)
    entry = AuditEntry.objects.filter(application_id=submitted.principal.pk).latest("at")
    assert entry.action == "case_viewed" and entry.actor_name.startswith("officer")
    assert "Start review" in text_of(page)
    assert "/admin/applications/case-actions/" in page
