"""The application's task list: each section of the applicant's wizard with its status, in
order, and whether it can be opened yet (GOV.UK's task list pattern).

A section can be opened once every section before it is completed (the wizard's own rule for
reaching a step). Statuses:

- cannot start yet: an earlier section is not completed;
- not started, in progress (input typed and kept but not yet saved, or part of the section done),
  completed;
- waiting for the employer: the company's part is handed to employer HR, who has not finished;
- needs signing again: a signature was given and a later change voided it, and nobody has
  signed again yet.
"""

from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from documents import services as document_services

from ..models import ApplicationGroup, Signature
from ..wizard import steps
from ..wizard.storage import APPLICANT_PREFIX, completed_steps, last_step, prefix_for, typed_steps
from . import signatures
from .employer import status as employer_status
from .readiness import applicant_steps, readiness

PAY = "pay"  # the last row: not a wizard step, the page that says whether payment can start


class TaskStatus(models.TextChoices):
    CANNOT_START = "cannot_start", _("Cannot start yet")
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_FOR_EMPLOYER = "waiting_for_employer", _("Waiting for the employer")
    NEEDS_SIGNING_AGAIN = "needs_signing_again", _("Needs signing again")
    COMPLETED = "completed", _("Completed")


@dataclass(frozen=True)
class Task:
    step: str  # a step of the applicant's wizard, or PAY
    title: str
    status: str  # a TaskStatus
    can_open: bool
    hint: str = ""

    @property
    def status_label(self) -> str:
        return str(TaskStatus(self.status).label)


@dataclass(frozen=True)
class TaskList:
    tasks: tuple[Task, ...]
    resume_step: str  # where "continue" goes: where the user left off, if it can be opened
    left_off: bool  # resume_step is where the user left off (else the first open section)

    @property
    def completed_count(self) -> int:
        return sum(1 for task in self.tasks if task.status == TaskStatus.COMPLETED)

    @property
    def count(self) -> int:
        return len(self.tasks)


def _voided_without_new(group: ApplicationGroup, valid: list[Signature]) -> set[str]:
    """The signers' keys ("0", "3", "employer") whose signature was voided and not given again."""
    voided = Signature.objects.filter(group=group, voided_at__isnull=False).values_list(
        "role", "application_id"
    )
    needs = set()
    for signer in signatures.required_signers(group):
        if signatures.signature_for(signer, valid) is not None:
            continue
        for role, application_id in voided:
            mine = signer.application is None or application_id == signer.application.pk
            if role == signer.role and mine:
                needs.add(signer.key)
    return needs


def _documents_status(group: ApplicationGroup) -> tuple[str, str]:
    checklist = document_services.checklist_for_group(group=group)
    items = [item for person in checklist.people for item in person.items]
    outstanding = sum(1 for item in items if not item.is_done)
    if not outstanding:
        return TaskStatus.COMPLETED, ""
    hint = str(_("%(count)d documents still to upload or to be accepted")) % {"count": outstanding}
    if any(item.uploads for item in items):
        return TaskStatus.IN_PROGRESS, hint
    return TaskStatus.NOT_STARTED, hint


def _declarations_status(
    group: ApplicationGroup, valid: list[Signature], needs_again: set[str]
) -> str:
    mine = signatures.required_signers(group, employer=not group.handed_to_employer)
    signed = [s for s in mine if signatures.signature_for(s, valid) is not None]
    if any(s.key in needs_again for s in mine):
        return TaskStatus.NEEDS_SIGNING_AGAIN
    if len(signed) == len(mine):
        return TaskStatus.COMPLETED
    return TaskStatus.IN_PROGRESS if signed else TaskStatus.NOT_STARTED


def _employer_status(
    group: ApplicationGroup,
    completed: frozenset[str],
    valid: list[Signature],
    needs_again: set[str],
) -> tuple[str, str]:
    """The status of the employer step once it is saved: handed to HR, or not."""
    if not group.handed_to_employer:
        return TaskStatus.COMPLETED, ""
    if signatures.EMPLOYER_KEY in needs_again:
        return TaskStatus.NEEDS_SIGNING_AGAIN, str(
            _("Your changes voided the company's signature: we emailed the company to sign again.")
        )
    found = employer_status(group, completed=completed, signatures=valid)
    if found.done:
        return TaskStatus.COMPLETED, str(_("The company has completed and signed its part."))
    if found.link_sent_at is None:
        return TaskStatus.WAITING_FOR_EMPLOYER, ""
    return TaskStatus.WAITING_FOR_EMPLOYER, str(
        _("We emailed the link to %(email)s on %(date)s.")
    ) % {
        "email": found.link_sent_to,
        "date": date_format(timezone.localtime(found.link_sent_at), "DATE_FORMAT"),
    }


def task_list(group: ApplicationGroup) -> TaskList:
    """The group's task list. `group` comes with its parts (ApplicationGroup.objects
    .with_parts); a fixed number of queries, whatever the group's size. Changes nothing."""
    completed = completed_steps(group)
    prefix = prefix_for(APPLICANT_PREFIX, group)
    typed = typed_steps(group, prefix)
    valid = signatures.valid_signatures(group)
    needs_again = _voided_without_new(group, valid)
    tasks = []
    open_so_far = True
    for step in applicant_steps(group):
        hint = ""
        if step == steps.DOCUMENTS:
            status, hint = _documents_status(group)
        elif step == steps.DECLARATIONS:
            status = _declarations_status(group, valid, needs_again)
        elif step == steps.EMPLOYER and step in completed:
            status, hint = _employer_status(group, completed, valid, needs_again)
        elif step in completed:
            status = TaskStatus.COMPLETED
        elif step in typed:
            status = TaskStatus.IN_PROGRESS
        else:
            status = TaskStatus.NOT_STARTED
        if not open_so_far:
            status = TaskStatus.CANNOT_START
        tasks.append(Task(step, steps.title(step), status, open_so_far, hint))
        open_so_far = open_so_far and step in completed
    ready = readiness(group).ready
    pay_status = TaskStatus.NOT_STARTED if ready else TaskStatus.CANNOT_START
    tasks.append(Task(PAY, str(_("Pay and submit")), pay_status, ready))
    last = last_step(group, prefix)
    resume = next((t.step for t in tasks if t.step == last and t.can_open), "")
    if resume:
        return TaskList(tuple(tasks), resume, left_off=True)
    resume = next((t.step for t in tasks if t.can_open and t.step not in completed), "")
    return TaskList(tuple(tasks), resume, left_off=False)
