"""The pages before the wizard through the test client: pre-check, collection statement, start,
save and exit, resume, suspended notice. A step not reached cannot be posted."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from applications import references
from applications.access import session_may_open
from applications.entry_views import SESSION_KEY
from applications.models import ApplicationGroup
from applications.services import drafts
from quota.models import QuotaPool
from tests.applications.wizard_client import date_parts

from .drafting import fill_pool, start, trade_with_pool, years_ago

pytestmark = pytest.mark.django_db

ELIGIBILITY = "/en/apply/eligibility/"
PICS = "/en/apply/privacy/"
NEW = "/en/apply/new/"
RESUME = "/en/apply/resume/"
BORN = years_ago(29)


def eligible_post(chosen, **changes):
    data = {
        **date_parts("date_of_birth", BORN),
        "nationality": "GB",
        "residence": "overseas",
        "trade": chosen.code,
        "contract_months": "36",
    }
    data.update(changes)
    return data


def wizard_prefix(group: ApplicationGroup) -> str:
    return "/en/apply/" + str(group.public_id) + "/"


def through_statement(client, trade):
    assert client.post(ELIGIBILITY, eligible_post(trade)).status_code == 302
    assert client.post(PICS, {"acknowledge": "on"}).status_code == 302


def test_the_urls_have_their_names():
    assert reverse("applications:eligibility") == ELIGIBILITY
    assert reverse("applications:pics") == PICS
    assert reverse("applications:new_draft") == NEW
    assert reverse("applications:resume") == RESUME
    assert reverse("applications:saved") == "/en/apply/saved/"
    assert reverse("applications:keepalive") == "/en/apply/session/keepalive/"
    assert reverse("applications:resume_link", kwargs={"token": "x:y:z"}).startswith(RESUME)


def test_the_whole_start_creates_the_draft_and_opens_the_first_step(client, trade):
    page = client.get(ELIGIBILITY)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<legend class="fieldset__legend">Your date of birth</legend>' in html
    for box in ("id_date_of_birth_0", "id_date_of_birth_1", "id_date_of_birth_2"):
        assert '<label class="date-input__label" for="' + box + '">' in html
    assert "<script>" not in html

    response = client.post(ELIGIBILITY, eligible_post(trade))
    assert response["Location"] == PICS
    statement = client.get(PICS).content.decode()
    assert "Personal Data (Privacy) Ordinance (Cap. 486)" in statement
    assert "General Employment Policy (GEP)" in statement
    assert 'name="acknowledge"' in statement

    response = client.post(PICS, {"acknowledge": "on"})
    assert response["Location"] == NEW
    assert 'name="contact_email"' in client.get(NEW).content.decode()

    response = client.post(
        NEW, {"contact_email": "wong@example.com", "confirm_email": "WONG@example.com"}
    )
    group = ApplicationGroup.objects.get(contact_email="wong@example.com")
    assert response.status_code == 302
    assert response["Location"] == wizard_prefix(group) + drafts.FIRST_STEP + "/"
    assert response["Location"] == drafts.first_step_path(group)
    assert group.pics_acknowledged_at is not None
    assert group.language == "en"
    principal = group.principal
    assert principal.date_of_birth == BORN
    assert principal.trade == trade
    request = type("R", (), {"session": client.session})()
    assert session_may_open(request, group)
    assert SESSION_KEY not in client.session


def test_chinese_pages_start_a_chinese_draft(client, trade):
    response = client.post("/zh-hant/apply/eligibility/", eligible_post(trade))
    assert response["Location"] == "/zh-hant/apply/privacy/"
    client.post("/zh-hant/apply/privacy/", {"acknowledge": "on"})
    client.post(
        "/zh-hant/apply/new/", {"contact_email": "a@example.com", "confirm_email": "a@example.com"}
    )
    assert ApplicationGroup.objects.get(contact_email="a@example.com").language == "zh-hant"


def test_empty_answers_get_an_error_summary_linking_to_each_field(client, trade):
    response = client.post(ELIGIBILITY, {})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    for field, message in [
        ("id_date_of_birth_0", "Enter your date of birth."),
        ("id_nationality", "Choose your nationality."),
        ("id_residence_0", "Choose where you live now."),
        ("id_trade", "Choose the skilled trade of your job."),
        ("id_contract_months", "Enter the length of the contract in months."),
    ]:
        assert '<a href="#' + field + '">' + message + "</a>" in html
    assert 'aria-describedby="id_date_of_birth_helptext id_date_of_birth_error"' in html
    assert html.startswith("<!DOCTYPE html>") or "<title>Error:" in html
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {**date_parts("date_of_birth", datetime.date(2999, 1, 1))},
            "The date of birth must be in the past.",
        ),
        (
            {"date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "2000"},
            "Enter a real date, for example 27 3 1990",
        ),
        ({"date_of_birth_2": ""}, "Your date of birth must include a year"),
        (
            {"date_of_birth_0": "", "date_of_birth_1": ""},
            "Your date of birth must include a day and month",
        ),
        ({"contract_months": "0"}, "The contract must be at least 1 month long."),
        ({"contract_months": "two"}, "Enter the length of the contract as a whole number"),
        ({"nationality": "XX"}, "Select a valid choice."),
        ({"trade": "made-up"}, "Select a valid choice."),
    ],
)
def test_bad_answers_are_explained(client, trade, changes, message):
    html = client.post(ELIGIBILITY, eligible_post(trade, **changes)).content.decode()
    assert message in html


def test_an_ineligible_applicant_is_told_why_and_where_to_go(client, trade):
    client.post(ELIGIBILITY, eligible_post(trade))  # a pass earlier in the session
    response = client.post(ELIGIBILITY, eligible_post(trade, nationality="KP"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "You cannot apply through this service" in html
    assert "Democratic People&#x27;s Republic of Korea" in html
    assert 'href="/en/guide/help/"' in html
    # The earlier pass no longer counts; only the refused answers are kept, to change them.
    assert "answers" not in client.session[SESSION_KEY]
    assert client.post(PICS, {"acknowledge": "on"})["Location"] == ELIGIBILITY


def test_a_job_outside_the_list_can_be_answered(client, trade):
    html = client.post(ELIGIBILITY, eligible_post(trade, trade="none")).content.decode()
    assert "Technical Professional List" in html


def test_the_statement_cannot_be_posted_before_the_pre_check(client):
    response = client.post(PICS, {"acknowledge": "on"})
    assert response["Location"] == ELIGIBILITY
    assert SESSION_KEY not in client.session


def test_the_statement_can_be_read_from_any_step_without_a_form(client):
    html = client.get(PICS).content.decode()
    assert "Personal Data (Privacy) Ordinance" in html
    assert "Who may receive the data" in html
    assert 'name="acknowledge"' not in html


def test_the_statement_must_be_acknowledged(client, trade):
    client.post(ELIGIBILITY, eligible_post(trade))
    html = client.post(PICS, {}).content.decode()
    assert "Confirm that you have read the Personal Information Collection Statement." in html
    assert client.get(NEW)["Location"] == PICS


def test_the_start_cannot_be_posted_before_the_statement(client, trade):
    client.post(ELIGIBILITY, eligible_post(trade))
    response = client.post(
        NEW, {"contact_email": "a@example.com", "confirm_email": "a@example.com"}
    )
    assert response["Location"] == PICS
    assert not ApplicationGroup.objects.filter(contact_email="a@example.com").exists()


def test_the_start_cannot_be_posted_without_the_pre_check(client):
    response = client.post(
        NEW, {"contact_email": "a@example.com", "confirm_email": "a@example.com"}
    )
    assert response["Location"] == ELIGIBILITY
    assert not ApplicationGroup.objects.exists()


def test_a_forged_session_step_cannot_skip_the_pre_check(client, trade):
    session = client.session
    session[SESSION_KEY] = {"pics_acknowledged_at": "2026-01-01T00:00:00+08:00"}
    session.save()
    response = client.post(
        NEW, {"contact_email": "a@example.com", "confirm_email": "a@example.com"}
    )
    assert response["Location"] == ELIGIBILITY
    assert not ApplicationGroup.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"contact_email": "", "confirm_email": ""}, "Enter a contact email address."),
        ({"contact_email": "wrong", "confirm_email": "wrong"}, "like name@example.com"),
        (
            {"contact_email": "a@example.com", "confirm_email": "b@example.com"},
            "The two email addresses are not the same.",
        ),
    ],
)
def test_the_contact_email_is_mandatory_and_checked(client, trade, data, message):
    through_statement(client, trade)
    response = client.post(NEW, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ApplicationGroup.objects.exists()


def test_a_quota_used_up_meanwhile_stops_the_start(client):
    trade = trade_with_pool(capacity=1)
    through_statement(client, trade)
    fill_pool(trade)
    groups = ApplicationGroup.objects.count()
    response = client.post(
        NEW, {"contact_email": "a@example.com", "confirm_email": "a@example.com"}
    )
    assert "You cannot apply through this service" in response.content.decode()
    assert ApplicationGroup.objects.count() == groups


# Save and exit, resume


def open_draft(client, trade) -> ApplicationGroup:
    through_statement(client, trade)
    client.post(NEW, {"contact_email": "lee@example.com", "confirm_email": "lee@example.com"})
    return ApplicationGroup.objects.get(contact_email="lee@example.com")


def test_save_and_exit_emails_forgets_the_draft_here_and_shows_the_reference(client, trade):
    group = open_draft(client, trade)
    response = client.post("/en/apply/" + str(group.public_id) + "/save-and-exit/")
    assert response["Location"] == "/en/apply/saved/"
    html = client.get("/en/apply/saved/").content.decode()
    shown = references.display(group.temporary_reference)
    assert shown in html
    assert "lee@example.com" in html
    assert "deleted on" in html
    assert len(mail.outbox) == 1
    # The browser no longer opens the draft until it resumes: it says so, with the way back.
    left = client.get(drafts.first_step_path(group))
    assert left.status_code == 403
    assert "You saved and left this application" in left.content.decode()
    link = re.search(r"http://\S+/resume/\S+/", mail.outbox[0].body).group(0)
    response = client.get(link.replace("http://127.0.0.1:8000", ""))
    assert response["Location"] == drafts.task_list_path(group)
    assert client.get(drafts.first_step_path(group)).status_code == 200


def test_the_saved_page_is_never_cached(client, trade):
    """It shows the temporary reference and the email address: no browser or proxy keeps it."""
    group = open_draft(client, trade)
    client.post("/en/apply/" + str(group.public_id) + "/save-and-exit/")
    response = client.get("/en/apply/saved/")
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control


def test_a_resume_link_stops_working_once_the_group_is_submitted(client, trade):
    from django.test import Client

    group = start(trade)
    link = RESUME + drafts.resume_token(group) + "/"
    assert client.get(link).status_code == 302
    assert Client().get(link).status_code == 302  # reusable while it is a draft
    ApplicationGroup.objects.filter(pk=group.pk).update(status=ApplicationGroup.Status.SUBMITTED)
    for browser in (client, Client()):
        response = browser.get(link)
        assert response.status_code == 410
        assert "This link has expired or is not valid." in response.content.decode()
    # The session that had it open is sent to its acknowledgment; nobody else finds it.
    assert client.get(drafts.first_step_path(group)).url.endswith("/acknowledgment/")
    assert Client().get(drafts.first_step_path(group)).status_code == 404


def test_save_and_exit_of_a_draft_this_browser_did_not_open_is_not_found(client, trade):
    group = start(trade)
    assert client.post("/en/apply/" + str(group.public_id) + "/save-and-exit/").status_code == 404
    assert mail.outbox == []


def test_the_saved_page_without_a_save_goes_to_resume(client):
    assert client.get("/en/apply/saved/")["Location"] == RESUME


def test_resume_by_reference_and_date_of_birth(client, trade):
    group = start(trade, date_of_birth=BORN)
    response = client.post(
        RESUME,
        {
            "reference": references.display(group.temporary_reference).lower(),
            **date_parts("date_of_birth", BORN),
        },
    )
    assert response["Location"] == wizard_prefix(group) + "tasks/"
    assert client.get(response["Location"]).status_code == 200


def test_resume_gives_one_message_for_either_wrong_answer(client, trade):
    group = start(trade, date_of_birth=BORN)
    wrong_birth = client.post(
        RESUME,
        {
            "reference": group.temporary_reference,
            **date_parts("date_of_birth", (BORN - datetime.timedelta(days=1))),
        },
    )
    other = references.new_reference()
    wrong_reference = client.post(RESUME, {"reference": other, **date_parts("date_of_birth", BORN)})
    message = "We could not find an unfinished application with that temporary reference and date"
    for response in (wrong_birth, wrong_reference):
        assert response.status_code == 200
        assert message in response.content.decode()

    def summary(response):
        html = response.content.decode()
        return html[
            html.index("data-error-summary") : html.index("</ul>", html.index("data-error-summary"))
        ]

    assert summary(wrong_birth) == summary(wrong_reference)


def test_a_mistyped_reference_is_caught_by_its_check_character(client, trade):
    group = start(trade)
    typo = group.temporary_reference[:-1] + ("2" if group.temporary_reference[-1] != "2" else "3")
    html = client.post(RESUME, {"reference": typo, **date_parts("date_of_birth", BORN)}).content
    assert b"It has 9 letters and digits." in html


def test_the_sixth_attempt_from_an_address_is_refused_with_429(client, trade):
    group = start(trade, date_of_birth=BORN)
    for _ in range(drafts.RESUME_ATTEMPTS):
        client.post(
            RESUME, {"reference": references.new_reference(), **date_parts("date_of_birth", BORN)}
        )
    response = client.post(
        RESUME, {"reference": group.temporary_reference, **date_parts("date_of_birth", BORN)}
    )
    assert response.status_code == 429
    assert "Wait 15 minutes" in response.content.decode()
    request = type("R", (), {"session": client.session})()
    assert not session_may_open(request, group)


def test_a_tampered_link_says_so_and_offers_the_other_ways(client, trade):
    group = start(trade)
    token = drafts.resume_token(group)
    response = client.get(RESUME + token[:-2] + "xx/")
    assert response.status_code == 410
    html = response.content.decode()
    assert "This link has expired or is not valid." in html
    assert 'href="' + RESUME + '"' in html


def test_a_suspended_draft_resumes_on_the_notice(client):
    trade = trade_with_pool(capacity=1)
    group = start(trade, date_of_birth=BORN)
    fill_pool(trade)
    response = client.post(
        RESUME, {"reference": group.temporary_reference, **date_parts("date_of_birth", BORN)}
    )
    assert response["Location"] == wizard_prefix(group) + "suspended/"
    notice = client.get(response["Location"])
    assert "no-store" in notice["Cache-Control"]  # it shows the temporary reference
    html = notice.content.decode()
    assert "Your application is suspended" in html
    assert "cannot go on to payment" in html
    assert 'href="' + drafts.task_list_path(group) + '"' in html
    QuotaPool.objects.filter(trade=trade).update(capacity=2)
    html = client.get(wizard_prefix(group) + "suspended/").content.decode()
    assert "Applications are accepted again" in html


def test_the_suspended_notice_is_only_for_the_browser_that_opened_the_draft(client, trade):
    group = start(trade)
    assert client.get(wizard_prefix(group) + "suspended/").status_code == 404


def test_the_before_you_start_page_leads_to_the_pre_check_and_to_resume(client):
    html = client.get("/en/apply/").content.decode()
    assert 'href="' + ELIGIBILITY + '"' in html
    assert 'href="' + RESUME + '"' in html


def test_the_statement_page_names_the_scheme_the_answers_lead_to(client, trade):
    client.post(ELIGIBILITY, eligible_post(trade, nationality="CN", residence="mainland"))
    html = client.get(PICS).content.decode()
    assert "Admission Scheme for Mainland Talents and Professionals (ASMTP)" in html
    client.post(
        ELIGIBILITY,
        eligible_post(
            trade,
            nationality="CN",
            residence="overseas",
            holds_prc_passport="on",
            overseas_year_before="on",
            applying_from_overseas="on",
        ),
    )
    assert "General Employment Policy (GEP)" in client.get(PICS).content.decode()
