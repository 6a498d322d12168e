"""The wizard's forms and the saved rows: each step's initial data, and a formset's outcome.

Saving a valid step is applications.services.save_step.
"""

from datetime import date
from typing import Any

from ..models import ApplicationGroup
from ..services import DependantsChange
from ..services.steps import APPLICANT_FIELDS, DEPENDANT_FIELDS, dependants_of
from . import forms as wizard_forms
from .fieldnames import COMPANY_FIELDS, EMPLOYMENT_FIELDS

CHECKBOX_FIELDS = {"overseas_chinese_prc_passport"}  # a tick box, not yes/no radios


def _values(obj: object | None, names: tuple[str, ...]) -> dict[str, Any]:
    if obj is None:
        return {}
    return {name: getattr(obj, name) for name in names}


def _month(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def initial_for(step: str, group: ApplicationGroup) -> Any:
    """The form's initial data for a step, from the saved rows."""
    principal = group.principal
    employer = group.employer_part
    if step == "applicant":
        values = _values(principal, APPLICANT_FIELDS)
        if not values.get("email"):
            values["email"] = group.contact_email
        if principal is not None and not principal.surname:
            values["in_hong_kong"] = None  # not answered yet: no radio preselected
        return values
    if step == "qualifications":
        values: dict[str, Any] = {}
        if principal is None:
            return values
        for row, entry in enumerate(
            principal.academic_qualifications[: wizard_forms.ACADEMIC_ROWS]
        ):
            for part in ("level", "institution", "year"):
                values[f"academic_{row}_{part}"] = entry.get(part)
        for row, entry in enumerate(principal.work_experience[: wizard_forms.WORK_ROWS]):
            values[f"work_{row}_employer"] = entry.get("employer")
            values[f"work_{row}_post"] = entry.get("post")
            values[f"work_{row}_start"] = _month(entry.get("start"))
            values[f"work_{row}_end"] = _month(entry.get("end"))
        values["professional_qualifications"] = principal.professional_qualifications
        return values
    if step == "employment":
        values = _values(employer, EMPLOYMENT_FIELDS)
        if principal is not None:
            values["trade"] = principal.trade_id
        return values
    if step == "employer":
        if employer is None:
            return {}
        return {
            "completed_by": employer.completed_by,
            "hr_email": employer.link_sent_to or employer.authorised_person_email,
        }
    if step == "company":
        values = _values(employer, COMPANY_FIELDS)
        if employer is None or not employer.company_name_en:
            values["listed_main_board_or_gem"] = None
            values["recent_non_local_visa"] = None
        return values
    if step == "dependants":
        rows = []
        for dependant in dependants_of(group):
            row = _values(dependant, DEPENDANT_FIELDS)
            row["position"] = dependant.position
            rows.append(row)
        return rows
    return {}


def dependants_change(formset: Any) -> DependantsChange:
    """The kept rows and the removed positions of the dependants formset."""
    return DependantsChange(
        rows=[form.cleaned_data for form in formset.kept()],
        removed=frozenset(formset.removed_positions()),
    )
