"""Finding applications by a reference and a date of birth after submission: the applicant's
status look-up, and the supplementary documents page (the documents app calls
`find_submitted_application`).

Both count and limit attempts with the drafts' limiter (drafts.limited_lookup), on the same
keys as resuming a draft, so a guesser gains nothing by going from one page to another. What
the status look-up shows is deliberately thin: the status, what happens next, the initials of
each name and the trade; nothing else a stranger holding a reference and a birthday should see.
"""

import datetime
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .. import application_references, references
from ..exceptions import ReferenceNumberDetailsWrong, StatusDetailsWrong
from ..models import Application, ApplicationGroup
from .acknowledgment import PROCESSING_WEEKS
from .drafts import deletion_date, group_by_reference, limited_lookup

StrOrPromise = str | Promise

# The look-up's own statuses: the application's, except before submission, where the group's
# status (a draft, a payment in flight) is what the applicant needs to know.
PAYMENT_PENDING = "payment_pending"

NEXT_STEPS: dict[str, StrOrPromise] = {
    Application.Status.DRAFT: _(
        "This application has not been submitted. Resume it with its temporary reference to "
        "finish it and pay the fee. Unfinished applications are deleted 14 days after they "
        "were last saved."
    ),
    PAYMENT_PENDING: _(
        "A payment for this application is in progress. Once it is confirmed, the application "
        "is submitted and you receive an acknowledgment by email."
    ),
    Application.Status.SUBMITTED: _(
        "We have received the application. An officer will review it. Processing normally "
        "takes %(weeks)d weeks once every required document and the fee have been received."
    ),
    Application.Status.UNDER_REVIEW: _(
        "An officer is reviewing the application. We will email you if we need anything more."
    ),
    Application.Status.SUPPLEMENTARY_REQUESTED: _(
        "An officer has asked for more documents. Send them through the supplementary documents "
        "page of this service before the deadline given in our email."
    ),
    Application.Status.APPROVED: _(
        "The application is approved. We will email you how to pay the visa issuance fee and "
        "receive the visa or entry permit."
    ),
    Application.Status.REFUSED: _(
        "The application was refused. We have written to you with the decision."
    ),
    Application.Status.WITHDRAWN: _(
        "The application was withdrawn at your request. Nothing more will happen with it."
    ),
}
STATUS_LABELS: dict[str, StrOrPromise] = {
    **{status.value: status.label for status in Application.Status},
    PAYMENT_PENDING: _("Payment in progress"),
}


@dataclass(frozen=True)
class StatusLine:
    """One application as the look-up shows it; `application_id` is for the page's own use
    (the open request for documents), never shown."""

    application_id: int
    reference: str
    initials: str
    role: StrOrPromise
    status: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def next_steps(self) -> str:
        text = NEXT_STEPS[self.status]
        if self.status == Application.Status.SUBMITTED:
            return str(text) % {"weeks": PROCESSING_WEEKS}
        return str(text)


@dataclass(frozen=True)
class StatusReport:
    """What the look-up found: the trade (in the active language, "" if none yet), the lines
    (one for an application reference, every application of the group for a temporary one)
    and, for a draft, the day it will be deleted."""

    trade: str
    lines: tuple[StatusLine, ...]
    submitted: bool
    deletion_date: datetime.date | None


def initials(application: Application) -> str:
    """ "C. T. M." for CHAN Tai Man: each word of the English surname, then of the given names;
    the first character of a Chinese-only name."""
    words = (application.surname + " " + application.given_names).split()
    if words:
        return " ".join(word[0].upper() + "." for word in words)
    return application.chinese_name[:1]


def _line(application: Application, group: ApplicationGroup) -> StatusLine:
    status = application.status
    if group.status == ApplicationGroup.Status.PAYMENT_PENDING:
        status = PAYMENT_PENDING
    return StatusLine(
        application_id=application.pk,
        reference=application.reference_number or "",
        initials=initials(application),
        role=Application.Role(application.role).label,
        status=status,
    )


def _report(group: ApplicationGroup, applications: list[Application]) -> StatusReport:
    principal = group.principal
    trade = principal.trade if principal is not None else None
    submitted = group.status == ApplicationGroup.Status.SUBMITTED
    return StatusReport(
        trade=trade.name if trade is not None else "",
        lines=tuple(_line(application, group) for application in applications),
        submitted=submitted,
        deletion_date=None if submitted or not group.is_editable else deletion_date(group),
    )


def _submitted_application(reference: str, date_of_birth: datetime.date) -> Application | None:
    found = _submitted_application_by_reference(reference)
    return found if found is not None and found.date_of_birth == date_of_birth else None


def _submitted_application_by_reference(reference: str) -> Application | None:
    return (
        Application.objects.select_related("group")
        .filter(reference_number=reference, group__status=ApplicationGroup.Status.SUBMITTED)
        .first()
    )


def is_status_reference(text: str) -> bool:
    """Whether `text` is a well-formed application or temporary reference (a typo caught by
    the check character is the form's to report, and is not counted as an attempt)."""
    return application_references.is_valid(text) or references.is_valid(text)


def is_application_reference(text: str) -> bool:
    """Whether `text` is a well-formed application reference number (check character right)."""
    return application_references.is_valid(text)


def look_up_status(
    *, reference: str, date_of_birth: datetime.date, client_address: str
) -> StatusReport:
    """The status report for an application reference number and that applicant's date of
    birth, or a temporary reference and the principal's date of birth.

    Raises StatusDetailsWrong for a wrong reference or date of birth (one message for both),
    TooManyAttempts as limited_lookup says. Changes nothing (a draft is not touched).
    """
    if application_references.is_valid(reference):
        normalised = application_references.normalise(reference)

        def find_application() -> StatusReport | None:
            found = _submitted_application(normalised, date_of_birth)
            if found is None:
                return None
            return _report(found.group, [found])

        return limited_lookup(
            reference=normalised,
            client_address=client_address,
            find=find_application,
            not_found=StatusDetailsWrong,
        )
    normalised = references.normalise(reference)

    def find_group() -> StatusReport | None:
        group = group_by_reference(reference=normalised, date_of_birth=date_of_birth)
        if group is None:
            return None
        loaded = ApplicationGroup.objects.with_parts().get(pk=group.pk)
        return _report(loaded, list(loaded.applications.all()))

    return limited_lookup(
        reference=normalised,
        client_address=client_address,
        find=find_group,
        not_found=StatusDetailsWrong,
    )


def find_submitted_application(
    *, reference: str, date_of_birth: datetime.date, client_address: str
) -> Application:
    """The submitted application with this reference number whose applicant (principal or
    dependant) was born that day: how an applicant opens an officer's request for documents.

    Raises ReferenceNumberDetailsWrong (one message for a wrong reference or date of birth) and
    TooManyAttempts, counted as limited_lookup says. Changes nothing.
    """
    normalised = application_references.normalise(reference)
    return limited_lookup(
        reference=normalised,
        client_address=client_address,
        find=lambda: _submitted_application(normalised, date_of_birth),
        not_found=ReferenceNumberDetailsWrong,
    )


def submitted_application(*, reference: str) -> Application | None:
    """The submitted application with this reference number (as typed), for staff: not
    limited, so never for a public page."""
    return _submitted_application_by_reference(application_references.normalise(reference))
