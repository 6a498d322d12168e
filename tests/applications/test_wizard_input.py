"""Hostile input to the wizard: control characters in any field get a clear message on every
button (Continue, Back, Save and exit, Add a dependant), never a 500; what is kept of unsaved
input is only the step's own fields, one value each, bounded in length."""

import json

import pytest
from django.test import Client

from applications.models import ApplicationGroup
from tests.applications import wizard_client as wc

pytestmark = pytest.mark.django_db

MESSAGE = "This answer has characters that cannot be used"
BUTTONS = {
    "continue": {},
    "back": {"wizard_goto_step": "applicant"},
    "save and exit": {"wizard_save_exit": "1"},
}


@pytest.fixture
def group(client, trade):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "qualifications")
    return group


def stored(group) -> str:
    return json.dumps(ApplicationGroup.objects.get(pk=group.pk).wizard_state)


def values_for(step: str, trade, field: str, value: str) -> dict:
    base = {
        "applicant": wc.applicant,
        "qualifications": wc.qualifications,
        "employment": lambda: wc.employment(trade),
    }[step]()
    return {**base, field: value}


@pytest.mark.parametrize("button", list(BUTTONS))
@pytest.mark.parametrize(
    ("step", "field", "value"),
    [
        ("employment", "post_title", "Tech\x00nician"),
        ("employment", "workplace_address", "1 Airport Road\x00"),
        ("employment", "monthly_salary_hkd", "32000\x00"),
        ("employment", "contract_start_0", "1\x00"),
        ("employment", "trade", "\x00"),
        ("qualifications", "work_0_employer", "Rolls\x1b[31mRoyce"),
        ("applicant", "place_of_birth", "London\u202egnp.exe"),
        ("applicant", "sex", "M\x00"),
        ("applicant", "address", "\x7f1 Example Street"),
    ],
)
def test_control_characters_in_any_field_get_a_message_on_every_button(
    client, group, trade, button, step, field, value
):
    before = stored(group)
    response = wc.post(
        client, group, step, values_for(step, trade, field, value), extra=BUTTONS[button]
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert MESSAGE in html
    assert 'href="#id_' + step + "-" + field.split("_0")[0] in html  # the summary links to it
    assert stored(group) == before  # nothing of it kept


def test_a_nul_in_a_dependant_is_refused_on_add_and_back(client, trade):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "company")
    rows = wc.dependants([wc.dependant("spouse", given_names="Siu\x00Ling")])
    for extra in ({"wizard_add_dependant": "1"}, {"wizard_goto_step": "company"}, {}):
        response = wc.post(client, group, "dependants", rows, extra=extra)
        assert response.status_code == 200
        assert MESSAGE in response.content.decode()
    assert "\\u0000" not in stored(group)


def test_a_nul_in_employer_hrs_part_is_refused(client, trade):
    import re

    from django.core import mail

    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "employer", mode="employer")
    token = re.search(r"/employer/(\S+)/company/", mail.outbox[-1].body).group(1)
    hr = Client()
    values = wc.prefixed("company", wc.company(company_name_en="Harbour\x00 Aero"))
    for extra in ({}, {"wizard_save_exit": "1"}):
        data = {**wc.management(group, "company", "employer"), **values, **extra}
        response = hr.post(wc.employer_url(token, "company"), data)
        assert response.status_code == 200
        assert MESSAGE in response.content.decode()


def test_the_message_is_translated(client, group, trade):
    values = values_for("employment", trade, "post_title", "Tech\x00nician")
    response = wc.post(client, group, "employment", values, extra={"wizard_goto_step": "applicant"})
    assert MESSAGE in response.content.decode()
    address = wc.url(group, "employment", language="zh-hant")
    response = wc.post(client, group, "employment", values, target=address)
    assert "這個答案有不能使用的字元" in response.content.decode()


# What is kept of unsaved input


def back(client, group, step: str, values: dict, **posted):
    data = {**wc.management(group, step), **wc.prefixed(step, values), **posted}
    data["wizard_goto_step"] = "applicant"
    return client.post(wc.url(group, step), data)


def test_only_the_steps_own_fields_are_kept(client, group, trade):
    values = {**wc.employment(trade), "smuggled": "x" * 1000, "trade_0": "y"}
    assert back(client, group, "employment", values, other_field="z").status_code == 302
    kept = ApplicationGroup.objects.get(pk=group.pk).wizard_state
    typed = kept["wizard_" + str(group.public_id)]["typed"]["employment"]
    assert "employment-smuggled" not in typed and "employment-trade_0" not in typed
    assert "other_field" not in typed and "csrfmiddlewaretoken" not in typed
    assert typed["employment-post_title"] == ["Aircraft maintenance technician"]
    assert client.get(wc.url(group, "employment")).status_code == 200


def test_kept_input_is_bounded_in_length_and_in_values(client, group, trade):
    huge = "A" * 1_000_000
    for _ in range(6):
        data = {
            **wc.management(group, "employment"),
            **wc.prefixed("employment", wc.employment(trade, post_title=huge)),
            "employment-workplace_address": [huge] * 4,
            "wizard_goto_step": "applicant",
        }
        assert client.post(wc.url(group, "employment"), data).status_code == 302
    state = stored(group)
    assert len(state) < 10_000, len(state)
    typed = json.loads(state)["wizard_" + str(group.public_id)]["typed"]["employment"]
    assert typed["employment-post_title"] == ["A" * 200]  # the field's own maximum
    assert len(typed["employment-workplace_address"]) == 1


def test_a_forged_dependant_count_keeps_at_most_eight(client, trade):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "company")
    rows = wc.dependants([wc.dependant("spouse")] * 3)
    rows["TOTAL_FORMS"] = "100000"
    for n in range(3, 40):
        rows[str(n) + "-surname"] = "X" * 100
    assert back(client, group, "dependants", rows).status_code == 302
    typed = json.loads(stored(group))["wizard_" + str(group.public_id)]["typed"]["dependants"]
    assert not [key for key in typed if key.startswith("dependants-8-")]
    assert client.get(wc.url(group, "dependants")).status_code == 200


# Drafts started per client


def start_one(client: Client, trade, **meta):
    from .test_entry_pages import NEW, through_statement

    through_statement(client, trade)
    return client.post(
        NEW, {"contact_email": "many@example.com", "confirm_email": "many@example.com"}, **meta
    )


def test_drafts_started_from_one_client_are_limited_per_hour(trade, settings):
    settings.DRAFTS_PER_CLIENT_PER_HOUR = 3
    client = Client(REMOTE_ADDR="203.0.113.77")
    for _ in range(3):
        assert start_one(client, trade).status_code == 302
    response = start_one(client, trade)
    assert response.status_code == 429
    assert "Too many applications have been started from your connection" in (
        response.content.decode()
    )
    assert ApplicationGroup.objects.filter(contact_email="many@example.com").count() == 3
    assert start_one(Client(REMOTE_ADDR="198.51.100.77"), trade).status_code == 302
