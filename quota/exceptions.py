"""Domain errors of the quota app; each carries a translated message for the user."""

import datetime

from django.utils.translation import gettext_lazy as _


class QuotaError(Exception):
    """Base of every quota error; `message` is safe to show to the applicant."""

    default_message = _("The quota service could not complete this request.")

    def __init__(self, message: object = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(str(self.message))


class QuotaExhausted(QuotaError):
    """A pool has no room left; `pool_name` names it (the overall quota or the trade)."""

    def __init__(self, *, pool_name: str, overall: bool) -> None:
        self.pool_name = pool_name
        self.overall = overall
        message: object
        if overall:
            message = _(
                "The overall quota is fully used. Applications are not accepted until places "
                "become available again."
            )
        else:
            message = _(
                "The quota for %(trade)s is fully used. Applications for this trade are not "
                "accepted until places become available again."
            ) % {"trade": pool_name}
        super().__init__(message)


class QuotaClosed(QuotaError):
    """The trade (or the overall quota) is closed; `reopens_at` when a reopening is scheduled."""

    default_message = _("Applications for this trade are not being accepted at the moment.")

    def __init__(self, message: object = None, *, reopens_at: datetime.datetime | None = None):
        self.reopens_at = reopens_at
        super().__init__(message)


class QuotaBusy(QuotaError):
    default_message = _("The service is busy, please try again.")


class NotAQuotaApplication(QuotaError):
    default_message = _("Only the applicant's own application uses quota; dependants do not.")


class AlreadySecured(QuotaError):
    default_message = _("This application has already secured its place in the quota.")


class NotSecured(QuotaError):
    default_message = _("This application has no secured place to release.")


class InvalidQuotaChange(QuotaError):
    default_message = _("This change to the quota is not allowed.")
