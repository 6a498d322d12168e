"""The officers' case list and case pages: who reaches them, what they show, what they cost."""

import csv
import io

import pytest
from django.urls import reverse

from applications.models import Application
from tests.applications import casework
from tests.applications.submitting import submitted_group
from tests.staff import log_in_staff

pytestmark = pytest.mark.django_db

LIST = "admin:applications_application_changelist"
EXPORT = "admin:applications_application_export"
DASHBOARD = "admin:applications_application_dashboard"


def page_url(application: Application) -> str:
    return reverse("admin:applications_application_change", args=[application.pk])


@pytest.fixture
def case(trade):
    return submitted_group(trade, dependants=1).principal


def test_an_officer_reaches_the_case_list_and_the_case_page(client, case):
    log_in_staff(client, casework.staff_user("officer"))

    listing = client.get(reverse(LIST))
    page = client.get(page_url(case))

    assert listing.status_code == 200
    assert case.reference_number in listing.content.decode()
    assert page.status_code == 200
    assert case.reference_number in page.content.decode()


def test_anonymous_visitors_are_sent_to_the_login(client, case):
    for url in (reverse(LIST), page_url(case), reverse(DASHBOARD)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    response = client.post(reverse(EXPORT))
    assert response.status_code == 302 and "login" in response["Location"]


def test_staff_without_a_role_is_refused(client, case):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("nobody", password="x", is_staff=True)
    log_in_staff(client, user)
    assert client.get(reverse(LIST)).status_code == 403
    assert client.get(page_url(case)).status_code == 403


def test_an_officer_never_exports_by_link_or_by_a_crafted_post(client, case, caplog):
    log_in_staff(client, casework.staff_user("officer"))

    listing = client.get(reverse(LIST)).content.decode()
    by_link = client.get(reverse(EXPORT))
    by_post = client.post(reverse(EXPORT) + "?status=submitted")

    assert reverse(EXPORT) not in listing  # no button to press
    assert by_link.status_code == 403
    assert by_post.status_code == 403
    assert "cases exported" not in caplog.text


def test_nobody_changes_or_deletes_a_case_not_even_a_superuser(admin_client, case):
    changed = admin_client.post(page_url(case), {"surname": "Changed"})
    deleted = admin_client.post(
        reverse("admin:applications_application_delete", args=[case.pk]), {"post": "yes"}
    )
    added = admin_client.get(reverse("admin:applications_application_add"))

    assert (changed.status_code, deleted.status_code, added.status_code) == (403, 403, 403)
    case.refresh_from_db()
    assert case.surname == "Chan"


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_a_supervisor_exports_the_list_as_filtered(client, trade, caplog):
    first = submitted_group(trade, dependants=1)
    second = submitted_group(trade)
    second.applications.update(status=Application.Status.UNDER_REVIEW)
    Application.objects.filter(pk=first.principal.pk).update(surname="=HYPERLINK(1)")
    supervisor = casework.staff_user("supervisor")
    log_in_staff(client, supervisor)

    listing = client.get(reverse(LIST)).content.decode()
    response = client.post(reverse(EXPORT) + "?status=submitted")

    assert reverse(EXPORT) in listing
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    header, body = rows[0], rows[1:]
    assert header[0] == "Application reference number"
    references = {row[0] for row in body}
    assert references == {a.reference_number for a in first.applications.all()}
    # A dependant's row carries its principal's trade; a formula is written as text.
    assert {row[5] for row in body} == {trade.name}
    assert any(row[4].startswith("'=HYPERLINK") for row in body)
    assert "cases exported by " + supervisor.username + ": 2 rows" in caplog.text


def test_the_case_list_costs_the_same_for_1000_applications(
    client, trade, django_assert_max_num_queries
):
    casework.bulk_cases(1000, trade, dependants_every=3)
    log_in_staff(client, casework.staff_user("officer"))

    with django_assert_max_num_queries(14):
        response = client.get(reverse(LIST))
    with django_assert_max_num_queries(14):
        searched = client.get(reverse(LIST), {"q": "bulk company", "trade": trade.pk})

    assert response.status_code == searched.status_code == 200
    assert len(response.context["cl"].result_list) == 50
    content = response.content.decode()
    assert content.count(trade.name) >= 50  # every row's trade, dependants' included


def test_the_dashboard_shows_quota_use_and_cases_per_status(client, trade):
    submitted_group(trade, dependants=2)
    log_in_staff(client, casework.staff_user("officer"))

    response = client.get(reverse(DASHBOARD))

    assert response.status_code == 200
    board = response.context["dashboard"]
    row = next(use for use in board.trades if use.trade == trade)
    assert (row.capacity, row.allocated, row.remaining) == (100, 1, 99)
    assert dict(board.statuses)["Submitted"] == 3
    assert trade.name in response.content.decode()
