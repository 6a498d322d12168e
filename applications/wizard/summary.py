"""Check your answers: every answer per person and section, each with the step that changes it."""

import functools
from dataclasses import dataclass, field
from datetime import date

from django.db.models import BooleanField, DateField
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from immapp import money

from ..models import Application, ApplicationGroup, EmployerPart
from . import answers, steps
from .forms import ACADEMIC_LEVELS

MONEY_FIELDS = {"monthly_salary_hkd"}  # whole Hong Kong dollars, shown as "HK$22,000"


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    step: str
    anchor: str = ""


@dataclass
class Section:
    title: str
    rows: list[Row] = field(default_factory=list)
    note: str = ""


def show_value(value: object) -> str:
    if value is None or value == "":
        return str(_("Not given"))
    if value is True:
        return str(_("Yes"))
    if value is False:
        return str(_("No"))
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


@functools.cache
def _field_labels(
    model: type, names: tuple[str, ...], language: str | None
) -> tuple[tuple[str, str, bool, str], ...]:
    """Per field of `model`: its name, label in `language`, whether it has choices, and the
    suffix of its anchor; once per process and language."""
    found = []
    for name in names:
        model_field = model._meta.get_field(name)  # type: ignore[attr-defined]
        fieldset = model_field.choices or isinstance(model_field, (DateField, BooleanField))
        suffix = "_0" if fieldset and name not in answers.CHECKBOX_FIELDS else ""
        # capfirst, not str.capitalize(): "surname (English)" keeps its capital E.
        label = capfirst(str(model_field.verbose_name))
        found.append((name, label, bool(model_field.choices), suffix))
    return tuple(found)


def _field_rows(obj: object, names: tuple[str, ...], step: str, prefix: str = "") -> list[Row]:
    rows = []
    for name, label, has_choices, suffix in _field_labels(
        type(obj), names, translation.get_language()
    ):
        value = getattr(obj, name)
        if has_choices and value:
            value = getattr(obj, f"get_{name}_display")()
        if name == "nationality" and value:
            value = countries.name(value) or value
        if name in MONEY_FIELDS and value is not None:
            value = money.hkd_dollars(value)
        # radios and dates link to the first input of their fieldset
        rows.append(Row(label, show_value(value), step, prefix + name + suffix))
    return rows


def experience_months(work: list[dict]) -> int:
    """The total of the work experience entries in whole months (an open entry runs to today)."""
    today = timezone.localdate()
    total = 0
    for entry in work:
        start = date.fromisoformat(entry["start"])
        end = date.fromisoformat(entry["end"]) if entry.get("end") else today
        total += max(0, (end.year - start.year) * 12 + end.month - start.month + 1)
    return total


def experience_text(months: int) -> str:
    return str(_("%(years)d years and %(months)d months")) % {
        "years": months // 12,
        "months": months % 12,
    }


def _qualification_rows(principal: Application) -> list[Row]:
    levels = dict(ACADEMIC_LEVELS)
    rows = []
    for entry in principal.academic_qualifications:
        rows.append(
            Row(
                str(levels.get(entry["level"], entry["level"])),
                str(_("%(institution)s, %(year)s"))
                % {"institution": entry["institution"], "year": entry["year"]},
                steps.QUALIFICATIONS,
            )
        )
    for entry in principal.work_experience:
        period = (
            entry["start"][:7]
            + " \N{EN DASH} "
            + (entry["end"][:7] if entry.get("end") else str(_("now")))
        )
        rows.append(
            Row(
                str(_("Work experience")),
                str(_("%(post)s, %(employer)s (%(period)s)"))
                % {"post": entry["post"], "employer": entry["employer"], "period": period},
                steps.QUALIFICATIONS,
            )
        )
    rows.append(
        Row(
            str(_("Total work experience")),
            experience_text(experience_months(principal.work_experience)),
            steps.QUALIFICATIONS,
        )
    )
    rows.append(
        Row(
            str(_("Professional qualifications and licences")),
            show_value(principal.professional_qualifications),
            steps.QUALIFICATIONS,
        )
    )
    return rows


def sections(group: ApplicationGroup, *, company_editable: bool) -> list[Section]:
    """The check-your-answers sections; rows of the company handed to HR have no change step."""
    out = []
    principal = group.principal
    employer = group.employer_part
    if principal is not None:
        applicant = Section(str(_("Applicant: %(name)s")) % {"name": principal.full_name})
        applicant.rows += _field_rows(principal, answers.APPLICANT_FIELDS, steps.APPLICANT)
        out.append(applicant)
        out.append(Section(str(_("Qualifications and experience")), _qualification_rows(principal)))
        employment = Section(str(_("Employment")))
        employment.rows.append(
            Row(
                str(_("Skilled trade")),
                show_value(principal.trade.name if principal.trade else ""),
                steps.EMPLOYMENT,
                "trade",
            )
        )
        if employer is not None:
            employment.rows += _field_rows(employer, answers.EMPLOYMENT_FIELDS, steps.EMPLOYMENT)
        out.append(employment)
    company = Section(str(_("The employing company")))
    if employer is not None:
        company.rows.append(
            Row(
                str(_("Who fills it in")),
                show_value(employer.get_completed_by_display()),
                steps.EMPLOYER,
            )
        )
        step = steps.COMPANY if company_editable else ""
        if employer.completed_by == EmployerPart.CompletedBy.EMPLOYER:
            company.note = str(_("The company's HR fills in these answers through its link."))
        company.rows += _field_rows(employer, answers.COMPANY_FIELDS, step)
    out.append(company)
    dependants = answers.dependants_of(group)
    for number, dependant in enumerate(dependants, start=1):
        index = number - 1
        section = Section(
            str(_("Dependant %(number)d: %(name)s"))
            % {"number": number, "name": dependant.full_name}
        )
        section.rows += _field_rows(
            dependant, answers.DEPENDANT_FIELDS, steps.DEPENDANTS, f"{index}-"
        )
        out.append(section)
    if not dependants:
        out.append(
            Section(
                str(_("Dependants")), [Row(str(_("Dependants")), str(_("None")), steps.DEPENDANTS)]
            )
        )
    return out
