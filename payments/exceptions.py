"""The payments app's errors: `message` is translated and safe to show to the payer."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class PaymentError(Exception):
    default_message: str | Promise = _("The payment could not be started. Please try again.")

    def __init__(self, message: str | Promise | None = None) -> None:
        self.message: str | Promise = message if message is not None else self.default_message
        super().__init__(str(self.message))


class UnknownMethod(PaymentError):
    default_message = _("Choose one of the payment methods shown.")


class NotPayable(PaymentError):
    """The group cannot be paid for now (not ready, quota shut, already paid or being paid)."""


class TryAgainLater(PaymentError):
    """The provider or the quota was busy; nothing changed, the caller may retry."""

    default_message = _("The payment service is busy. Please try again in a minute.")
