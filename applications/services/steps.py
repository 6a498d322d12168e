"""Saving a valid wizard step into the real rows, and voiding the signatures it affects.

Every save runs in one transaction with the voiding of the signatures it affects, so a signature
never outlives the data it covered. The number of queries does not depend on how many
dependants the group has (bulk updates and inserts).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import access, eligibility
from ..exceptions import ApplicantIneligible, StepConflict
from ..models import (
    MAX_DEPENDANTS,
    Application,
    ApplicationGroup,
    EmployerPart,
    Scheme,
    Signature,
)
from ..wizard.fieldnames import COMPANY_FIELDS, EMPLOYMENT_FIELDS
from . import notifications, signatures
from .groups import lock_group

APPLICANT_FIELDS = (
    "surname", "given_names", "chinese_name", "sex", "date_of_birth", "place_of_birth",
    "nationality", "travel_document_type", "travel_document_number",
    "travel_document_place_of_issue", "travel_document_issue_date",
    "travel_document_expiry_date", "hkid_number", "residence", "overseas_chinese_prc_passport",
    "in_hong_kong", "marital_status", "email", "phone", "address",
)  # fmt: skip
DEPENDANT_FIELDS = (
    "relationship", "surname", "given_names", "chinese_name", "sex", "date_of_birth",
    "nationality", "marital_status", "travel_document_type", "travel_document_number",
    "travel_document_place_of_issue", "travel_document_issue_date",
    "travel_document_expiry_date", "residence",
)  # fmt: skip
DATE_FIELDS = {
    "date_of_birth", "travel_document_issue_date", "travel_document_expiry_date",
    "contract_start", "contract_end", "incorporation_date",
}  # fmt: skip
BOOLEAN_FIELDS = {"listed_main_board_or_gem", "recent_non_local_visa", "in_hong_kong"}


def dependants_of(group: ApplicationGroup) -> list[Application]:
    """The group's dependants, in position order (from its prefetched applications)."""
    return [a for a in group.applications.all() if not a.is_principal]


@dataclass(frozen=True)
class DependantsChange:
    """The dependants step's outcome: the rows kept or added, and the positions removed."""

    rows: list[dict[str, Any]]
    removed: frozenset[int]


@dataclass(frozen=True)
class Saved:
    """What saving a step did: the signatures it voided and the scheme it routed the group to,
    if that changed (the user is told of both)."""

    voided: tuple[Signature, ...] = ()
    scheme_changed_to: str = ""


def _principal(group: ApplicationGroup) -> Application:
    principal = group.principal
    if principal is None:
        principal = Application.objects.create(
            group=group, role=Application.Role.PRINCIPAL, position=0
        )
        group._prefetched_objects_cache.pop("applications", None)  # type: ignore[attr-defined]
    return principal


def _employer(group: ApplicationGroup) -> EmployerPart:
    employer = group.employer_part
    if employer is None:
        employer = EmployerPart.objects.create(group=group)
        group.employer = employer
    return employer


def _assign(obj: Any, cleaned: dict[str, Any], names: tuple[str, ...]) -> list[str]:
    changed = []
    for name in names:
        value = cleaned.get(name)
        if value is None and name not in DATE_FIELDS and name != "monthly_salary_hkd":
            value = "" if name not in BOOLEAN_FIELDS else False
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _settled_overseas(group: ApplicationGroup, principal: Application) -> bool:
    """Whether the pre-check found the applicant settled overseas: the wizard does not ask again.

    Known only for an overseas Chinese holding a PRC passport whom the group routes to GEP.
    """
    return principal.overseas_chinese_prc_passport and group.scheme == Scheme.GEP


def _save_applicant(group: ApplicationGroup, cleaned: dict[str, Any]) -> str:
    """Save the applicant's particulars and route the group's scheme again from the saved
    answers; the new scheme if it changed, else ""."""
    failure = eligibility.nationality_failure(cleaned.get("nationality", ""))
    if failure is not None:
        raise ApplicantIneligible(field="nationality", message=failure.reason)
    principal = _principal(group)
    settled = _settled_overseas(group, principal)
    changed = _assign(principal, cleaned, APPLICANT_FIELDS)
    if changed:
        principal.save(update_fields=[*changed, "updated_at"])
    scheme = eligibility.scheme_for(
        nationality=principal.nationality,
        residence=principal.residence,
        holds_prc_passport=principal.overseas_chinese_prc_passport,
        settled_overseas=settled,
    )
    if scheme == group.scheme:
        return ""
    ApplicationGroup.objects.filter(pk=group.pk).update(scheme=scheme)
    group.scheme = scheme
    return scheme


def _save_qualifications(group: ApplicationGroup, cleaned: dict[str, Any]) -> None:
    principal = _principal(group)
    principal.academic_qualifications = [
        {"level": e["level"], "institution": e["institution"], "year": e["year"]}
        for e in cleaned["academic_qualifications"]
    ]
    principal.work_experience = [
        {
            "employer": e["employer"],
            "post": e["post"],
            "start": e["start"].isoformat(),
            "end": e["end"].isoformat() if e["end"] else None,
        }
        for e in cleaned["work_experience"]
    ]
    principal.professional_qualifications = cleaned.get("professional_qualifications", "")
    principal.save(
        update_fields=[
            "academic_qualifications", "work_experience", "professional_qualifications",
            "updated_at",
        ]
    )  # fmt: skip


