"""Getting lost, through the test client: the temporary reference emailed when the draft starts
and shown on every step; the task list, where resuming lands and which offers the step left
off; "You saved and left this application" instead of a bare 404; a replaced employer link
that says so."""

import re
from html import unescape

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from applications import references, tasks
from applications.models import ApplicationGroup, EmployerPart
from applications.services import drafts
from tests.applications import wizard_client as wc
from tests.applications.test_entry_pages import BORN, NEW, RESUME, through_statement
from tests.applications.wizard_client import date_parts

pytestmark = pytest.mark.django_db

ROW = re.compile(
    r'<li class="task-list__item task-list__item--(?P<status>\w+)">\s*'
    r'<div class="task-list__name">\s*(?:<a class="task-list__link" href="(?P<href>[^"]+)"[^>]*>'
    r"(?P<linked>[^<]+)</a>|<span>(?P<plain>[^<]+)</span>)"
)


def task_rows(html: str) -> dict[str, tuple[str, str]]:
    """Each row of the task list as the user reads it: title -> (status, address or "")."""
    found = {}
    for match in ROW.finditer(html):
        title = unescape(match.group("linked") or match.group("plain"))
        found[title] = (match.group("status"), match.group("href") or "")
    return found


def task_list(client: Client, group: ApplicationGroup) -> str:
    response = client.get(drafts.task_list_path(group))
    assert response.status_code == 200
    return response.content.decode()


def run_queued(callbacks) -> None:
    """Run the tasks the request queued, as a worker would."""
    for callback in callbacks:
        task = getattr(callback.func, "__self__", None)
        task.run(*callback.args)


# 1. The reference from the start


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Keep this email"), ("zh-hant", "請保留這封電郵"), ("zh-hans", "请保留这封电邮")],
)
def test_the_reference_and_resume_link_are_emailed_when_the_draft_starts(
    client, trade, language, words, django_capture_on_commit_callbacks
):
    prefix = "/" + language + "/apply/"
    client.post(prefix + "eligibility/", {
        **date_parts("date_of_birth", BORN), "nationality": "GB", "residence": "overseas",
        "trade": trade.code, "contract_months": "36",
    })  # fmt: skip
    client.post(prefix + "privacy/", {"acknowledge": "on"})
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            prefix + "new/", {"contact_email": "ho@example.com", "confirm_email": "ho@example.com"}
        )
    assert response.status_code == 302
    group = ApplicationGroup.objects.get(contact_email="ho@example.com")
    assert [(c.func, c.args) for c in callbacks] == [
        (tasks.send_notification_task.delay, ("started", group.pk))
    ]
    assert mail.outbox == []  # nothing is sent before the worker runs the task
    run_queued(callbacks)

    (message,) = mail.outbox
    shown = references.display(group.temporary_reference)
    assert message.to == ["ho@example.com"]
    assert shown in message.subject and shown in message.body
    assert words in message.body
    link = re.search(r"http://\S+/resume/\S+/", message.body).group(0)
    # The link works from another browser, and opens the task list.
    other = Client()
    landed = other.get(link.replace("http://127.0.0.1:8000", ""))
    with translation.override(language):
        assert landed["Location"] == drafts.task_list_path(group)


def test_the_reference_is_on_every_step(client, trade):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "check")
    shown = references.display(group.temporary_reference)
    for step in ("applicant", "qualifications", "employment", "employer", "company",
                 "dependants", "documents", "check", "declarations"):  # fmt: skip
        html = client.get(wc.url(group, step)).content.decode()
        assert "Temporary reference:" in html and shown in html, step
        assert 'href="' + drafts.task_list_path(group) + '"' in html, step
    # The session-timeout dialog, which sends the user to resume, names it too.
    dialog = html.split("data-session-timeout", 1)[1]
    assert shown in dialog


