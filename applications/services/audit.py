"""The audit trail: who did or looked at what, when and from where.

`record` is the one writer of AuditEntry rows; the helpers below are what the back office's
pages call (the case page, the documents' file view, an export). Entries are append-only: the
table refuses UPDATE and DELETE (migration applications.0008_review_audit).

A decision's entry is written in the decision's own transaction, so the change and its record
commit together or not at all. A look (a case page, a file) is recorded before the response
is sent: a page whose opening could not be recorded is not shown.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ..access import client_address
from ..models import Application, AuditEntry

if TYPE_CHECKING:
    from django.db.models import QuerySet

    # documents imports this app: for the types only
    from documents.models import Upload, UploadVersion

Action = AuditEntry.Action


@dataclass(frozen=True)
class Actor:
    """Who acts, and from which address: a staff user, or None for the service itself."""

    user: AbstractBaseUser | None
    ip_address: str = ""

    @classmethod
    def of(cls, request: HttpRequest) -> Actor:
        """The request's user (None when anonymous) and client address."""
        user = getattr(request, "user", None)
        if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
            return cls(None, client_address(request))
        return cls(user, client_address(request))


SERVICE = Actor(None)


@dataclass(frozen=True)
class Target:
    """What an entry is about when it is not one row (an export)."""

    object_type: str
    object_id: str


def _target(target: models.Model | Target) -> Target:
    if isinstance(target, Target):
        return target
    return Target(target._meta.label_lower, str(target.pk))


def record(
    *,
    actor: Actor,
    action: str,
    target: models.Model | Target,
    application_id: int | None = None,
    group_id: int | None = None,
    detail: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry: `actor` did `action` (an AuditEntry.Action) to `target` (a row, or a
    Target), concerning the application and group with these ids, if any. `detail` must be
    JSON. The one writer of the audit trail.

    Raises ValueError for an unknown action. Takes no lock; call it inside the transaction of
    the change it records.
    """
    if action not in Action.values:
        raise ValueError("unknown audit action: " + action)
    about = _target(target)
    user = actor.user
    return AuditEntry.objects.create(
        actor_id=user.pk if user is not None else None,
        actor_name=user.get_username() if user is not None else "",
        action=action,
        object_type=about.object_type,
        object_id=about.object_id,
        application_id=application_id,
        group_id=group_id,
        detail=dict(detail or {}),
        ip_address=actor.ip_address or None,
    )


def record_view(request: HttpRequest, application: Application) -> AuditEntry:
    """The case admin calls this each time staff open `application`'s case page."""
    return record(
        actor=Actor.of(request),
        action=Action.CASE_VIEWED,
        target=application,
        application_id=application.pk,
        group_id=application.group_id,
    )


def record_document_view(
    request: HttpRequest, *, upload: Upload, version: UploadVersion | None = None
) -> AuditEntry:
    """Staff opened or downloaded a stored document: `upload`'s current file, or one of its
    earlier versions. The documents' file views call this for officers only; applicants
    opening their own files are not audited."""
    shown = version if version is not None else upload
    detail: dict[str, Any] = {"name": shown.original_name, "status": shown.status}
    if version is not None:
        detail["version"] = version.number
    return record(
        actor=Actor.of(request),
        action=Action.DOCUMENT_VIEWED,
        target=shown,
        application_id=upload.application_id,
        group_id=upload.group_id,
        detail=detail,
    )


def record_export(request: HttpRequest, *, what: str, criteria: str, count: int) -> AuditEntry:
    """Staff exported a list: `what` names it (e.g. "cases"), `criteria` is the list's query
    string (its filters and search), `count` the rows. The export calls this before it sends
    the first row, so an export cut short is on record too."""
    return record(
        actor=Actor.of(request),
        action=Action.EXPORTED,
        target=Target("export", what),
        detail={"criteria": criteria, "rows": count},
    )


def entries_for(*, application: Application) -> QuerySet[AuditEntry]:
    """The application's entries, oldest first (the case page's timeline)."""
    return AuditEntry.objects.filter(application_id=application.pk).order_by("at", "id")


# What the case page's timeline shows of the trail: the workflow, not every look at the case.
TIMELINE_ACTIONS = (
    Action.REVIEW_STARTED,
    Action.SUPPLEMENTARY_REQUESTED,
    Action.REVIEW_RESUMED,
    Action.APPROVED,
    Action.REFUSED,
    Action.WITHDRAWN,
    Action.ASSIGNED,
)


def history(*, group_id: int) -> list[tuple[datetime.datetime, str]]:
    """The group's workflow entries as timeline lines (when, what), oldest first, in the
    active language: "Approved: TP26-GEP-…, by officer1. Note: …". One query."""
    found = (
        AuditEntry.objects.filter(group_id=group_id, action__in=TIMELINE_ACTIONS)
        .select_related("application")
        .order_by("at", "id")
    )
    lines = []
    for entry in found:
        parts = {
            "action": entry.get_action_display(),
            "reference": getattr(entry.application, "reference_number", "") or "-",
            "who": entry.actor_name or _("the service"),
        }
        # Translators: a timeline line, e.g. "Approved: TP26-GEP-ABCDEF-G, by officer1".
        text = _("%(action)s: %(reference)s, by %(who)s") % parts
        if entry.action == Action.ASSIGNED:
            officer = entry.detail.get("to_officer_name") or _("nobody")
            text += " → " + str(officer)
        note = entry.detail.get("note")
        if note:
            text += " " + str(_("Note: %(note)s") % {"note": note})
        lines.append((entry.at, str(text)))
    return lines
