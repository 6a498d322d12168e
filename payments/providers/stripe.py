"""Stripe: cards with manual capture; Alipay and WeChat Pay, captured at once.

The only module that imports the stripe SDK (the `StripeClient` style, never the global
`stripe.api_key`). Cards (VISA, Mastercard, UnionPay, JCB) get a PaymentIntent with
``capture_method="manual"`` when the payer picks the method: the payer confirms it in the page
with its client secret, the funds are only held (``requires_capture``), and payments.services
captures them once the quota slot is secured, or cancels the hold. Alipay and WeChat Pay cannot
be captured later: their intent is confirmed here at once and the payer is sent to the wallet.

Every request that changes something carries our own idempotency key (``start:<attempt id>``,
``capture:<attempt id>``, ...), so a retried task repeats the same request instead of making a
second one; the SDK would otherwise put a random key on every POST.

Errors: no answer, a server error, rate limiting or a rejected API key -> ProviderUnavailable
(nothing is known to have changed; try again later); a declined card or another refused
request -> PaymentRefused with our own translated message, never Stripe's English text.

Webhooks are verified on the raw body with STRIPE_WEBHOOK_SECRET (300 seconds' tolerance) and
reduced to the PaymentIntent to re-fetch: the event body is never taken as the truth.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import stripe
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ..methods import CARD_METHODS, PaymentMethod
from .base import (
    Capabilities,
    NextAction,
    NextActionKind,
    PaymentProvider,
    PaymentRefused,
    ProviderPayment,
    ProviderStatus,
    ProviderUnavailable,
    RefundResult,
    Started,
    StartRequest,
    WebhookHint,
    WebhookRejected,
)

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "Stripe-Signature"
WEBHOOK_TOLERANCE_SECONDS = 300
# Uncaptured card PaymentIntents are cancelled by Stripe 7 days after the authorisation.
AUTHORISATION_LIFETIME = datetime.timedelta(days=7)

# Stripe's payment method type for each wallet we take through Stripe.
WALLET_TYPES = {PaymentMethod.ALIPAY: "alipay", PaymentMethod.WECHAT_PAY: "wechat_pay"}

# What retrieve() asks Stripe to expand: the charge (brand, refunds, dispute) and the payment
# method (the card's brand where a charge does not carry its details, as in localstripe).
EXPAND = ["latest_charge", "latest_charge.refunds", "payment_method"]

_STATUS = {
    "requires_payment_method": ProviderStatus.PENDING,
    "requires_confirmation": ProviderStatus.PENDING,
    "requires_action": ProviderStatus.PENDING,
    "processing": ProviderStatus.PROCESSING,
    "requires_capture": ProviderStatus.AUTHORISED,
    "succeeded": ProviderStatus.PAID,
    "canceled": ProviderStatus.CANCELLED,
}

# Our messages for Stripe's error and decline codes; anything else gets the generic one.
_DECLINE_MESSAGES = {
    "expired_card": _("The card has expired. Please use another card or another method."),
    "incorrect_cvc": _("The card's security code is incorrect. Please check it and try again."),
    "invalid_cvc": _("The card's security code is incorrect. Please check it and try again."),
    "insufficient_funds": _(
        "The card has insufficient funds. Please use another card or another method."
    ),
    "processing_error": _("The card could not be processed. Please try again."),
    "payment_intent_authentication_failure": _(
        "The card could not be authenticated. Please try again or use another card."
    ),
}
_DECLINED = _("The card was declined. Please use another card or another method.")

# Events whose data object is a charge, a dispute or a refund: each names its PaymentIntent.
_NAMES_ITS_INTENT = frozenset(
    {
        "charge.refunded",
        "charge.expired",
        "charge.dispute.created",
        "refund.updated",
        "refund.failed",
    }
)

T = TypeVar("T")


def decline_message(code: str | None, decline_code: str | None = None) -> str:
    """Our message (active language) for a Stripe error code or card decline code."""
    for key in (decline_code, code):
        if key and key in _DECLINE_MESSAGES:
            return str(_DECLINE_MESSAGES[key])
    if code in ("card_declined", None, "") or decline_code:
        return str(_DECLINED)
    return str(PaymentRefused.default_message)


class StripeProvider(PaymentProvider):
    name = "stripe"

    def __init__(
        self,
        *,
        api_key: str,
        webhook_secret: str,
        api_base: str | None = None,
        confirmation_window: datetime.timedelta = datetime.timedelta(minutes=30),
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        max_network_retries: int = 2,
    ) -> None:
        """`api_base` points the client at another Stripe API address (localstripe in tests).
        The SDK retries a request that got no answer `max_network_retries` times, with the
        same idempotency key, so a retry never makes a second payment."""
        self._webhook_secret = webhook_secret
        self._confirmation_window = confirmation_window
        self._client = stripe.StripeClient(
            api_key,
            base_addresses={"api": api_base} if api_base else None,
            http_client=stripe.RequestsClient(timeout=(connect_timeout, read_timeout)),
            max_network_retries=max_network_retries,
        )

    @classmethod
    def from_settings(cls) -> StripeProvider:
        if not settings.STRIPE_SECRET_KEY:
            raise ImproperlyConfigured("STRIPE_SECRET_KEY must be set to take payments by Stripe.")
        return cls(
            api_key=settings.STRIPE_SECRET_KEY,
            webhook_secret=settings.STRIPE_WEBHOOK_SECRET,
            api_base=settings.STRIPE_API_BASE or None,
            confirmation_window=datetime.timedelta(minutes=settings.PAYMENT_WINDOW_MINUTES),
        )

    def capabilities(self, method: str) -> Capabilities:
        if method in CARD_METHODS:
            return Capabilities(
                capture_later=True,
                confirmation_window=self._confirmation_window,
                authorisation_lifetime=AUTHORISATION_LIFETIME,
            )
        if method in WALLET_TYPES:
            return Capabilities(capture_later=False, confirmation_window=self._confirmation_window)
        raise ImproperlyConfigured("Stripe does not carry the payment method " + repr(method))

    # Starting -------------------------------------------------------------------------------

    def start(self, request: StartRequest) -> Started:
        """Cards: a PaymentIntent for manual capture; the payer confirms it in the page with the
        client secret. Wallets: a PaymentIntent confirmed at once; the payer follows Alipay's
        redirect, or scans WeChat Pay's QR code (its payload, with Stripe's hosted page as the
        link for a phone)."""
        # The description goes in the metadata, beside our reference, where officers read both
        # in Stripe's dashboard (and localstripe refuses a description).
        metadata = {"reference": request.reference, "method": request.method}
        if request.description:
            metadata["description"] = request.description[:500]
        params: dict[str, Any] = {
            "amount": request.amount_cents,
            "currency": request.currency.lower(),
            "metadata": metadata,
        }
        if request.method in CARD_METHODS:
            params.update(payment_method_types=["card"], capture_method="manual")
        elif request.method in WALLET_TYPES:
            wallet = WALLET_TYPES[PaymentMethod(request.method)]
            params.update(
                payment_method_types=[wallet],
                capture_method="automatic",
                confirm=True,
                payment_method_data={"type": wallet},
                return_url=request.return_url,
            )
            if wallet == "wechat_pay":
                params["payment_method_options"] = {"wechat_pay": {"client": "web"}}
        else:
            raise ImproperlyConfigured("Stripe does not carry the payment method " + request.method)
        intent = self._call(
            "start",
            lambda: self._client.v1.payment_intents.create(
                params,  # type: ignore[arg-type]
                options={"idempotency_key": request.idempotency_key},
            ),
        )
        if request.method in CARD_METHODS:
            action = NextAction(
                kind=NextActionKind.CLIENT_SECRET,
                client_secret=intent["client_secret"],
                reference=request.reference,
            )
        else:
            action = _wallet_action(intent, request)
        return Started(provider_reference=intent["id"], next_action=action)

    # The provider's truth -------------------------------------------------------------------

    def retrieve(self, provider_reference: str) -> ProviderPayment:
        try:
            intent = self._call(
                "retrieve",
                lambda: self._client.v1.payment_intents.retrieve(
                    provider_reference, {"expand": EXPAND}
                ),
            )
        except PaymentRefused as refused:
            # A reference Stripe does not know: nothing can be learnt now, as the interface says.
            raise ProviderUnavailable() from refused
        return to_payment(intent)

    def capture(
        self, provider_reference: str, *, amount_cents: int, idempotency_key: str
    ) -> ProviderPayment:
        """Capture `amount_cents` of an authorisation. An intent no longer capturable (already
        captured, cancelled, expired) is not an error: its truth is returned, and the caller
        reads the status. PaymentRefused only while it is still authorised."""
        return self._change(
            "capture",
            provider_reference,
            lambda: self._client.v1.payment_intents.capture(
                provider_reference,
                {"amount_to_capture": amount_cents, "expand": EXPAND},
                options={"idempotency_key": idempotency_key},
            ),
            still_open={ProviderStatus.AUTHORISED},
        )

    def cancel(self, provider_reference: str, *, idempotency_key: str) -> ProviderPayment:
        """Cancel an intent not captured (an authorisation is released). One already final
        (paid, cancelled) is returned as it is: a paid one needs a refund instead."""
        return self._change(
            "cancel",
            provider_reference,
            lambda: self._client.v1.payment_intents.cancel(
                provider_reference,
                {"expand": EXPAND},
                options={"idempotency_key": idempotency_key},
            ),
            still_open={ProviderStatus.PENDING, ProviderStatus.AUTHORISED},
        )

    def refund(
        self, provider_reference: str, *, amount_cents: int, idempotency_key: str
    ) -> RefundResult:
        refund = self._call(
            "refund",
            lambda: self._client.v1.refunds.create(
                {
                    "payment_intent": provider_reference,
                    "amount": amount_cents,
                    "metadata": {"idempotency_key": idempotency_key},
                },
                options={"idempotency_key": idempotency_key},
            ),
        )
        status = refund.get("status")
        return RefundResult(
            provider_refund_reference=refund["id"],
            amount_cents=refund["amount"],
            succeeded=status == "succeeded",
            pending=status in ("pending", "requires_action"),
        )

    def paid_between(
        self, start: datetime.datetime, end: datetime.datetime
    ) -> Iterable[ProviderPayment]:
        """Succeeded PaymentIntents created in [start, end). Stripe filters intents by creation
        time only, so a card captured days after its authorisation counts on the day it was
        authorised: compare with our attempts by their creation time too."""

        def fetch() -> list[dict[str, Any]]:
            page = self._client.v1.payment_intents.list(
                {
                    "created": {"gte": int(start.timestamp()), "lt": int(end.timestamp())},
                    "limit": 100,
                    "expand": ["data." + path for path in EXPAND],
                }
            )
            return [intent.to_dict() for intent in page.auto_paging_iter()]

        intents = self._call_plain("paid_between", fetch)
        return [to_payment(intent) for intent in intents if intent.get("status") == "succeeded"]

    # Webhooks -------------------------------------------------------------------------------

    def parse_webhook(self, *, body: bytes, headers: Mapping[str, str]) -> WebhookHint:
        if not self._webhook_secret:
            raise WebhookRejected()
        try:
            stripe.WebhookSignature.verify_header(
                body,
                headers.get(SIGNATURE_HEADER, ""),
                self._webhook_secret,
                tolerance=WEBHOOK_TOLERANCE_SECONDS,
            )
            event = json.loads(body)
            event_id, event_type = str(event["id"]), str(event["type"])
            data_object = event["data"]["object"]
        except (stripe.SignatureVerificationError, ValueError, KeyError, TypeError):
            raise WebhookRejected() from None
        return hint_for(event_id, event_type, data_object)

    # Calling Stripe -------------------------------------------------------------------------

    def _change(
        self,
        action: str,
        provider_reference: str,
        call: Callable[[], stripe.StripeObject],
        *,
        still_open: set[ProviderStatus],
    ) -> ProviderPayment:
        try:
            return to_payment(self._call(action, call))
        except PaymentRefused:
            truth = self.retrieve(provider_reference)
            if truth.status in still_open:
                raise
            return truth

    def _call(self, action: str, call: Callable[[], stripe.StripeObject]) -> dict[str, Any]:
        return self._call_plain(action, lambda: call().to_dict())

    def _call_plain(self, action: str, call: Callable[[], T]) -> T:
        try:
            return call()
        except stripe.CardError as error:
            logger.info("Stripe %s: card refused (%s)", action, error.code)
            raise PaymentRefused(
                decline_message(error.code, _error_field(error, "decline_code"))
            ) from error
        except (
            stripe.APIConnectionError,
            stripe.RateLimitError,
            stripe.AuthenticationError,
            stripe.PermissionError,
        ) as error:
            # A rejected key is our configuration, not the payer's doing: log it loudly and
            # let the caller try again later, as for an outage.
            log = logger.error if error.http_status in (401, 403) else logger.warning
            log("Stripe %s failed: %s (%s)", action, type(error).__name__, error.http_status)
            raise ProviderUnavailable() from error
        except stripe.StripeError as error:
            if error.http_status is None or error.http_status >= 500:
                logger.warning("Stripe %s: server error %s", action, error.http_status)
                raise ProviderUnavailable() from error
            logger.warning(
                "Stripe %s refused: %s %s (%s)",
                action,
                error.http_status,
                error.code,
                type(error).__name__,
            )
            raise PaymentRefused() from error


def _error_field(error: stripe.StripeError, name: str) -> str | None:
    body = error.json_body if isinstance(error.json_body, dict) else {}
    value = (body.get("error") or {}).get(name)
    return value if isinstance(value, str) else None


def _wallet_action(intent: dict[str, Any], request: StartRequest) -> NextAction:
    """Where the payer goes next for a wallet intent Stripe has just confirmed."""
    next_action = intent.get("next_action") or {}
    kind = next_action.get("type")
    if kind == "alipay_handle_redirect":
        url = next_action["alipay_handle_redirect"]["url"]
        return NextAction(kind=NextActionKind.REDIRECT, url=url, reference=request.reference)
    if kind == "redirect_to_url":
        url = next_action["redirect_to_url"]["url"]
        return NextAction(kind=NextActionKind.REDIRECT, url=url, reference=request.reference)
    if kind == "wechat_pay_display_qr_code":
        qr = next_action["wechat_pay_display_qr_code"]
        return NextAction(
            kind=NextActionKind.QR,
            qr_payload=qr["data"],
            url=qr.get("hosted_instructions_url") or "",
            reference=request.reference,
        )
    if not kind and intent.get("status") in ("processing", "succeeded"):
        # Nothing left for the payer to do: their return page re-fetches the truth.
        return NextAction(
            kind=NextActionKind.REDIRECT, url=request.return_url, reference=request.reference
        )
    logger.error("Stripe start: unexpected next action %r for %s", kind, intent.get("id"))
    raise PaymentRefused()


def to_payment(intent: dict[str, Any]) -> ProviderPayment:
    """A PaymentIntent (latest charge, its refunds and the payment method expanded) in our
    words. A decline leaves the intent waiting for another payment method with the error
    recorded: that is FAILED here, since our page starts a new attempt rather than letting the
    payer retry on the same intent (the caller cancels the old one)."""
    raw_status = str(intent.get("status", ""))
    status = _STATUS.get(raw_status, ProviderStatus.PENDING)
    error = intent.get("last_payment_error") or {}
    failure_message = ""
    if raw_status == "requires_payment_method" and error:
        status = ProviderStatus.FAILED
        failure_message = decline_message(error.get("code"), error.get("decline_code"))
    charge = intent.get("latest_charge")
    charge = charge if isinstance(charge, dict) else {}
    refunded, refund_pending = _refunds(charge)
    return ProviderPayment(
        provider_reference=str(intent["id"]),
        status=status,
        amount_cents=int(intent["amount"]),
        amount_received_cents=_received(intent, charge),
        amount_refunded_cents=refunded,
        refund_pending=refund_pending,
        disputed=bool(charge.get("disputed")),
        card_brand=_card_brand(intent, charge),
        failure_message=failure_message,
        raw_status=raw_status,
    )


def _received(intent: dict[str, Any], charge: dict[str, Any]) -> int:
    if "amount_received" in intent:
        return int(intent["amount_received"] or 0)
    # localstripe's intents carry no amount_received: the captured charge says it.
    if charge.get("status") == "succeeded" and charge.get("captured"):
        return int(charge.get("amount_captured", charge.get("amount", 0)))
    return 0


def _refunds(charge: dict[str, Any]) -> tuple[int, bool]:
    """(amount refunded by refunds that succeeded, whether one is still in flight)."""
    listing = charge.get("refunds")
    if not isinstance(listing, dict) or listing.get("has_more"):
        # Not expanded, or more refunds than one page: the charge's total is the best figure.
        return int(charge.get("amount_refunded", 0) or 0), False
    refunds = listing.get("data") or []
    succeeded = sum(int(r.get("amount", 0)) for r in refunds if r.get("status") == "succeeded")
    pending = any(r.get("status") in ("pending", "requires_action") for r in refunds)
    return succeeded, pending


def _card_brand(intent: dict[str, Any], charge: dict[str, Any]) -> str:
    """The authorised card's brand, lower-case; "" when the payment was not by card. The
    charge's details are the truth; the payment method's card is the same card (and all that
    localstripe reports)."""
    details = charge.get("payment_method_details") or {}
    brand = (details.get("card") or {}).get("brand")
    if not brand:
        method = intent.get("payment_method")
        if isinstance(method, dict) and method.get("type") == "card":
            brand = (method.get("card") or {}).get("brand")
    return str(brand or "").lower()


def hint_for(event_id: str, event_type: str, data_object: Any) -> WebhookHint:
    """Which PaymentIntent a verified event concerns ("" for a type we do not handle)."""
    reference: object = ""
    if isinstance(data_object, dict):
        if event_type.startswith("payment_intent."):
            reference = data_object.get("id")
        elif event_type in _NAMES_ITS_INTENT:
            reference = data_object.get("payment_intent")
    return WebhookHint(
        event_id=event_id,
        event_type=event_type,
        provider_reference=reference if isinstance(reference, str) else "",
        disputed=event_type == "charge.dispute.created",
    )
