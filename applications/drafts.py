"""Draft groups: start, save and exit, resume (by link or by reference and date of birth),
the 14-day purge of abandoned drafts, and their suspension while the trade's quota is closed.

Views, the wizard, tasks and tests call these functions; each says what it writes.
"""

import datetime
import hashlib
import logging
import smtplib

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, ProtectedError, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from documents import services as document_services
from quota import services as quota_services

from . import references
from .eligibility import EligibilityAnswers, Failure, check_eligibility
from .models import Application, ApplicationGroup, EmployerPart

logger = logging.getLogger(__name__)

DRAFT_LIFETIME = datetime.timedelta(days=14)
RESUME_LINK_SALT = "applications.drafts.resume-link"
RESUME_ATTEMPTS = 5
RESUME_WINDOW_SECONDS = 15 * 60
REFERENCE_TRIES = 5
FIRST_STEP_URL_NAME = "applications:wizard"
FIRST_STEP = "applicant"
RESUMABLE = (ApplicationGroup.Status.DRAFT, ApplicationGroup.Status.PAYMENT_PENDING)


class DraftError(Exception):
    """Base of the draft errors; `message` is safe to show to the applicant."""

    default_message = _("Your application could not be saved. Please try again.")

    def __init__(self, message: object = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(str(self.message))


class NotEligible(DraftError):
    default_message = _("The answers to the eligibility questions do not allow an application.")

    def __init__(self, failures: tuple[Failure, ...]) -> None:
        self.failures = failures
        super().__init__()


class CollectionStatementNotAcknowledged(DraftError):
    default_message = _("Confirm that you have read the Personal Information Collection Statement.")


class InvalidContactEmail(DraftError):
    default_message = _("Enter an email address in the correct format, like name@example.com.")


class ReferenceUnavailable(DraftError):
    default_message = _("A temporary reference could not be given. Please try again.")


class ResumeLinkInvalid(DraftError):
    default_message = _(
        "This link has expired or is not valid. Unfinished applications are deleted 14 days "
        "after they were last saved. Try your temporary reference and date of birth, or start "
        "a new application."
    )


class ResumeDetailsWrong(DraftError):
    # One message whichever of the two is wrong, so that a guess learns nothing.
    default_message = _(
        "We could not find an unfinished application with that temporary reference and date "
        "of birth. Check both and try again."
    )


class TooManyAttempts(DraftError):
    default_message = _(
        "There have been too many attempts to open an application. Wait 15 minutes and try "
        "again, or use the link in your email."
    )


class EmailNotSent(DraftError):
    default_message = _(
        "Your application is saved, but we could not send the email. Write down your "
        "temporary reference before you leave."
    )


# Starting a draft


def validate_contact_email(value: str) -> str:
    """The address, trimmed; raises InvalidContactEmail when it is missing or malformed."""
    address = (value or "").strip()
    try:
        validate_email(address)
    except ValidationError:
        raise InvalidContactEmail() from None
    return address


def _is_reference_clash(error: IntegrityError) -> bool:
    constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None) or ""
    return "temporary_reference" in constraint


def start_draft(
    *,
    answers: EligibilityAnswers,
    contact_email: str,
    language: str,
    pics_acknowledged_at: datetime.datetime | None,
    today: datetime.date | None = None,
) -> ApplicationGroup:
    """Create a draft group with a fresh temporary reference and its principal application.

    Checks again that the Personal Information Collection Statement was acknowledged, that the
    contact email is well formed and that the answers are eligible today (the quota may have
    closed meanwhile). Raises CollectionStatementNotAcknowledged, InvalidContactEmail,
    NotEligible or ReferenceUnavailable, and then creates nothing. A reference that clashes
    with an existing one (the unique constraint) is replaced by a new one, a few times at most.
    """
    if pics_acknowledged_at is None:
        raise CollectionStatementNotAcknowledged()
    email = validate_contact_email(contact_email)
    result = check_eligibility(answers=answers, today=today)
    if not result.eligible:
        raise NotEligible(result.failures)
    for _attempt in range(REFERENCE_TRIES):
        try:
            with transaction.atomic():
                group = ApplicationGroup.objects.create(
                    temporary_reference=references.new_reference(),
                    contact_email=email,
                    language=language,
                    scheme=result.scheme,
                    pics_acknowledged_at=pics_acknowledged_at,
                )
                Application.objects.create(
                    group=group,
                    role=Application.Role.PRINCIPAL,
                    position=0,
                    trade=answers.trade,
                    date_of_birth=answers.date_of_birth,
                    nationality=answers.nationality,
                    residence=answers.residence,
                    overseas_chinese_prc_passport=answers.is_overseas_chinese_with_prc_passport,
                )
        except IntegrityError as error:
            if not _is_reference_clash(error):
                raise
            continue
        return group
    raise ReferenceUnavailable()


