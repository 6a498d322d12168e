"""The Stripe provider against localstripe, a separate server on loopback: cards authorised,
captured, cancelled, declined, challenged by 3-D Secure, refunded."""

from __future__ import annotations

import pytest

from payments.methods import PaymentMethod
from payments.providers.base import (
    NextActionKind,
    PaymentRefused,
    ProviderStatus,
    ProviderUnavailable,
    Started,
    StartRequest,
)
from payments.providers.stripe import StripeProvider

from .conftest import API_KEY, WEBHOOK_SECRET, LocalStripe, free_port

FEE = 60_000  # HK$600 in cents


def start_card(provider: StripeProvider, attempt: int = 1, amount: int = FEE) -> Started:
    return provider.start(
        StartRequest(
            reference="P00000000000000" + str(attempt),
            method=PaymentMethod.VISA,
            amount_cents=amount,
            currency="HKD",
            idempotency_key="start:" + str(attempt),
            return_url="http://127.0.0.1:8000/en/payments/return/",
            language="en",
        )
    )


def authorised(provider: StripeProvider, localstripe: LocalStripe, attempt: int = 1) -> str:
    started = start_card(provider, attempt)
    status, body = localstripe.confirm_card(started.provider_reference, "pm_card_visa")
    assert status == 200, body
    return started.provider_reference


def test_card_start_creates_a_manual_capture_intent_and_gives_its_client_secret(
    stripe_provider, localstripe
):
    started = start_card(stripe_provider)

    assert started.provider_reference.startswith("pi_")
    assert started.next_action.kind == NextActionKind.CLIENT_SECRET
    assert started.next_action.client_secret.startswith(started.provider_reference + "_secret_")
    status, intent = localstripe.request("GET", "/v1/payment_intents/" + started.provider_reference)
    assert status == 200
    assert intent["capture_method"] == "manual"
    assert intent["amount"] == FEE and intent["currency"] == "hkd"
    assert intent["metadata"] == {"reference": "P000000000000001", "method": "visa"}
    truth = stripe_provider.retrieve(started.provider_reference)
    assert truth.status == ProviderStatus.PENDING
    assert truth.raw_status == "requires_payment_method"


def test_authorise_then_capture(stripe_provider, localstripe):
    reference = authorised(stripe_provider, localstripe)

    truth = stripe_provider.retrieve(reference)
    assert truth.status == ProviderStatus.AUTHORISED
    assert truth.amount_cents == FEE
    assert truth.amount_received_cents == 0
    assert truth.card_brand == "visa"

    captured = stripe_provider.capture(reference, amount_cents=FEE, idempotency_key="capture:1")
    assert captured.status == ProviderStatus.PAID
    assert captured.amount_received_cents == FEE
    assert stripe_provider.retrieve(reference).status == ProviderStatus.PAID


def test_a_second_capture_returns_the_payment_as_it_is(stripe_provider, localstripe):
    reference = authorised(stripe_provider, localstripe)
    stripe_provider.capture(reference, amount_cents=FEE, idempotency_key="capture:1")

    again = stripe_provider.capture(reference, amount_cents=FEE, idempotency_key="capture:1b")

    assert again.status == ProviderStatus.PAID
    assert again.amount_received_cents == FEE


def test_authorise_then_cancel(stripe_provider, localstripe):
    reference = authorised(stripe_provider, localstripe)

    cancelled = stripe_provider.cancel(reference, idempotency_key="cancel:1")

    assert cancelled.status == ProviderStatus.CANCELLED
    assert cancelled.amount_received_cents == 0
    # Cancelling again changes nothing and is no error.
    assert stripe_provider.cancel(reference, idempotency_key="cancel:1b").status == (
        ProviderStatus.CANCELLED
    )


def test_a_card_declined_at_confirmation_is_failed_with_our_message(stripe_provider, localstripe):
    started = start_card(stripe_provider)
    declined_card = localstripe.card("4000000000000341")

    status, body = localstripe.confirm_card(started.provider_reference, declined_card)

    assert status == 402 and body["error"]["code"] == "card_declined"
    truth = stripe_provider.retrieve(started.provider_reference)
    assert truth.status == ProviderStatus.FAILED
    assert truth.failure_message == (
        "The card was declined. Please use another card or another method."
    )
    assert truth.amount_received_cents == 0


def test_three_d_secure_challenge_then_authorised(stripe_provider, localstripe):
    started = start_card(stripe_provider)
    challenged_card = localstripe.card("4000002500003155")

    status, body = localstripe.confirm_card(started.provider_reference, challenged_card)

    assert status == 200 and body["status"] == "requires_action"
    truth = stripe_provider.retrieve(started.provider_reference)
    assert truth.status == ProviderStatus.PENDING
    assert truth.raw_status == "requires_action"

    status, body = localstripe.authenticate(
        started.provider_reference, started.next_action.client_secret
    )
    assert status == 200, body
    assert stripe_provider.retrieve(started.provider_reference).status == ProviderStatus.AUTHORISED


def test_refund_of_a_captured_payment(stripe_provider, localstripe):
    reference = authorised(stripe_provider, localstripe)
    stripe_provider.capture(reference, amount_cents=FEE, idempotency_key="capture:1")

    result = stripe_provider.refund(reference, amount_cents=FEE, idempotency_key="refund:1")

    assert result.provider_refund_reference.startswith("re_")
    assert result.amount_cents == FEE
    assert result.succeeded and not result.pending
    truth = stripe_provider.retrieve(reference)
    assert truth.status == ProviderStatus.PAID
    assert truth.amount_refunded_cents == FEE
    assert not truth.refund_pending


def test_an_unknown_reference_is_unavailable_not_a_payment(stripe_provider):
    with pytest.raises(ProviderUnavailable):
        stripe_provider.retrieve("pi_doesnotexist")


def test_a_refused_key_is_unavailable_for_the_payer(localstripe):
    provider = StripeProvider(
        api_key="not-a-key",
        webhook_secret=WEBHOOK_SECRET,
        api_base=localstripe.url,
        max_network_retries=0,
    )
    with pytest.raises(ProviderUnavailable):
        start_card(provider)


def test_no_answer_is_unavailable():
    provider = StripeProvider(
        api_key=API_KEY,
        webhook_secret=WEBHOOK_SECRET,
        api_base="http://127.0.0.1:" + str(free_port()),
        connect_timeout=1,
        max_network_retries=0,
    )
    with pytest.raises(ProviderUnavailable):
        start_card(provider)
    with pytest.raises(ProviderUnavailable):
        provider.retrieve("pi_anything")


def test_localstripe_cannot_list_by_creation_time(stripe_provider):
    """paid_between asks Stripe for intents created in the window; localstripe refuses that
    filter (400), so its request shape is tested against the recording stand-in instead
    (test_stripe_requests.py). The refusal must not pass for an empty day."""
    import datetime

    end = datetime.datetime.now(tz=datetime.UTC)
    with pytest.raises(PaymentRefused):
        stripe_provider.paid_between(end - datetime.timedelta(days=1), end)
