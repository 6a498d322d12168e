"""Helpers of the wizard tests: open a draft in a test client and post its steps as a browser
would (the management form, the step's prefixed fields, dates as day, month and year)."""

import base64
import datetime
import io
import re
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image, ImageDraw

from applications.access import SESSION_KEY
from applications.models import ApplicationGroup
from quota.models import SkilledTrade
from tests.applications import drafting


def open_draft(client: Client, trade: SkilledTrade, **changes: Any) -> ApplicationGroup:
    """Start a draft through applications.services and let this client's session open it."""
    group = drafting.start(trade, **changes)
    remember(client, group)
    return group


def remember(client: Client, group: ApplicationGroup) -> None:
    session = client.session
    opened = list(session.get(SESSION_KEY, []))
    opened.append(str(group.public_id))
    session[SESSION_KEY] = opened
    session.save()


def url(group: ApplicationGroup, step: str, query: str = "", language: str = "en") -> str:
    with translation.override(language):
        path = reverse("applications:wizard", kwargs={"group_id": group.public_id, "step": step})
    return path + ("?" + query if query else "")


def employer_url(token: str, step: str) -> str:
    with translation.override("en"):
        return reverse("applications:employer_wizard", kwargs={"token": token, "step": step})


def date_parts(name: str, day: datetime.date | None) -> dict[str, str]:
    if day is None:
        return {name + "_0": "", name + "_1": "", name + "_2": ""}
    return {name + "_0": str(day.day), name + "_1": str(day.month), name + "_2": str(day.year)}


def boxes_shown(html: str, name: str) -> tuple[str, str, str]:
    """The values the day, month and year boxes of the date field `name` show."""
    values = []
    for box in ("_0", "_1", "_2"):
        tag = re.search(r'<input[^>]*name="' + re.escape(name + box) + '"[^>]*>', html)
        assert tag is not None, name + box + " is not on the page"
        value = re.search(r'value="([^"]*)"', tag.group(0))
        values.append(value.group(1) if value else "")
    return (values[0], values[1], values[2])


def shows_date(html: str, name: str, day: datetime.date) -> bool:
    """Whether the date field `name` shows `day` in its three boxes."""
    return boxes_shown(html, name) == (str(day.day), str(day.month), str(day.year))


def prefixed(step: str, values: dict[str, Any]) -> dict[str, Any]:
    return {step + "-" + key: value for key, value in values.items()}


def management(group: ApplicationGroup, step: str, prefix: str = "wizard") -> dict[str, str]:
    return {prefix + "_" + str(group.public_id) + "-current_step": step}


DECLARATION_STEPS = ("declarations", "employer_declaration")
SHOWN = re.compile(r'<input type="hidden" name="([^"]+_shown)" value="([^"]*)"')


def shown_fields(html: str) -> dict[str, str]:
    """The hidden fingerprints a declarations page carries of what it shows each signer."""
    return dict(SHOWN.findall(html))


def post(
    client: Client,
    group: ApplicationGroup,
    step: str,
    values: dict[str, Any],
    *,
    query: str = "",
    extra: dict[str, Any] | None = None,
    target: str | None = None,
):
    """Post the step as a browser would; a declarations page is opened first, and what it
    shows is posted back with the signatures."""
    address = target or url(group, step, query)
    data = {**management(group, step), **prefixed(step, values), **(extra or {})}
    if step in DECLARATION_STEPS:
        data = {**shown_fields(client.get(address).content.decode()), **data}
    return client.post(address, data)


def years_ago(years: int, days: int = 0) -> datetime.date:
    return drafting.years_ago(years, days)


def today() -> datetime.date:
    return timezone.localdate()


def travel_document(number: str = "K1234567") -> dict[str, str]:
    return {
        "travel_document_type": "passport",
        "travel_document_number": number,
        "travel_document_place_of_issue": "London",
        **date_parts("travel_document_issue_date", today() - datetime.timedelta(days=400)),
        **date_parts("travel_document_expiry_date", today() + datetime.timedelta(days=3000)),
    }


def applicant(**changes: Any) -> dict[str, Any]:
    values = {
        "surname": "Chan",
        "given_names": "Tai Man",
        "chinese_name": "陳大文",
        "sex": "M",
        **date_parts("date_of_birth", years_ago(30)),
        "place_of_birth": "London",
        "nationality": "GB",
        **travel_document(),
        "hkid_number": "",
        "residence": "overseas",
        "in_hong_kong": "no",
        "marital_status": "married",
        "email": "applicant@example.com",
        "phone": "+44 20 7946 0000",
        "address": "1 Example Street, London",
    }
    values.update(changes)
    return values


