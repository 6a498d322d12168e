"""The wizard's pages through the test client: steps, Back, forged and skipped steps, two
drafts in two tabs, change links from check your answers, save and exit, query counts."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from applications import references
from applications.models import Application, ApplicationGroup, EmployerPart
from tests.applications import wizard_client as wc

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(client, trade):
    return wc.open_draft(client, trade)


def snapshot(group: ApplicationGroup) -> tuple:
    group.refresh_from_db()
    rows = list(Application.objects.filter(group=group).order_by("position").values())
    employer = list(EmployerPart.objects.filter(group=group).values())
    for row in rows + employer:
        row.pop("updated_at", None)
    return group.wizard_state, rows, employer


def test_each_step_shows_its_progress_and_an_accessible_form(client, group, trade):
    wc.fill_to(client, group, trade, "check", rows=[wc.dependant("spouse")])
    names = [
        "applicant",
        "qualifications",
        "employment",
        "employer",
        "company",
        "dependants",
        "documents",
        "check",
        "declarations",
    ]
    for number, step in enumerate(names, start=1):
        response = client.get(wc.url(group, step))
        assert response.status_code == 200, step
        assert "no-store" in response["Cache-Control"]
        html = response.content.decode()
        assert f"Step {number} of 9: " in html
        assert 'name="wizard_save_exit"' in html
        assert "<script>" not in html and "style=" not in html


def test_the_first_step_has_labels_hints_fieldsets_and_autocomplete(client, group):
    html = client.get(wc.url(group, "applicant")).content.decode()
    assert '<label class="form-label" for="id_applicant-surname">' in html
    assert 'autocomplete="family-name"' in html
    assert 'autocomplete="bday-day"' in html and 'inputmode="numeric"' in html
    assert '<legend class="fieldset__legend">Date of birth</legend>' in html
    assert '<legend class="fieldset__legend">Sex</legend>' in html
    assert 'href="{}"'.format(reverse("applications:pics")) in html


def test_errors_show_next_to_fields_and_in_a_summary_linking_to_them(client, group):
    response = wc.post(client, group, "applicant", wc.applicant(surname="", sex=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_applicant-surname"' in html
    assert 'href="#id_applicant-sex_0"' in html
    assert 'id="id_applicant-surname_error"' in html
    assert 'aria-describedby="id_applicant-surname_error"' in html or (
        "id_applicant-surname_helptext id_applicant-surname_error" in html
    )
    assert html.index("There is a problem") < html.index("<h1>")


def test_a_valid_step_saves_into_the_rows_and_moves_on(client, group):
    response = wc.post(client, group, "applicant", wc.applicant())
    assert response.status_code == 302
    assert response.url == wc.url(group, "qualifications")
    principal = Application.objects.get(group=group, role="principal")
    assert (principal.surname, principal.given_names, principal.travel_document_number) == (
        "Chan",
        "Tai Man",
        "K1234567",
    )
    group.refresh_from_db()
    assert "applicant" in group.wizard_state["completed"]


def test_back_keeps_what_was_typed_without_validating(client, group):
    wc.post(client, group, "applicant", wc.applicant())
    typed = wc.qualifications(academic_0_year="not a year", work_0_post="")
    response = wc.post(
        client, group, "qualifications", typed, extra={"wizard_goto_step": "applicant"}
    )
    assert response.status_code == 302 and response.url == wc.url(group, "applicant")
    page = client.get(wc.url(group, "qualifications"))
    html = page.content.decode()
    assert 'value="not a year"' in html
    assert "There is a problem" not in html and "form-group--error" not in html
    # Nothing invalid reached the rows, and the step is not completed.
    principal = Application.objects.get(group=group, role="principal")
    assert principal.academic_qualifications == []
    group.refresh_from_db()
    assert "qualifications" not in group.wizard_state["completed"]


def test_typed_input_survives_on_another_device(client, group, trade):
    wc.post(client, group, "applicant", wc.applicant(place_of_birth="Leeds", surname=""))
    other = type(client)()
    wc.remember(other, group)
    html = other.get(wc.url(group, "applicant")).content.decode()
    assert 'value="Leeds"' in html


def test_a_dependant_added_in_another_tab_is_not_lost(client, group, trade):
    wc.fill_to(client, group, trade, "company")
    # Both tabs show the empty dependants step; each adds a different person.
    tab_one = wc.dependants([wc.dependant("spouse")])
    tab_two = wc.dependants([wc.dependant("child", wc.years_ago(6))])
    assert wc.post(client, group, "dependants", tab_one).status_code == 302
    assert wc.post(client, group, "dependants", tab_two).status_code == 302
    saved = Application.objects.filter(group=group, role="dependant").order_by("position")
    assert [(d.position, d.relationship) for d in saved] == [(1, "spouse"), (2, "child")]
    # The rules count the dependants the form did not show: a second spouse is refused.
    response = wc.post(client, group, "dependants", wc.dependants([wc.dependant("spouse")]))
    assert "Only one spouse or partner can be included" in response.content.decode()


@pytest.mark.parametrize("step", ["qualifications", "employment", "declarations"])
def test_a_step_not_reached_cannot_be_posted_and_nothing_changes(client, group, step):
    before = snapshot(group)
    values = {"academic_0_level": "bachelor"} if step == "qualifications" else {}
    response = wc.post(client, group, step, values)
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert snapshot(group) == before


def test_a_step_not_reached_cannot_be_opened(client, group):
    response = client.get(wc.url(group, "employment"))
    assert response.status_code == 302 and response.url == wc.url(group, "applicant")


def test_a_forged_management_form_is_refused_and_changes_nothing(client, group):
    wc.post(client, group, "applicant", wc.applicant())
    before = snapshot(group)
    # The address says qualifications, the management form claims employment.
    data = {
        **wc.management(group, "employment"),
        **wc.prefixed("employment", {"post_title": "Forged"}),
    }
    response = client.post(wc.url(group, "qualifications"), data)
    assert response.status_code == 400
    # No management form at all.
    response = client.post(
        wc.url(group, "qualifications"), wc.prefixed("qualifications", wc.qualifications())
    )
    assert response.status_code == 400
    # Jumping ahead with the goto button.
    response = wc.post(
        client,
        group,
        "qualifications",
        wc.qualifications(),
        extra={"wizard_goto_step": "declarations"},
    )
    assert response.status_code == 400
    assert snapshot(group) == before


def test_an_unknown_step_or_group_is_not_found_or_redirected(client, group):
    assert client.get(wc.url(group, "no-such-step")).status_code == 302
    other = type(client)()
    assert other.get(wc.url(group, "applicant")).status_code == 404


def test_two_drafts_in_two_tabs_of_one_session_do_not_clash(client, trade):
    first = wc.open_draft(client, trade)
    second = wc.open_draft(client, trade)
    wc.post(client, first, "applicant", wc.applicant(surname="First"))
    wc.post(client, second, "applicant", wc.applicant(surname="Second"))
    # Typed, unvalidated input on the same step of each.
    wc.post(
        client,
        first,
        "qualifications",
        wc.qualifications(academic_0_institution="One"),
        extra={"wizard_goto_step": "applicant"},
    )
    wc.post(
        client,
        second,
        "qualifications",
        wc.qualifications(academic_0_institution="Two"),
        extra={"wizard_goto_step": "applicant"},
    )
    assert Application.objects.get(group=first, role="principal").surname == "First"
    assert Application.objects.get(group=second, role="principal").surname == "Second"
    assert 'value="One"' in client.get(wc.url(first, "qualifications")).content.decode()
    assert 'value="Two"' in client.get(wc.url(second, "qualifications")).content.decode()
    first.refresh_from_db()
    assert list(first.wizard_state) == ["completed", "wizard_" + str(first.public_id)]


def test_two_tabs_on_two_steps_of_one_draft_each_post_their_own_step(client, group, trade):
    wc.fill_to(client, group, trade, "employment")
    tab_one = client.get(wc.url(group, "applicant"))
    tab_two = client.get(wc.url(group, "qualifications"))
    assert tab_one.status_code == tab_two.status_code == 200
    assert (
        wc.post(
            client, group, "qualifications", wc.qualifications(academic_0_institution="Tab two")
        ).status_code
        == 302
    )
    assert (
        wc.post(client, group, "applicant", wc.applicant(place_of_birth="Tab one")).status_code
        == 302
    )
    principal = Application.objects.get(group=group, role="principal")
    assert principal.place_of_birth == "Tab one"
    assert principal.academic_qualifications[0]["institution"] == "Tab two"


def test_check_answers_rows_link_to_their_step_and_come_back(client, group, trade):
    wc.fill_to(client, group, trade, "check", rows=[wc.dependant("spouse")])
    page = client.get(wc.url(group, "check"))
    html = page.content.decode()
    change = wc.url(group, "applicant", "return=check")
    assert f'href="{change}#id_applicant-surname"' in html
    assert wc.url(group, "dependants", "return=check") in html
    assert "Siu Ling" in html and "Harbour Aero Engineering Limited" in html
    response = wc.post(
        client, group, "applicant", wc.applicant(given_names="Tai Wai"), query="return=check"
    )
    assert response.status_code == 302 and response.url == wc.url(group, "check")
    assert "CHAN Tai Wai" in client.get(wc.url(group, "check")).content.decode()


def test_every_change_link_lands_on_its_field(client, group, trade):
    wc.fill_to(client, group, trade, "check", rows=[wc.dependant("spouse")])
    html = client.get(wc.url(group, "check")).content.decode()
    links = re.findall(r'href="([^"#]+\?return=check)#([^"]+)"', html)
    assert len(links) > 50
    pages: dict[str, str] = {}
    for address, anchor in links:
        page = pages.setdefault(address, client.get(address).content.decode())
        assert f'id="{anchor}"' in page, (address, anchor)


def test_save_and_exit_keeps_the_typed_step_and_emails_the_reference(client, group):
    response = wc.post(
        client,
        group,
        "applicant",
        wc.applicant(surname="", place_of_birth="Kent"),
        extra={"wizard_save_exit": "1"},
    )
    assert response.status_code == 302
    assert response.url == reverse("applications:saved")
    assert len(mail.outbox) == 1
    assert references.display(group.temporary_reference) in mail.outbox[0].body
    group.refresh_from_db()
    typed = group.wizard_state["wizard_" + str(group.public_id)]["typed"]["applicant"]
    assert typed["applicant-place_of_birth"] == ["Kent"]


def test_an_upload_from_the_documents_step_comes_back_to_it(client, group, trade):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.documents import corpus

    wc.fill_to(client, group, trade, "dependants")
    step = wc.url(group, "documents")
    html = client.get(step).content.decode()
    assert f'name="next" value="{step}"' in html
    upload = reverse("documents:upload", kwargs={"group_id": group.public_id})
    photo = SimpleUploadedFile("photo.jpg", corpus.jpeg_bytes())
    response = client.post(upload, {"person": "0", "item": "A2", "file": photo, "next": step})
    assert response.status_code == 302 and response.url.startswith(step)
    assert "photo.jpg" in client.get(step).content.decode()


def test_the_status_page_saves_and_exits_through_the_drafts_view(client, group):
    address = reverse("applications:wizard_status", kwargs={"group_id": group.public_id})
    html = client.get(address).content.decode()
    action = reverse("applications:save_and_exit", kwargs={"group_id": group.public_id})
    assert f'action="{action}"' in html
    response = client.post(action)
    assert response.status_code == 302 and len(mail.outbox) == 1


def test_dependants_are_added_one_at_a_time_and_removed(client, group, trade):
    wc.fill_to(client, group, trade, "company")
    response = wc.post(
        client, group, "dependants", wc.dependants([]), extra={"wizard_add_dependant": "1"}
    )
    assert response.status_code == 302 and response.url.endswith("#dependant-1")
    html = client.get(wc.url(group, "dependants")).content.decode()
    assert 'name="dependants-0-surname"' in html and "There is a problem" not in html
    rows = [wc.dependant("spouse"), wc.dependant("child", wc.years_ago(5))]
    assert wc.post(client, group, "dependants", wc.dependants(rows)).status_code == 302
    saved = list(Application.objects.filter(group=group, role="dependant").order_by("position"))
    assert [d.position for d in saved] == [1, 2]
    # Remove the spouse: the child keeps its position (and so its documents and signatures).
    rows = [
        dict(wc.dependant("spouse"), position="1", DELETE="on"),
        dict(wc.dependant("child", wc.years_ago(5)), position="2"),
    ]
    assert wc.post(client, group, "dependants", wc.dependants(rows, initial=2)).status_code == 302
    left = list(Application.objects.filter(group=group, role="dependant"))
    assert [(d.position, d.relationship) for d in left] == [(2, "child")]


PAGE_BOUND = 12  # measured 7 to 11: the session, the group with its people and company, the
# signatures, the quota's state, the documents checklist's three
POST_BOUND = 18  # measured 15 to 16


def counted_queries(client, trade, count: int, at_most) -> dict[str, int]:
    """The queries of each step's page, and of posting two steps, for a group of `count`
    dependants; each within the same bound whatever `count` is."""
    group = wc.open_draft(client, trade)
    rows = [wc.dependant("spouse")] if count else []
    rows += [
        wc.dependant("child", wc.years_ago(3 + n), given_names="Child " + "ABCDEFGH"[n])
        for n in range(count - 1)
    ]
    wc.fill_to(client, group, trade, "check", rows=rows)
    assert Application.objects.filter(group=group).count() == count + 1
    counts = {}
    for step in ["applicant", "qualifications", "employment", "employer", "company",
                 "dependants", "documents", "check", "declarations"]:  # fmt: skip
        cache.clear()  # counted with the quota status board not yet cached: the worst case
        with at_most(PAGE_BOUND) as captured:
            assert client.get(wc.url(group, step)).status_code == 200
        counts[step] = len(captured)
    posted = [dict(row, position=str(n + 1)) for n, row in enumerate(rows)]
    with at_most(POST_BOUND) as captured:
        response = wc.post(client, group, "dependants", wc.dependants(posted, initial=count))
        assert response.status_code == 302
    counts["post dependants"] = len(captured)
    with at_most(POST_BOUND) as captured:
        response = wc.post(client, group, "applicant", wc.applicant(surname="Changed"))
        assert response.status_code == 302
    counts["post applicant"] = len(captured)
    return counts


def test_queries_per_step_are_bounded_whatever_the_number_of_dependants(
    client, trade, django_assert_max_num_queries
):
    alone = counted_queries(client, trade, 0, django_assert_max_num_queries)
    eight = counted_queries(client, trade, 8, django_assert_max_num_queries)
    assert alone == eight


def test_the_steps_speak_chinese(client, group):
    address = wc.url(group, "applicant", language="zh-hant")
    assert address.startswith("/zh-hant/")
    try:
        html = client.get(address).content.decode()
        assert "第 1 步，共 9 步：你的資料" in html and "儲存並繼續" in html  # noqa: RUF001
        values = wc.prefixed("applicant", wc.applicant(surname=""))
        response = client.post(address, {**wc.management(group, "applicant"), **values})
        assert "請輸入你的英文姓氏" in response.content.decode()
        html = client.get(wc.url(group, "applicant", language="zh-hans")).content.decode()
        assert "第 1 步，共 9 步：你的资料" in html  # noqa: RUF001
    finally:
        translation.activate("en")  # the test client's requests leave their language active


def test_the_total_work_experience_is_computed(client, group, trade):
    wc.fill_to(client, group, trade, "qualifications")
    html = client.get(wc.url(group, "qualifications")).content.decode()
    # September 2016 to August 2024: 8 years.
    assert "Total work experience saved: <strong>8 years and 0 months</strong>" in html


def test_two_requests_that_loaded_the_draft_together_keep_both_steps(group):
    """The storage merges each request's own steps under the group's row lock."""
    from django.test import RequestFactory

    from applications.wizard.storage import DraftStorage

    prefix = "wizard_" + str(group.public_id)
    one = DraftStorage(prefix, RequestFactory().get("/"), group=group)
    two = DraftStorage(prefix, RequestFactory().get("/"), group=group)
    one.set_step_data("applicant", {"applicant-surname": ["One"]})
    one.mark_completed("applicant")
    two.set_step_data("qualifications", {"qualifications-academic_0_year": ["2015"]})
    one.persist()
    two.persist()
    group.refresh_from_db()
    typed = group.wizard_state[prefix]["typed"]
    assert typed == {
        "applicant": {"applicant-surname": ["One"]},
        "qualifications": {"qualifications-academic_0_year": ["2015"]},
    }
    assert group.wizard_state["completed"] == ["applicant"]


def test_changing_nationality_and_residence_routes_the_scheme_again(client, group):
    assert group.scheme == "GEP"
    response = wc.post(
        client, group, "applicant", wc.applicant(nationality="CN", residence="mainland")
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.scheme == "ASMTP"
    page = client.get(response.url).content.decode()
    assert "you now apply under the Admission Scheme for Mainland Talents" in page
    wc.post(client, group, "applicant", wc.applicant())
    group.refresh_from_db()
    assert group.scheme == "GEP"


def test_an_unchanged_scheme_says_nothing(client, group):
    response = wc.post(client, group, "applicant", wc.applicant())
    group.refresh_from_db()
    assert group.scheme == "GEP"
    assert "you now apply under" not in client.get(response.url).content.decode()


def test_an_overseas_chinese_settled_overseas_stays_under_gep(client, trade):
    settled = wc.open_draft(
        client,
        trade,
        nationality="CN",
        holds_prc_passport=True,
        overseas_permanent_residence=True,
    )
    assert settled.scheme == "GEP"
    changes = {"nationality": "CN", "overseas_chinese_prc_passport": "on"}
    wc.post(client, settled, "applicant", wc.applicant(**changes))
    settled.refresh_from_db()
    assert settled.scheme == "GEP"
    wc.post(client, settled, "applicant", wc.applicant(**changes, residence="mainland"))
    settled.refresh_from_db()
    assert settled.scheme == "ASMTP"


def test_an_excluded_nationality_refuses_the_step_next_to_the_field(client, group):
    before = snapshot(group)
    response = wc.post(client, group, "applicant", wc.applicant(nationality="KP"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_applicant-nationality_error"' in html
    assert "cannot apply under the Technical Professionals Stream." in html
    assert snapshot(group)[1:] == before[1:]  # the typed input is kept, the rows are not changed
    group.refresh_from_db()
    assert group.scheme == "GEP"


def test_the_applicant_service_refuses_an_excluded_nationality_and_saves_nothing(group):
    from applications import services as answers
    from applications.exceptions import ApplicantIneligible

    loaded = answers.load_group(pk=group.pk)
    before = snapshot(group)
    cleaned = {"nationality": "AF", "residence": "mainland", "surname": "Chan"}
    with pytest.raises(ApplicantIneligible) as refused:
        answers.save_step(group=loaded, step="applicant", cleaned=cleaned)
    assert refused.value.field == "nationality"
    assert "Afghanistan" in refused.value.message
    assert snapshot(group) == before
