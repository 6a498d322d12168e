"""The case list's search box and filters, through the admin page as an officer uses them."""

import pytest
from django.urls import reverse

from applications import case_search, references
from applications.models import Application, EmployerPart
from tests.applications import casework
from tests.applications.submitting import submitted_group
from tests.staff import log_in_staff

pytestmark = pytest.mark.django_db

LIST = "admin:applications_application_changelist"


@pytest.fixture
def cases(trade):
    """Two submitted groups that differ in every searchable value, and one draft."""
    first = submitted_group(trade, dependants=1, chinese_name="陳大文")
    second = submitted_group(trade, chinese_name="李明")
    Application.objects.filter(pk=first.principal.pk).update(
        surname="Chan",
        given_names="Tai Man",
        hkid_number="A123456(3)",
        travel_document_number="K1234567",
    )
    Application.objects.filter(pk=second.principal.pk).update(
        surname="Li", given_names="Ming", travel_document_number="E 9876-543"
    )
    EmployerPart.objects.filter(group=first).update(
        company_name_en="Harbour Engineering Limited",
        company_name_zh="海港工程有限公司",
        business_registration_number="12345678-000-07-25-3",
    )
    EmployerPart.objects.filter(group=second).update(
        company_name_en="Kowloon Lifts Limited", business_registration_number="87654321"
    )
    return first, second


def found(client, term: str, **filters: str) -> set[int]:
    response = client.get(reverse(LIST), {"q": term, **filters})
    assert response.status_code == 200
    return {application.pk for application in response.context["cl"].result_list}


@pytest.fixture
def officer_client(client):
    log_in_staff(client, casework.staff_user("officer"))
    return client


def principal_of(group) -> set[int]:
    return {group.principal.pk}


def whole(group) -> set[int]:
    return set(group.applications.values_list("pk", flat=True))


def test_application_reference_with_or_without_hyphens_in_any_case(officer_client, cases):
    first, _second = cases
    reference = first.principal.reference_number
    for typed in (reference, reference.lower(), reference.replace("-", ""), " " + reference):
        assert found(officer_client, typed) == principal_of(first), typed


def test_temporary_reference_with_or_without_dashes_in_any_case(officer_client, cases, trade):
    first, _second = cases
    first.temporary_reference = references.new_reference()
    first.save(update_fields=["temporary_reference"])
    shown = references.display(first.temporary_reference)  # ABCD-EFGH-J
    for typed in (shown, shown.lower(), first.temporary_reference, shown.replace("-", " ")):
        assert found(officer_client, typed) == whole(first), typed


@pytest.mark.parametrize(
    ("term", "which"),
    [
        ("chan", "first_group"),  # part of a surname, any case (the dependant is a Chan too)
        ("Tai Man", "first_principal"),  # every word must match
        ("CHAN Tai Man", "first_principal"),
        ("陳大文", "first_principal"),
        ("李明", "second_principal"),  # a two-character Chinese name: the whole name
        ("Li", "second_principal"),  # a two-letter surname: the whole surname, not "Limited"
        ("A123456(3)", "first_principal"),
        ("a1234563", "first_principal"),  # without the brackets
        ("k1234567", "first_principal"),  # travel document, any case
        ("E9876543", "second_principal"),  # stored with a space and a hyphen
        ("harbour", "first_group"),  # the company's name: every application of the group
        ("海港工程", "first_group"),
        ("12345678", "first_group"),  # BR number: its 8 digits find the full certificate form
        ("87654321", "second_group"),
        ("Nobody", "none"),
        ("陳", "none"),  # one character is no whole name
    ],
)
def test_each_kind_of_term_finds_its_cases(officer_client, cases, term, which):
    first, second = cases
    expected = {
        "first_principal": principal_of(first),
        "second_principal": principal_of(second),
        "first_group": whole(first),
        "second_group": whole(second),
        "none": set(),
    }[which]
    assert found(officer_client, term) == expected


def test_drafts_are_not_cases(officer_client, cases, trade):
    from tests.factories import PrincipalFactory

    draft = PrincipalFactory(trade=trade, surname="Chan")
    assert draft.pk not in found(officer_client, "chan")
    assert draft.pk not in found(officer_client, "")


def test_filters_by_status_trade_scheme_and_assigned_officer(officer_client, cases):
    from tests.applications import drafting

    first, second = cases
    other_trade = drafting.trade_with_pool()
    third = submitted_group(other_trade, dependants=1)
    officer = casework.staff_user("officer")
    Application.objects.filter(pk=second.principal.pk).update(
        status=Application.Status.UNDER_REVIEW, assigned_to=officer
    )

    assert found(officer_client, "", status="under_review") == principal_of(second)
    # A dependant has no trade of its own: it comes with its principal's.
    assert found(officer_client, "", trade=str(other_trade.pk)) == whole(third)
    assert found(officer_client, "", assigned=str(officer.pk)) == principal_of(second)
    assert principal_of(second).isdisjoint(found(officer_client, "", assigned="none"))
    everyone = whole(first) | whole(second) | whole(third)
    assert found(officer_client, "", scheme="GEP") == everyone
    assert found(officer_client, "", scheme="ASMTP") == set()
    assert found(officer_client, "chan", trade=str(other_trade.pk)) == whole(third)


def test_the_search_is_one_union_of_indexed_readings():
    """Each reading filters on its own indexed column; the list filters by their UNION."""
    sql = str(case_search.matching_ids("TP26-GEP-7KQ3MX-B").query).upper()
    assert sql.count("UNION") >= 3
    assert '"REFERENCE_NUMBER" = TP26-GEP-7KQ3MX-B' in sql
    assert case_search.matching_ids("   ") is None
