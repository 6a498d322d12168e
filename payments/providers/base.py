"""The payment provider interface and the values that cross it.

payments.services is the only caller. A provider talks to the outside world (Stripe, a bank, the
local sandbox) and knows nothing of our rows: it is given our own references and idempotency
keys (derived from our rows, e.g. ``capture:<attempt id>``, never an SDK's random one), and it
returns frozen values. No provider method is ever called inside a database transaction or while
a row is locked.

Errors: ProviderUnavailable when the provider could not be reached or answered with a server
error (try again later; nothing is known to have changed); PaymentRefused when it refused the
request itself (a declined card at start, an amount it will not take): the message is safe to
show to the payer; WebhookRejected when a webhook's signature is missing, wrong or stale.
"""

from __future__ import annotations

import abc
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProviderError(Exception):
    """Base of the provider errors; `message` is safe to show to the payer."""

    default_message = _("The payment service could not be reached. Please try again.")

    def __init__(self, message: object = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(str(self.message))


class ProviderUnavailable(ProviderError):
    """The provider did not answer, or answered with a server error: nothing is known."""


class PaymentRefused(ProviderError):
    default_message = _("The payment was not accepted. Please try another method.")


class WebhookRejected(ProviderError):
    default_message = _("The notification could not be verified.")


@dataclass(frozen=True)
class Capabilities:
    """What a method can do through this provider.

    `capture_later`: funds are only authorised at confirmation and taken by a later capture
    (cards), so a payment without a quota slot is cancelled rather than refunded.
    `confirmation_window`: how long after the start the provider may still confirm the payment;
    the quota hold placed at the start must cover it (PPS: the next working day).
    `authorisation_lifetime`: how long an authorisation can wait for its capture (cards: about
    7 days); None where nothing is held.
    """

    capture_later: bool
    confirmation_window: datetime.timedelta
    authorisation_lifetime: datetime.timedelta | None = None


class NextActionKind(models.TextChoices):
    REDIRECT = "redirect", _("Go to the payment page")
    CLIENT_SECRET = "client_secret", _("Pay on this page")
    QR = "qr", _("Scan the QR code")


@dataclass(frozen=True)
class NextAction:
    """What the payer does next: follow `url`, confirm with `client_secret` in the page, or
    scan `qr_payload` and quote `reference`."""

    kind: NextActionKind
    url: str = ""
    client_secret: str = ""
    qr_payload: str = ""
    reference: str = ""


@dataclass(frozen=True)
class StartRequest:
    """Everything a provider needs to start taking one payment.

    `reference` is our attempt's own public reference (shown to the payer, put in FPS payloads
    and provider metadata); `idempotency_key` is ``start:<attempt id>``; `return_url` is where
    the payer's browser comes back to; `language` is the group's language code.
    """

    reference: str
    method: str
    amount_cents: int
    currency: str
    idempotency_key: str
    return_url: str
    language: str
    description: str = ""


@dataclass(frozen=True)
class Started:
    provider_reference: str
    next_action: NextAction


class ProviderStatus(models.TextChoices):
    """The provider's truth about one payment, in our words."""

    PENDING = "pending", _("Waiting for the payer")
    PROCESSING = "processing", _("Being processed")
    AUTHORISED = "authorised", _("Authorised, not captured")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


@dataclass(frozen=True)
class ProviderPayment:
    """One payment as the provider sees it now (re-fetched, never taken from a webhook body).

    Amounts are integers in the currency's minor unit (HKD cents). `amount_refunded_cents`
    counts refunds that succeeded; `refund_pending` is True while one is still in flight.
    `card_brand` is the lower-case brand of a card payment (``visa``, ``mastercard``,
    ``unionpay``, ``jcb``, or another brand we refuse), "" for other methods.
    """

    provider_reference: str
    status: ProviderStatus
    amount_cents: int
    amount_received_cents: int = 0
    amount_refunded_cents: int = 0
    refund_pending: bool = False
    disputed: bool = False
    card_brand: str = ""
    failure_message: str = ""
    raw_status: str = ""


@dataclass(frozen=True)
class RefundResult:
    provider_refund_reference: str
    amount_cents: int
    succeeded: bool
    pending: bool = False


@dataclass(frozen=True)
class WebhookHint:
    """What a verified webhook says, reduced to a trigger: which payment to re-fetch.

    `event_id` is unique per provider (events are stored once); `provider_reference` is the
    payment the event concerns ("" when it names none we handle); `disputed` is True for a
    dispute opened on the payment (officers are told).
    """

    event_id: str
    event_type: str
    provider_reference: str
    disputed: bool = False


class PaymentProvider(abc.ABC):
    """A provider of one or more payment methods. Subclasses are stateless and cheap to build;
    payments.providers.registry gives the one configured for a method."""

    name: str

    @abc.abstractmethod
    def capabilities(self, method: str) -> Capabilities:
        """What `method` can do through this provider."""

    @abc.abstractmethod
    def start(self, request: StartRequest) -> Started:
        """Create the payment on the provider's side and say what the payer does next.
        Idempotent for one idempotency key. Raises ProviderUnavailable or PaymentRefused."""

    @abc.abstractmethod
    def retrieve(self, provider_reference: str) -> ProviderPayment:
        """The provider's truth for one payment. Raises ProviderUnavailable."""

    @abc.abstractmethod
    def capture(
        self, provider_reference: str, *, amount_cents: int, idempotency_key: str
    ) -> ProviderPayment:
        """Take authorised funds (methods with `capture_later`). Idempotent for one key."""

    @abc.abstractmethod
    def cancel(self, provider_reference: str, *, idempotency_key: str) -> ProviderPayment:
        """Cancel a payment not yet captured (an authorisation is released). Idempotent."""

    @abc.abstractmethod
    def refund(
        self, provider_reference: str, *, amount_cents: int, idempotency_key: str
    ) -> RefundResult:
        """Refund a captured payment, in full or in part. The caller's own rows guarantee one
        refund per key (some providers, and localstripe, ignore idempotency keys)."""

    @abc.abstractmethod
    def parse_webhook(self, *, body: bytes, headers: Mapping[str, str]) -> WebhookHint:
        """Verify a webhook on its raw body and reduce it to a hint. Raises WebhookRejected for a
        missing, wrong or stale signature (300 seconds' tolerance)."""

    def paid_between(
        self, start: datetime.datetime, end: datetime.datetime
    ) -> Iterable[ProviderPayment]:
        """Payments the provider took in [start, end), for the daily comparison with our rows.
        Providers that cannot list them say so by raising NotImplementedError."""
        raise NotImplementedError
