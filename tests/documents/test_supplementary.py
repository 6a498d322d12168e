"""Officers' requests for supplementary documents and the uploads made against them."""

import datetime

import pytest
from django.utils import timezone

from applications.models import Application
from documents import services
from documents.exceptions import DeadlinePassed, InvalidRequest, RequestClosed, TooManyFiles
from documents.models import SupplementaryRequest, Upload
from documents.tasks import inspect_upload_task
from tests.documents.conftest import uploaded
from tests.documents.corpus import jpeg_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(group):
    group.status = group.Status.SUBMITTED
    group.submitted_at = timezone.now()
    group.save()
    # Documents are asked while an officer reviews the case.
    group.applications.update(status=Application.Status.UNDER_REVIEW)
    return group


def ask(application, **overrides):
    arguments = {
        "application": application,
        "requirement_codes": ["A2"],
        "descriptions": ["Payslips for the last three months"],
        "message": "Please send a new photograph and your payslips.",
        "deadline": timezone.localdate() + datetime.timedelta(days=14),
    }
    return services.request_supplementary_documents(**{**arguments, **overrides})


def test_request_lists_catalogue_and_free_text_items(submitted):
    request = ask(submitted.principal)
    labels = [item.label for item in request.items.all()]
    assert labels == ["Recent photograph", "Payslips for the last three months"]
    assert [item.max_files for item in request.items.all()] == [1, 5]
    assert request.status == SupplementaryRequest.Status.OPEN


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"message": "  "}, "Write a message"),
        ({"requirement_codes": [], "descriptions": [" "]}, "at least one document"),
        ({"deadline": datetime.date(2020, 1, 1)}, "in the past"),
        ({"requirement_codes": ["C2"]}, "cannot be requested"),
        ({"requirement_codes": ["Z9"]}, "cannot be requested"),
        ({"descriptions": ["x" * 301]}, "300 characters"),
    ],
)
def test_bad_request_is_refused_and_saves_nothing(submitted, overrides, message):
    with pytest.raises(InvalidRequest, match=message):
        ask(submitted.principal, **overrides)
    assert not SupplementaryRequest.objects.exists()


def test_uploads_against_a_request_go_through_the_same_checks(submitted):
    request = ask(submitted.principal)
    photo_item, payslips = request.items.all()
    upload = services.upload_supplementary_document(item=photo_item, file=uploaded(jpeg_bytes()))
    assert upload.supplementary_item == photo_item and upload.requirement_code == "A2"
    with pytest.raises(TooManyFiles):
        services.upload_supplementary_document(item=photo_item, file=uploaded(jpeg_bytes()))
    inspect_upload_task(upload.pk)
    assert Upload.objects.get(pk=upload.pk).status == Upload.Status.ACCEPTED
    assert services.outstanding_items(request=request) == [payslips]


def test_request_is_answered_once_every_item_has_an_accepted_file(submitted):
    request = ask(submitted.principal)
    with pytest.raises(InvalidRequest):
        services.submit_supplementary_documents(request=request)
    files = (jpeg_bytes(), pdf_bytes(colour=False))
    for item, data in zip(request.items.all(), files, strict=True):
        upload = services.upload_supplementary_document(item=item, file=uploaded(data))
        inspect_upload_task(upload.pk)
    answered = services.submit_supplementary_documents(request=request)
    assert answered.status == SupplementaryRequest.Status.ANSWERED
    assert (
        services.submit_supplementary_documents(request=request).answered_at == answered.answered_at
    )
    with pytest.raises(RequestClosed):
        services.upload_supplementary_document(
            item=request.items.first(), file=uploaded(jpeg_bytes())
        )


def test_no_uploads_after_the_deadline(submitted):
    request = ask(submitted.principal)
    SupplementaryRequest.objects.filter(pk=request.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    item = request.items.first()
    with pytest.raises(DeadlinePassed):
        services.upload_supplementary_document(item=item, file=uploaded(jpeg_bytes()))
    assert not Upload.objects.exists()


def test_supplementary_uploads_stay_out_of_the_checklist(submitted):
    request = ask(submitted.principal)
    services.upload_supplementary_document(item=request.items.first(), file=uploaded(jpeg_bytes()))
    checklist = services.checklist_for_group(group=submitted)
    assert checklist.person("0").item("A2").uploads == ()


@pytest.mark.parametrize(
    ("group_status", "application_status", "message"),
    [
        ("draft", "draft", "submitted application"),
        ("payment_pending", "draft", "submitted application"),
        ("submitted", "submitted", "under review"),
        ("submitted", "approved", "under review"),
        ("submitted", "refused", "under review"),
        ("submitted", "withdrawn", "under review"),
    ],
)
def test_no_request_for_a_draft_or_a_decided_application(
    group, group_status, application_status, message
):
    group.status = group_status
    group.save()
    group.applications.update(status=application_status)
    with pytest.raises(InvalidRequest, match=message):
        ask(group.applications.get(role="principal"))
    assert not SupplementaryRequest.objects.exists()
