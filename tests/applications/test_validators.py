"""Every validation rule of the wizard, with the message the user sees next to the field."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from applications.wizard import validators
from tests.applications import drafting
from tests.applications import wizard_client as wc

TODAY = datetime.date.today()


# The rules as functions


@pytest.mark.parametrize("number", ["A123456(3)", "a1234563", "A 123456 3", "A123456 (3)"])
def test_valid_hkid_numbers_are_accepted_and_normalised(number):
    assert validators.validate_hkid(number) == "A123456(3)"


def test_two_letter_hkid_numbers():
    check = validators.hkid_check_digit("XA", "987654")
    assert validators.validate_hkid("xa987654" + check) == "XA987654(" + check + ")"
    wrong = "0" if check != "0" else "1"
    with pytest.raises(ValidationError):
        validators.validate_hkid("XA987654(" + wrong + ")")


def test_hkid_check_digit_of_the_published_example():
    assert validators.hkid_check_digit("A", "123456") == "3"
    assert validators.validate_hkid("a1234563") == "A123456(3)"


def test_hkid_check_digit_a_stands_for_ten():
    for digits in (f"{n:06d}" for n in range(0, 999999, 7919)):
        if validators.hkid_check_digit("B", digits) == "A":
            assert validators.validate_hkid("B" + digits + "(A)") == "B" + digits + "(A)"
            return
    pytest.fail("no number with check digit A found")  # pragma: no cover


@pytest.mark.parametrize(
    "number, code",
    [
        ("123456(7)", "hkid_format"),
        ("ABC123456(7)", "hkid_format"),
        ("A12345(6)", "hkid_format"),
        ("A123456(B)", "hkid_format"),
        ("A123456(4)", "hkid_check_digit"),
    ],
)
def test_bad_hkid_numbers_are_refused(number, code):
    with pytest.raises(ValidationError) as caught:
        validators.validate_hkid(number)
    assert caught.value.code == code


@pytest.mark.parametrize("number", ["12345678", "12345678-000-07-25-3", " 12345678 "])
def test_business_registration_numbers_in_either_form(number):
    assert validators.validate_business_registration_number(number) == number.strip()


@pytest.mark.parametrize("number", ["1234567", "123456789", "ABCDEFGH", "12345678-00-07-25-3"])
def test_bad_business_registration_numbers(number):
    with pytest.raises(ValidationError) as caught:
        validators.validate_business_registration_number(number)
    assert caught.value.code == "br_format"


def test_contract_of_exactly_the_minimum_is_enough():
    start = datetime.date(2026, 1, 1)
    validators.validate_contract_period(
        start=start, end=datetime.date(2027, 12, 31), minimum_months=24
    )
    with pytest.raises(ValidationError) as caught:
        validators.validate_contract_period(
            start=start, end=datetime.date(2027, 12, 30), minimum_months=24
        )
    assert caught.value.code == "contract_too_short"


def test_add_months_keeps_to_the_end_of_short_months():
    assert validators.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)


def test_dependants_rules_as_functions():
    spouse = validators.DependantFacts(
        "spouse", TODAY.replace(year=TODAY.year - 30), "married", "GB"
    )
    validators.validate_dependants([spouse])
    with pytest.raises(ValidationError) as caught:
        validators.validate_dependants([spouse, spouse])
    assert caught.value.code == "one_spouse"
    child = validators.DependantFacts("child", TODAY.replace(year=TODAY.year - 5), "single", "GB")
    with pytest.raises(ValidationError) as caught:
        validators.validate_dependants([child] * 9)
    assert caught.value.code == "too_many_dependants"


# The rules through the pages: the message is shown next to the field and in the summary.

pytestmark = pytest.mark.django_db


def expired():
    return wc.date_parts("travel_document_expiry_date", TODAY - datetime.timedelta(days=1))


APPLICANT_CASES = [
    ({"surname": ""}, "surname", "Enter your surname in English"),
    ({"sex": ""}, "sex", "Select your sex"),
    (
        {"hkid_number": "A123456(4)"},
        "hkid_number",
        "This Hong Kong identity card number is not valid: check the digit in brackets",
    ),
    (
        {"hkid_number": "12345"},
        "hkid_number",
        "Enter a Hong Kong identity card number in the format A123456(3)",
    ),
    (
        expired(),
        "travel_document_expiry_date",
        "This travel document has expired: it must be valid today",
    ),
    (
        wc.date_parts("travel_document_issue_date", TODAY + datetime.timedelta(days=2)),
        "travel_document_issue_date",
        "The date of issue must be today or in the past",
    ),
    ({"travel_document_number": ""}, "travel_document_number", "Enter the travel document number"),
    (
        {"travel_document_type": "none"},
        "travel_document_type",
        "Only residents of the Mainland may apply without a travel document",
    ),
    (
        wc.date_parts("date_of_birth", TODAY + datetime.timedelta(days=1)),
        "date_of_birth",
        "The date of birth must be in the past",
    ),
    (
        wc.date_parts("date_of_birth", drafting.years_ago(41)),
        "date_of_birth",
        "You must be aged 18 to 40 to apply. You are 41.",
    ),
    (
        {"date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "1990"},
        "date_of_birth",
        "Enter a real date",
    ),
    (
        {"date_of_birth_0": "", "date_of_birth_1": "2", "date_of_birth_2": "1990"},
        "date_of_birth",
        "Date of birth must include a day",
    ),
    (
        {"nationality": "CU"},
        "nationality",
        "Nationals of Afghanistan, Cuba and the Democratic People&#x27;s Republic of Korea",
    ),
    ({"email": "not-an-email"}, "email", "Enter an email address in the correct format"),
    ({"phone": "call me"}, "phone", "Enter a phone number using digits"),
    ({"in_hong_kong": ""}, "in_hong_kong", "Select yes if you are in Hong Kong now"),
]


@pytest.fixture
def trade():
    return drafting.trade_with_pool(minimum_contract_months=24)


@pytest.fixture
def group(client, trade):
    return wc.open_draft(client, trade)


def assert_error(response, step, field, text, anchor_suffix=""):
    assert response.status_code == 200
    html = response.content.decode()
    assert text in html, html[html.find("data-error-summary") :][:800]
    assert f'id="id_{step}-{field}_error"' in html
    assert f'href="#id_{step}-{field}' in html


@pytest.mark.parametrize("changes, field, text", APPLICANT_CASES)
def test_applicant_rules(client, group, changes, field, text):
    response = wc.post(client, group, "applicant", wc.applicant(**changes))
    assert_error(response, "applicant", field, text)


def test_a_mainland_resident_may_apply_without_a_travel_document(client, group):
    values = wc.applicant(
        travel_document_type="none",
        residence="mainland",
        travel_document_number="",
        travel_document_place_of_issue="",
        **wc.date_parts("travel_document_issue_date", None),
        **wc.date_parts("travel_document_expiry_date", None),
    )
    assert wc.post(client, group, "applicant", values).status_code == 302


QUALIFICATION_CASES = [
    ({"academic_0_institution": ""}, "academic_0_institution", "Enter the institution"),
    ({"academic_0_year": "15"}, "academic_0_year", "Enter a year from 1950"),
    ({"work_0_start_0": "", "work_0_start_1": ""}, "work_0_start", "Enter when you started"),
    ({"work_0_end_1": "2010"}, "work_0_end", "The end must be after the start"),
    (
        {"work_0_start_0": "13"},
        "work_0_start",
        "Enter a real month and year, for example 9 2018",
    ),
]


def test_a_month_and_year_date_asks_for_a_month_and_year_not_a_day():
    from django.core.exceptions import ValidationError

    from applications.wizard.fields import DateField

    with pytest.raises(ValidationError) as month_year:
        DateField(parts=("month", "year")).clean(["13", "2018"])
    assert month_year.value.messages == ["Enter a real month and year, for example 9 2018"]
    with pytest.raises(ValidationError) as full:
        DateField().clean(["31", "2", "1990"])
    assert full.value.messages == ["Enter a real date, for example 27 3 1990"]


@pytest.mark.parametrize("changes, field, text", QUALIFICATION_CASES)
def test_qualification_rules(client, group, trade, changes, field, text):
    wc.fill_to(client, group, trade, "applicant")
    response = wc.post(client, group, "qualifications", wc.qualifications(**changes))
    assert_error(response, "qualifications", field, text)


def test_qualifications_need_at_least_one_entry(client, group, trade):
    wc.fill_to(client, group, trade, "applicant")
    empty = dict.fromkeys(wc.qualifications(), "")
    response = wc.post(client, group, "qualifications", empty)
    assert "Give at least one academic qualification or one job" in response.content.decode()


def test_employment_contract_shorter_than_the_trade_minimum(client, group, trade):
    wc.fill_to(client, group, trade, "qualifications")
    response = wc.post(client, group, "employment", wc.employment(trade, months=23))
    assert_error(
        response,
        "employment",
        "contract_end",
        "The contract is shorter than the 24 months this skilled trade requires",
    )
    response = wc.post(client, group, "employment", wc.employment(trade, monthly_salary_hkd="0"))
    assert_error(
        response, "employment", "monthly_salary_hkd", "The monthly salary must be more than 0"
    )
    values = wc.employment(trade)
    values.update(wc.date_parts("contract_end", TODAY))
    values.update(wc.date_parts("contract_start", TODAY + datetime.timedelta(days=5)))
    response = wc.post(client, group, "employment", values)
    assert_error(response, "employment", "contract_end", "The contract must end after it starts")


def test_hr_email_is_needed_to_hand_the_part_to_the_employer(client, group, trade):
    wc.fill_to(client, group, trade, "employment")
    response = wc.post(client, group, "employer", wc.employer_choice("employer", ""))
    assert_error(
        response, "employer", "hr_email", "Enter the email address of the company&#x27;s HR contact"
    )


@pytest.mark.parametrize(
    "changes, field, text",
    [
        (
            {"business_registration_number": "1234"},
            "business_registration_number",
            "Enter the Business Registration number as 8 digits",
        ),
        (
            wc.date_parts("incorporation_date", TODAY + datetime.timedelta(days=3)),
            "incorporation_date",
            "The date of incorporation must be today or in the past",
        ),
        (
            {"listed_main_board_or_gem": ""},
            "listed_main_board_or_gem",
            "Select yes if the company is listed on the Main Board or GEM",
        ),
        (
            {"authorised_person_email": "x"},
            "authorised_person_email",
            "Enter an email address in the correct format",
        ),
    ],
)
def test_company_rules(client, group, trade, changes, field, text):
    wc.fill_to(client, group, trade, "employer")
    response = wc.post(client, group, "company", wc.company(**changes))
    assert_error(response, "company", field, text)


DEPENDANT_CASES = [
    (
        [wc.dependant("child", drafting.years_ago(18))],
        "0-date_of_birth",
        "A child must be under 18 to apply as a dependant",
    ),
    (
        [wc.dependant("child", drafting.years_ago(15), marital_status="married")],
        "0-marital_status",
        "A child must be unmarried to apply as a dependant",
    ),
    (
        [wc.dependant("spouse", nationality="AF")],
        "0-nationality",
        "Dependants who are nationals of Afghanistan or the DPRK cannot apply",
    ),
    (
        [wc.dependant("child", drafting.years_ago(5), nationality="KP")],
        "0-nationality",
        "Dependants who are nationals of Afghanistan or the DPRK cannot apply",
    ),
    (
        [wc.dependant("spouse", **expired())],
        "0-travel_document_expiry_date",
        "This travel document has expired: it must be valid today",
    ),
]


@pytest.mark.parametrize("rows, field, text", DEPENDANT_CASES)
def test_dependant_rules(client, group, trade, rows, field, text):
    wc.fill_to(client, group, trade, "company")
    response = wc.post(client, group, "dependants", wc.dependants(rows))
    assert_error(response, "dependants", field, text)


def test_at_most_one_spouse_or_partner(client, group, trade):
    wc.fill_to(client, group, trade, "company")
    rows = [wc.dependant("spouse"), wc.dependant("spouse", given_names="Other")]
    response = wc.post(client, group, "dependants", wc.dependants(rows))
    html = response.content.decode()
    assert "Only one spouse or partner can be included" in html
    # At the second spouse, not only at the top (tests/applications/test_dependants_step.py).
    assert 'id="id_dependants-1-relationship_error"' in html
    assert 'href="#id_dependants-1-relationship_0"' in html


def test_at_most_eight_dependants(client, group, trade):
    wc.fill_to(client, group, trade, "company")
    rows = [wc.dependant("spouse")] + [
        wc.dependant("child", drafting.years_ago(1 + n)) for n in range(8)
    ]
    response = wc.post(client, group, "dependants", wc.dependants(rows))
    assert "A group can have at most 8 dependants" in response.content.decode()
    assert not group.applications.filter(role="dependant").exists()
