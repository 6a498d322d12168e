"""The emails that tell people what happened to a draft, in the group's language.

- started: the temporary reference and the resume link, as soon as the draft exists (the
  contact-email page promises it, and the session-timeout dialog relies on it);
- company finished: the applicant, once employer HR has completed and signed the company's part;
- company signed: a confirmation to employer HR and the authorised person after the company's
  declaration is signed;
- company signature voided: employer HR, when a change voided the company's signature, with the
  link to sign again.

`queue` is the one way to ask for one: it enqueues the Celery task after the current
transaction commits (applications.tasks.send_notification_task), so nothing is sent for a
change that was rolled back and no email is sent while a lock is held. The task calls `send`,
which loads the group by id and raises NotificationNotSent when the mail server refuses, for the
task to try again later. A retried task may send an email twice; these emails only inform.
"""

import enum
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from .. import emails, references
from ..access import EMPLOYER_LINK_MAX_AGE
from ..exceptions import NotificationNotSent
from ..models import ApplicationGroup, Signature
from .drafts import DRAFT_LIFETIME, deletion_date, resume_link
from .employer import employer_link
from .groups import load_group

TEMPLATES = "applications/notifications/"


class Notification(enum.StrEnum):
    STARTED = "started"
    COMPANY_FINISHED = "company_finished"
    COMPANY_SIGNED = "company_signed"
    COMPANY_SIGNATURE_VOIDED = "company_signature_voided"


@dataclass(frozen=True)
class Email:
    to: tuple[str, ...]
    template: str
    context: dict[str, object]


def queue(*, notification: Notification, group_id: int) -> None:
    """Send `notification` about the group after the current transaction commits (at once
    outside one)."""
    from .. import tasks  # the tasks module imports the services package

    task = partial(tasks.send_notification_task.delay, str(notification), group_id)
    transaction.on_commit(task, robust=True)


def _common(group: ApplicationGroup) -> dict[str, object]:
    principal = group.principal
    return {
        "group": group,
        "language": group.language,
        "reference": references.display(group.temporary_reference),
        "applicant": principal.full_name if principal else "",
        "trade": principal.trade.name if principal and principal.trade else "",
    }


def _to_applicant(group: ApplicationGroup, template: str) -> Email:
    context = {
        **_common(group),
        "resume_url": resume_link(group),
        "resume_form_url": settings.SITE_URL + reverse("applications:resume"),
        "deletion_date": deletion_date(group),
        "lifetime_days": DRAFT_LIFETIME.days,
    }
    return Email((group.contact_email,), TEMPLATES + template, context)


def _started(group: ApplicationGroup) -> Email | None:
    return _to_applicant(group, "started")


def _company_finished(group: ApplicationGroup) -> Email | None:
    if not group.handed_to_employer:
        return None
    return _to_applicant(group, "company_finished")


def _company_addresses(group: ApplicationGroup) -> tuple[str, ...]:
    """Employer HR (where the link went) and the authorised person, each once."""
    part = group.employer_part
    if part is None:
        return ()
    found: list[str] = []
    for address in (part.link_sent_to if group.handed_to_employer else "",
                    part.authorised_person_email):  # fmt: skip
        if address and address.casefold() not in {a.casefold() for a in found}:
            found.append(address)
    return tuple(found)


def _company_signed(group: ApplicationGroup) -> Email | None:
    signature = (
        Signature.objects.filter(group=group, role=Signature.Role.EMPLOYER, voided_at__isnull=True)
        .order_by("-signed_at")
        .first()
    )
    to = _company_addresses(group)
    if signature is None or not to:
        return None
    part = group.employer_part
    context = {
        **_common(group),
        "signature": signature,
        "company": part.company_name_en if part else "",
        "by_employer": group.handed_to_employer,
    }
    return Email(to, TEMPLATES + "company_signed", context)


def _company_signature_voided(group: ApplicationGroup) -> Email | None:
    part = group.employer_part
    if part is None or not group.handed_to_employer or not part.link_sent_to:
        return None
    context = {
        **_common(group),
        "link": employer_link(group),
        "expires_on": timezone.localdate(timezone.now() + EMPLOYER_LINK_MAX_AGE),
    }
    return Email((part.link_sent_to,), TEMPLATES + "company_signature_voided", context)


BUILDERS: dict[Notification, Callable[[ApplicationGroup], Email | None]] = {
    Notification.STARTED: _started,
    Notification.COMPANY_FINISHED: _company_finished,
    Notification.COMPANY_SIGNED: _company_signed,
    Notification.COMPANY_SIGNATURE_VOIDED: _company_signature_voided,
}


def send(*, notification: str, group_id: int) -> bool:
    """Send one notification about the group now; True when an email went out.

    False, sending nothing, when there is nothing to tell: the group was deleted or is no
    longer a draft, or the notification does not apply to it any more (the company's part was
    taken back from HR, nobody signed). Raises NotificationNotSent when the mail server refuses
    (the task tries again); ValueError for an unknown notification.
    """
    builder = BUILDERS[Notification(notification)]
    group = load_group(pk=group_id)
    if group is None or not group.is_editable:
        return False
    with translation.override(group.language):
        email = builder(group)
    if email is None:
        return False
    sent = emails.send(
        to=email.to,
        language=group.language,
        template=email.template,
        context=email.context,
        html=False,
    )
    if not sent:
        raise NotificationNotSent()
    return True
