"""Is the group ready to pay? Every part complete and signed, every mandatory document accepted.

The documents part is answered by the documents app's checklist service; the quota's
suspension by applications.services.suspension. Time-dependent rules (a travel document still
valid, a child still under 18, the applicant still 18 to 40) are checked again on today's date.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents import services as document_services

from ..models import ApplicationGroup, Signature, TravelDocumentType
from ..wizard import steps, validators
from ..wizard.storage import completed_steps
from . import signatures
from .groups import load_group
from .suspension import suspension_reason


@dataclass(frozen=True)
class Missing:
    """One thing still to do, and the step where it is done ("" when no step does it)."""

    text: str
    step: str = ""


@dataclass(frozen=True)
class Readiness:
    missing: tuple[Missing, ...]

    @property
    def ready(self) -> bool:
        return not self.missing


def applicant_steps(group: ApplicationGroup) -> tuple[str, ...]:
    """The applicant's steps for this group (company only when the applicant fills it in)."""
    by_employer = group.handed_to_employer
    return tuple(
        name for name, _form in steps.APPLICANT_FORMS if not (by_employer and name == steps.COMPANY)
    )


def _time_rules(group: ApplicationGroup) -> list[Missing]:
    missing = []
    today = timezone.localdate()
    for person in group.applications.all():
        name = person.full_name or str(person.get_role_display())
        step = steps.APPLICANT if person.is_principal else steps.DEPENDANTS
        expiry = person.travel_document_expiry_date
        if person.travel_document_type != TravelDocumentType.NONE and expiry and expiry < today:
            missing.append(
                Missing(str(_("%(name)s: the travel document has expired")) % {"name": name}, step)
            )
        if person.is_principal and person.date_of_birth:
            try:
                validators.validate_applicant_age(person.date_of_birth, on=today)
            except ValidationError as exc:
                missing.append(Missing(str(exc.messages[0]), step))
        elif not person.is_principal:
            facts = validators.DependantFacts(
                relationship=person.relationship,
                date_of_birth=person.date_of_birth,
                marital_status=person.marital_status,
                nationality=person.nationality,
            )
            try:
                validators.validate_dependant(facts, on=today)
            except ValidationError as exc:
                for message in exc.messages:
                    missing.append(Missing(name + ": " + str(message), step))
    return missing


def readiness(
    group: ApplicationGroup,
    *,
    displayed: bool = False,
    valid: list[Signature] | None = None,
) -> Readiness:
    """What stops the group from going to payment now; ready when nothing does.

    Reads the group (with its applications and employer's part prefetched, or loads them), its
    valid signatures (unless the caller has read them: `valid`) and the documents checklist:
    a fixed number of queries for any group size. With `displayed` (a page showing it, not a
    decision) the quota's suspension is the public status board's (suspension_reason).
    """
    if not hasattr(group, "_prefetched_objects_cache") or (
        "applications" not in group._prefetched_objects_cache
    ):
        loaded = load_group(pk=group.pk)
        if loaded is None:  # deleted meanwhile: nothing is ready
            return Readiness((Missing(str(_("This application is no longer a draft."))),))
        group = loaded
    missing: list[Missing] = []
    if not group.is_editable:
        return Readiness((Missing(str(_("This application is no longer a draft."))),))
    reason = suspension_reason(group=group, displayed=displayed)
    if reason:
        missing.append(Missing(reason))
    completed = completed_steps(group)
    for step in applicant_steps(group):
        if step in steps.DATA_STEPS and step not in completed:
            missing.append(
                Missing(str(_("Complete “%(step)s”")) % {"step": steps.title(step)}, step)
            )
    by_employer = group.handed_to_employer
    if by_employer and steps.COMPANY not in completed:
        missing.append(
            Missing(
                str(_("The employing company has not completed its particulars yet")),
                steps.EMPLOYER,
            )
        )
    missing.extend(_time_rules(group))
    if valid is None:
        valid = signatures.valid_signatures(group)
    for signer in signatures.required_signers(group):
        step = (
            steps.EMPLOYER if (by_employer and signer.application is None) else steps.DECLARATIONS
        )
        signature = signatures.signature_for(signer, valid)
        if signature is None:
            text = _("%(who)s has not signed the declaration")
        elif not signatures.is_current(group, signer, signature):
            # Changes void signatures as they are saved; this catches any path that did not.
            text = _("%(who)s must sign the declaration again: the answers changed after signing")
        else:
            continue
        missing.append(Missing(str(text) % {"who": signer.title}, step))
    checklist = document_services.checklist_for_group(group=group)
    for person in checklist.people:
        for item in person.items:
            if item.is_missing:
                text = _("%(person)s: “%(item)s” is missing")
            elif item.is_not_accepted:
                text = _("%(person)s: “%(item)s” is not accepted yet")
            else:
                continue
            missing.append(
                Missing(str(text) % {"person": person.title, "item": item.label}, steps.DOCUMENTS)
            )
    return Readiness(tuple(missing))
