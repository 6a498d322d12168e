"""The FPS provider: a QR code at the start with no remote call, the collecting bank behind the
CollectingBank interface (a test double here), and the bank's signed confirmations."""

from __future__ import annotations

import datetime
import json
import time

import pytest
from django.core.exceptions import ImproperlyConfigured

from payments import fps
from payments.methods import PaymentMethod
from payments.providers import registry
from payments.providers.base import (
    NextActionKind,
    PaymentRefused,
    ProviderPayment,
    ProviderStatus,
    RefundResult,
    StartRequest,
    WebhookHint,
    WebhookRejected,
)
from payments.providers.fps import SIGNATURE_HEADER, CollectingBank, FpsProvider

from .conftest import sign

SECRET = "fps-notification-secret"
REFERENCE = "P3F2A9C81B7D4E06"


class RecordingBank(CollectingBank):
    """A collecting bank that knows what the test says arrived, and records every call."""

    def __init__(self) -> None:
        self.received: dict[str, int] = {}
        self.calls: list[tuple] = []

    def lookup(self, reference: str) -> ProviderPayment:
        self.calls.append(("lookup", reference))
        paid = self.received.get(reference, 0)
        return ProviderPayment(
            provider_reference=reference,
            status=ProviderStatus.PAID if paid else ProviderStatus.PENDING,
            amount_cents=paid,
            amount_received_cents=paid,
        )

    def refund(self, reference: str, *, amount_cents: int, idempotency_key: str) -> RefundResult:
        self.calls.append(("refund", reference, amount_cents, idempotency_key))
        return RefundResult(
            provider_refund_reference="bank-" + idempotency_key,
            amount_cents=amount_cents,
            succeeded=True,
        )


class NotABank:
    pass


@pytest.fixture
def bank() -> RecordingBank:
    return RecordingBank()


@pytest.fixture
def provider(bank) -> FpsProvider:
    return FpsProvider(
        payee=fps.Payee(name="IMMIGRATION DEPARTMENT", fps_id="1234567"),
        bank=bank,
        notification_secret=SECRET,
        confirmation_window=datetime.timedelta(minutes=40),
    )


def start_request(method: str = PaymentMethod.FPS, reference: str = REFERENCE) -> StartRequest:
    return StartRequest(
        reference=reference,
        method=method,
        amount_cents=120_000,
        currency="HKD",
        idempotency_key="start:5",
        return_url="http://127.0.0.1:8000/en/payments/return/",
        language="zh-hans",
    )


def test_start_gives_the_qr_payload_and_our_reference_without_asking_the_bank(provider, bank):
    started = provider.start(start_request())

    assert started.provider_reference == REFERENCE
    assert started.next_action.kind == NextActionKind.QR
    assert started.next_action.reference == REFERENCE
    parsed = fps.parse(started.next_action.qr_payload)
    assert parsed.amount_cents == 120_000
    assert parsed.reference == REFERENCE
    assert parsed.proxy == ("02", "1234567")
    assert parsed.dynamic
    assert bank.calls == []


def test_a_reference_too_long_for_the_payload_is_refused(provider):
    with pytest.raises(PaymentRefused):
        provider.start(start_request(reference="R" * 26))


def test_fps_only(provider):
    for method in (PaymentMethod.VISA, PaymentMethod.PPS, PaymentMethod.ALIPAY):
        with pytest.raises(ImproperlyConfigured):
            provider.start(start_request(method))
        with pytest.raises(ImproperlyConfigured):
            provider.capabilities(method)


def test_capabilities_nothing_held_and_the_configured_window(provider):
    capabilities = provider.capabilities(PaymentMethod.FPS)

    assert not capabilities.capture_later
    assert capabilities.authorisation_lifetime is None
    assert capabilities.confirmation_window == datetime.timedelta(minutes=40)


def test_retrieve_asks_the_bank(provider, bank):
    assert provider.retrieve(REFERENCE).status == ProviderStatus.PENDING

    bank.received[REFERENCE] = 120_000
    truth = provider.retrieve(REFERENCE)

    assert truth.status == ProviderStatus.PAID
    assert truth.amount_received_cents == 120_000
    assert bank.calls == [("lookup", REFERENCE), ("lookup", REFERENCE)]


def test_cancel_has_nothing_to_cancel_and_returns_the_truth(provider, bank):
    assert provider.cancel(REFERENCE, idempotency_key="cancel:5").status == ProviderStatus.PENDING

    # A transfer that arrived anyway is seen, so that the caller refunds it.
    bank.received[REFERENCE] = 120_000
    assert provider.cancel(REFERENCE, idempotency_key="cancel:5").status == ProviderStatus.PAID
    assert [call[0] for call in bank.calls] == ["lookup", "lookup"]


