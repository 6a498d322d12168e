"""Draft groups: start, save and exit, resume (by link or by reference and date of birth).

The 14-day purge is in applications.services.purge, the suspension while the quota is closed in
applications.services.suspension. Views, the wizard, tasks and tests call these functions; each
says what it writes.
"""

import datetime
from collections.abc import Callable
from typing import TypeGuard, TypeVar

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from .. import emails, limits, references
from ..eligibility import EligibilityAnswers, answers_data, check_eligibility
from ..exceptions import (
    ApplicationNotFound,
    CollectionStatementNotAcknowledged,
    DraftError,
    EmailNotSent,
    InvalidContactEmail,
    NotEligible,
    ReferenceUnavailable,
    ResumeDetailsWrong,
    ResumeLinkInvalid,
    TooManyAttempts,
    TooManyDrafts,
)
from ..models import Application, ApplicationGroup, EmployerPart

__all__ = [
    "ApplicationNotFound",
    "CollectionStatementNotAcknowledged",
    "DraftError",
    "EmailNotSent",
    "InvalidContactEmail",
    "NotEligible",
    "ReferenceUnavailable",
    "ResumeDetailsWrong",
    "ResumeLinkInvalid",
    "TooManyAttempts",
    "TooManyDrafts",
]

DRAFT_LIFETIME = datetime.timedelta(days=14)
# The salt keeps its first module's name: links already emailed stay valid.
RESUME_LINK_SALT = "applications.drafts.resume-link"
RESUME_ATTEMPTS = 5
RESUME_WINDOW_SECONDS = 15 * 60
REFERENCE_TRIES = 5
FIRST_STEP_URL_NAME = "applications:wizard"
FIRST_STEP = "applicant"

T = TypeVar("T")


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


def _starts_from(client_address: str) -> list[tuple[limits.Limit, str]]:
    hourly = limits.Limit("drafts:client", settings.DRAFTS_PER_CLIENT_PER_HOUR, 60 * 60)
    return [(hourly, client_address)]


