"""Stripe webhooks as raw signed bodies: verified on the raw bytes (300 seconds' tolerance) and
reduced to the PaymentIntent to re-fetch. Event shapes are in tests/data/stripe_events/."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from payments.methods import PaymentMethod
from payments.providers.base import StartRequest, WebhookHint, WebhookRejected
from payments.providers.stripe import StripeProvider

from .conftest import DATA, WEBHOOK_SECRET, sign

INTENT = "pi_3QxHkTestIntent01"
EVENTS = DATA / "stripe_events"


def raw(event_type: str) -> bytes:
    """The stored event as Stripe sends it: the bytes are what is signed, never re-encoded."""
    return (EVENTS / (event_type + ".json")).read_bytes()


def parse(provider: StripeProvider, body: bytes, header: str | None) -> WebhookHint:
    headers = {} if header is None else {"Stripe-Signature": header}
    return provider.parse_webhook(body=body, headers=headers)


@pytest.fixture
def provider() -> StripeProvider:
    # No server is needed to verify a webhook.
    return StripeProvider(api_key="sk_test_unused", webhook_secret=WEBHOOK_SECRET)


@pytest.mark.parametrize(
    ("event_type", "disputed"),
    [
        ("payment_intent.amount_capturable_updated", False),
        ("payment_intent.succeeded", False),
        ("payment_intent.payment_failed", False),
        ("payment_intent.canceled", False),
        ("payment_intent.processing", False),
        ("charge.refunded", False),
        ("charge.expired", False),
        ("charge.dispute.created", True),
        ("refund.updated", False),
        ("refund.failed", False),
    ],
)
def test_each_handled_event_names_its_payment_intent(provider, event_type, disputed):
    body = raw(event_type)

    hint = parse(provider, body, sign(body))

    assert hint == WebhookHint(
        event_id=json.loads(body)["id"],
        event_type=event_type,
        provider_reference=INTENT,
        disputed=disputed,
    )


def test_every_stored_shape_is_a_stripe_event():
    shapes = sorted(EVENTS.glob("*.json"))
    assert len(shapes) == 11
    for path in shapes:
        event = json.loads(path.read_text())
        assert event["object"] == "event"
        assert event["id"].startswith("evt_")
        assert path.name == event["type"] + ".json"
        assert "object" in event["data"]["object"]


def test_an_unknown_type_is_a_hint_naming_no_payment(provider):
    body = raw("customer.created")

    hint = parse(provider, body, sign(body))

    assert hint.event_type == "customer.created"
    assert hint.provider_reference == ""
    assert not hint.disputed


def test_a_refund_without_a_payment_intent_names_none(provider):
    event = json.loads(raw("refund.updated"))
    event["data"]["object"]["payment_intent"] = None
    body = json.dumps(event).encode()

    assert parse(provider, body, sign(body)).provider_reference == ""


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "garbage",
        "t=notanumber,v1=00",
        "v1=" + "0" * 64,
    ],
)
def test_a_missing_or_malformed_signature_is_rejected(provider, header):
    with pytest.raises(WebhookRejected):
        parse(provider, raw("payment_intent.succeeded"), header)


def test_a_signature_with_another_secret_is_rejected(provider):
    body = raw("payment_intent.succeeded")
    with pytest.raises(WebhookRejected):
        parse(provider, body, sign(body, secret="whsec_someone_else"))


def test_a_body_changed_after_signing_is_rejected(provider):
    body = raw("payment_intent.succeeded")
    header = sign(body)
    tampered = body.replace(INTENT.encode(), b"pi_3QxHkSomeoneElse1")
    with pytest.raises(WebhookRejected):
        parse(provider, tampered, header)


def test_a_body_re_encoded_after_signing_is_rejected(provider):
    """The signature covers the raw bytes: parsing and dumping the JSON again breaks it."""
    body = raw("payment_intent.succeeded")
    header = sign(body)
    with pytest.raises(WebhookRejected):
        parse(provider, json.dumps(json.loads(body)).encode(), header)


def test_a_stale_signature_is_rejected_and_a_recent_one_accepted(provider):
    body = raw("payment_intent.succeeded")
    now = int(time.time())

    with pytest.raises(WebhookRejected):
        parse(provider, body, sign(body, timestamp=now - 301))
    assert parse(provider, body, sign(body, timestamp=now - 290)).provider_reference == INTENT


def test_one_good_signature_among_several_is_enough(provider):
    """Stripe sends one v1 signature per active secret while a secret is being rolled."""
    body = raw("payment_intent.succeeded")
    good = sign(body)
    timestamp = good.split(",")[0]
    header = timestamp + ",v1=" + "0" * 64 + "," + good.split(",")[1]

    assert parse(provider, body, header).provider_reference == INTENT


def test_without_a_configured_secret_every_webhook_is_rejected():
    provider = StripeProvider(api_key="sk_test_unused", webhook_secret="")
    body = raw("payment_intent.succeeded")
    with pytest.raises(WebhookRejected):
        parse(provider, body, sign(body, secret=""))


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"\xff\xfe\x00",
        b"[]",
        b'{"id": "evt_1", "type": "payment_intent.succeeded"}',
    ],
)
def test_a_signed_body_that_is_not_an_event_is_rejected(provider, body):
    with pytest.raises(WebhookRejected):
        parse(provider, body, sign(body))


class _Receiver:
    """An HTTP endpoint that keeps the raw bodies and headers posted to it."""

    def __init__(self) -> None:
        self.received: list[tuple[bytes, dict[str, str]]] = []
        self.arrived = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.received.append((body, dict(self.headers.items())))
                receiver.arrived.set()
                self.send_response(200)
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:" + str(self.server.server_address[1]) + "/hook"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_a_webhook_signed_by_localstripe_is_verified(stripe_provider, localstripe):
    """The same scheme, signed by another implementation than our tests' own."""
    receiver = _Receiver()
    hook = "/_config/webhooks/prov-test"
    status, _body = localstripe.request(
        "POST",
        hook,
        {"url": receiver.url, "secret": WEBHOOK_SECRET, "events[]": "payment_intent.succeeded"},
    )
    assert status == 200
    try:
        started = stripe_provider.start(
            StartRequest(
                reference="PWEBHOOK00000001",
                method=PaymentMethod.MASTERCARD,
                amount_cents=60_000,
                currency="HKD",
                idempotency_key="start:webhook",
                return_url="http://127.0.0.1:8000/en/payments/return/",
                language="en",
            )
        )
        localstripe.confirm_card(started.provider_reference, "pm_card_visa")
        stripe_provider.capture(
            started.provider_reference, amount_cents=60_000, idempotency_key="capture:webhook"
        )

        # Events of earlier tests' payments may still arrive here: wait for this payment's.
        deadline = time.monotonic() + 10
        hints: list = []
        while time.monotonic() < deadline:
            hints = [
                stripe_provider.parse_webhook(body=body, headers=headers)
                for body, headers in list(receiver.received)
            ]
            if any(h.provider_reference == started.provider_reference for h in hints):
                break
            time.sleep(0.1)
        mine = [h for h in hints if h.provider_reference == started.provider_reference]
        assert mine, "localstripe sent no webhook for this payment"
        assert mine[0].event_type == "payment_intent.succeeded"
    finally:
        # localstripe keeps webhooks across resets: point this one at an event never sent.
        localstripe.request(
            "POST", hook, {"url": receiver.url, "secret": WEBHOOK_SECRET, "events[]": "never.sent"}
        )
        receiver.close()
