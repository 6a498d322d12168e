"""What an officer's case page shows, gathered in a bounded number of queries.

Everything the applicant, the dependants and the company declared (the check-your-answers
sections of applications.wizard.summary, so labels and values read as the applicant saw them),
the pre-check's answers and why the scheme was chosen, the signatures (valid and voided), the
documents by person and item with every stored file, the payment attempts, the quota place, the
other groups sharing a travel document or identity card number, and the timeline.

The timeline is built from TIMELINE_SOURCES, functions of the loaded case that each give
events; other features add a source of their own (an audit trail, say) by appending to it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from quota.models import SkilledTrade

from . import references
from .eligibility import NOT_LISTED, scheme_reason
from .forms_entry import EligibilityForm
from .models import Application, ApplicationGroup, Residence, Signature
from .services import audit, display_name, hkd
from .wizard import summary


@dataclass(frozen=True)
class Answer:
    label: str
    value: str


@dataclass(frozen=True)
class Event:
    at: datetime.datetime
    text: str


@dataclass(frozen=True)
class StoredFile:
    """One file as officers see it: an upload's current file, or one it held before."""

    stored: Any  # documents.models.Upload or UploadVersion: name, format, size, verdict
    url: str
    version: int | None = None  # set for an earlier version
    replaced_at: datetime.datetime | None = None


@dataclass
class DocumentItem:
    """One item of one person's checklist (or one supplementary item): every file stored for
    it, each upload's earlier versions before its current file, oldest upload first."""

    label: str
    code: str
    files: list[StoredFile] = field(default_factory=list)


@dataclass
class PersonDocuments:
    title: str
    items: list[DocumentItem] = field(default_factory=list)


@dataclass
class CasePage:
    application: Application
    group: ApplicationGroup
    temporary_reference: str
    sections: list[summary.Section]
    eligibility: list[Answer]
    scheme_reason: str
    signatures: list[Signature]
    documents: list[PersonDocuments]
    payment_attempts: list[Any]
    allocation: Any
    duplicates: list[Application]
    timeline: list[Event] = field(default_factory=list)


def load_group(application: Application) -> ApplicationGroup:
    """The application's group with everything the page reads, prefetched."""
    people = (
        Application.objects.select_related(
            "trade", "quota_allocation__trade_pool__trade", "assigned_to"
        )
        .prefetch_related("supplementary_requests")
        .order_by("position")
    )
    return (
        ApplicationGroup.objects.select_related("employer", "acknowledgment_outbox")
        .prefetch_related(
            Prefetch("applications", queryset=people),
            Prefetch("signatures", queryset=Signature.objects.order_by("signed_at", "pk")),
            "document_uploads__supplementary_item",
            "document_uploads__versions",
            "payment_attempts__transitions",
        )
        .get(pk=application.group_id)
    )


def _eligibility(group: ApplicationGroup, principal: Application | None) -> list[Answer]:
    data = group.eligibility_answers or {}
    if not data:
        return []
    fields = EligibilityForm.base_fields
    answers = []
    for name, value in data.items():
        if name not in fields:
            continue
        shown: object = value
        if name == "nationality":
            shown = countries.name(value) or value
        elif name == "residence":
            shown = dict(Residence.choices).get(value, value)
        elif name == "trade":
            shown = _trade_name(value, principal)
        answers.append(Answer(str(fields[name].label), summary.show_value(shown)))
    return answers


def _trade_name(code: str, principal: Application | None) -> str:
    if code == NOT_LISTED:
        return str(_("Not on the list"))
    if principal is not None and principal.trade is not None and principal.trade.code == code:
        return principal.trade.name
    trade = SkilledTrade.objects.filter(code=code).first()
    return trade.name if trade else code