def test_a_refused_email_is_tried_again_by_the_task(trade, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    from applications.exceptions import NotificationNotSent
    from applications.services import send_notification
    from tests.applications import drafting

    group = drafting.start(trade)

    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    with pytest.raises(NotificationNotSent):
        send_notification(notification="started", group_id=group.pk)
    assert NotificationNotSent in tasks.send_notification_task.autoretry_for


# 2 and 3. The task list, where resuming lands


def test_a_new_draft_shows_the_first_section_open_and_the_rest_not_yet(client, trade):
    group = wc.open_draft(client, trade)
    rows = task_rows(task_list(client, group))
    assert list(rows) == [
        "Your details", "Qualifications and experience", "Employment",
        "The employing company's part", "Company particulars", "Dependants", "Documents",
        "Check your answers", "Declarations and signatures", "Pay and submit",
    ]  # fmt: skip
    assert rows["Your details"] == ("not_started", wc.url(group, "applicant"))
    assert all(status == "cannot_start" and not href for status, href in list(rows.values())[1:])
    html = task_list(client, group)
    assert "You have completed 0 of 10 sections." in html
    assert "Continue with: Your details" in html and "where you left off" not in html


def test_sections_move_from_not_started_to_in_progress_to_completed(client, trade):
    group = wc.open_draft(client, trade)
    # Typed, then left with Back-less "Save and exit" keeps it unvalidated: in progress.
    wc.post(client, group, "applicant", wc.applicant(surname=""), extra={"wizard_save_exit": "1"})
    wc.remember(client, group)
    rows = task_rows(task_list(client, group))
    assert rows["Your details"][0] == "in_progress"
    wc.fill_to(client, group, trade, "dependants")
    rows = task_rows(task_list(client, group))
    for title in ("Your details", "Qualifications and experience", "Employment",
                  "The employing company's part", "Company particulars", "Dependants"):  # fmt: skip
        assert rows[title][0] == "completed", title
    assert rows["Documents"] == ("not_started", wc.url(group, "documents"))
    assert rows["Check your answers"] == ("cannot_start", "")
    assert rows["Pay and submit"] == ("cannot_start", "")


def test_resuming_lands_on_the_task_list_offering_the_step_left_off(client, trade):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "dependants")  # and so on to the documents step
    response = wc.post(client, group, "documents", {}, extra={"wizard_save_exit": "1"})
    assert response["Location"] == reverse("applications:saved")

    other = Client()
    response = other.post(
        RESUME,
        {"reference": group.temporary_reference, **date_parts("date_of_birth", wc.years_ago(30))},
    )
    assert response["Location"] == drafts.task_list_path(group)
    html = other.get(response["Location"]).content.decode()
    resume = re.search(r'<a class="button" href="([^"]+)">([^<]+)</a>', html)
    assert resume.group(1) == wc.url(group, "documents")
    assert unescape(resume.group(2)) == "Continue where you left off: Documents"
    # Every reached section opens from there, an earlier one included.
    rows = task_rows(html)
    assert other.get(rows["Employment"][1]).status_code == 200


def test_the_step_left_off_follows_back_and_continue(client, trade):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "employment")  # now on the employer step
    assert "Continue where you left off: The employing company" in unescape(
        task_list(client, group)
    )
    wc.post(client, group, "employer", {}, extra={"wizard_goto_step": "qualifications"})
    assert "Continue where you left off: Qualifications" in task_list(client, group)


def test_signatures_voided_by_a_change_need_signing_again(client, trade):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "check")
    values = {
        **wc.signing("0", "CHAN Tai Man"),
        **wc.signing("employer", "Wong Mei Ling", capacity="HR Director"),
    }
    assert wc.post(client, group, "declarations", values).status_code == 302
    assert task_rows(task_list(client, group))["Declarations and signatures"][0] == "completed"

    changed = wc.applicant(phone="+44 20 7946 1111")
    assert wc.post(client, group, "applicant", changed).status_code == 302
    rows = task_rows(task_list(client, group))
    assert rows["Declarations and signatures"] == (
        "needs_signing_again",
        wc.url(group, "declarations"),
    )
    assert "Needs signing again" in task_list(client, group)


def test_a_part_handed_to_hr_waits_for_the_employer(client, trade):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "employer", mode="employer")
    html = task_list(client, group)
    rows = task_rows(html)
    assert rows["The employing company's part"][0] == "waiting_for_employer"
    assert "Company particulars" not in rows
    assert "We emailed the link to hr@harbour-aero.example on" in html


def test_the_task_list_is_only_for_the_browser_that_opened_the_draft(client, trade):
    group = wc.open_draft(client, trade)
    assert Client().get(drafts.task_list_path(group)).status_code == 404


def test_the_task_list_queries_do_not_grow_with_the_group(
    client, trade, django_assert_max_num_queries
):
    counts = []
    for size in (0, 8):
        group = wc.open_draft(client, trade)
        rows = [wc.dependant("spouse")] if size else []
        rows += [
            wc.dependant("child", wc.years_ago(3 + n), given_names="Child " + "ABCDEFG"[n])
            for n in range(size - 1)
        ]
        wc.fill_to(client, group, trade, "dependants", rows=rows)
        cache.clear()  # the quota status board not yet cached: the worst case
        with django_assert_max_num_queries(20) as captured:
            task_list(client, group)
        counts.append(len(captured))
    assert counts[0] == counts[1]


