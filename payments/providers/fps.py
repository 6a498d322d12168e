"""FPS: the payer scans our payee-presented QR code and transfers from their own bank; the bank
that collects for us confirms what arrived.

Starting makes no remote call: the payload (payments.fps) names our FPS ID, the amount and the
attempt's reference, which is also the provider reference, since that reference is all the
collecting bank sees of our rows. The bank is reached through a CollectingBank adapter chosen in
settings (FPS_COLLECTING_BANK, a dotted path): it looks a reference up and refunds. Its
confirmation notifications are signed in Stripe's scheme (payments.signing, header
``X-FPS-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">``) with FPS_NOTIFICATION_SECRET
and carry ``{"event_id", "reference", "status"}``; like every webhook they only say which
payment to look up again.

No bank's adapter is contracted yet; the sandbox plays the collecting bank through this same
interface.
"""

from __future__ import annotations

import abc
import datetime
import json
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .. import fps, signing
from ..methods import PaymentMethod
from .base import (
    Capabilities,
    NextAction,
    NextActionKind,
    PaymentProvider,
    PaymentRefused,
    ProviderPayment,
    RefundResult,
    Started,
    StartRequest,
    WebhookHint,
    WebhookRejected,
)

SIGNATURE_HEADER = "X-FPS-Signature"


class CollectingBank(abc.ABC):
    """The bank that holds our FPS account: what it has received for a reference, and refunds.

    Implementations are built with no arguments, or by a ``from_settings()`` classmethod when
    they have one. Both methods may be slow network calls and are never made inside a database
    transaction. They raise payments.providers.base.ProviderUnavailable when the bank cannot be
    reached, and PaymentRefused when it refuses a refund.
    """

    @abc.abstractmethod
    def lookup(self, reference: str) -> ProviderPayment:
        """What arrived for `reference`: PAID with `amount_received_cents` once a transfer
        quoting it was credited (the payer's app may let them change the amount: the caller
        compares), PENDING while nothing has; `provider_reference` is `reference`, and
        `amount_cents` what was paid (0 while nothing has been). Refunds made are counted in
        `amount_refunded_cents`."""

    @abc.abstractmethod
    def refund(self, reference: str, *, amount_cents: int, idempotency_key: str) -> RefundResult:
        """Send `amount_cents` back to the account that paid `reference`. The bank is asked
        once per key; the caller's rows keep it to one refund per attempt."""


class FpsProvider(PaymentProvider):
    name = "fps"

    def __init__(
        self,
        *,
        payee: fps.Payee,
        bank: CollectingBank,
        notification_secret: str,
        confirmation_window: datetime.timedelta = datetime.timedelta(minutes=30),
    ) -> None:
        self._payee = payee
        self._bank = bank
        self._notification_secret = notification_secret
        self._confirmation_window = confirmation_window

    @classmethod
    def from_settings(cls) -> FpsProvider:
        missing = [
            name
            for name in (
                "FPS_ID",
                "FPS_MERCHANT_NAME",
                "FPS_COLLECTING_BANK",
                "FPS_NOTIFICATION_SECRET",
            )
            if not getattr(settings, name)
        ]
        if missing:
            raise ImproperlyConfigured("FPS needs " + ", ".join(missing) + " to be set.")
        try:
            payee = fps.Payee(name=settings.FPS_MERCHANT_NAME, fps_id=settings.FPS_ID)
        except fps.InvalidPayload as error:
            raise ImproperlyConfigured("FPS_ID or FPS_MERCHANT_NAME: " + str(error)) from error
        bank_class = import_string(settings.FPS_COLLECTING_BANK)
        bank = getattr(bank_class, "from_settings", bank_class)()
        if not isinstance(bank, CollectingBank):
            raise ImproperlyConfigured("FPS_COLLECTING_BANK must name a CollectingBank.")
        return cls(
            payee=payee,
            bank=bank,
            notification_secret=settings.FPS_NOTIFICATION_SECRET,
            confirmation_window=datetime.timedelta(minutes=settings.PAYMENT_WINDOW_MINUTES),
        )

    def capabilities(self, method: str) -> Capabilities:
        _check_method(method)
        # A transfer is final when made: nothing is held, so a payment without a slot is
        # refunded, and the hold must cover the whole window.
        return Capabilities(capture_later=False, confirmation_window=self._confirmation_window)

    def start(self, request: StartRequest) -> Started:
        """The QR payload for this payment; nothing is sent anywhere."""
        _check_method(request.method)
        try:
            payload = fps.build(
                payee=self._payee,
                amount_cents=request.amount_cents,
                reference=request.reference,
                currency=request.currency,
            )
        except fps.InvalidPayload as error:
            raise PaymentRefused(_("This payment cannot be made by FPS.")) from error
        return Started(
            provider_reference=request.reference,
            next_action=NextAction(
                kind=NextActionKind.QR, qr_payload=payload, reference=request.reference
            ),
        )

    def retrieve(self, provider_reference: str) -> ProviderPayment:
        return self._bank.lookup(provider_reference)

    def capture(
        self, provider_reference: str, *, amount_cents: int, idempotency_key: str
    ) -> ProviderPayment:
        """Nothing to capture: a transfer is final when it arrives. The truth is returned."""
        return self.retrieve(provider_reference)

    def cancel(self, provider_reference: str, *, idempotency_key: str) -> ProviderPayment:
        """Nothing to cancel at the bank: the payer simply never paid. The truth is returned,
        so a transfer that arrived anyway is seen (and refunded by the caller)."""
        return self.retrieve(provider_reference)

    def refund(
        self, provider_reference: str, *, amount_cents: int, idempotency_key: str
    ) -> RefundResult:
        return self._bank.refund(
            provider_reference, amount_cents=amount_cents, idempotency_key=idempotency_key
        )

    def parse_webhook(self, *, body: bytes, headers: Mapping[str, str]) -> WebhookHint:
        """The collecting bank's confirmation: signed, recent, and naming a reference."""
        try:
            signing.verify(
                body, headers.get(SIGNATURE_HEADER, ""), secret=self._notification_secret
            )
            notification = json.loads(body)
            event_id = notification["event_id"]
            reference = notification["reference"]
            status = notification["status"]
        except (signing.BadSignature, ValueError, KeyError, TypeError):
            raise WebhookRejected() from None
        if not all(isinstance(value, str) and value for value in (event_id, reference, status)):
            raise WebhookRejected()
        if len(event_id) > 100 or len(reference) > fps.MAX_REFERENCE or len(status) > 40:
            raise WebhookRejected()
        return WebhookHint(
            event_id=event_id, event_type="fps." + status, provider_reference=reference
        )


def _check_method(method: str) -> None:
    if method != PaymentMethod.FPS:
        raise ImproperlyConfigured("The FPS provider carries FPS only, not " + repr(method))