def _scheme_reason(group: ApplicationGroup, principal: Application | None) -> str:
    data = group.eligibility_answers or {}
    if data:
        settled = bool(data.get("overseas_permanent_residence")) or (
            bool(data.get("overseas_year_before")) and bool(data.get("applying_from_overseas"))
        )
        return scheme_reason(
            nationality=str(data.get("nationality", "")),
            residence=str(data.get("residence", "")),
            holds_prc_passport=bool(data.get("holds_prc_passport")),
            settled_overseas=settled,
        )
    if principal is None:
        return ""
    # Started before the answers were kept: the principal's particulars tell the same branch,
    # and the scheme chosen tells whether an overseas Chinese was settled overseas.
    return scheme_reason(
        nationality=principal.nationality,
        residence=principal.residence,
        holds_prc_passport=principal.overseas_chinese_prc_passport,
        settled_overseas=group.scheme == "GEP",
    )


def _person_title(application: Application | None) -> str:
    if application is None:
        return str(_("Employing company"))
    if application.is_principal:
        return str(_("Applicant: %(name)s")) % {"name": display_name(application)}
    return str(_("Dependant %(number)d: %(name)s")) % {
        "number": application.position,
        "name": display_name(application),
    }


def _documents(group: ApplicationGroup, people: list[Application]) -> list[PersonDocuments]:
    """Every stored file, by person (the company for section B) and item, in catalogue order."""
    by_person: dict[int | None, dict[str, DocumentItem]] = {}
    for upload in sorted(group.document_uploads.all(), key=lambda u: (u.uploaded_at, u.pk)):
        items = by_person.setdefault(upload.application_id, {})
        if upload.supplementary_item is not None:
            item = upload.supplementary_item
            key = "S" + str(upload.supplementary_item_id)
            label = str(_("Supplementary: %(item)s")) % {"item": item.label}
            code = item.requirement_code
        else:
            key = code = upload.requirement_code
            requirement = upload.requirement
            label = str(requirement.label) if requirement else code
        files = items.setdefault(key, DocumentItem(label, code)).files
        for version in upload.versions.all():
            url = reverse("documents:version_file", args=[group.public_id, version.public_id])
            files.append(StoredFile(version, url, version.number, version.replaced_at))
        url = reverse("documents:file", args=[group.public_id, upload.public_id])
        files.append(StoredFile(upload, url))
    out = []
    for person in [*people, None]:
        found = by_person.get(person.pk if person else None)
        if found:
            ordered = sorted(found.items(), key=lambda pair: (pair[0].startswith("S"), pair[0]))
            out.append(PersonDocuments(_person_title(person), [item for _k, item in ordered]))
    return out


def _duplicates(group: ApplicationGroup, people: list[Application]) -> list[Application]:
    """Applications of other groups with a travel document or HKID number of this group's."""
    keys = {person.travel_document_key for person in people if person.travel_document_key}
    hkids = {person.hkid_number for person in people if person.hkid_number}
    if not keys and not hkids:
        return []
    return list(
        Application.objects.filter(Q(travel_document_key__in=keys) | Q(hkid_number__in=hkids))
        .exclude(group_id=group.pk)
        .select_related("group")
        .order_by("-group__created_at", "position")[:50]
    )


# Timeline sources: each a function of the page gathered so far, giving events.
TimelineSource = Callable[[CasePage], Iterable[Event]]


def _group_events(page: CasePage) -> Iterable[Event]:
    group = page.group
    yield Event(
        group.created_at,
        str(_("Application started (temporary reference %(reference)s)"))
        % {"reference": page.temporary_reference},
    )
    employer = group.employer_part
    if employer is not None and employer.link_sent_at:
        yield Event(
            employer.link_sent_at,
            str(_("Link to the company's part sent to %(email)s"))
            % {"email": employer.link_sent_to},
        )
    if employer is not None and employer.completed_at:
        yield Event(employer.completed_at, str(_("Company's part completed")))
    if group.submitted_at:
        yield Event(group.submitted_at, str(_("Submitted; application reference numbers given")))
    outbox = getattr(group, "acknowledgment_outbox", None)
    if outbox is not None and outbox.sent_at:
        yield Event(
            outbox.sent_at,
            str(_("Acknowledgment emailed to %(to)s")) % {"to": outbox.sent_to},
        )