def qualifications(**changes: Any) -> dict[str, Any]:
    values = {
        "academic_0_level": "bachelor",
        "academic_0_institution": "Imperial College",
        "academic_0_year": "2016",
        "work_0_employer": "Rolls-Royce",
        "work_0_post": "Technician",
        "work_0_start_0": "9",
        "work_0_start_1": "2016",
        "work_0_end_0": "8",
        "work_0_end_1": "2024",
        "professional_qualifications": "Licensed aircraft engineer (EASA B1), 2019",
    }
    values.update(changes)
    return values


def employment(trade: SkilledTrade, months: int | None = None, **changes: Any) -> dict[str, Any]:
    start = today() + datetime.timedelta(days=60)
    months = trade.minimum_contract_months if months is None else months
    from applications.wizard.validators import add_months

    end = add_months(start, months) - datetime.timedelta(days=1)
    values = {
        "post_title": "Aircraft maintenance technician",
        "trade": str(trade.pk),
        "monthly_salary_hkd": "32000",
        "fringe_benefits": "Medical insurance",
        **date_parts("contract_start", start),
        **date_parts("contract_end", end),
        "workplace_address": "HAECO, Hong Kong International Airport",
    }
    values.update(changes)
    return values


def employer_choice(mode: str = "applicant", hr_email: str = "") -> dict[str, Any]:
    return {"completed_by": mode, "hr_email": hr_email}


def company(**changes: Any) -> dict[str, Any]:
    values = {
        "company_name_en": "Harbour Aero Engineering Limited",
        "company_name_zh": "港灣航空工程有限公司",
        "business_registration_number": "12345678",
        **date_parts("incorporation_date", datetime.date(2010, 1, 4)),
        "company_address": "8 Airport Road, Lantau",
        "listed_main_board_or_gem": "no",
        "recent_non_local_visa": "no",
        "authorised_person_name": "Wong Mei Ling",
        "authorised_person_title": "HR Director",
        "authorised_person_email": "hr@harbour-aero.example",
        "authorised_person_phone": "+852 2111 2222",
    }
    values.update(changes)
    return values


def dependant(
    relationship: str = "spouse", born: datetime.date | None = None, **changes: Any
) -> dict[str, Any]:
    given = changes.get("given_names") or ("Siu Ling" if relationship == "spouse" else "Ka Ho")
    values = {
        "position": "",
        "relationship": relationship,
        "surname": "Chan",
        "given_names": given,
        "chinese_name": "",
        "sex": "F",
        **date_parts("date_of_birth", born or years_ago(29)),
        "nationality": "GB",
        "marital_status": "married" if relationship == "spouse" else "single",
        **travel_document("K" + str(1000000 + sum(map(ord, given)))),
        "residence": "overseas",
    }
    values.update(changes)
    return values


def dependants(rows: list[dict[str, Any]], *, initial: int = 0) -> dict[str, Any]:
    values: dict[str, Any] = {
        "TOTAL_FORMS": str(len(rows)),
        "INITIAL_FORMS": str(initial),
        "MIN_NUM_FORMS": "0",
        "MAX_NUM_FORMS": "8",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            values[str(index) + "-" + key] = value
    return values


def signature_png() -> str:
    """A small drawn signature, as the canvas exports it."""
    image = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(10, 80), (80, 20), (150, 70), (280, 30)], fill="black", width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def signing(key: str, name: str, *, drawn: bool = False, capacity: str | None = None):
    values = {
        "sig" + key + "_confirm": "on",
        "sig" + key + "_name": name,
        "sig" + key + "_drawn": signature_png() if drawn else "",
        "sig" + key + "_typed": "" if drawn else name,
    }
    if capacity is not None:
        values["sig" + key + "_capacity"] = capacity
    if key == "employer":  # the company's undertakings come with its declaration
        values["sig" + key + "_undertaking"] = "on"
    return values


def fill_to(
    client: Client,
    group: ApplicationGroup,
    trade: SkilledTrade,
    last: str,
    *,
    mode: str = "applicant",
    rows: list[dict[str, Any]] | None = None,
) -> None:
    """Post every step up to and including `last`, asserting each one moves on."""
    plan = [
        ("applicant", applicant()),
        ("qualifications", qualifications()),
        ("employment", employment(trade)),
        (
            "employer",
            employer_choice(mode, "hr@harbour-aero.example" if mode != "applicant" else ""),
        ),
    ]
    if mode == "applicant":
        plan.append(("company", company()))
    plan += [("dependants", dependants(rows or [])), ("documents", {}), ("check", {})]
    for step, values in plan:
        response = post(client, group, step, values)
        assert response.status_code == 302, (step, _errors(response))
        if step == last:
            return


def _errors(response) -> object:
    context = getattr(response, "context", None)
    return context and context.get("errors")