def first_step_path(group: ApplicationGroup) -> str:
    """Where a started or resumed draft continues: the wizard's first step."""
    return reverse(FIRST_STEP_URL_NAME, kwargs={"group_id": group.public_id, "step": FIRST_STEP})


# Activity and expiry


def touch(*, group: ApplicationGroup) -> None:
    """Record activity on the draft now: its 14 days start again. One UPDATE."""
    now = timezone.now()
    ApplicationGroup.objects.filter(pk=group.pk).update(updated_at=now)
    group.updated_at = now


def abandoned_drafts(*, now: datetime.datetime | None = None) -> QuerySet[ApplicationGroup]:
    """Drafts whose group, applications and employer's part were all untouched for 14 days."""
    cutoff = (now or timezone.now()) - DRAFT_LIFETIME
    recent_application = Application.objects.filter(group=OuterRef("pk"), updated_at__gte=cutoff)
    recent_employer = EmployerPart.objects.filter(group=OuterRef("pk"), updated_at__gte=cutoff)
    return ApplicationGroup.objects.filter(
        status=ApplicationGroup.Status.DRAFT, updated_at__lt=cutoff
    ).exclude(Exists(recent_application) | Exists(recent_employer))


def deletion_date(group: ApplicationGroup) -> datetime.date:
    """The day (Hong Kong time) the draft is deleted if nobody touches it again."""
    return timezone.localdate(group.updated_at + DRAFT_LIFETIME)


def _is_live(group: ApplicationGroup | None) -> bool:
    if group is None or group.status not in RESUMABLE:
        return False
    return not abandoned_drafts().filter(pk=group.pk).exists()


# Save and exit, and resuming


def _resume_signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=RESUME_LINK_SALT)


def resume_token(group: ApplicationGroup) -> str:
    """A signed token naming the group; valid for as long as an untouched draft is kept."""
    return _resume_signer().sign(str(group.public_id))


def resume_link(group: ApplicationGroup) -> str:
    """The absolute resume address, in the group's language."""
    with translation.override(group.language):
        path = reverse("applications:resume_link", kwargs={"token": resume_token(group)})
    return settings.SITE_URL + path


def send_saved_email(*, group: ApplicationGroup) -> None:
    """Email the temporary reference, the resume link and the deletion date, in the group's
    language (plain text and HTML). Raises EmailNotSent when the mail server refuses."""
    with translation.override(group.language):
        context = {
            "group": group,
            "reference": references.display(group.temporary_reference),
            "resume_url": resume_link(group),
            "resume_form_url": settings.SITE_URL + reverse("applications:resume"),
            "deletion_date": deletion_date(group),
            "lifetime_days": DRAFT_LIFETIME.days,
            "language": group.language,
        }
        subject = render_to_string("applications/entry/email/draft_saved_subject.txt", context)
        text = render_to_string("applications/entry/email/draft_saved.txt", context)
        html = render_to_string("applications/entry/email/draft_saved.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text, to=[group.contact_email]
    )
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        logger.exception("could not send the draft-saved email of group %s", group.pk)
        raise EmailNotSent() from None


def save_and_exit(*, group: ApplicationGroup) -> None:
    """Mark the draft as touched now and email its reference and resume link.

    The wizard saves the step's data before calling this. Raises EmailNotSent (the draft stays
    saved). Not for a group that is no longer a draft: raises DraftError.
    """
    if group.status not in RESUMABLE:
        raise DraftError()
    touch(group=group)
    send_saved_email(group=group)


def resume_by_link(*, token: str) -> ApplicationGroup:
    """The draft the emailed link names; raises ResumeLinkInvalid for a tampered or expired
    link, or when the draft was deleted, abandoned or submitted. Touches the draft."""
    try:
        public_id = _resume_signer().unsign(token, max_age=DRAFT_LIFETIME)
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        raise ResumeLinkInvalid() from None
    group = ApplicationGroup.objects.filter(public_id=public_id).first()
    if not _is_live(group):
        raise ResumeLinkInvalid()
    touch(group=group)
    return group


def _attempt_keys(reference: str, client_address: str) -> tuple[str, str]:
    def key(kind: str, value: str) -> str:
        digest = hashlib.sha256(value.encode()).hexdigest()[:32]
        return "applications:resume-failures:" + kind + ":" + digest

    return key("reference", reference), key("address", client_address)


