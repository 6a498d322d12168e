"""The officers' workflow: the allowed transitions of a submitted application.

TRANSITIONS is the one table of what may follow what:

    submitted ──start_review──▶ under_review ──approve──▶ approved
                                 │   ▲         └─refuse──▶ refused
          request_supplementary  ▼   │ resume_review
                        supplementary_requested
    withdraw (at the applicant's request): submitted, under_review or
    supplementary_requested ──▶ withdrawn

Approved, refused and withdrawn are final: nothing leaves them. Each transition runs under
the group's lock (applications.services.groups.lock_group) as a conditional UPDATE, re-reads
the status there and returns early, changing nothing, when the transition already happened
(a second click). It writes its audit entry in the same transaction and, for the actions the
applicant hears about, queues the email (a DecisionEmail row, sent by a task after commit).
Refusing or withdrawing the principal releases its quota slot (quota.services.release, under
the pools' locks, which come after the group's): it counts as used until the pool's scheduled
reopening. A dependant uses no quota, so its refusal releases nothing.

Who may call what is the admin's check (applications.admin_actions): officers do every action
here. Assigning cases is applications.services.assignment's.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quota import services as quota_services
from quota.exceptions import NotSecured, QuotaBusy
from quota.models import Allocation

from ..exceptions import (
    NoteRequired,
    NoteTooLong,
    PrincipalNotDecided,
    ReviewBusy,
    ReviewError,
    TransitionNotAllowed,
)
from ..models import Application, AuditEntry, DecisionEmail
from . import audit
from .audit import Actor
from .groups import lock_group

Status = Application.Status
Action = AuditEntry.Action

MAX_NOTE_LENGTH = 2000

# The visa issuance fee due on approval (paid later, outside this service), by the stay.
VISA_FEE_LONG_STAY_CENTS = 130_000
VISA_FEE_SHORT_STAY_CENTS = 60_000
SHORT_STAY_DAYS = 180


@dataclass(frozen=True)
class Transition:
    """One row of the table: from which statuses `action` leads to `target`; whether the
    applicant is emailed, a note is required, and why a principal's slot is released."""

    action: str
    sources: frozenset[str]
    target: str
    emails: bool = True
    note_required: bool = False
    release_reason: str = ""


FINAL = frozenset({Status.APPROVED, Status.REFUSED, Status.WITHDRAWN})
IN_PROGRESS = frozenset({Status.SUBMITTED, Status.UNDER_REVIEW, Status.SUPPLEMENTARY_REQUESTED})

TRANSITIONS: Mapping[str, Transition] = {
    t.action: t
    for t in (
        Transition(Action.REVIEW_STARTED, frozenset({Status.SUBMITTED}), Status.UNDER_REVIEW),
        # The supplementary request's own email (items, message, deadline) is the documents
        # request's; the transition sends none.
        Transition(
            Action.SUPPLEMENTARY_REQUESTED,
            frozenset({Status.UNDER_REVIEW}),
            Status.SUPPLEMENTARY_REQUESTED,
            emails=False,
        ),
        Transition(
            Action.REVIEW_RESUMED,
            frozenset({Status.SUPPLEMENTARY_REQUESTED}),
            Status.UNDER_REVIEW,
            emails=False,
        ),
        Transition(Action.APPROVED, frozenset({Status.UNDER_REVIEW}), Status.APPROVED),
        Transition(
            Action.REFUSED,
            frozenset({Status.UNDER_REVIEW}),
            Status.REFUSED,
            note_required=True,
            release_reason=Allocation.ReleaseReason.REFUSED,
        ),
        Transition(
            Action.WITHDRAWN,
            IN_PROGRESS,
            Status.WITHDRAWN,
            release_reason=Allocation.ReleaseReason.WITHDRAWN,
        ),
    )
}
assert all(not (t.sources & FINAL) for t in TRANSITIONS.values()), "final means final"


@dataclass(frozen=True)
class Decision:
    """What an action did: the status before and after, whether anything changed (False: it
    had already happened), its audit entry, and what came with it."""

    application_id: int
    action: str
    previous: str
    status: str
    changed: bool
    entry_id: int | None = None
    quota_released: bool = False
    visa_fee_cents: int | None = None


def allowed_actions(application: Application) -> list[str]:
    """The transitions the application's status allows now (the case page's buttons)."""
    return [t.action for t in TRANSITIONS.values() if application.status in t.sources]


def clean_note(note: str, *, required: bool) -> str:
    note = note.strip()
    if required and not note:
        raise NoteRequired()
    if len(note) > MAX_NOTE_LENGTH:
        raise NoteTooLong(
            _("Write the note in at most %(limit)d characters.") % {"limit": MAX_NOTE_LENGTH}
        )
    return note


# The visa issuance fee


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or that month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def stay_months(application: Application) -> int:
    """The initial stay the application is for: its trade's (a dependant's follows the
    principal's trade), 36 months or 24 for trades that need local experience first."""
    trade = application.trade
    if trade is None:
        principal = Application.objects.select_related("trade").filter(
            group_id=application.group_id, role=Application.Role.PRINCIPAL
        )
        trade = next((p.trade for p in principal if p.trade is not None), None)
    if trade is None:  # every submitted group's principal has a trade; no stay without one
        raise ReviewError()
    return trade.initial_stay_months


