"""Assigning a case to an officer: who may be assigned, who may assign whom, and the change.

Like the transitions (applications.services.review), an assignment runs under the group's lock,
returns early when nothing changes, and is written to the audit trail in its transaction.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ..exceptions import InvalidAssignee, TransitionNotAllowed
from ..models import Application, AuditEntry
from ..roles import OFFICER, SUPERVISOR
from . import audit
from .audit import Actor
from .groups import lock_group
from .review import IN_PROGRESS, Decision, clean_note

Action = AuditEntry.Action


def assignable_officers() -> QuerySet[Any]:
    """Active staff users in the officer or supervisor role, by user name."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, groups__name__in=(OFFICER, SUPERVISOR))
        .distinct()
        .order_by("username")
    )


def may_assign(
    user: User | AnonymousUser, *, application: Application, officer: AbstractBaseUser | None
) -> bool:
    """Whether `user` may give `application` to `officer` (None: take it back): a supervisor
    (applications.assign_application) always; an officer only takes an unassigned case, or
    one already theirs, for themselves."""
    if user.has_perm("applications.assign_application"):
        return True
    if not user.has_perm("applications.review_application"):
        return False
    own = officer is not None and officer.pk == user.pk
    return own and application.assigned_to_id in (None, user.pk)


def assign(
    *,
    application: Application,
    officer: AbstractBaseUser | None,
    actor: Actor,
    note: str = "",
) -> Decision:
    """Give a case in progress to `officer` (None: nobody). Under the group's lock; returns
    early when it is already theirs. Raises InvalidAssignee for anyone but an active officer
    or supervisor, TransitionNotAllowed for a decided case. The applicant is not emailed: who
    handles a case is the office's own business."""
    note = clean_note(note, required=False)
    if officer is not None and not assignable_officers().filter(pk=officer.pk).exists():
        raise InvalidAssignee()
    officer_id = officer.pk if officer is not None else None
    with transaction.atomic():
        lock_group(pk=application.group_id)
        current = Application.objects.get(pk=application.pk)
        status = current.status
        if current.assigned_to_id == officer_id:
            return Decision(current.pk, Action.ASSIGNED, status, status, changed=False)
        if status not in IN_PROGRESS:
            raise TransitionNotAllowed(status=current.get_status_display())
        previous_id = current.assigned_to_id
        Application.objects.filter(pk=current.pk, assigned_to_id=previous_id).update(
            assigned_to_id=officer_id, updated_at=timezone.now()
        )
        entry = audit.record(
            actor=actor,
            action=Action.ASSIGNED,
            target=current,
            application_id=current.pk,
            group_id=current.group_id,
            detail={
                "from_officer": previous_id,
                "to_officer": officer_id,
                "to_officer_name": officer.get_username() if officer is not None else "",
                "note": note,
            },
        )
    application.assigned_to_id = officer_id
    return Decision(current.pk, Action.ASSIGNED, status, status, changed=True, entry_id=entry.pk)
