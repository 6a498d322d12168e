"""The applications app's errors: one base, `ApplicationsError`, whose `message` is translated
and safe to show to the person who caused it. Views turn them into form errors or messages.

Five families derive from it: drafts (start, save, resume), wizard steps, the employer link,
signatures, and payment and submission.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .eligibility import Failure


class ApplicationsError(Exception):
    """Base of the app's errors; `message` (lazy or plain text) is safe to show."""

    default_message: str | Promise = _("Your application could not be saved. Please try again.")

    def __init__(self, message: str | Promise | None = None) -> None:
        self.message: str | Promise = message if message is not None else self.default_message
        super().__init__(str(self.message))


# Drafts: starting, saving and exiting, resuming


class DraftError(ApplicationsError):
    """Base of the draft errors."""


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


class ApplicationNotFound(DraftError):
    # Finding an acknowledgment again: one message whichever of the two is wrong.
    default_message = _(
        "We could not find an application with that temporary reference and date of birth. "
        "Check both and try again."
    )


class StatusDetailsWrong(DraftError):
    # The status look-up: one message whichever of the two is wrong.
    default_message = _(
        "We could not find an application with that reference and date of birth. Check both "
        "and try again."
    )


class ReferenceNumberDetailsWrong(DraftError):
    # Supplementary documents: one message whichever of the two is wrong.
    default_message = _(
        "We could not find a submitted application with that application reference number and "
        "date of birth. Check both and try again."
    )


class TooManyAttempts(DraftError):
    default_message = _(
        "There have been too many attempts to open an application. Wait 15 minutes and try "
        "again, or use the link in your email."
    )


class TooManyDrafts(DraftError):
    default_message = _(
        "Too many applications have been started from your connection in the last hour. Wait "
        "an hour and try again, or resume an application you saved."
    )


class EmailNotSent(DraftError):
    default_message = _(
        "Your application is saved, but we could not send the email. Write down your "
        "temporary reference before you leave."
    )


# Saving a wizard step


class StepError(ApplicationsError):
    """Base of the errors that refuse a wizard step; nothing of the step is saved."""


class StepConflict(StepError):
    default_message = _(
        "This part was changed in another tab or on another device at the same time. "
        "Check it and save it again."
    )


class ApplicantIneligible(StepError):
    """The applicant step's answers fail an eligibility rule: `field` names the form field."""

    def __init__(self, *, field: str, message: str | Promise) -> None:
        self.field = field
        super().__init__(message)


# The employer link and signatures


class EmployerLinkError(ApplicationsError):
    """The employer link could not be sent (nothing recorded)."""


class SignatureError(ApplicationsError):
    """The signatures could not be recorded (nothing saved)."""


class SignedDataChanged(SignatureError):
    """What a signer was shown is no longer what the application holds: nothing is signed and
    the page is shown again with the current answers."""

    default_message = _(
        "The answers changed since this page was opened. Check them as they are now and sign again."
    )


# Going to payment and submission (applications.services.submission)


class SubmissionError(ApplicationsError):
    """Base of the errors of going to payment and of submitting a paid group."""

    default_message = _("Your application could not be submitted. Please try again.")


class PaymentBlocked(SubmissionError):
    """The group cannot go to payment now; `message` says why (one reason, or the list of
    what remains to be done)."""

    default_message = _("This application cannot be paid for at the moment.")

    def __init__(
        self, message: str | Promise | None = None, *, missing: tuple[object, ...] = ()
    ) -> None:
        self.missing = missing  # readiness's Missing items, when it is not ready
        super().__init__(message)


class AlreadySubmitted(SubmissionError):
    default_message = _(
        "This application has already been submitted. It cannot be paid for or submitted again."
    )


class SlotLost(SubmissionError):
    """No quota place could be secured when the payment was confirmed: nothing was submitted.
    `reason` is the quota's own error (QuotaExhausted, QuotaClosed, QuotaBusy)."""

    default_message = _(
        "The places in the quota ran out before your payment was confirmed, so your "
        "application was not submitted. Your payment is cancelled or refunded in full."
    )

    def __init__(self, reason: Exception | None = None) -> None:
        self.reason = reason
        super().__init__()


class AcknowledgmentNotSent(SubmissionError):
    """The acknowledgment email could not be sent now (the mail server refused or could not be
    reached); the task tries again later."""

    default_message = _("The acknowledgment email could not be sent. It will be sent later.")


# The officers' workflow (applications.services.review)


class ReviewError(ApplicationsError):
    """Base of the errors that refuse an officer's action on a case; nothing is changed."""

    default_message = _("This action could not be done. Nothing was changed.")


class TransitionNotAllowed(ReviewError):
    """The action is not one the case's current status allows (the table of transitions)."""

    def __init__(self, *, status: str | Promise) -> None:
        self.status = status
        super().__init__(
            _("This action is not possible for an application whose status is “%(status)s”.")
            % {"status": status}
        )


class NoteRequired(ReviewError):
    default_message = _("Write a note that says why.")


class NoteTooLong(ReviewError):
    default_message = _("The note is too long.")


class PrincipalNotDecided(ReviewError):
    default_message = _(
        "A dependant's application can be approved only once the applicant's application is "
        "approved."
    )


class InvalidAssignee(ReviewError):
    default_message = _("Cases can be assigned only to an active officer or supervisor.")


class ReviewBusy(ReviewError):
    default_message = _(
        "The quota is being changed by someone else at this moment. Nothing was changed: "
        "try again in a minute."
    )


class DecisionEmailNotSent(ReviewError):
    """A decision's email could not be sent now (the mail server refused or could not be
    reached); the task tries again later."""


# Notifications (applications.services.notifications)


class NotificationNotSent(ApplicationsError):
    """A notification email could not be sent now; the task tries again later."""

    default_message = _("The email could not be sent. It will be sent later.")
