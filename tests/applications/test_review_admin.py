"""The case actions in admin, through the test client: confirmation pages, notes, who may do
what (officer, supervisor, staff without a role, anonymous) by link and by crafted POST."""

import pytest
from django.urls import reverse

from applications.admin_actions import case_page_url
from applications.models import Application, AuditEntry
from applications.services import assignment, review
from tests.applications import reviewing as rv
from tests.factories import PrincipalFactory
from tests.staff import log_in_staff

pytestmark = pytest.mark.django_db

Status = Application.Status
Action = AuditEntry.Action


def action_url(application, slug):
    return reverse("case_actions:action", args=[application.pk, slug])


def case_url(application):
    return reverse("case_actions:case", args=[application.pk])


@pytest.fixture
def principal(trade):
    return rv.principal_of(rv.case(trade))


@pytest.fixture
def officer(client):
    user = rv.staff_user("officer")
    log_in_staff(client, user)
    return user


@pytest.mark.parametrize("slug", ["start-review", "approve", "refuse", "withdraw", "assign"])
def test_anonymous_is_sent_to_the_login_and_changes_nothing(client, principal, slug):
    page = client.get(action_url(principal, slug))
    posted = client.post(action_url(principal, slug), {"note": "x", "officer": ""})
    case = client.get(case_url(principal))

    for response in (page, posted, case):
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert rv.status_of(principal) == Status.SUBMITTED and not AuditEntry.objects.exists()


@pytest.mark.parametrize("slug", ["start-review", "withdraw", "assign"])
def test_staff_without_a_role_get_403(client, principal, slug):
    log_in_staff(client, rv.staff_user(None))

    page = client.get(action_url(principal, slug))
    posted = client.post(action_url(principal, slug), {"note": "x"})

    assert (page.status_code, posted.status_code) == (403, 403)
    assert client.get(case_url(principal)).status_code == 403
    assert rv.status_of(principal) == Status.SUBMITTED and not AuditEntry.objects.exists()


def test_an_officer_confirms_then_starts_the_review(client, principal, officer):
    page = client.get(action_url(principal, "start-review"))
    content = page.content.decode()
    assert page.status_code == 200
    assert "Yes, start the review" in content and principal.reference_number in content
    assert principal.group.contact_email in content
    assert rv.status_of(principal) == Status.SUBMITTED  # the page alone changes nothing

    done = client.post(action_url(principal, "start-review"), {"note": "First look."})

    # Back to the case: the case admin's page, or the workflow page while there is none.
    assert done.status_code == 302 and done["Location"] == case_page_url(principal)
    assert rv.status_of(principal) == Status.UNDER_REVIEW
    [entry] = rv.entries(principal)
    assert (entry.action, entry.actor, entry.ip_address) == (
        Action.REVIEW_STARTED,
        officer,
        "127.0.0.1",
    )
    assert entry.detail["note"] == "First look."


def test_the_approval_page_shows_the_visa_fee_due(client, principal, officer):
    rv.set_status(principal, Status.UNDER_REVIEW)

    content = client.get(action_url(principal, "approve")).content.decode()

    assert "Visa issuance fee due: HK$1,300" in content
    assert "Yes, approve it" in content


def test_a_refusal_without_a_note_is_sent_back(client, principal, officer):
    rv.set_status(principal, Status.UNDER_REVIEW)

    response = client.post(action_url(principal, "refuse"), {"note": "  "})

    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert rv.status_of(principal) == Status.UNDER_REVIEW and rv.entries(principal) == []


def test_the_refusal_page_says_the_quota_place_is_released(client, principal, officer):
    rv.set_status(principal, Status.UNDER_REVIEW)

    content = client.get(action_url(principal, "refuse")).content.decode()

    assert "quota place is released" in content


def test_a_forbidden_action_by_link_or_post_changes_nothing(client, principal, officer):
    page = client.get(action_url(principal, "approve"))
    posted = client.post(action_url(principal, "approve"), {"note": ""})

    assert "not possible for an application whose status is “Submitted”" in page.content.decode()
    assert b"Yes, approve it" not in page.content
    assert posted.status_code == 200 and "not possible" in posted.content.decode()
    assert rv.status_of(principal) == Status.SUBMITTED and rv.entries(principal) == []


def test_an_unknown_action_or_a_draft_is_no_case(client, trade, officer):
    draft = PrincipalFactory(trade=trade)  # a draft: no case yet
    submitted = rv.principal_of(rv.case(trade))

    assert client.get(action_url(submitted, "delete")).status_code == 403
    assert client.get(action_url(draft, "start-review")).status_code == 404
    assert client.get(case_url(draft)).status_code == 404


def test_an_officer_takes_a_case_but_cannot_give_it_to_someone_else(client, principal, officer):
    other = rv.staff_user("officer")

    page = client.get(action_url(principal, "assign")).content.decode()
    crafted = client.post(action_url(principal, "assign"), {"officer": str(other.pk)})
    assert 'value="' + str(other.pk) + '"' not in page
    assert crafted.status_code == 200
    principal.refresh_from_db()
    assert principal.assigned_to is None

    taken = client.post(action_url(principal, "assign"), {"officer": str(officer.pk)})

    assert taken.status_code == 302
    principal.refresh_from_db()
    assert principal.assigned_to == officer
    assert [e.action for e in rv.entries(principal)] == [Action.ASSIGNED]


def test_an_officer_cannot_take_a_case_assigned_to_another(client, principal, officer):
    other = rv.staff_user("officer")
    assignment.assign(application=principal, officer=other, actor=rv.actor(other))

    response = client.post(action_url(principal, "assign"), {"officer": str(officer.pk)})

    assert response.status_code == 403
    principal.refresh_from_db()
    assert principal.assigned_to == other


def test_a_supervisor_assigns_to_anyone_and_back_to_nobody(client, principal):
    supervisor, first = rv.staff_user("supervisor"), rv.staff_user("officer")
    log_in_staff(client, supervisor)

    given = client.post(action_url(principal, "assign"), {"officer": str(first.pk), "note": "x"})
    principal.refresh_from_db()
    assert given.status_code == 302 and principal.assigned_to == first
    back = client.post(action_url(principal, "assign"), {"officer": ""})

    principal.refresh_from_db()
    assert back.status_code == 302 and principal.assigned_to is None
    assert [e.detail["to_officer"] for e in rv.entries(principal)] == [first.pk, None]


def test_opening_the_case_page_is_audited_and_shows_the_history(client, principal, officer):
    review.start_review(application=principal, actor=rv.actor(officer), note="Started.")

    response = client.get(case_url(principal))

    content = response.content.decode()
    assert response.status_code == 200 and "Review started" in content and "Started." in content
    assert action_url(principal, "approve") in content  # the buttons its status allows
    assert action_url(principal, "start-review") not in content
    viewed = rv.entries(principal, Action.CASE_VIEWED)
    assert [(e.actor, e.ip_address) for e in viewed] == [(officer, "127.0.0.1")]


def test_the_buttons_follow_status_and_role(rf, principal):
    officer, supervisor, other = (
        rv.staff_user("officer"),
        rv.staff_user("supervisor"),
        rv.staff_user("officer"),
    )
    request = rf.get("/")

    def labels(user):
        request.user = user
        from applications.admin_actions import links_for

        return [str(link.label) for link in links_for(request, principal)]

    assert labels(officer) == ["Start review", "Withdraw at the applicant's request", "Assign"]
    principal.assigned_to = other
    assert labels(officer) == ["Start review", "Withdraw at the applicant's request"]
    assert labels(supervisor)[-1] == "Assign"
    assert labels(rv.staff_user(None)) == []
