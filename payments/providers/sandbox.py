"""The sandbox: a local provider that plays every method of the seed, for `make run` and tests.

It keeps its own ledger (payments.models.SandboxPayment, what a real provider keeps on its
side), sends the payer to a local payment page (payments.sandbox_views) where they pick an
outcome, and reports back through a signed webhook checked exactly as a real provider's is
(payments.signing, SANDBOX_WEBHOOK_SECRET). Cards are authorised and captured later, like
Stripe's manual capture; wallets, FPS and the UnionPay App are paid at once; PPS confirms on the
next working day. With DEBUG off the service refuses to start on the sandbox unless
PAYMENT_SANDBOX_ALLOWED says so (payments.apps), so production never takes sandbox payments.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import secrets
from collections.abc import Iterable, Mapping
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .. import fps, signing
from ..methods import CARD_METHODS, PaymentMethod
from ..models import SandboxPayment
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
from .fps import SIGNATURE_HEADER as FPS_SIGNATURE_HEADER
from .fps import CollectingBank, FpsProvider

SIGNATURE_HEADER = "X-Sandbox-Signature"
# The card brands the sandbox can play: the four accepted, and one we refuse.
CARD_BRANDS = {
    PaymentMethod.VISA: "visa",
    PaymentMethod.MASTERCARD: "mastercard",
    PaymentMethod.UNIONPAY_CARD: "unionpay",
    PaymentMethod.JCB: "jcb",
}
OTHER_BRAND = "amex"


class Outcome:
    """What the payer can choose on the sandbox page."""

    SUCCESS = "success"
    DECLINE = "decline"
    CANCEL = "cancel"
    CHALLENGE = "challenge"  # 3-D Secure: a second page before the card is authorised
    DELAYED = "delayed"  # confirmed SANDBOX_DELAY_SECONDS later
    AFTER_HOLD = "after_hold"  # confirmed after the payment window (and so the hold) ended
    OTHER_BRAND = "other_brand"  # a card of a brand we do not accept, authorised

    CHOICES = {
        SUCCESS: _("Pay successfully"),
        DECLINE: _("Decline the payment"),
        CANCEL: _("Cancel and go back"),
        CHALLENGE: _("Ask for 3-D Secure authentication"),
        DELAYED: _("Confirm after a short delay"),
        AFTER_HOLD: _("Confirm after the payment window has ended"),
        OTHER_BRAND: _("Pay with a card brand that is not accepted"),
    }

    @classmethod
    def for_method(cls, method: str) -> list[str]:
        if method == PaymentMethod.PPS:
            return [cls.SUCCESS, cls.DECLINE, cls.CANCEL]
        common = [cls.SUCCESS, cls.DECLINE, cls.CANCEL, cls.DELAYED, cls.AFTER_HOLD]
        if method in CARD_METHODS:
            return [*common[:3], cls.CHALLENGE, *common[3:], cls.OTHER_BRAND]
        return common


def next_working_day(now: datetime.datetime) -> datetime.datetime:
    """10:00 Hong Kong time on the next weekday: when PPS reports the day's payments. (Public
    holidays are not modelled: the confirmation window leaves room for them.)"""
    local = timezone.localtime(now)
    day = local.date() + datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def window_for(method: str) -> datetime.timedelta:
    """How long after the start the payment may still be confirmed (the quota hold's length)."""
    if method == PaymentMethod.PPS:
        return datetime.timedelta(hours=settings.PAYMENT_PPS_WINDOW_HOURS)
    return datetime.timedelta(minutes=settings.PAYMENT_WINDOW_MINUTES)


_STATUS = {
    "pending": ProviderStatus.PENDING,
    "processing": ProviderStatus.PROCESSING,
    "authorised": ProviderStatus.AUTHORISED,
    "paid": ProviderStatus.PAID,
    "failed": ProviderStatus.FAILED,
    "cancelled": ProviderStatus.CANCELLED,
}


class SandboxProvider(PaymentProvider):
    name = "sandbox"

    def capabilities(self, method: str) -> Capabilities:
        if method in CARD_METHODS:
            return Capabilities(
                capture_later=True,
                confirmation_window=window_for(method),
                authorisation_lifetime=datetime.timedelta(days=7),
            )
        return Capabilities(capture_later=False, confirmation_window=window_for(method))

    def start(self, request: StartRequest) -> Started:
        payment, _created = SandboxPayment.objects.get_or_create(
            our_reference=request.reference,
            defaults={
                "provider_reference": "sbx_" + secrets.token_hex(12),
                "method": request.method,
                "amount_cents": request.amount_cents,
                "capture_later": request.method in CARD_METHODS,
                "return_url": request.return_url,
                "language": request.language,
            },
        )
        with translation.override(request.language):
            url = reverse("payments:sandbox_page", args=[payment.provider_reference])
        return Started(
            provider_reference=payment.provider_reference,
            next_action=NextAction(kind=NextActionKind.REDIRECT, url=url),
        )

    def _load(self, provider_reference: str) -> SandboxPayment:
        try:
            payment = SandboxPayment.objects.get(provider_reference=provider_reference)
        except SandboxPayment.DoesNotExist:
            raise ProviderUnavailable() from None
        return settle_if_due(payment)

    def retrieve(self, provider_reference: str) -> ProviderPayment:
        payment = self._load(provider_reference)
        return ProviderPayment(
            provider_reference=payment.provider_reference,
            status=_STATUS[payment.status],
            amount_cents=payment.amount_cents,
            amount_received_cents=payment.amount_received_cents,
            amount_refunded_cents=payment.amount_refunded_cents,
            card_brand=payment.card_brand,
            failure_message=payment.failure_message,
            raw_status=payment.status,
        )

    def capture(
        self, provider_reference: str, *, amount_cents: int, idempotency_key: str
    ) -> ProviderPayment:
        with transaction.atomic():
            payment = SandboxPayment.objects.select_for_update().get(
                provider_reference=provider_reference
            )
            if payment.status == "authorised":
                payment.status = "paid"
                payment.amount_received_cents = min(amount_cents, payment.amount_cents)
                payment.save(update_fields=["status", "amount_received_cents", "updated_at"])
            elif payment.status != "paid":
                raise PaymentRefused(_("This payment can no longer be captured."))
        return self.retrieve(provider_reference)

    def cancel(self, provider_reference: str, *, idempotency_key: str) -> ProviderPayment:
        with transaction.atomic():
            payment = SandboxPayment.objects.select_for_update().get(
                provider_reference=provider_reference
            )
            if payment.status in ("pending", "processing", "authorised"):
                payment.status = "cancelled"
                payment.settles_at = None
                payment.save(update_fields=["status", "settles_at", "updated_at"])
        return self.retrieve(provider_reference)

    def refund(
        self, provider_reference: str, *, amount_cents: int, idempotency_key: str
    ) -> RefundResult:
        with transaction.atomic():
            payment = SandboxPayment.objects.select_for_update().get(
                provider_reference=provider_reference
            )
            room = payment.amount_received_cents - payment.amount_refunded_cents
            if payment.status != "paid" or amount_cents > room:
                raise PaymentRefused(_("This payment cannot be refunded for that amount."))
            payment.amount_refunded_cents += amount_cents
            payment.save(update_fields=["amount_refunded_cents", "updated_at"])
        return RefundResult(
            provider_refund_reference="sbx_re_" + idempotency_key.replace(":", "_"),
            amount_cents=amount_cents,
            succeeded=True,
        )

    def parse_webhook(self, *, body: bytes, headers: Mapping[str, str]) -> WebhookHint:
        try:
            signing.verify(
                body, headers.get(SIGNATURE_HEADER, ""), secret=settings.SANDBOX_WEBHOOK_SECRET
            )
            event = json.loads(body)
            return WebhookHint(
                event_id=str(event["id"]),
                event_type=str(event["type"]),
                provider_reference=str(event.get("payment", "")),
            )
        except (signing.BadSignature, ValueError, KeyError, TypeError):
            raise WebhookRejected() from None

    def paid_between(
        self, start: datetime.datetime, end: datetime.datetime
    ) -> Iterable[ProviderPayment]:
        rows = SandboxPayment.objects.filter(
            amount_received_cents__gt=0, updated_at__gte=start, updated_at__lt=end
        ).values_list("provider_reference", flat=True)
        return [self.retrieve(reference) for reference in rows]


def settle_if_due(payment: SandboxPayment) -> SandboxPayment:
    """Apply a delayed confirmation whose time has come (a real provider's clock moving on)."""
    if payment.settles_at is None or payment.settles_at > timezone.now():
        return payment
    SandboxPayment.objects.filter(pk=payment.pk, settles_at=payment.settles_at).update(
        status=payment.settles_to,
        amount_received_cents=payment.amount_cents if payment.settles_to == "paid" else 0,
        settles_at=None,
        settles_to="",
    )
    payment.refresh_from_db()
    return payment


def event_body(payment: SandboxPayment, event_type: str) -> bytes:
    return json.dumps(
        {
            "id": "sbx_evt_" + secrets.token_hex(10),
            "type": event_type,
            "payment": payment.provider_reference,
        }
    ).encode()


def play(payment: SandboxPayment, outcome: str, *, brand: str = "") -> SandboxPayment:
    """Apply the payer's choice on the sandbox page to the ledger. The caller reports it."""
    now = timezone.now()
    paid_status = "authorised" if payment.capture_later else "paid"
    fields: dict[str, object] = {"failure_message": "", "needs_authentication": False}
    if payment.capture_later:
        fields["card_brand"] = OTHER_BRAND if outcome == Outcome.OTHER_BRAND else brand
    if outcome in (Outcome.SUCCESS, Outcome.OTHER_BRAND):
        if payment.method == PaymentMethod.PPS:
            fields.update(status="processing", settles_at=next_working_day(now), settles_to="paid")
        else:
            fields["status"] = paid_status
    elif outcome == Outcome.DECLINE:
        fields.update(status="failed", failure_message=str(_("The payment was declined.")))
    elif outcome == Outcome.CANCEL:
        fields["status"] = "cancelled"
    elif outcome == Outcome.CHALLENGE:
        fields.update(status="pending", needs_authentication=True)
    elif outcome == Outcome.DELAYED:
        fields.update(
            status="processing",
            settles_at=now + datetime.timedelta(seconds=settings.SANDBOX_DELAY_SECONDS),
            settles_to=paid_status,
        )
    elif outcome == Outcome.AFTER_HOLD:
        fields.update(
            status="processing",
            settles_at=payment.created_at
            + window_for(payment.method)
            + datetime.timedelta(minutes=1),
            settles_to=paid_status,
        )
    else:
        raise ValueError(outcome)
    if paid_status == "paid" and fields.get("status") == "paid":
        fields["amount_received_cents"] = payment.amount_cents
    SandboxPayment.objects.filter(pk=payment.pk).update(**fields)
    payment.refresh_from_db()
    return payment


# FPS in the sandbox: our real FPS provider (payments.providers.fps), with the sandbox playing
# the collecting bank through its CollectingBank interface. The payer's "banking app" is the
# sandbox bank page, which reads the QR payload, and the bank's confirmation comes signed to
# /payments/webhooks/sandbox_fps/, as a contracted bank's would come to /payments/webhooks/fps/.

SANDBOX_PAYEE_ID = "1234567"
SANDBOX_PAYEE_NAME = "IMMD TP STREAM SANDBOX"


class SandboxBank(CollectingBank):
    """The collecting bank, played on the sandbox's ledger: a transfer is a SandboxPayment whose
    provider reference is the payment reference the payer quoted."""

    def lookup(self, reference: str) -> ProviderPayment:
        payment = SandboxPayment.objects.filter(provider_reference=reference).first()
        if payment is None:
            return ProviderPayment(
                provider_reference=reference, status=ProviderStatus.PENDING, amount_cents=0
            )
        payment = settle_if_due(payment)
        received = payment.amount_received_cents
        return ProviderPayment(
            provider_reference=reference,
            status=ProviderStatus.PAID if received else _STATUS[payment.status],
            amount_cents=received,
            amount_received_cents=received,
            amount_refunded_cents=payment.amount_refunded_cents,
            raw_status=payment.status,
        )

    def refund(self, reference: str, *, amount_cents: int, idempotency_key: str) -> RefundResult:
        return SandboxProvider().refund(
            reference, amount_cents=amount_cents, idempotency_key=idempotency_key
        )


class SandboxFpsProvider(FpsProvider):
    """FPS through our FPS provider and the sandbox bank (the default of `make run`)."""

    name = "sandbox_fps"

    @classmethod
    def from_settings(cls) -> SandboxFpsProvider:
        """Needs none of the FPS_* settings: the sandbox is the bank."""
        return cls()

    def __init__(self) -> None:
        super().__init__(
            payee=fps.Payee(
                name=settings.FPS_MERCHANT_NAME or SANDBOX_PAYEE_NAME,
                fps_id=settings.FPS_ID or SANDBOX_PAYEE_ID,
            ),
            bank=SandboxBank(),
            notification_secret=settings.SANDBOX_WEBHOOK_SECRET,
            confirmation_window=window_for(PaymentMethod.FPS),
        )

    def start(self, request: StartRequest) -> Started:
        started = super().start(request)
        with translation.override(request.language):
            url = reverse("payments:sandbox_bank")
        action = dataclasses.replace(
            started.next_action,
            url=url + "?" + urlencode({"qr": started.next_action.qr_payload}),
        )
        return Started(provider_reference=started.provider_reference, next_action=action)


def bank_transfer(payload: fps.Parsed, outcome: str) -> SandboxPayment | None:
    """The payer's bank sends (or, for `cancel`, does not send) the transfer the QR code asks
    for; delayed outcomes credit it later. Idempotent per payment reference."""
    if outcome == Outcome.CANCEL:
        return None
    amount = payload.amount_cents or 0
    now = timezone.now()
    settles_at = None
    if outcome == Outcome.DELAYED:
        settles_at = now + datetime.timedelta(seconds=settings.SANDBOX_DELAY_SECONDS)
    elif outcome == Outcome.AFTER_HOLD:
        settles_at = now + window_for(PaymentMethod.FPS) + datetime.timedelta(minutes=1)
    payment, _created = SandboxPayment.objects.get_or_create(
        provider_reference=payload.reference,
        defaults={
            "our_reference": payload.reference,
            "method": PaymentMethod.FPS,
            "amount_cents": amount,
            "status": "processing" if settles_at else "paid",
            "amount_received_cents": 0 if settles_at else amount,
            "settles_at": settles_at,
            "settles_to": "paid" if settles_at else "",
            "return_url": "",
        },
    )
    return payment


def bank_notification(payment: SandboxPayment) -> tuple[bytes, dict[str, str]]:
    """The collecting bank's signed confirmation of a credited transfer."""
    body = json.dumps(
        {
            "event_id": "sbx_fps_" + secrets.token_hex(10),
            "reference": payment.provider_reference,
            "status": "credited",
        }
    ).encode()
    signature = signing.sign(body, secret=settings.SANDBOX_WEBHOOK_SECRET)
    return body, {FPS_SIGNATURE_HEADER: signature}
