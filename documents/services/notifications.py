"""The emails of a supplementary request: to the applicant when an officer asks (in the group's
language), and to the officers' address when the applicant has sent the documents or the
deadline passed without them.

Each is sent once: the request's row is locked (SKIP LOCKED: a second run at the same time
returns at once) and its `*_emailed_at` / `*_notified_at` checked and set in the same
transaction as the sending, as the acknowledgment email does. A refusing mail server raises
NotificationNotSent (nothing recorded), so the task tries again; the periodic sweep queues what
is still unsent after RESEND_AFTER.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from applications import services as application_services

from ..exceptions import NotificationNotSent
from ..models import SupplementaryRequest

logger = logging.getLogger(__name__)

RESEND_AFTER = timedelta(minutes=5)
TEMPLATES = "documents/supplementary/email/"


def _site_url(name: str, language: str, *args: object) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse(name, args=args or None)


def send_request_email(*, request_id: int) -> bool:
    """Tell the applicant, in the group's language, what the officer asks for, by when and
    where to send it. True when sent now; False when already sent, being sent or gone."""
    with transaction.atomic():
        request = (
            SupplementaryRequest.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("application__group")
            .filter(pk=request_id, applicant_emailed_at__isnull=True)
            .first()
        )
        if request is None:
            return False
        application = request.application
        group = application.group
        context = {
            "request": request,
            "items": list(request.items.all()),
            "reference": application.reference_number,
            "deadline": request.deadline,
            "page_url": _site_url("supplementary:find", group.language),
        }
        sent = application_services.send_email(
            to=group.contact_email,
            language=group.language,
            template=TEMPLATES + "requested",
            context=context,
        )
        if sent:
            request.applicant_emailed_at = timezone.now()
            request.save(update_fields=["applicant_emailed_at"])
    if not sent:
        raise NotificationNotSent()
    return True


def officers_addresses() -> list[str]:
    return [address for address in settings.SUPPLEMENTARY_OFFICERS_EMAIL if address]


def notify_officers(*, request_id: int) -> bool:
    """Tell the officers' address that the applicant answered the request, or that its
    deadline passed unanswered, with the address of the request in admin. True when sent now;
    False when there is nothing to send (still open, already told, no address configured)."""
    recipients = officers_addresses()
    with transaction.atomic():
        request = (
            SupplementaryRequest.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("application__group")
            .filter(pk=request_id, officers_notified_at__isnull=True)
            .exclude(status=SupplementaryRequest.Status.OPEN)
            .first()
        )
        if request is None:
            return False
        if not recipients:
            logger.warning(
                "SUPPLEMENTARY_OFFICERS_EMAIL is empty: request %s not emailed", request_id
            )
            return False
        language = settings.LANGUAGE_CODE
        context = {
            "request": request,
            "answered": request.status == SupplementaryRequest.Status.ANSWERED,
            "reference": request.application.reference_number,
            "admin_url": _site_url(
                "admin:documents_supplementaryrequest_change", language, request.pk
            ),
        }
        sent = application_services.send_email(
            to=recipients, language=language, template=TEMPLATES + "officers", context=context
        )
        if sent:
            request.officers_notified_at = timezone.now()
            request.save(update_fields=["officers_notified_at"])
    if not sent:
        raise NotificationNotSent()
    return True


def pending_notifications() -> tuple[list[int], list[int]]:
    """Requests whose applicant email, and those whose officers' email, is still unsent
    RESEND_AFTER after it was due (a lost task, a mail outage): the sweep queues them again."""
    cutoff = timezone.now() - RESEND_AFTER
    unsent = SupplementaryRequest.objects.filter(
        status=SupplementaryRequest.Status.OPEN,
        applicant_emailed_at__isnull=True,
        created_at__lt=cutoff,
    )
    applicant = list(unsent.order_by("pk").values_list("pk", flat=True))
    officers: list[int] = []
    if officers_addresses():
        due = SupplementaryRequest.objects.filter(officers_notified_at__isnull=True).filter(
            Q(status=SupplementaryRequest.Status.ANSWERED, answered_at__lt=cutoff)
            | Q(status=SupplementaryRequest.Status.CLOSED, closed_at__lt=cutoff)
        )
        officers = list(due.order_by("pk").values_list("pk", flat=True))
    return applicant, officers
