"""The acknowledgment of a submitted group: what its page, its PDF and its email say, and the
email itself, sent once through the group's outbox row.

Also the email that tells a payer the places ran out before the payment was confirmed.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise

from immapp import money

from .. import emails, references
from ..exceptions import AcknowledgmentNotSent
from ..models import AcknowledgmentOutbox, Application, ApplicationGroup
from .groups import load_group
from .submission import display_name

StrOrPromise = str | Promise

# How long processing normally takes once every document and the fee are in (the page, the PDF
# and the email say so).
PROCESSING_WEEKS = 4
# The sweep queues again an acknowledgment still unsent this long after it was queued.
RESEND_AFTER = datetime.timedelta(minutes=5)


@dataclass(frozen=True)
class Line:
    reference: str
    name: str
    role: StrOrPromise  # lazy: shown in the language active where it is rendered


@dataclass(frozen=True)
class Acknowledgment:
    """A submitted group as its acknowledgment shows it (texts in the active language)."""

    group: ApplicationGroup
    lines: tuple[Line, ...]
    fee_paid_cents: int
    submitted_at: datetime.datetime
    temporary_reference: str

    @property
    def fee(self) -> str:
        return hkd(self.fee_paid_cents)

    @property
    def language(self) -> str:
        return self.group.language

    @property
    def processing_weeks(self) -> int:
        return PROCESSING_WEEKS


def hkd(cents: int) -> str:
    """An amount in HKD cents as shown to people: HK$1,800 (HK$1,800.50 with cents). Hong Kong
    writes amounts so in Chinese too, whatever the language's number format."""
    return money.hkd(cents)


def acknowledgment_for(group: ApplicationGroup) -> Acknowledgment | None:
    """The group's acknowledgment, or None while it is not submitted. Uses the group's
    applications (prefetched by ApplicationGroup.objects.with_parts, or one query)."""
    if group.status != ApplicationGroup.Status.SUBMITTED or group.submitted_at is None:
        return None
    lines = tuple(
        Line(
            reference=str(application.reference_number),
            name=display_name(application),
            role=Application.Role(application.role).label,
        )
        for application in sorted(group.applications.all(), key=lambda a: a.position)
    )
    return Acknowledgment(
        group=group,
        lines=lines,
        fee_paid_cents=group.fee_paid_cents or 0,
        submitted_at=group.submitted_at,
        temporary_reference=references.display(group.temporary_reference),
    )


def acknowledgment_pdf(acknowledgment: Acknowledgment) -> bytes:
    """The PDF acknowledgment, in the group's language."""
    from .. import acknowledgment_pdf as pdf  # fpdf2 and the font load only when needed

    with translation.override(acknowledgment.language):
        return pdf.render(acknowledgment)


def pdf_filename(acknowledgment: Acknowledgment) -> str:
    return "acknowledgment-" + acknowledgment.lines[0].reference + ".pdf"


def acknowledgment_recipients(group: ApplicationGroup) -> tuple[str, ...]:
    """The contact address and the employer's authorised person's, when known (each once)."""
    addresses = [group.contact_email]
    part = group.employer_part
    if part is not None and part.authorised_person_email:
        addresses.append(part.authorised_person_email)
    unique: dict[str, None] = {}
    for address in addresses:
        if address and address.lower() not in {a.lower() for a in unique}:
            unique[address] = None
    return tuple(unique)


def _site_url(name: str, language: str, **kwargs: object) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse(name, kwargs=kwargs or None)


def send_acknowledgment(*, outbox_id: int) -> bool:
    """Send the outbox row's acknowledgment email, with the PDF, once; True when it was sent
    now.

    The row is locked (SKIP LOCKED: a second run at the same time returns at once) and its
    `sent_at` checked and set in the same transaction as the sending, so running this twice,
    or at once from two workers, sends one email. Raises AcknowledgmentNotSent when the mail
    server refuses (nothing recorded: the task tries again).
    """
    with transaction.atomic():
        outbox = (
            AcknowledgmentOutbox.objects.select_for_update(skip_locked=True)
            .filter(pk=outbox_id, sent_at__isnull=True)
            .first()
        )
        if outbox is None:  # sent, being sent by another worker, or gone
            return False
        group = load_group(pk=outbox.group_id)
        if group is None:
            return False
        with translation.override(group.language):
            acknowledgment = acknowledgment_for(group)
            if acknowledgment is None:  # not submitted (cannot happen: the row came with it)
                return False
            document = acknowledgment_pdf(acknowledgment)
            context = {
                "acknowledgment": acknowledgment,
                "language": group.language,
                "processing_weeks": PROCESSING_WEEKS,
                "acknowledgment_url": _site_url("applications:find_acknowledgment", group.language),
                "home_url": _site_url("home", group.language),
            }
        recipients = acknowledgment_recipients(group)
        sent = emails.send(
            to=recipients,
            language=group.language,
            template="applications/submission/email/acknowledgment",
            context=context,
            html=True,
            attachments=((pdf_filename(acknowledgment), document, "application/pdf"),),
        )
        if sent:
            AcknowledgmentOutbox.objects.filter(pk=outbox.pk).update(
                sent_at=timezone.now(), sent_to=", ".join(recipients), attempts=F("attempts") + 1
            )
    if not sent:  # nothing was written above; the failed try is counted once unlocked
        AcknowledgmentOutbox.objects.filter(pk=outbox_id).update(attempts=F("attempts") + 1)
        raise AcknowledgmentNotSent()
    return True


def pending_acknowledgments() -> list[int]:
    """Outbox rows still unsent RESEND_AFTER after they were queued (their task was lost or
    keeps failing): the periodic sweep queues them again."""
    cutoff = timezone.now() - RESEND_AFTER
    return list(
        AcknowledgmentOutbox.objects.filter(sent_at__isnull=True, created_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def send_slot_lost_email(*, group_id: int) -> bool:
    """Tell the contact address, in the group's language, that the places ran out before the
    payment was confirmed: nothing was submitted and the payment is cancelled or refunded in
    full; the draft is kept. False when the group is gone or the mail server refused."""
    group = ApplicationGroup.objects.filter(pk=group_id).first()
    if group is None:
        return False
    context = {
        "group": group,
        "reference": references.display(group.temporary_reference),
        "language": group.language,
        "resume_form_url": _site_url("applications:resume", group.language),
        "quota_url": _site_url("quota:status", group.language),
    }
    return emails.send(
        to=group.contact_email,
        language=group.language,
        template="applications/submission/email/slot_lost",
        context=context,
    )
