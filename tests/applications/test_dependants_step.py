"""The dependants step as the applicant meets it: a group rule's error at the dependant that
breaks it, named, and in the summary linking to it; empty forms never dropped silently; a saved
dependant collapsed to one line (a <details> that works without JavaScript)."""

import re

import pytest
from django.utils import formats, translation

from applications.models import Application
from tests.applications import wizard_client as wc

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(client, trade):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "company")
    return group


def details_of(html: str) -> list[str]:
    """The opening tag of each dependant's <details>."""
    return re.findall(r"<details [^>]*data-dependant[^>]*>", html)


def summary_links(html: str) -> dict[str, str]:
    summary = html[html.index("error-summary__list") :].split("</ul>")[0]
    return {text: href for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', summary)}


def test_a_second_spouse_is_told_at_that_dependant_naming_the_first(client, group):
    rows = [
        wc.dependant("spouse", given_names="Siu Ling"),
        wc.dependant("child", wc.years_ago(6)),
        wc.dependant("spouse", surname="Wong", given_names="Mei Mei"),
    ]
    response = wc.post(client, group, "dependants", wc.dependants(rows))
    html = response.content.decode()

    assert response.status_code == 200
    message = (
        "Only one spouse or partner can be included, and Dependant 1 (CHAN Siu Ling) is "
        "already one. Choose child, or remove this dependant."
    )
    third = html[html.index('id="dependant-3"') :]
    assert 'id="id_dependants-2-relationship_error"' in third and message in third
    assert "Dependant 3 (WONG Mei Mei): check the answers marked below." in third
    assert summary_links(html)["Dependant 3 (WONG Mei Mei): " + message] == (
        "#id_dependants-2-relationship_0"
    )
    assert 'id="id_dependants-0-relationship_error"' not in html
    assert not group.applications.filter(role="dependant").exists()


def test_a_child_over_18_is_named_in_the_summary(client, group):
    rows = [wc.dependant("spouse"), wc.dependant("child", wc.years_ago(19), surname="Ho")]
    html = wc.post(client, group, "dependants", wc.dependants(rows)).content.decode()

    links = summary_links(html)
    text = "Dependant 2 (HO Ka Ho): A child must be under 18 to apply as a dependant"
    assert links[text] == "#id_dependants-1-date_of_birth_0"
    opened = details_of(html)
    assert len(opened) == 2 and all(" open" in tag for tag in opened)  # both new


def test_a_spouse_saved_from_another_tab_is_named(client, group):
    saved = wc.dependants([wc.dependant("spouse", surname="Lee", given_names="Ann")])
    assert wc.post(client, group, "dependants", saved).status_code == 302
    # A second tab still shows the empty step and adds a spouse.
    html = wc.post(
        client, group, "dependants", wc.dependants([wc.dependant("spouse")])
    ).content.decode()
    assert "and LEE Ann is already one" in html


def test_empty_forms_are_not_saved_and_the_applicant_is_told(client, group):
    empty = dict.fromkeys(wc.dependant("child"), "")
    rows = [wc.dependant("spouse"), empty, wc.dependant("child", wc.years_ago(6)), empty]
    response = wc.post(client, group, "dependants", wc.dependants(rows))
    assert response.status_code == 302

    page = client.get(response["Location"]).content.decode()

    assert "2 empty dependant forms were not saved: nothing had been entered in them." in page
    saved = group.applications.filter(role="dependant").order_by("position")
    assert [a.relationship for a in saved] == ["spouse", "child"]


def test_one_empty_form_is_told_in_the_singular(client, group):
    empty = dict.fromkeys(wc.dependant("child"), "")
    response = wc.post(client, group, "dependants", wc.dependants([empty]))
    page = client.get(response["Location"]).content.decode()
    assert "1 empty dependant form was not saved: nothing had been entered in it." in page


def test_no_message_when_every_form_was_filled(client, group):
    response = wc.post(client, group, "dependants", wc.dependants([wc.dependant("spouse")]))
    assert "empty dependant" not in client.get(response["Location"]).content.decode()


def test_saved_dependants_are_collapsed_to_one_line_and_a_new_one_is_open(client, group):
    born = wc.years_ago(9)
    rows = [
        wc.dependant("spouse", given_names="Siu Ling"),
        wc.dependant("child", born, given_names="Siu Ming"),
    ]
    assert wc.post(client, group, "dependants", wc.dependants(rows)).status_code == 302

    html = client.get(wc.url(group, "dependants")).content.decode()

    opened = details_of(html)
    assert len(opened) == 2 and not any(" open" in tag for tag in opened)
    with translation.override("en"):
        day = formats.date_format(born, "DATE_FORMAT")
    assert "Dependant 2: CHAN Siu Ming, child, born " + day + "</h2>" in html
    assert "— Change" in html
    # The fields are still on the page (inside the closed details): saving again keeps them.
    assert 'name="dependants-1-surname"' in html

    wc.post(
        client, group, "dependants", wc.dependants(rows, initial=2),
        extra={"wizard_add_dependant": "1"},
    )  # fmt: skip
    html = client.get(wc.url(group, "dependants")).content.decode()
    assert [" open" in tag for tag in details_of(html)] == [False, False, True]


def test_a_saved_dependant_with_an_error_opens(client, group):
    rows = [wc.dependant("spouse"), wc.dependant("child", wc.years_ago(6))]
    assert wc.post(client, group, "dependants", wc.dependants(rows)).status_code == 302
    positions = list(
        Application.objects.filter(group=group, role="dependant")
        .order_by("position")
        .values_list("position", flat=True)
    )
    rows[0]["position"], rows[1]["position"] = positions
    rows[1]["marital_status"] = "married"

    html = wc.post(client, group, "dependants", wc.dependants(rows, initial=2)).content.decode()

    assert [" open" in tag for tag in details_of(html)] == [False, True]


def test_the_chinese_summary_uses_full_width_punctuation(client, group):
    rows = [wc.dependant("child", wc.years_ago(19), surname="Ho")]
    html = client.post(
        wc.url(group, "dependants", language="zh-hant"),
        {**wc.management(group, "dependants"), **wc.prefixed("dependants", wc.dependants(rows))},
    ).content.decode()
    assert "受養人 1（HO Ka Ho）：" in html  # noqa: RUF001 - full-width marks wanted