def _count_failure(keys: tuple[str, ...]) -> None:
    """Count one failed attempt on each key; the window starts with the first failure."""
    for key in keys:
        cache.add(key, 0, timeout=RESUME_WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr: start a new window
            cache.add(key, 1, timeout=RESUME_WINDOW_SECONDS)


def resume_by_reference(
    *, reference: str, date_of_birth: datetime.date, client_address: str
) -> ApplicationGroup:
    """The unfinished draft with this temporary reference whose applicant was born that day.

    After RESUME_ATTEMPTS failures within RESUME_WINDOW_SECONDS for the same reference, or from
    the same address, every attempt is refused with TooManyAttempts, even a right one, until
    the window ends (counted in the cache, shared by every web process through Redis). A wrong
    reference and a wrong date of birth raise the same ResumeDetailsWrong. Touches the draft.
    """
    normalised = references.normalise(reference)
    keys = _attempt_keys(normalised, client_address)
    if any((cache.get(key) or 0) >= RESUME_ATTEMPTS for key in keys):
        raise TooManyAttempts()
    group = (
        ApplicationGroup.objects.filter(
            temporary_reference=normalised,
            applications__role=Application.Role.PRINCIPAL,
            applications__date_of_birth=date_of_birth,
        )
        .distinct()
        .first()
    )
    if not _is_live(group):
        _count_failure(keys)
        raise ResumeDetailsWrong()
    touch(group=group)
    return group


# Purge


PURGE_BATCH = 200


def _purge_batch(pks: list[int], *, now: datetime.datetime) -> list[int]:
    """Delete, in one transaction, those of `pks` that are still abandoned and not locked by
    anyone (re-checked under their row locks); returns the ids deleted."""
    with transaction.atomic():
        groups = list(
            abandoned_drafts(now=now)
            .filter(pk__in=pks)
            .select_for_update(of=("self",), skip_locked=True)
            .order_by("pk")
        )
        for group in groups:
            document_services.delete_group_documents(group=group)
        ids = [group.pk for group in groups]
        ApplicationGroup.objects.filter(pk__in=ids).delete()
    return ids


def purge_abandoned_drafts(*, now: datetime.datetime | None = None) -> int:
    """Delete drafts untouched for 14 days, with their uploaded files; returns how many.

    Works in batches of PURGE_BATCH drafts, each batch in one transaction under the drafts' row
    locks (skipping any that someone holds right now) and re-checked there, so a draft touched
    meanwhile is kept. A batch that cannot be deleted because another row refers to one of its
    drafts is retried draft by draft, and such a draft is kept and logged. Submitted groups and
    groups waiting for payment are never deleted. The files go once each deletion commits
    (documents.services.delete_group_documents). Idempotent.
    """
    now = now or timezone.now()
    candidates = list(abandoned_drafts(now=now).order_by("pk").values_list("pk", flat=True))
    deleted = 0
    for start in range(0, len(candidates), PURGE_BATCH):
        batch = candidates[start : start + PURGE_BATCH]
        try:
            deleted += len(_purge_batch(batch, now=now))
            continue
        except ProtectedError:
            pass
        for pk in batch:
            try:
                deleted += len(_purge_batch([pk], now=now))
            except ProtectedError:
                logger.warning("abandoned draft %s is referred to and was kept", pk)
    if deleted:
        logger.info("deleted %d abandoned drafts", deleted)
    return deleted


# Suspension while the quota is closed


def suspension_reason(*, group: ApplicationGroup) -> str | None:
    """Why the draft cannot go on to payment now, or None when its trade's quota is open.

    Uses the group's applications (free when the caller prefetched them with their trades, as
    the wizard does) and asks quota.services.is_open (one query; another, for the wording, only
    when it is closed). Only drafts are suspended.
    """
    if group.status != ApplicationGroup.Status.DRAFT:
        return None
    principal = group.principal
    trade = principal.trade if principal is not None else None
    if trade is None or quota_services.is_open(trade=trade):
        return None
    found = quota_services.availability(trade=trade)
    if found.overall_remaining <= 0:
        return str(
            _(
                "The overall quota is used up. Applications, saved ones included, are "
                "suspended and cannot go on to payment until places become available again."
            )
        )
    if found.trade_remaining <= 0:
        return str(
            _(
                "The quota for %(trade)s is used up. Applications for this trade, saved ones "
                "included, are suspended and cannot go on to payment until places become "
                "available again."
            )
            % {"trade": trade.name}
        )
    return str(
        _(
            "Applications for %(trade)s are not being accepted at the moment. Your application "
            "is suspended and cannot go on to payment until they are accepted again."
        )
        % {"trade": trade.name}
    )


def drafts_suspended(*, group: ApplicationGroup) -> bool:
    """True when the draft may be edited but not paid for: its trade's quota is closed."""
    return suspension_reason(group=group) is not None
