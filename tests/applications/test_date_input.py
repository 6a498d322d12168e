"""One date input everywhere: day, month and year boxes in a fieldset, on every page that asks
for a date of birth, with a message for each way a date goes wrong, in the three languages."""

import re

import pytest

from tests.applications import wizard_client as wc
from tests.applications.test_entry_pages import BORN, ELIGIBILITY, eligible_post
from tests.applications.wizard_client import date_parts

pytestmark = pytest.mark.django_db

PAGES = {
    "eligibility": "/{lang}/apply/eligibility/",
    "resume": "/{lang}/apply/resume/",
    "find_acknowledgment": "/{lang}/apply/acknowledgment/find/",
    "status": "/{lang}/status/",
    "supplementary": "/{lang}/supplementary/",
}


def summary(html: str) -> str:
    start = html.index("data-error-summary")
    return html[start : html.index("</ul>", start)]


@pytest.mark.parametrize("name", list(PAGES))
def test_every_date_of_birth_is_asked_as_three_boxes(client, trade, name):
    html = client.get(PAGES[name].format(lang="en")).content.decode()
    assert 'type="date"' not in html
    fieldset = re.search(
        r"<fieldset[^>]*>\s*<legend[^>]*>([^<]*)</legend>(.*?)</fieldset>", html, re.S
    )
    assert fieldset is not None and "date of birth" in fieldset.group(1).lower()
    boxes = re.findall(r'<input[^>]*name="date_of_birth_(\d)"[^>]*>', fieldset.group(2))
    assert boxes == ["0", "1", "2"]
    for part, label in (("0", "Day"), ("1", "Month"), ("2", "Year")):
        assert '<label class="date-input__label" for="id_date_of_birth_' + part + '">' + label in (
            fieldset.group(2)
        )
    assert 'autocomplete="bday-day"' in html and 'inputmode="numeric"' in html


@pytest.mark.parametrize(
    ("lang", "boxes", "message"),
    [
        ("en", {"date_of_birth_2": ""}, "Your date of birth must include a year"),
        ("zh-hant", {"date_of_birth_2": ""}, "你的出生日期必須包括「年」"),
        ("zh-hans", {"date_of_birth_2": ""}, "你的出生日期必须包括「年」"),
        ("en", {"date_of_birth_0": "", "date_of_birth_1": ""}, "must include a day and month"),
        ("zh-hant", {"date_of_birth_1": "", "date_of_birth_2": ""}, "必須包括「月」和「年」"),
        ("zh-hans", {"date_of_birth_0": ""}, "你的出生日期必须包括「日」"),
        ("en", {"date_of_birth_0": "31", "date_of_birth_1": "2"}, "Enter a real date"),
        ("zh-hant", {"date_of_birth_1": "13"}, "請輸入真實日期"),
        ("zh-hans", {"date_of_birth_2": "99x"}, "请输入真实日期"),
        ("en", date_parts("date_of_birth", None), "Enter your date of birth."),
        ("zh-hant", date_parts("date_of_birth", None), "請輸入你的出生日期"),
    ],
)
def test_each_way_a_date_goes_wrong_has_its_message(client, trade, lang, boxes, message):
    url = ELIGIBILITY.replace("/en/", "/" + lang + "/")
    response = client.post(url, eligible_post(trade, **boxes))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in summary(html)
    assert re.search(r'id="id_date_of_birth_error">.*' + re.escape(message), html)
    # The fieldset is described by its error, and keeps what was typed.
    assert 'aria-describedby="id_date_of_birth_helptext id_date_of_birth_error"' in html
    shown = wc.boxes_shown(html, "date_of_birth")
    typed = eligible_post(trade, **boxes)
    assert shown == tuple(typed["date_of_birth_" + box] for box in "012")


def test_the_summary_links_to_the_first_empty_box(client, trade):
    html = client.post(ELIGIBILITY, eligible_post(trade, date_of_birth_1="", date_of_birth_2=""))
    assert '<a href="#id_date_of_birth_1">Your date of birth must include a month and year</a>' in (
        summary(html.content.decode())
    )
    html = client.post(ELIGIBILITY, eligible_post(trade, date_of_birth_1="13")).content.decode()
    assert '<a href="#id_date_of_birth_0">Enter a real date' in summary(html)


def test_a_date_typed_with_spaces_and_leading_zeros_is_read(client, trade):
    boxes = {"date_of_birth_0": " 05 ", "date_of_birth_1": "03", "date_of_birth_2": str(BORN.year)}
    response = client.post(ELIGIBILITY, eligible_post(trade, **boxes))
    assert response.status_code == 302
    kept = client.session["applications.entry"]["answers"]["date_of_birth"]
    assert kept == BORN.replace(month=3, day=5).isoformat()


def test_the_wizard_date_says_which_box_is_empty(client, trade):
    group = wc.open_draft(client, trade)
    values = wc.applicant()
    values["date_of_birth_2"] = ""
    response = wc.post(client, group, "applicant", values)
    html = response.content.decode()
    assert '<a href="#id_applicant-date_of_birth_2">Date of birth must include a year</a>' in html


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "The start of the job must include a year"),
        ("zh-hant", "工作開始日期必須包括「年」"),
        ("zh-hans", "工作开始日期必须包括「年」"),
    ],
)
def test_a_month_and_year_names_the_date_in_its_message(client, trade, lang, message):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "applicant")
    values = wc.qualifications()
    values["work_0_start_1"] = ""
    target = wc.url(group, "qualifications", language=lang)
    response = wc.post(client, group, "qualifications", values, target=target)
    html = response.content.decode()
    assert '<a href="#id_qualifications-work_0_start_1">' + message + "</a>" in html
