"""The checklist service, one rule at a time, against the published conditions."""

import datetime

import pytest
from django.utils import timezone

from documents import services
from documents.models import Upload
from documents.services import ItemState
from tests.factories import DependantFactory, EmployerPartFactory, PrincipalFactory

pytestmark = pytest.mark.django_db


def person(group, key):
    return services.checklist_for_group(group=group).person(key)


def needed(group, key):
    return {item.code for item in person(group, key).items if item.needed}


def shown(group, key):
    return {item.code for item in person(group, key).items}


def make_group(**principal_fields):
    principal = PrincipalFactory(**principal_fields)
    return principal.group


def test_overseas_applicant_needs_travel_document_photo_and_qualifications():
    group = make_group()
    assert needed(group, "0") == {"A1", "A2", "A4"}
    assert "A3" not in shown(group, "0") and "A5" not in shown(group, "0")


def test_other_supporting_documents_stay_optional_for_everyone_else():
    group = make_group()
    item = person(group, "0").item("A6")
    assert item is not None and not item.needed
    assert item.state == ItemState.NOT_PROVIDED


def test_hong_kong_identity_card_is_needed_when_the_applicant_has_one():
    assert "A3" in needed(make_group(hkid_number="A123456(3)"), "0")


def test_mainland_resident_needs_the_letter_of_consent():
    assert "A5" in needed(make_group(residence="mainland", nationality="CN"), "0")


@pytest.mark.parametrize("residence", ["macao", "taiwan"])
def test_macao_and_taiwan_residents_need_proof_of_residence(residence):
    assert "A6" in needed(make_group(residence=residence), "0")


def test_overseas_chinese_with_a_prc_passport_needs_proof_of_overseas_residence():
    group = make_group(overseas_chinese_prc_passport=True, travel_document_type="prc_passport")
    assert "A6" in needed(group, "0")


def test_dependant_resident_in_macao_needs_proof_of_residence():
    group = make_group()
    DependantFactory(group=group, position=1, residence="macao")
    DependantFactory(group=group, position=2)
    assert "C4" in needed(group, "1")
    assert "C4" not in needed(group, "2")
    assert needed(group, "2") == {"C1", "C2", "C3"}


def test_no_travel_document_asks_for_the_prc_resident_identity_card():
    group = make_group(residence="mainland", travel_document_type="none")
    DependantFactory(group=group, position=1, residence="mainland", travel_document_type="none")
    for key, code in (("0", "A1"), ("1", "C1")):
        item = person(group, key).item(code)
        assert "PRC resident identity card" in str(item.label)
        assert item.needed


def test_applicant_in_hong_kong_is_asked_for_the_latest_arrival_stamp_and_e_visa():
    group = make_group(in_hong_kong=True)
    guidance = " ".join(str(text) for text in person(group, "0").item("A1").guidance)
    assert "arrival stamp" in guidance and "e-Visa" in guidance
    outside = make_group()
    assert "e-Visa" not in " ".join(str(t) for t in person(outside, "0").item("A1").guidance)


def test_company_not_exempt_needs_registration_finances_and_background():
    group = make_group()
    EmployerPartFactory(group=group)
    assert needed(group, "employer") == {"B1", "B2", "B3", "B4", "B5", "B6"}


@pytest.mark.parametrize("exemption", ["listed_main_board_or_gem", "recent_non_local_visa"])
def test_exempt_company_does_not_need_the_at_items(exemption):
    group = make_group()
    EmployerPartFactory(group=group, incorporation_date=timezone.localdate(), **{exemption: True})
    assert needed(group, "employer") == {"B1", "B2", "B3"}
    assert not {"B4", "B5", "B6", "B7"} & shown(group, "employer")


def test_company_set_up_within_twelve_months_needs_a_business_plan():
    group = make_group()
    recent = timezone.localdate() - datetime.timedelta(days=200)
    EmployerPartFactory(group=group, incorporation_date=recent)
    assert "B7" in needed(group, "employer")


def test_company_exactly_twelve_months_old_needs_no_business_plan():
    group = make_group()
    today = timezone.localdate()
    EmployerPartFactory(group=group, incorporation_date=today.replace(year=today.year - 1))
    assert "B7" not in shown(group, "employer")


def test_company_age_is_judged_at_submission_once_submitted():
    group = make_group()
    EmployerPartFactory(group=group, incorporation_date=datetime.date(2025, 3, 1))
    group.status = group.Status.SUBMITTED
    group.submitted_at = datetime.datetime(2025, 9, 1, 10, tzinfo=datetime.UTC)
    group.save()
    assert "B7" in needed(group, "employer")


def test_group_without_an_employer_part_yet_is_not_exempt():
    group = make_group()
    assert needed(group, "employer") == {"B1", "B2", "B3", "B4", "B5", "B6"}


def _upload(group, code, status, application=None):
    return Upload.objects.create(
        group=group,
        application=application,
        requirement_code=code,
        storage_key="uploads/" + code + status,
        original_name="x.pdf",
        size=10,
        status=status,
    )


def test_missing_and_not_yet_accepted_items_are_reported_per_person():
    group = make_group()
    principal = group.applications.get()
    _upload(group, "A1", Upload.Status.ACCEPTED, principal)
    _upload(group, "A2", Upload.Status.PENDING, principal)
    _upload(group, "A4", Upload.Status.ACCEPTED, principal)
    _upload(group, "A4", Upload.Status.REJECTED, principal)
    applicant = person(group, "0")
    assert applicant.missing == ()
    assert {item.code: item.state for item in applicant.not_accepted} == {
        "A2": ItemState.CHECKING,
        "A4": ItemState.NOT_ACCEPTED,
    }
    assert applicant.item("A1").state == ItemState.ACCEPTED
    assert {item.code for item in person(group, "employer").missing} == {
        "B1",
        "B2",
        "B3",
        "B4",
        "B5",
        "B6",
    }
    assert not services.checklist_for_group(group=group).is_complete


def test_group_is_complete_when_every_needed_file_is_accepted():
    group = make_group()
    EmployerPartFactory(group=group, listed_main_board_or_gem=True)
    principal = group.applications.get()
    for code in ("A1", "A2", "A4"):
        _upload(group, code, Upload.Status.ACCEPTED, principal)
    for code in ("B1", "B2", "B3"):
        _upload(group, code, Upload.Status.ACCEPTED)
    assert services.checklist_for_group(group=group).is_complete


def test_files_kept_for_an_item_no_longer_asked_are_still_listed():
    group = make_group(residence="mainland")
    _upload(group, "A5", Upload.Status.ACCEPTED, group.applications.get())
    group.applications.update(residence="overseas")
    item = person(group, "0").item("A5")
    assert item is not None and not item.needed and len(item.uploads) == 1


def test_checklist_takes_three_queries_whatever_the_group_size(django_assert_num_queries):
    group = make_group()
    EmployerPartFactory(group=group)
    for position in range(1, 9):
        DependantFactory(group=group, position=position)
    group = type(group).objects.get(pk=group.pk)
    with django_assert_num_queries(3):
        checklist = services.checklist_for_group(group=group)
    assert [p.key for p in checklist.people] == ["0", "employer", *[str(n) for n in range(1, 9)]]