def test_capture_has_nothing_to_take_and_returns_the_truth(provider, bank):
    bank.received[REFERENCE] = 120_000

    truth = provider.capture(REFERENCE, amount_cents=120_000, idempotency_key="capture:5")

    assert truth.status == ProviderStatus.PAID
    assert bank.calls == [("lookup", REFERENCE)]


def test_refund_goes_to_the_bank_with_our_key(provider, bank):
    result = provider.refund(REFERENCE, amount_cents=120_000, idempotency_key="refund:5")

    assert result.succeeded
    assert bank.calls == [("refund", REFERENCE, 120_000, "refund:5")]


def notification(**fields) -> bytes:
    body = {"event_id": "bank-evt-0001", "reference": REFERENCE, "status": "paid", **fields}
    return json.dumps(body).encode()


def test_a_signed_confirmation_is_a_hint_to_look_the_reference_up(provider):
    body = notification()

    hint = provider.parse_webhook(body=body, headers={SIGNATURE_HEADER: sign(body, SECRET)})

    assert hint == WebhookHint(
        event_id="bank-evt-0001", event_type="fps.paid", provider_reference=REFERENCE
    )


def test_a_confirmation_signed_within_300_seconds_is_accepted_and_older_refused(provider):
    body = notification()
    now = int(time.time())

    hint = provider.parse_webhook(
        body=body, headers={SIGNATURE_HEADER: sign(body, SECRET, timestamp=now - 290)}
    )
    assert hint.provider_reference == REFERENCE
    with pytest.raises(WebhookRejected):
        provider.parse_webhook(
            body=body, headers={SIGNATURE_HEADER: sign(body, SECRET, timestamp=now - 301)}
        )


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "t=1,v1=00",
        "v1=" + "0" * 64,
    ],
)
def test_a_missing_or_malformed_signature_is_refused(provider, header):
    headers = {} if header is None else {SIGNATURE_HEADER: header}
    with pytest.raises(WebhookRejected):
        provider.parse_webhook(body=notification(), headers=headers)


def test_another_secret_or_a_changed_body_is_refused(provider):
    body = notification()
    with pytest.raises(WebhookRejected):
        provider.parse_webhook(body=body, headers={SIGNATURE_HEADER: sign(body, "other")})
    header = sign(body, SECRET)
    with pytest.raises(WebhookRejected):
        provider.parse_webhook(
            body=body.replace(REFERENCE.encode(), b"P0000000000000000"),
            headers={SIGNATURE_HEADER: header},
        )


def test_without_a_secret_nothing_is_accepted(bank):
    provider = FpsProvider(
        payee=fps.Payee(name="IMMD", fps_id="1234567"), bank=bank, notification_secret=""
    )
    body = notification()
    with pytest.raises(WebhookRejected):
        provider.parse_webhook(body=body, headers={SIGNATURE_HEADER: sign(body, "")})


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'"paid"',
        json.dumps({"event_id": "e1", "status": "paid"}).encode(),
        json.dumps({"event_id": "e1", "reference": REFERENCE}).encode(),
        notification(event_id=""),
        notification(reference=12345),
        notification(status=None),
        notification(reference="R" * 26),
        notification(event_id="e" * 101),
    ],
)
def test_a_signed_body_that_is_not_a_confirmation_is_refused(provider, body):
    with pytest.raises(WebhookRejected):
        provider.parse_webhook(body=body, headers={SIGNATURE_HEADER: sign(body, SECRET)})


@pytest.fixture
def fps_settings(settings):
    settings.FPS_ID = "7654321"
    settings.FPS_MERCHANT_NAME = "IMMIGRATION DEPARTMENT"
    settings.FPS_COLLECTING_BANK = "tests.payments.test_fps_provider.RecordingBank"
    settings.FPS_NOTIFICATION_SECRET = SECRET
    settings.PAYMENT_WINDOW_MINUTES = 35
    return settings


def test_from_settings(fps_settings):
    provider = FpsProvider.from_settings()

    started = provider.start(start_request())
    assert fps.parse(started.next_action.qr_payload).proxy == ("02", "7654321")
    assert provider.capabilities(PaymentMethod.FPS).confirmation_window == datetime.timedelta(
        minutes=35
    )


def test_the_registry_builds_it_for_fps(fps_settings):
    fps_settings.PAYMENT_PROVIDERS = {"fps": "fps"}

    assert isinstance(registry.provider_for(PaymentMethod.FPS), FpsProvider)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("FPS_ID", ""),
        ("FPS_ID", "12345"),
        ("FPS_MERCHANT_NAME", ""),
        ("FPS_COLLECTING_BANK", ""),
        ("FPS_COLLECTING_BANK", "tests.payments.test_fps_provider.NotABank"),
        ("FPS_NOTIFICATION_SECRET", ""),
    ],
)
def test_from_settings_says_what_is_missing_or_wrong(fps_settings, name, value):
    setattr(fps_settings, name, value)
    with pytest.raises(ImproperlyConfigured):
        FpsProvider.from_settings()