# 4. Saved and left


def test_back_after_save_and_exit_says_so_with_the_way_to_resume(client, trade):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "qualifications")
    response = wc.post(client, group, "employment", {}, extra={"wizard_save_exit": "1"})
    assert response["Location"] == reverse("applications:saved")

    for address in (wc.url(group, "employment"), drafts.task_list_path(group),
                    reverse("documents:group", args=[group.public_id])):  # fmt: skip
        page = client.get(address)
        assert page.status_code == 403, address
        html = page.content.decode()
        assert "You saved and left this application" in html
        assert references.display(group.temporary_reference) in html
        assert 'action="' + RESUME + '"' in html
    # Another browser learns nothing from the address.
    assert Client().get(wc.url(group, "employment")).status_code == 404

    # The page's own form resumes the draft, on its task list.
    response = client.post(
        RESUME,
        {
            "reference": references.display(group.temporary_reference),
            **date_parts("date_of_birth", wc.years_ago(30)),  # as the applicant step gave it
        },
    )
    assert response["Location"] == drafts.task_list_path(group)
    assert client.get(wc.url(group, "employment")).status_code == 200


def test_a_deleted_draft_is_not_found_even_to_the_browser_that_left_it(client, trade):
    group = wc.open_draft(client, trade)
    client.post(reverse("applications:save_and_exit", kwargs={"group_id": group.public_id}))
    address = wc.url(group, "applicant")
    group.delete()
    assert client.get(address).status_code == 404


# 5. A replaced employer link


def test_a_replaced_employer_link_says_when_a_newer_one_was_sent_and_who_can_send_it(client, trade):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "employer", mode="employer")
    old = re.search(r"/employer/(\S+)/company/", mail.outbox[-1].body).group(1)
    client.post(reverse("applications:send_employer_link", kwargs={"group_id": group.public_id}))
    new = re.search(r"/employer/(\S+)/company/", mail.outbox[-1].body).group(1)
    assert new != old

    hr = Client()
    page = hr.get(wc.employer_url(old, "company"))
    assert page.status_code == 410
    html = unescape(page.content.decode())
    assert "A newer link to the company's part of this application was sent on" in html
    sent_at = EmployerPart.objects.get(group=group).link_sent_at
    assert str(sent_at.astimezone().year) in html
    assert "only the applicant can" in html
    assert "hr@harbour-aero.example" not in html  # nothing about where the new one went
    assert hr.get(wc.employer_url(new, "company")).status_code == 200
    # A forged link is still a bare 404.
    assert hr.get(wc.employer_url(old[:-3] + "abc", "company")).status_code == 404


# 6. Ways back


def test_the_documents_page_leads_back_to_the_application(client, trade):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "dependants")
    html = client.get(reverse("documents:group", args=[group.public_id])).content.decode()
    assert 'href="' + wc.url(group, "documents") + '">Back to the application</a>' in html


def test_the_employer_documents_page_leads_back_to_the_employer_steps(client, trade):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "employer", mode="employer")
    token = re.search(r"/employer/(\S+)/company/", mail.outbox[-1].body).group(1)
    address = reverse("documents:group", args=[group.public_id]) + "?employer=" + token
    html = Client().get(address).content.decode()
    assert 'href="' + wc.employer_url(token, "employer_documents") + '">Back to' in html


def test_the_home_page_offers_to_resume_a_saved_application(client):
    html = client.get("/en/").content.decode()
    assert 'href="' + RESUME + '">Resume a saved application</a>' in html


# 7. Switching language keeps what was typed


def test_switching_language_mid_step_keeps_what_was_typed(client, trade):
    group = wc.open_draft(client, trade)
    html = client.get(wc.url(group, "applicant")).content.decode()
    # The switch is part of the step's form (a button per language), so it works without
    # JavaScript.
    assert 'form="wizard-form" name="switch_language" value="zh-hant"' in html
    typed = wc.applicant(surname="Chan", given_names="", place_of_birth="Kowloon")
    response = wc.post(client, group, "applicant", typed, extra={"switch_language": "zh-hant"})
    assert response["Location"] == wc.url(group, "applicant", language="zh-hant")
    page = client.get(response["Location"]).content.decode()
    assert 'value="Kowloon"' in page and 'value="Chan"' in page
    assert "請輸入" not in page  # shown as typed, not validated
    group.refresh_from_db()
    assert group.language == "zh-hant"  # the emails follow
    assert not group.applications.get(position=0).surname  # nothing saved unvalidated


