"""Check your answers draws its rows in Python (applications.templatetags.check_answers): the
same bytes as its template, in every language, with awkward answers."""

import logging
import re

import pytest

from applications.templatetags import check_answers
from tests.applications import drafting
from tests.applications import wizard_client as wc

pytestmark = pytest.mark.django_db
AWKWARD = 'O\'Brien & <Sons> "Ltd"'
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def group(client):
    trade = drafting.trade_with_pool()
    group = wc.open_draft(client, trade)
    rows = [wc.dependant("spouse", travel_document_place_of_issue=AWKWARD)]
    rows += [
        wc.dependant("child", wc.years_ago(2 + n), given_names="Child " + "ABCDEFG"[n])
        for n in range(7)
    ]
    wc.fill_to(client, group, trade, "check", rows=rows)
    return group


def check_page(client, group, language: str) -> str:
    response = client.get(wc.url(group, "check", language=language))
    assert response.status_code == 200
    return CSRF.sub("", response.content.decode())


@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans"])
def test_drawn_rows_are_the_bytes_of_the_template(client, group, language, monkeypatch):
    monkeypatch.setattr(check_answers, "_checked", {})
    drawn = check_page(client, group, language)  # compared with the template on this first one
    assert check_answers._checked == {language: True}
    drawn_again = check_page(client, group, language)  # drawn without the template

    monkeypatch.setattr(check_answers, "_checked", {language: False})
    from_template = check_page(client, group, language)

    assert drawn == from_template == drawn_again
    assert from_template.count('class="check-list__row"') > 120
    assert "O&#x27;Brien &amp; &lt;Sons&gt; &quot;Ltd&quot;" in from_template


def test_a_drawing_that_differs_gives_way_to_the_template(client, group, monkeypatch, caplog):
    monkeypatch.setattr(check_answers, "_checked", {})
    monkeypatch.setattr(check_answers, "draw_rows", lambda section, group: "wrong")
    with caplog.at_level(logging.WARNING, logger=check_answers.__name__):
        first = check_page(client, group, "en")
    second = check_page(client, group, "en")

    assert "wrong" not in first and first == second
    assert check_answers._checked == {"en": False}
    assert "differ" in caplog.text