def _save_employment(group: ApplicationGroup, cleaned: dict[str, Any]) -> None:
    principal = _principal(group)
    if principal.trade_id != cleaned["trade"].pk:
        principal.trade = cleaned["trade"]
        principal.save(update_fields=["trade", "updated_at"])
    employer = _employer(group)
    changed = _assign(employer, cleaned, EMPLOYMENT_FIELDS)
    if changed:
        employer.save(update_fields=[*changed, "updated_at"])


def _save_employer_choice(group: ApplicationGroup, cleaned: dict[str, Any]) -> None:
    """Record who completes the company's part; taking it back from HR revokes the link."""
    employer = _employer(group)
    if employer.completed_by != cleaned["completed_by"]:
        fields = ["completed_by", "updated_at"]
        if employer.completed_by == EmployerPart.CompletedBy.EMPLOYER:
            # No link is valid any more: handing the part over again sends a new one.
            employer.link_nonce = access.new_link_nonce()
            employer.link_sent_at = None
            fields += ["link_nonce", "link_sent_at"]
        employer.completed_by = cleaned["completed_by"]
        employer.save(update_fields=fields)


def _save_company(group: ApplicationGroup, cleaned: dict[str, Any]) -> None:
    employer = _employer(group)
    changed = _assign(employer, cleaned, COMPANY_FIELDS)
    if changed:
        employer.save(update_fields=[*changed, "updated_at"])


def _save_dependants(group: ApplicationGroup, change: DependantsChange) -> None:
    """Update kept dependants in place, add new ones in free positions, delete those the user
    removed; dependants the form did not mention (added in another tab) stay.

    Three statements at most, whatever the number of dependants. A dependant keeps its position
    (and so its documents and signatures) for as long as it stays in the group.
    """
    existing = {d.position: d for d in dependants_of(group)}
    removed = [pos for pos in change.removed if pos in existing]
    taken = {pos for pos in existing if pos not in removed}
    free = iter(p for p in range(1, MAX_DEPENDANTS + 1) if p not in taken)
    to_update, to_create = [], []
    for row in change.rows:
        dependant = existing.get(row.get("position") or 0)  # 0: new (dependants start at 1)
        if dependant is None:
            dependant = Application(
                group=group, role=Application.Role.DEPENDANT, position=next(free)
            )
            _assign(dependant, row, DEPENDANT_FIELDS)
            to_create.append(dependant)
        elif _assign(dependant, row, DEPENDANT_FIELDS):
            dependant.updated_at = timezone.now()
            to_update.append(dependant)
    if removed:
        Application.objects.filter(
            group=group, role=Application.Role.DEPENDANT, position__in=removed
        ).delete()
    if to_update:
        Application.objects.bulk_update(to_update, [*DEPENDANT_FIELDS, "updated_at"])
    if to_create:
        Application.objects.bulk_create(to_create)


SAVERS: dict[str, Callable[[ApplicationGroup, Any], str | None]] = {
    "applicant": _save_applicant,
    "qualifications": _save_qualifications,
    "employment": _save_employment,
    "employer": _save_employer_choice,
    "company": _save_company,
    "dependants": _save_dependants,
}


def save_step(*, group: ApplicationGroup, step: str, cleaned: Any) -> Saved:
    """Save a valid step's cleaned data into the rows and void the signatures it changed.

    One transaction, under the group's row lock (applications.services.groups.lock_group).
    Steps with nothing to save (documents, check your answers) change nothing. The caller
    reloads the group afterwards if it needs fresh relations. Raises StepConflict, saving
    nothing, when another tab or device changed the same rows meanwhile (a dependant added in
    the same position, the principal or company part created twice) or the draft was deleted.
    The applicant step routes the group's scheme again from the saved answers (GEP or ASMTP,
    the pre-check's rule) and raises ApplicantIneligible, saving nothing, for a nationality
    that cannot apply. A change that voids the company's signature given by HR emails HR the
    link to sign again.
    """
    saver = SAVERS.get(step)
    if saver is None:
        return Saved()
    try:
        with transaction.atomic():
            # The group's lock, as signing takes it: a signature recorded before this change
            # is voided by it, and one recorded after it covers it (or is refused).
            lock_group(pk=group.pk)
            scheme = saver(group, cleaned) or ""
            voided = signatures.void_changed_signatures(group_id=group.pk)
            if group.handed_to_employer and any(s.role == Signature.Role.EMPLOYER for s in voided):
                # HR signed through its link: it is told, with the link, to sign again.
                notifications.queue(
                    notification=notifications.Notification.COMPANY_SIGNATURE_VOIDED,
                    group_id=group.pk,
                )
    except (IntegrityError, ApplicationGroup.DoesNotExist):  # DoesNotExist: deleted meanwhile
        raise StepConflict() from None
    return Saved(voided=tuple(voided), scheme_changed_to=scheme)
