"""The webhook endpoint as a provider calls it: raw signed bodies at the fixed address, bad and
stale signatures, replays, unknown types and payments, oversized bodies, events out of order."""

import json
import time

import pytest
from django.conf import settings

from applications.models import ApplicationGroup
from payments import signing
from payments.methods import PaymentMethod
from payments.models import AttemptStatus, AttemptTransition, ProviderEvent
from payments.providers.sandbox import SIGNATURE_HEADER
from tests.applications import drafting
from tests.payments import paying
from tests.payments.ready import ready_group

pytestmark = pytest.mark.django_db
URL = "/payments/webhooks/sandbox/"


def _post(client, body: bytes, *, signature: str | None = None, timestamp: int | None = None):
    if signature is None:
        signature = signing.sign(body, secret=settings.SANDBOX_WEBHOOK_SECRET, timestamp=timestamp)
    return client.post(
        URL, body, content_type="application/json", headers={SIGNATURE_HEADER: signature}
    )


def _event(reference: str, event_id: str = "evt_1", event_type: str = "payment.updated") -> bytes:
    return json.dumps({"id": event_id, "type": event_type, "payment": reference}).encode()


@pytest.fixture
def paid_attempt(client):
    """A card payment played successfully on the sandbox, with no return and no webhook yet."""
    group = ready_group(client, drafting.trade_with_pool(capacity=5))
    paying.start(client, group, PaymentMethod.VISA)
    attempt = paying.attempt_of(group)
    paying.play(client, attempt, "success")
    return attempt


def test_a_good_event_submits_the_group(client, paid_attempt):
    response = _post(client, _event(paid_attempt.provider_reference))
    assert response.status_code == 200
    paid_attempt.refresh_from_db()
    assert paid_attempt.status == AttemptStatus.PAID
    assert ApplicationGroup.objects.get(pk=paid_attempt.group_id).status == "submitted"
    event = ProviderEvent.objects.get()
    assert event.attempt == paid_attempt and event.processed_at is not None


@pytest.mark.parametrize(
    "signature",
    ["", "t=1,v1=00", "nonsense", "t=%(now)s,v1=" + "0" * 64, "v1=abc"],
)
def test_a_bad_signature_gets_400_and_changes_nothing(client, paid_attempt, signature):
    body = _event(paid_attempt.provider_reference)
    response = _post(client, body, signature=signature % {"now": int(time.time())})
    assert response.status_code == 400
    paid_attempt.refresh_from_db()
    assert paid_attempt.status == AttemptStatus.PENDING
    assert not ProviderEvent.objects.exists()


def test_a_body_changed_after_signing_is_refused(client, paid_attempt):
    body = _event(paid_attempt.provider_reference)
    signature = signing.sign(body, secret=settings.SANDBOX_WEBHOOK_SECRET)
    response = _post(client, body.replace(b"evt_1", b"evt_2"), signature=signature)
    assert response.status_code == 400


def test_a_stale_signature_gets_400(client, paid_attempt):
    body = _event(paid_attempt.provider_reference)
    response = _post(client, body, timestamp=int(time.time()) - 301)
    assert response.status_code == 400
    assert not ProviderEvent.objects.exists()


def test_a_replayed_event_changes_nothing(client, paid_attempt):
    body = _event(paid_attempt.provider_reference)
    assert _post(client, body).status_code == 200
    moves = AttemptTransition.objects.count()
    for _ in range(3):
        assert _post(client, body).status_code == 200
    assert ProviderEvent.objects.count() == 1
    assert AttemptTransition.objects.count() == moves


def test_unknown_types_and_payments_get_200_and_are_ignored(client, paid_attempt):
    assert _post(client, _event("sbx_unknown", "evt_9", "payment.mystery")).status_code == 200
    assert _post(client, json.dumps({"id": "evt_10", "type": "ping"}).encode()).status_code == 200
    paid_attempt.refresh_from_db()
    assert paid_attempt.status == AttemptStatus.PENDING


def test_events_in_any_order_give_the_same_end_state(client, paid_attempt):
    # A later event first, then earlier ones: each is only a trigger to re-fetch.
    for event_id in ("evt_3", "evt_1", "evt_2"):
        assert _post(client, _event(paid_attempt.provider_reference, event_id)).status_code == 200
    paid_attempt.refresh_from_db()
    assert paid_attempt.status == AttemptStatus.PAID
    assert ProviderEvent.objects.count() == 3


def test_an_oversized_body_is_refused_before_it_is_read(client):
    response = _post(client, b"{" + b" " * (300 * 1024) + b"}")
    assert response.status_code == 413
    assert not ProviderEvent.objects.exists()


def test_get_and_unknown_providers(client):
    assert client.get(URL).status_code == 405
    assert (
        client.post(
            "/payments/webhooks/paypal/", b"{}", content_type="application/json"
        ).status_code
        == 404
    )
    # Stripe's address exists only where Stripe carries a method.
    assert (
        client.post(
            "/payments/webhooks/stripe/", b"{}", content_type="application/json"
        ).status_code
        == 404
    )


def test_the_webhook_needs_no_csrf_token_and_no_language_prefix(paid_attempt):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert _post(strict, _event(paid_attempt.provider_reference)).status_code == 200