def _signature_events(page: CasePage) -> Iterable[Event]:
    for signature in page.signatures:
        values = {"name": signature.signer_name, "role": signature.get_role_display()}
        yield Event(signature.signed_at, str(_("Signed by %(name)s (%(role)s)")) % values)
        if signature.voided_at:
            values["reason"] = signature.void_reason
            yield Event(
                signature.voided_at,
                str(_("Signature of %(name)s (%(role)s) voided: %(reason)s")) % values,
            )


def _document_events(page: CasePage) -> Iterable[Event]:
    for person in page.documents:
        for item in person.items:
            for stored in item.files:
                values = {"name": stored.stored.original_name, "item": item.label}
                yield Event(
                    stored.stored.uploaded_at, str(_("“%(name)s” uploaded for %(item)s")) % values
                )
                if stored.replaced_at:
                    yield Event(
                        stored.replaced_at,
                        str(_("“%(name)s” replaced by a new file for %(item)s")) % values,
                    )


def _payment_events(page: CasePage) -> Iterable[Event]:
    for attempt in page.payment_attempts:
        values = {
            "reference": attempt.reference,
            "method": attempt.get_method_display(),
            "amount": hkd(attempt.amount_cents),
        }
        yield Event(
            attempt.created_at,
            str(_("Payment %(reference)s started: %(method)s, %(amount)s")) % values,
        )
        for move in attempt.transitions.all():
            values["status"] = move.get_to_status_display()
            yield Event(move.at, str(_("Payment %(reference)s: %(status)s")) % values)


def _quota_events(page: CasePage) -> Iterable[Event]:
    allocation = page.allocation
    if allocation is None:
        return
    yield Event(allocation.allocated_at, str(_("Quota place secured")))
    if allocation.released_at:
        yield Event(
            allocation.released_at,
            str(_("Quota place released: %(reason)s"))
            % {"reason": allocation.get_release_reason_display()},
        )


def _supplementary_events(page: CasePage) -> Iterable[Event]:
    for application in page.group.applications.all():
        for request in application.supplementary_requests.all():
            yield Event(
                request.created_at,
                str(_("Supplementary documents requested from %(name)s, by %(deadline)s"))
                % {"name": display_name(application), "deadline": request.deadline},
            )
            if request.answered_at:
                yield Event(
                    request.answered_at,
                    str(_("Supplementary documents sent by %(name)s"))
                    % {"name": display_name(application)},
                )


def _workflow_events(page: CasePage) -> Iterable[Event]:
    """The officers' actions on the group's cases, from the audit trail."""
    for at, text in audit.history(group_id=page.group.pk):
        yield Event(at, text)


TIMELINE_SOURCES: list[TimelineSource] = [
    _workflow_events,
    _group_events,
    _signature_events,
    _document_events,
    _payment_events,
    _quota_events,
    _supplementary_events,
]


def _allocation(people: list[Application]) -> Any:
    principal = next((person for person in people if person.is_principal), None)
    return getattr(principal, "quota_allocation", None) if principal is not None else None


def case_page(application: Application) -> CasePage:
    """The page of one case. About a dozen queries, whatever the group holds."""
    group = load_group(application)
    people = list(group.applications.all())
    principal = group.principal
    page = CasePage(
        application=next(person for person in people if person.pk == application.pk),
        group=group,
        temporary_reference=references.display(group.temporary_reference),
        sections=summary.sections(group, company_editable=False),
        eligibility=_eligibility(group, principal),
        scheme_reason=_scheme_reason(group, principal),
        signatures=list(group.signatures.all()),
        documents=_documents(group, people),
        payment_attempts=sorted(group.payment_attempts.all(), key=lambda a: a.created_at),
        allocation=_allocation(people),
        duplicates=_duplicates(group, people),
    )
    events = [event for source in TIMELINE_SOURCES for event in source(page)]
    page.timeline = sorted(events, key=lambda event: event.at)
    return page