def start_draft(
    *,
    answers: EligibilityAnswers,
    contact_email: str,
    language: str,
    pics_acknowledged_at: datetime.datetime | None,
    client_address: str,
    today: datetime.date | None = None,
) -> ApplicationGroup:
    """Create a draft group with a fresh temporary reference and its principal application.

    Checks again that the Personal Information Collection Statement was acknowledged, that the
    contact email is well formed and that the answers are eligible today (the quota may have
    closed meanwhile), then counts the start against `client_address`: at most
    settings.DRAFTS_PER_CLIENT_PER_HOUR an hour (applications.limits). Raises
    CollectionStatementNotAcknowledged, InvalidContactEmail, NotEligible, TooManyDrafts or
    ReferenceUnavailable, and then creates nothing. A reference that clashes with an existing
    one (the unique constraint) is replaced by a new one, a few times at most. Once created,
    the reference and the resume link are emailed to the contact address (after the caller's
    transaction commits: applications.services.notifications).
    """
    if pics_acknowledged_at is None:
        raise CollectionStatementNotAcknowledged()
    email = validate_contact_email(contact_email)
    result = check_eligibility(answers=answers, today=today)
    if not result.eligible:
        raise NotEligible(result.failures)
    starts = _starts_from(client_address)
    if not limits.take(starts):
        raise TooManyDrafts()
    for _attempt in range(REFERENCE_TRIES):
        try:
            with transaction.atomic():
                group = ApplicationGroup.objects.create(
                    temporary_reference=references.new_reference(),
                    contact_email=email,
                    language=language,
                    scheme=result.scheme,
                    pics_acknowledged_at=pics_acknowledged_at,
                    eligibility_answers=answers_data(answers),
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
        from .notifications import Notification, queue  # notifications import this module

        queue(notification=Notification.STARTED, group_id=group.pk)
        return group
    limits.give_back(starts)
    raise ReferenceUnavailable()


def first_step_path(group: ApplicationGroup) -> str:
    """Where a new draft starts: the wizard's first step."""
    return reverse(FIRST_STEP_URL_NAME, kwargs={"group_id": group.public_id, "step": FIRST_STEP})


def task_list_path(group: ApplicationGroup) -> str:
    """Where a resumed draft continues: its task list, which offers the step shown last."""
    return reverse("applications:task_list", kwargs={"group_id": group.public_id})


def choose_language(*, group: ApplicationGroup, language: str) -> None:
    """The applicant now uses `language` (one of settings.LANGUAGES): the group's emails are
    sent in it from now on. One UPDATE when it changes; a draft only."""
    if language == group.language or language not in dict(settings.LANGUAGES):
        return
    ApplicationGroup.objects.filter(pk=group.pk, status=ApplicationGroup.Status.DRAFT).update(
        language=language
    )
    group.language = language


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


def _is_live(group: ApplicationGroup | None) -> TypeGuard[ApplicationGroup]:
    if group is None or not group.is_resumable:
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
    sent = emails.send(
        to=group.contact_email,
        language=group.language,
        template="applications/entry/email/draft_saved",
        context=context,
        html=True,
    )
    if not sent:
        raise EmailNotSent()


def save_and_exit(*, group: ApplicationGroup) -> None:
    """Mark the draft as touched now and email its reference and resume link.

    The wizard saves the step's data before calling this. Raises EmailNotSent (the draft stays
    saved). Not for a group that is no longer a draft: raises DraftError.
    """
    if not group.is_resumable:
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


RESUME_BY_REFERENCE = limits.Limit("resume:reference", RESUME_ATTEMPTS, RESUME_WINDOW_SECONDS)
RESUME_FROM_ADDRESS = limits.Limit("resume:address", RESUME_ATTEMPTS, RESUME_WINDOW_SECONDS)


def limited_lookup(
    *,
    reference: str,
    client_address: str,
    find: Callable[[], T | None],
    not_found: type[DraftError],
) -> T:
    """What `find()` returns for a reference someone typed (in its stored form); when it
    returns None, raises `not_found` and the failed attempt stays counted.

    After RESUME_ATTEMPTS failures within RESUME_WINDOW_SECONDS for the same reference, or from
    the same address, every attempt is refused with TooManyAttempts, even a right one, until
    the window ends (applications.limits: counted before the look-up, in the cache every web
    process shares; a right answer is uncounted again). Every look-up by a reference and a date
    of birth (resuming, finding an acknowledgment, the status look-up, supplementary documents)
    counts on the same limits, so a guesser gains nothing by going from one page to another.
    """
    checks = ((RESUME_BY_REFERENCE, reference), (RESUME_FROM_ADDRESS, client_address))
    # Counted before the look-up, so simultaneous guesses cannot all pass the check.
    if not limits.take(checks):
        raise TooManyAttempts()
    found = find()
    if found is None:
        raise not_found()
    limits.give_back(checks)  # only failures are limited
    return found


def group_by_reference(*, reference: str, date_of_birth: datetime.date) -> ApplicationGroup | None:
    """The group with this temporary reference (stored form) whose principal was born that
    day, or None. Not limited: callers go through limited_lookup."""
    return (
        ApplicationGroup.objects.filter(
            temporary_reference=reference,
            applications__role=Application.Role.PRINCIPAL,
            applications__date_of_birth=date_of_birth,
        )
        .distinct()
        .first()
    )


def _limited_lookup(
    *,
    reference: str,
    date_of_birth: datetime.date,
    client_address: str,
    accept: Callable[[ApplicationGroup | None], TypeGuard[ApplicationGroup]],
    not_found: type[DraftError],
) -> ApplicationGroup:
    """The group with this temporary reference whose applicant was born that day, if `accept`
    takes it; else raises `not_found`. Limited as limited_lookup says (TooManyAttempts)."""
    normalised = references.normalise(reference)

    def find() -> ApplicationGroup | None:
        group = group_by_reference(reference=normalised, date_of_birth=date_of_birth)
        return group if accept(group) else None

    return limited_lookup(
        reference=normalised, client_address=client_address, find=find, not_found=not_found
    )


def resume_by_reference(
    *, reference: str, date_of_birth: datetime.date, client_address: str
) -> ApplicationGroup:
    """The unfinished draft with this temporary reference whose applicant was born that day.

    Limited as limited_lookup says (TooManyAttempts). A wrong reference and a wrong date of
    birth raise the same ResumeDetailsWrong. Touches the draft.
    """
    group = _limited_lookup(
        reference=reference,
        date_of_birth=date_of_birth,
        client_address=client_address,
        accept=_is_live,
        not_found=ResumeDetailsWrong,
    )
    touch(group=group)
    return group


def _exists(group: ApplicationGroup | None) -> TypeGuard[ApplicationGroup]:
    return group is not None


def find_by_reference(
    *, reference: str, date_of_birth: datetime.date, client_address: str
) -> ApplicationGroup:
    """The group (submitted or not) with this temporary reference whose applicant was born that
    day: how someone who lost the acknowledgment page finds it again. Limited like resuming,
    on the same counters (TooManyAttempts); a wrong reference or date of birth raises
    ApplicationNotFound. Changes nothing."""
    return _limited_lookup(
        reference=reference,
        date_of_birth=date_of_birth,
        client_address=client_address,
        accept=_exists,
        not_found=ApplicationNotFound,
    )