def visa_fee_cents(*, application: Application, on: datetime.date | None = None) -> int:
    """The visa issuance fee due when the application is approved `on` (today by default):
    HK$1,300 for a stay of over 180 days, otherwise HK$600."""
    start = on or timezone.localdate()
    end = add_months(start, stay_months(application))
    long_stay = (end - start).days > SHORT_STAY_DAYS
    return VISA_FEE_LONG_STAY_CENTS if long_stay else VISA_FEE_SHORT_STAY_CENTS


# Applying a transition


Check = Callable[[Application], Mapping[str, Any]]


def _release(application: Application, reason: str) -> bool:
    """Release a principal's slot (called under the group's lock); False when it had none."""
    if not reason or not application.is_principal:
        return False
    try:
        quota_services.release(application=application, reason=reason)
    except NotSecured:
        return False
    except QuotaBusy as error:
        raise ReviewBusy() from error
    return True


def _apply(
    transition: Transition,
    *,
    application: Application,
    actor: Actor,
    note: str,
    check: Check | None = None,
) -> Decision:
    """Apply one row of the table under the group's lock (see the module's docstring); `check`
    may refuse with a ReviewError, or add to the entry's detail."""
    from .. import tasks  # the tasks module imports the services package

    note = clean_note(note, required=transition.note_required)
    with transaction.atomic():
        lock_group(pk=application.group_id)
        current = Application.objects.select_related("trade").get(pk=application.pk)
        previous = current.status
        if previous == transition.target:
            return Decision(current.pk, transition.action, previous, previous, changed=False)
        if previous not in transition.sources:
            raise TransitionNotAllowed(status=current.get_status_display())
        detail: dict[str, Any] = {"from": previous, "to": transition.target, "note": note}
        if check is not None:
            detail.update(check(current))
        updated = Application.objects.filter(pk=current.pk, status=previous).update(
            status=transition.target, updated_at=timezone.now()
        )
        assert updated == 1, "the status cannot change while the group is locked"
        released = _release(current, transition.release_reason)
        if transition.release_reason:
            detail["quota_released"] = released
        entry = audit.record(
            actor=actor,
            action=transition.action,
            target=current,
            application_id=current.pk,
            group_id=current.group_id,
            detail=detail,
        )
        if transition.emails:
            email = DecisionEmail.objects.create(entry=entry)
            # robust: a broker that is down must not undo the decision after its commit; the
            # periodic sweep queues what was missed.
            transaction.on_commit(partial(tasks.send_decision_email.delay, email.pk), robust=True)
    application.status = transition.target
    return Decision(
        current.pk,
        transition.action,
        previous,
        transition.target,
        changed=True,
        entry_id=entry.pk,
        quota_released=released,
        visa_fee_cents=detail.get("visa_fee_cents"),
    )


def start_review(*, application: Application, actor: Actor, note: str = "") -> Decision:
    """Submitted → under review; the applicant is told. Raises TransitionNotAllowed."""
    return _apply(
        TRANSITIONS[Action.REVIEW_STARTED], application=application, actor=actor, note=note
    )


def request_supplementary(
    *, application: Application, actor: Actor, note: str = "", request_id: int | None = None
) -> Decision:
    """Under review → supplementary documents requested. The documents request's code calls
    this in the transaction that creates the request (`request_id`, kept in the entry) and
    sends the request's own email: this sends none. Raises TransitionNotAllowed."""

    def keep_request(_current: Application) -> dict[str, Any]:
        return {"request_id": request_id} if request_id is not None else {}

    return _apply(
        TRANSITIONS[Action.SUPPLEMENTARY_REQUESTED],
        application=application,
        actor=actor,
        note=note,
        check=keep_request,
    )


def resume_review(
    *, application: Application, actor: Actor = audit.SERVICE, note: str = ""
) -> Decision:
    """Supplementary documents requested → under review: the applicant sent the documents, or
    the request's deadline passed (`actor` is then the service itself). No email."""
    return _apply(
        TRANSITIONS[Action.REVIEW_RESUMED], application=application, actor=actor, note=note
    )


def _approvable(current: Application) -> dict[str, Any]:
    """A dependant follows the principal: approved only once the principal is. The fee due is
    recorded with the decision, so the email says what the confirmation page said."""
    if not current.is_principal:
        principal_status = (
            Application.objects.filter(group_id=current.group_id, role=Application.Role.PRINCIPAL)
            .values_list("status", flat=True)
            .first()
        )
        if principal_status != Status.APPROVED:
            raise PrincipalNotDecided()
    return {
        "visa_fee_cents": visa_fee_cents(application=current),
        "stay_months": stay_months(current),
    }


def approve(*, application: Application, actor: Actor, note: str = "") -> Decision:
    """Under review → approved; the applicant is told the visa issuance fee due. Raises
    TransitionNotAllowed, and PrincipalNotDecided for a dependant whose principal is not
    approved."""
    return _apply(
        TRANSITIONS[Action.APPROVED],
        application=application,
        actor=actor,
        note=note,
        check=_approvable,
    )


def refuse(*, application: Application, actor: Actor, note: str) -> Decision:
    """Under review → refused, with the note (required) saying why; the principal's quota slot
    is released. Raises NoteRequired, TransitionNotAllowed, ReviewBusy (the quota's locks stayed
    taken: nothing changed)."""
    return _apply(TRANSITIONS[Action.REFUSED], application=application, actor=actor, note=note)


def withdraw(*, application: Application, actor: Actor, note: str = "") -> Decision:
    """At the applicant's request, from any status in progress → withdrawn; the principal's
    quota slot is released. Raises TransitionNotAllowed, ReviewBusy."""
    return _apply(TRANSITIONS[Action.WITHDRAWN], application=application, actor=actor, note=note)
