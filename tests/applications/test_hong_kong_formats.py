"""Dates, times and money as Hong Kong writes them, on the pages, in the emails and in the PDF:
"16 December 2026", "23:27" and "HK$22,000" in English; "2026年12月16日" in Chinese. A salary
may be typed as people write it; the HKID hint's example passes the check it describes."""

import datetime
import html as html_module
import re
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation

from applications import services
from applications.models import AcknowledgmentOutbox, ApplicationGroup
from applications.wizard import validators
from tests.applications import wizard_client as wc
from tests.applications.submitting import pdf_text, submitted_group

pytestmark = pytest.mark.django_db

HONG_KONG = ZoneInfo("Asia/Hong_Kong")
LATE_EVENING = datetime.datetime(2026, 12, 16, 23, 27, tzinfo=HONG_KONG)
AMERICAN = re.compile(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.|[ap]\.m\.")
SUBMITTED = {
    "en": ("16 December 2026", "23:27"),
    "zh-hant": ("2026年12月16日", "23:27"),
    "zh-hans": ("2026年12月16日", "23:27"),
}


def flat(text: str) -> str:
    return "".join(text.split())


def test_the_formats_of_each_language():
    day = datetime.date(2026, 12, 16)
    with translation.override("en"):
        assert formats.date_format(day) == "16 December 2026"
        assert formats.date_format(LATE_EVENING, "DATETIME_FORMAT") == "16 December 2026, 23:27"
        assert formats.time_format(LATE_EVENING.time()) == "23:27"
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "16/12/2026"
        assert formats.date_format(datetime.date(2026, 5, 3), "MONTH_DAY_FORMAT") == "3 May"
    for language in ("zh-hant", "zh-hans"):
        with translation.override(language):
            assert formats.date_format(day) == "2026年12月16日"
            assert formats.date_format(datetime.date(2026, 5, 3), "MONTH_DAY_FORMAT") == "5月3日"


def submitted_late_in_the_evening(trade, language: str) -> ApplicationGroup:
    group = submitted_group(trade, language=language)
    ApplicationGroup.objects.filter(pk=group.pk).update(submitted_at=LATE_EVENING)
    group.refresh_from_db()
    return group


@pytest.mark.parametrize("language", SUBMITTED)
def test_the_acknowledgment_page_email_and_pdf_write_the_date_the_hong_kong_way(
    client, trade, language
):
    group = submitted_late_in_the_evening(trade, language)
    wc.remember(client, group)
    day, time = SUBMITTED[language]
    with translation.override(language):
        page_url = reverse("applications:acknowledgment", kwargs={"group_id": group.public_id})
        pdf_url = reverse("applications:acknowledgment_pdf", kwargs={"group_id": group.public_id})

    page = client.get(page_url).content.decode()
    services.send_acknowledgment(outbox_id=AcknowledgmentOutbox.objects.get(group=group).pk)
    (message,) = mail.outbox
    pdf = flat(pdf_text(client.get(pdf_url).content))

    for shown in (page, message.body, message.alternatives[0][0]):
        assert day in shown and time in shown
        assert not AMERICAN.search(shown)
    assert flat(day) in pdf and time in pdf


def test_a_signature_is_dated_on_the_24_hour_clock_with_one_full_stop(client, ready_group):
    page = html_module.unescape(client.get(wc.url(ready_group, "declarations")).content.decode())
    signature = ready_group.signatures.get(role="applicant")
    when = timezone.localtime(signature.signed_at)
    with translation.override("en"):
        shown = formats.date_format(when, "j F Y") + ", " + when.strftime("%H:%M")

    assert "Signed by CHAN Tai Man on " + shown + "." in page
    assert not AMERICAN.search(page)
    assert ".." not in re.sub(r"<[^>]*>", "", page)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("22000", 22000), ("22,000", 22000), ("HK$22,000", 22000), ("HK$ 22,000.00", 22000)],
)
def test_a_salary_is_taken_as_people_write_it(client, trade, typed, stored):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "qualifications")
    response = wc.post(client, group, "employment", wc.employment(trade, monthly_salary_hkd=typed))

    assert response.status_code == 302
    group.employer_part.refresh_from_db()
    assert group.employer_part.monthly_salary_hkd == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("22,000.50", "Enter the monthly salary in whole dollars, without cents"),
        ("22,00", "Enter the monthly salary in Hong Kong dollars, like 22000 or HK$22,000"),
        ("about 20k", "Enter the monthly salary in Hong Kong dollars, like 22000 or HK$22,000"),
        ("HK$0", "The monthly salary must be more than 0"),
    ],
)
def test_a_salary_that_is_not_an_amount_in_whole_dollars_is_told_why(client, trade, typed, message):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "qualifications")
    response = wc.post(client, group, "employment", wc.employment(trade, monthly_salary_hkd=typed))

    assert response.status_code == 200
    assert message in html_module.unescape(response.content.decode())


def test_the_salary_is_shown_in_hong_kong_dollars_to_hr(client, trade):
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "employment")
    wc.post(client, group, "employment", wc.employment(trade, monthly_salary_hkd="HK$22,000"))
    wc.post(client, group, "employer", wc.employer_choice("employer", "hr@harbour-aero.example"))
    token = re.search(r"/employer/(\S+)/company/", mail.outbox[-1].body).group(1)

    hr_page = Client().get(wc.employer_url(token, "company")).content.decode()

    assert "HK$22,000" in hr_page and ">22000<" not in hr_page


def test_the_hkid_hint_gives_an_example_that_passes_the_check(client, trade):
    group = wc.open_draft(client, trade)
    for language, hint in (("en", "For example, "), ("zh-hant", "例如 "), ("zh-hans", "例如 ")):
        page = client.get(wc.url(group, "applicant", language=language)).content.decode()
        field = page[page.index('id="id_applicant-hkid_number_helptext"') :][:200]
        example = re.search(re.escape(hint) + r"([A-Z0-9()]+)", field).group(1)
        assert validators.validate_hkid(example) == example