def test_switching_language_keeps_the_return_to_check(client, trade):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "check")
    response = wc.post(
        client,
        group,
        "employment",
        wc.employment(trade, post_title="Senior technician"),
        query="return=check",
        extra={"switch_language": "zh-hans"},
    )
    assert response["Location"] == wc.url(group, "employment", "return=check", "zh-hans")
    assert 'value="Senior technician"' in client.get(response["Location"]).content.decode()


def test_an_unknown_language_is_not_a_switch(client, trade):
    group = wc.open_draft(client, trade)
    response = wc.post(client, group, "applicant", wc.applicant(), extra={"switch_language": "xx"})
    assert response["Location"] == wc.url(group, "qualifications")  # an ordinary Continue


def test_switching_language_on_the_pre_check_keeps_the_answers(client, trade):
    from tests.applications.test_entry_pages import ELIGIBILITY, eligible_post

    typed = eligible_post(trade, contract_months="", holds_prc_passport="on")
    response = client.post(ELIGIBILITY, {**typed, "switch_language": "zh-hant"})
    assert response["Location"] == "/zh-hant/apply/eligibility/"
    page = client.get(response["Location"]).content.decode()
    assert wc.shows_date(page, "date_of_birth", BORN)  # each of the three boxes
    assert re.search(r'name="holds_prc_passport"[^>]* checked', page)
    assert "請輸入" not in page  # no errors for the empty contract length yet
    # Shown once: reloading gives the plain page.
    assert wc.boxes_shown(client.get(ELIGIBILITY).content.decode(), "date_of_birth") == ("",) * 3


def test_switching_language_keeps_a_date_half_typed_box_by_box(client, trade):
    from tests.applications.test_entry_pages import ELIGIBILITY, eligible_post

    typed = eligible_post(trade, date_of_birth_0="31", date_of_birth_1="", date_of_birth_2="19")
    client.post(ELIGIBILITY, {**typed, "switch_language": "zh-hans"})
    page = client.get("/zh-hans/apply/eligibility/").content.decode()
    assert wc.boxes_shown(page, "date_of_birth") == ("31", "", "19")
    assert "error-message" not in page  # shown as typed, not judged

    response = client.post(
        RESUME,
        {"reference": "ABCD-EFGH-J", **date_parts("date_of_birth", BORN), "switch_language": "en"},
    )
    assert wc.shows_date(client.get(response["Location"]).content.decode(), "date_of_birth", BORN)


def test_switching_language_on_the_contact_email_and_resume_pages_keeps_the_input(client, trade):
    through_statement(client, trade)
    response = client.post(
        NEW, {"contact_email": "lam@example.com", "confirm_email": "", "switch_language": "zh-hans"}
    )
    assert response["Location"] == "/zh-hans/apply/new/"
    assert 'value="lam@example.com"' in client.get(response["Location"]).content.decode()

    response = client.post(RESUME, {"reference": "ABCD-EFGH-J", "switch_language": "zh-hant"})
    assert response["Location"] == "/zh-hant/apply/resume/"
    assert 'value="ABCD-EFGH-J"' in client.get(response["Location"]).content.decode()


def test_the_not_eligible_page_keeps_the_answers_to_change_them(client, trade):
    from tests.applications.test_entry_pages import ELIGIBILITY, PICS, eligible_post

    refused = eligible_post(trade, nationality="AF", contract_months="40")
    page = client.post(ELIGIBILITY, refused).content.decode()
    assert "You cannot apply through this service" in page
    assert "kept only in this browser" in page
    again = client.get(ELIGIBILITY).content.decode()
    assert re.search(r'<option value="AF" selected>', again)
    assert 'value="40"' in again and wc.shows_date(again, "date_of_birth", BORN)
    # The refused answers do not open the next pages.
    assert client.get(PICS).status_code == 200
    assert 'name="acknowledge"' not in client.get(PICS).content.decode()


def test_handing_the_company_part_to_hr_continues_to_dependants_and_records_it(client, trade):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "employment")
    choice = wc.employer_choice("employer", "hr@harbour-aero.example")
    response = wc.post(client, group, "employer", choice)
    assert response["Location"] == wc.url(group, "dependants")  # no detour by the company step
    assert "Continue where you left off: Dependants" in task_list(client, group)
