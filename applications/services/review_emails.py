"""The emails that tell the applicant of an officer's decision, each sent once.

A decision (applications.services.review) creates a DecisionEmail row with its audit entry;
the task sends it from that entry (what was decided, for whom, the visa fee recorded), in the
group's language, to the group's contact address.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from .. import emails
from ..exceptions import DecisionEmailNotSent
from ..models import Application, AuditEntry, DecisionEmail
from .acknowledgment import hkd
from .submission import display_name

Action = AuditEntry.Action

TEMPLATES: dict[str, str] = {
    Action.REVIEW_STARTED: "applications/review/email/review_started",
    Action.APPROVED: "applications/review/email/approved",
    Action.REFUSED: "applications/review/email/refused",
    Action.WITHDRAWN: "applications/review/email/withdrawn",
}
# The sweep queues again an email still unsent this long after it was queued.
RESEND_AFTER = datetime.timedelta(minutes=5)


def _context(entry: AuditEntry, application: Application) -> dict[str, object]:
    group = application.group
    fee = entry.detail.get("visa_fee_cents")
    with translation.override(group.language):
        home_url = settings.SITE_URL + reverse("home")
    return {
        "reference": application.reference_number,
        "name": display_name(application),
        "is_principal": application.is_principal,
        "trade": application.trade,
        "visa_fee": hkd(fee) if fee is not None else "",
        "stay_months": entry.detail.get("stay_months"),
        "decided_at": entry.at,
        "home_url": home_url,
    }


def send_decision_email(*, email_id: int) -> bool:
    """Send the decision email once; True when it was sent now.

    The row is locked (SKIP LOCKED: a second run at the same time returns at once) and
    `sent_at` checked and set in the transaction that sends, so two runs send one email.
    Raises DecisionEmailNotSent when the mail server refuses (the task tries again).
    """
    with transaction.atomic():
        email = (
            DecisionEmail.objects.select_for_update(skip_locked=True)
            .select_related("entry")
            .filter(pk=email_id, sent_at__isnull=True)
            .first()
        )
        if email is None:  # sent, being sent by another worker, or gone
            return False
        entry = email.entry
        template = TEMPLATES.get(entry.action)
        application = (
            Application.objects.select_related("group", "trade")
            .filter(pk=entry.application_id or 0)
            .first()
        )
        if template is None or application is None:
            return False
        group = application.group
        sent = emails.send(
            to=group.contact_email,
            language=group.language,
            template=template,
            context=_context(entry, application),
        )
        if sent:
            DecisionEmail.objects.filter(pk=email.pk).update(
                sent_at=timezone.now(), sent_to=group.contact_email, attempts=F("attempts") + 1
            )
    if not sent:  # nothing was written above; the failed try is counted once unlocked
        DecisionEmail.objects.filter(pk=email_id).update(attempts=F("attempts") + 1)
        raise DecisionEmailNotSent()
    return True


def pending_decision_emails() -> list[int]:
    """Decision emails still unsent RESEND_AFTER after they were queued: the sweep queues
    them again."""
    cutoff = timezone.now() - RESEND_AFTER
    return list(
        DecisionEmail.objects.filter(sent_at__isnull=True, created_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
