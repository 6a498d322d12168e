"""Each wizard field's message is written for it, in the three languages, and check your answers
shows labels with their capitals: what the user reads next to a field left blank and on the
summary."""

import html as html_module
import re

import pytest
from django import forms
from django.utils import translation

from applications.wizard import builders
from applications.wizard.dependants import DependantForm
from applications.wizard.forms import (
    ApplicantForm,
    CompanyForm,
    EmployerChoiceForm,
    EmploymentForm,
    QualificationsForm,
)
from tests.applications import wizard_client as wc

pytestmark = pytest.mark.django_db

BLANK_APPLICANT = {
    "en": (
        "Enter your surname in English",
        "Enter your given names in English",
        "Select your sex",
        "Enter your date of birth",
        "Select your nationality",
        "Select your marital status",
        "Enter your address",
    ),
    "zh-hant": (
        "請輸入你的英文姓氏",
        "請輸入你的英文名字",
        "請選擇你的性別",
        "請輸入你的出生日期",
        "請選擇你的國籍",
        "請選擇你的婚姻狀況",
        "請輸入你的地址",
    ),
    "zh-hans": (
        "请输入你的英文姓氏",
        "请输入你的英文名字",
        "请选择你的性别",
        "请输入你的出生日期",
        "请选择你的国籍",
        "请选择你的婚姻状况",
        "请输入你的地址",
    ),
}
BLANK = {
    "surname": "",
    "given_names": "",
    "sex": "",
    "date_of_birth_0": "",
    "date_of_birth_1": "",
    "date_of_birth_2": "",
    "nationality": "",
    "marital_status": "",
    "address": "",
}


@pytest.fixture
def group(client, trade):
    return wc.open_draft(client, trade)


def summary_messages(page: str) -> list[str]:
    summary = page[page.index("data-error-summary") :]
    summary = summary[: summary.index("</ul>")]
    return [html_module.unescape(text) for text in re.findall(r"<a [^>]*>(.*?)</a>", summary)]


@pytest.mark.parametrize("language", BLANK_APPLICANT)
def test_blank_applicant_fields_are_each_told_in_their_own_words(client, group, language):
    address = wc.url(group, "applicant", language=language)
    values = wc.applicant(**BLANK)
    response = wc.post(client, group, "applicant", values, target=address)

    assert response.status_code == 200
    shown = summary_messages(response.content.decode())
    for text in BLANK_APPLICANT[language]:
        assert text in shown, (text, shown)
    if language == "en":
        assert not [text for text in shown if re.match(r"(Enter|Select) [A-Z]", text)], shown


def test_a_blank_dependant_is_told_about_the_dependant(client, group, trade):
    wc.fill_to(client, group, trade, "employer")
    wc.post(client, group, "company", wc.company())
    row = wc.dependant("spouse", surname="", sex="")
    response = wc.post(client, group, "dependants", wc.dependants([row]))

    shown = summary_messages(response.content.decode())
    # The summary names whose error it is (Dependant 1 (name): ...), then the field's own words.
    assert any(text.endswith(": Enter the dependant's surname in English") for text in shown), shown
    assert any(text.endswith(": Select the dependant's sex") for text in shown), shown


def required_messages(form: forms.BaseForm) -> dict[str, str]:
    return {
        name: str(field.error_messages["required"])
        for name, field in form.fields.items()
        if field.required
    }


@pytest.mark.parametrize(
    "form_class",
    [
        ApplicantForm,
        QualificationsForm,
        EmploymentForm,
        EmployerChoiceForm,
        CompanyForm,
        DependantForm,
    ],
)
def test_no_required_wizard_field_has_a_message_built_from_its_label(trade, form_class):
    with translation.override("en"):
        form = form_class()
        for name, text in required_messages(form).items():
            label = str(form.fields[name].label)
            built = {"Enter " + label, "Select " + label, "Select yes or no: " + label}
            assert text not in built, (name, text)
            assert text != "This field is required.", name


def test_a_builder_refuses_a_required_field_without_its_own_message():
    with pytest.raises(TypeError):
        builders.text("Place of birth")
    with pytest.raises(TypeError):
        builders.date_field("Date of birth")
    assert builders.text("Place of birth", required=False).required is False


def test_check_your_answers_keeps_the_capitals_of_its_labels(client, group, trade):
    wc.fill_to(client, group, trade, "documents")
    page = html_module.unescape(client.get(wc.url(group, "check")).content.decode())

    for label in (
        "Surname (English)",
        "Given names (English)",
        "Hong Kong identity card number",
        "Monthly salary (HKD)",
        "Listed on the Main Board or GEM of the Stock Exchange of Hong Kong",
    ):
        assert label in page, label
    for lowered in ("Surname (english)", "Hong kong identity", "Monthly salary (hkd)"):
        assert lowered not in page
    assert "HK$32,000" in page
