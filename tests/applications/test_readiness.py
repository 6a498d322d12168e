"""readiness(group): ready to pay only when every part is complete and signed and every
mandatory document is accepted; otherwise the list of what is missing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import Application, ApplicationGroup
from applications.services import readiness
from documents.models import Upload
from documents.services import upload_document
from tests.applications import drafting
from tests.applications import wizard_client as wc
from tests.documents import corpus

pytestmark = pytest.mark.django_db


def texts(group):
    return [m.text for m in readiness(group).missing]


def test_a_fresh_draft_lists_every_part(client, trade):
    group = wc.open_draft(client, trade)
    found = readiness(group)
    assert not found.ready
    steps = {m.step for m in found.missing}
    assert {
        "applicant",
        "qualifications",
        "employment",
        "employer",
        "dependants",
        "declarations",
        "documents",
    } <= steps


def test_a_document_not_yet_accepted_stops_payment(ready_group):
    principal = ready_group.applications.get(role="principal")
    Upload.objects.filter(group=ready_group, application=principal, requirement_code="A2").update(
        status=Upload.Status.PENDING
    )
    assert texts(ready_group) == [
        "Applicant: CHAN Tai Man: “Recent photograph” is not accepted yet"
    ]


def test_a_missing_document_stops_payment(ready_group):
    Upload.objects.filter(group=ready_group, requirement_code="B3").delete()
    assert texts(ready_group) == ["Employing company: “Company chop” is missing"]


def test_a_voided_signature_stops_payment(client, ready_group, trade):
    wc.post(client, ready_group, "applicant", wc.applicant(place_of_birth="Paris"))
    assert texts(ready_group) == ["Applicant: CHAN Tai Man has not signed the declaration"]


def signed_as_it_is(group):
    """As if the signatures had been given over the data as it is now: the tests below stand in
    for time passing by moving a date back, which by itself changes no signed answer."""
    from applications.models import Signature
    from applications.services import load_group, required_signers, signature_for
    from applications.services.signatures import fingerprint

    group = load_group(pk=group.pk)
    valid = list(Signature.objects.filter(group=group, voided_at__isnull=True))
    for signer in required_signers(group):
        signature = signature_for(signer, valid)
        if signature is not None:
            Signature.objects.filter(pk=signature.pk).update(fingerprint=fingerprint(group, signer))


def test_a_travel_document_that_expired_since_stops_payment(ready_group):
    Application.objects.filter(group=ready_group, role="principal").update(
        travel_document_expiry_date=datetime.date.today() - datetime.timedelta(days=1)
    )
    signed_as_it_is(ready_group)
    assert texts(ready_group) == ["CHAN Tai Man: the travel document has expired"]


def test_a_child_who_turned_18_stops_payment(client, trade):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "check", rows=[wc.dependant("child", wc.years_ago(17))])
    Application.objects.filter(group=group, role="dependant").update(date_of_birth=wc.years_ago(18))
    assert "CHAN Ka Ho: A child must be under 18 to apply as a dependant" in texts(group)


def test_a_closed_quota_suspends_the_draft(ready_group, trade):
    drafting.fill_pool(trade)
    found = texts(ready_group)
    assert len(found) == 1 and "suspended" in found[0]


def test_a_submitted_group_is_not_ready_again(ready_group):
    ApplicationGroup.objects.filter(pk=ready_group.pk).update(status="submitted")
    ready_group.refresh_from_db()
    assert texts(ready_group) == ["This application is no longer a draft."]


def test_the_employer_part_handed_to_hr_must_be_done(client, trade):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "check", mode="employer")
    found = texts(group)
    assert "The employing company has not completed its particulars yet" in found
    assert "The employing company's authorised person has not signed the declaration" in found


def test_readiness_queries_do_not_grow_with_dependants(
    client, trade, django_assert_max_num_queries
):
    counts = []
    for rows in (
        [],
        [wc.dependant("spouse")]
        + [
            wc.dependant("child", wc.years_ago(2 + n), given_names="Ka " + "ABCDEFG"[n])
            for n in range(7)
        ],
    ):
        group = wc.open_draft(client, trade)
        wc.fill_to(client, group, trade, "check", rows=rows)
        upload_document(
            group=group,
            application=None,
            requirement_code="B3",
            file=SimpleUploadedFile("chop.jpg", corpus.jpeg_bytes()),
        )
        group = ApplicationGroup.objects.get(pk=group.pk)
        with django_assert_max_num_queries(10) as captured:
            readiness(group)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
