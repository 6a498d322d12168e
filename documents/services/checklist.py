"""Which documents each person of a group needs, and which are missing or not yet accepted."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from applications.models import Application, ApplicationGroup

from .. import conditions
from ..catalogue import CATALOGUE, Condition, Note, Requirement, Section
from ..models import Upload

EMPLOYER_KEY = "employer"
EMPLOYER_SECTION = Section.EMPLOYER.value  # the company's documents (section B)


class ItemState(models.TextChoices):
    MISSING = "missing", _("Missing")
    NOT_PROVIDED = "not_provided", _("Optional, not provided")
    CHECKING = "checking", _("Being checked")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    ACCEPTED = "accepted", _("Accepted")


NO_TRAVEL_DOCUMENT_LABEL = _("PRC resident identity card (instead of a travel document)")
NO_TRAVEL_DOCUMENT_GUIDANCE = _(
    "You have no travel document: upload both sides of your PRC resident identity card."
)
IN_HONG_KONG_GUIDANCE = _(
    "As you are now in Hong Kong, also upload your latest arrival stamp, landing slip or "
    "extension of stay label, and your latest e-Visa."
)


@dataclass(frozen=True)
class ChecklistItem:
    requirement: Requirement
    person_key: str
    label: Promise | str
    guidance: tuple[Promise | str, ...]
    needed: bool
    uploads: tuple[Upload, ...]

    @property
    def code(self) -> str:
        return self.requirement.code

    @property
    def max_files(self) -> int:
        return self.requirement.max_files

    @property
    def can_add(self) -> bool:
        return len(self.uploads) < self.requirement.max_files

    @property
    def room(self) -> int:
        """How many more files the item takes (the upload input allows that many at once)."""
        return max(self.requirement.max_files - len(self.uploads), 0)

    @property
    def state(self) -> str:
        statuses = {upload.status for upload in self.uploads}
        if Upload.Status.REJECTED in statuses:
            return ItemState.NOT_ACCEPTED
        if Upload.Status.PENDING in statuses:
            return ItemState.CHECKING
        if statuses:
            return ItemState.ACCEPTED
        return ItemState.MISSING if self.needed else ItemState.NOT_PROVIDED

    @property
    def state_label(self) -> str:
        return str(ItemState(self.state).label)

    @property
    def is_missing(self) -> bool:
        return self.state == ItemState.MISSING

    @property
    def is_not_accepted(self) -> bool:
        """Files are there, but not all of them are accepted (yet)."""
        return self.state in (ItemState.CHECKING, ItemState.NOT_ACCEPTED)

    @property
    def is_done(self) -> bool:
        return not (self.is_missing or self.is_not_accepted)


@dataclass(frozen=True)
class PersonChecklist:
    key: str
    section: str
    application: Application | None
    items: tuple[ChecklistItem, ...]

    @property
    def title(self) -> str:
        if self.application is None:
            return str(_("Employing company"))
        name = self.application.full_name
        if self.application.is_principal:
            role = str(_("Applicant"))
        else:
            role = str(_("Dependant %(number)d")) % {"number": self.application.position}
        # Translators: a person's role in the group and their name, e.g. "Applicant: CHAN Tai Man".
        return str(_("%(role)s: %(name)s")) % {"role": role, "name": name} if name else role

    @property
    def missing(self) -> tuple[ChecklistItem, ...]:
        return tuple(item for item in self.items if item.is_missing)

    @property
    def not_accepted(self) -> tuple[ChecklistItem, ...]:
        return tuple(item for item in self.items if item.is_not_accepted)

    @property
    def is_complete(self) -> bool:
        return all(item.is_done for item in self.items)

    def item(self, code: str) -> ChecklistItem | None:
        return next((item for item in self.items if item.code == code), None)


@dataclass(frozen=True)
class GroupChecklist:
    group: ApplicationGroup
    people: tuple[PersonChecklist, ...]

    @property
    def is_complete(self) -> bool:
        return all(person.is_complete for person in self.people)

    def person(self, key: str) -> PersonChecklist | None:
        return next((person for person in self.people if person.key == key), None)


def reference_date(group: ApplicationGroup) -> date:
    """Today for a draft; the submission date once submitted."""
    if group.submitted_at is not None:
        return timezone.localdate(group.submitted_at)
    return timezone.localdate()


def person_key(application: Application | None) -> str:
    return EMPLOYER_KEY if application is None else str(application.position)


def _applies(requirement: Requirement, facts: conditions.Facts) -> tuple[bool, bool]:
    """(shown, needed) for one item and one person."""
    if requirement.condition == Condition.ALWAYS:
        return True, requirement.mandatory
    if requirement.condition == Condition.OPTIONAL:
        return True, False
    if conditions.holds(requirement.condition, facts):
        return True, True
    # "Other supporting documents" (A6, C4) stay open to anyone, as optional uploads.
    return requirement.condition == Condition.OTHER_RESIDENCE_PROOF, False


def _wording(
    requirement: Requirement, facts: conditions.Facts
) -> tuple[Promise | str, tuple[Promise | str, ...]]:
    label, guidance = requirement.label, [requirement.guidance] if requirement.guidance else []
    if requirement.note == Note.HASH and conditions.no_travel_document(facts):
        label, guidance = NO_TRAVEL_DOCUMENT_LABEL, [NO_TRAVEL_DOCUMENT_GUIDANCE]
    applicant_document = requirement.section == Section.APPLICANT and requirement.note == Note.HASH
    if applicant_document and conditions.in_hong_kong(facts):
        guidance.append(IN_HONG_KONG_GUIDANCE)
    return label, tuple(guidance)


def _person_checklist(
    section: str,
    application: Application | None,
    facts: conditions.Facts,
    uploads: list[Upload],
) -> PersonChecklist:
    key = person_key(application)
    items = []
    for requirement in CATALOGUE:
        if requirement.section != section:
            continue
        mine = tuple(upload for upload in uploads if upload.requirement_code == requirement.code)
        shown, needed = _applies(requirement, facts)
        if not (shown or mine):
            continue
        label, guidance = _wording(requirement, facts)
        items.append(ChecklistItem(requirement, key, label, guidance, needed, mine))
    return PersonChecklist(key, section, application, tuple(items))


def checklist_for_group(
    *, group: ApplicationGroup, sections: Iterable[str] | None = None
) -> GroupChecklist:
    """Every person's checklist: the applicant (A), the employing company (B), each dependant (C).

    An item is listed when its condition holds for that person, or when files were uploaded for
    it (so they can be seen and deleted after the answers changed). Three queries, whatever the
    group's size.
    """
    wanted = set(sections) if sections is not None else {section.value for section in Section}
    applications = list(group.applications.all())
    employer = group.employer_part
    on = reference_date(group)
    uploads = list(
        Upload.objects.filter(group=group, supplementary_item__isnull=True).order_by(
            "uploaded_at", "pk"
        )
    )
    people: list[PersonChecklist] = []
    order = [a for a in applications if a.is_principal] + [None]
    order += [a for a in applications if not a.is_principal]
    for application in order:
        if application is None:
            section = Section.EMPLOYER.value
        elif application.is_principal:
            section = Section.APPLICANT.value
        else:
            section = Section.DEPENDANT.value
        if section not in wanted:
            continue
        facts = conditions.Facts(application, employer, on)
        person_id = application.pk if application else None
        mine = [upload for upload in uploads if upload.application_id == person_id]
        people.append(_person_checklist(section, application, facts, mine))
    return GroupChecklist(group, tuple(people))
