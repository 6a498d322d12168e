"""A card payment by Stripe from the Pay page to the acknowledgment, with localstripe as Stripe:
authorise, secure the quota place, capture; authorise with no place left, cancel; a decline;
3-D Secure; and Stripe's signed webhook through its endpoint."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationGroup
from payments.methods import CARD_METHODS, PaymentMethod
from payments.models import AttemptStatus, Outcome, PaymentAttempt
from quota.models import Allocation, Hold
from tests.applications import drafting
from tests.payments import paying
from tests.payments.ready import ready_group

from .conftest import API_KEY, DATA, WEBHOOK_SECRET, LocalStripe, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def trade():
    return drafting.trade_with_pool(capacity=10)


@pytest.fixture
def cards_by_stripe(settings, localstripe: LocalStripe) -> LocalStripe:
    settings.PAYMENT_PROVIDERS = dict.fromkeys(CARD_METHODS, "stripe")
    settings.STRIPE_SECRET_KEY = API_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = localstripe.url
    return localstripe


def start(client, group, method=PaymentMethod.VISA) -> PaymentAttempt:
    response = paying.start(client, group, method)
    assert response.status_code == 302, response.content.decode()[:2000]
    attempt = paying.attempt_of(group)
    assert attempt.provider == "stripe"
    assert attempt.provider_reference.startswith("pi_")
    assert attempt.next_action["kind"] == "client_secret"
    return attempt


def come_back(client, attempt: PaymentAttempt):
    """The payer's browser back on our return address after Stripe.js confirmed."""
    return client.get(reverse("payments:return", kwargs={"attempt_id": attempt.public_id}))


def intent_status(localstripe: LocalStripe, attempt: PaymentAttempt) -> str:
    status, intent = localstripe.request("GET", "/v1/payment_intents/" + attempt.provider_reference)
    assert status == 200
    return intent["status"]


def test_authorise_secure_capture(client, trade, cards_by_stripe):
    group = ready_group(client, trade)
    attempt = start(client, group)
    assert intent_status(cards_by_stripe, attempt) == "requires_payment_method"

    status, _body = cards_by_stripe.confirm_card(attempt.provider_reference, "pm_card_visa")
    assert status == 200
    back = come_back(client, attempt)

    assert back.status_code == 302 and back.url.endswith("/acknowledgment/")
    attempt.refresh_from_db()
    assert (attempt.status, attempt.outcome, attempt.card_brand) == (
        AttemptStatus.PAID,
        Outcome.SUBMITTED,
        "visa",
    )
    assert intent_status(cards_by_stripe, attempt) == "succeeded"  # captured after the slot
    group.refresh_from_db()
    assert group.status == ApplicationGroup.Status.SUBMITTED
    assert Allocation.objects.filter(application__group=group, released_at__isnull=True).count()


def test_authorise_with_no_place_left_is_cancelled_never_captured(client, trade, cards_by_stripe):
    group = ready_group(client, trade)
    attempt = start(client, group, PaymentMethod.MASTERCARD)
    # The payer takes too long: the hold expires and the last places go to others.
    Hold.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    drafting.fill_pool(trade)
    cards_by_stripe.confirm_card(attempt.provider_reference, "pm_card_visa")

    come_back(client, attempt)

    attempt.refresh_from_db()
    assert (attempt.status, attempt.outcome) == (AttemptStatus.CANCELLED, Outcome.NO_SLOT)
    assert intent_status(cards_by_stripe, attempt) == "canceled"
    group.refresh_from_db()
    assert group.status == ApplicationGroup.Status.DRAFT
    assert not Allocation.objects.filter(application__group=group).exists()


def test_a_declined_card_brings_the_payer_back_to_pay(client, trade, cards_by_stripe):
    group = ready_group(client, trade)
    attempt = start(client, group, PaymentMethod.JCB)
    declined = cards_by_stripe.card("4000000000000341")
    status, _body = cards_by_stripe.confirm_card(attempt.provider_reference, declined)
    assert status == 402

    back = come_back(client, attempt)

    assert back.status_code == 302 and back.url == paying.pay_url(group)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.FAILED
    assert "declined" in attempt.failure_message
    group.refresh_from_db()
    assert group.status == ApplicationGroup.Status.DRAFT


def test_three_d_secure_then_submitted(client, trade, cards_by_stripe):
    group = ready_group(client, trade)
    attempt = start(client, group, PaymentMethod.UNIONPAY_CARD)
    challenged = cards_by_stripe.card("4000002500003155")
    status, body = cards_by_stripe.confirm_card(attempt.provider_reference, challenged)
    assert status == 200 and body["status"] == "requires_action"

    # Back before authenticating: still waiting, nothing submitted.
    come_back(client, attempt)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.PENDING
    cards_by_stripe.authenticate(attempt.provider_reference, attempt.next_action["client_secret"])
    back = come_back(client, attempt)

    assert back.url.endswith("/acknowledgment/")
    attempt.refresh_from_db()
    assert (attempt.status, attempt.outcome) == (AttemptStatus.PAID, Outcome.SUBMITTED)


def _event_for(attempt: PaymentAttempt, event_type: str, event_id: str) -> bytes:
    event = json.loads((DATA / "stripe_events" / (event_type + ".json")).read_text())
    event["id"] = event_id
    event["data"]["object"]["id"] = attempt.provider_reference
    return json.dumps(event).encode()


def test_stripes_webhook_settles_the_payment_and_a_forged_one_changes_nothing(
    client, trade, cards_by_stripe
):
    group = ready_group(client, trade)
    attempt = start(client, group)
    cards_by_stripe.confirm_card(attempt.provider_reference, "pm_card_visa")
    body = _event_for(attempt, "payment_intent.amount_capturable_updated", "evt_flow_0001")

    forged = client.post(
        "/payments/webhooks/stripe/",
        body,
        content_type="application/json",
        headers={"Stripe-Signature": sign(body, secret="whsec_forger")},
    )
    assert forged.status_code == 400
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.PENDING

    good = client.post(
        "/payments/webhooks/stripe/",
        body,
        content_type="application/json",
        headers={"Stripe-Signature": sign(body)},
    )
    assert good.status_code == 200
    attempt.refresh_from_db()
    assert (attempt.status, attempt.outcome) == (AttemptStatus.PAID, Outcome.SUBMITTED)
    assert intent_status(cards_by_stripe, attempt) == "succeeded"

    replay = client.post(
        "/payments/webhooks/stripe/",
        body,
        content_type="application/json",
        headers={"Stripe-Signature": sign(body)},
    )
    assert replay.status_code == 200
    assert PaymentAttempt.objects.get(pk=attempt.pk).status == AttemptStatus.PAID


def test_the_card_page_mounts_stripes_form_with_only_stripes_origins_allowed(
    client, trade, cards_by_stripe, settings
):
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_page"
    group = ready_group(client, trade)
    attempt = start(client, group)
    page = client.get(reverse("payments:attempt", kwargs={"attempt_id": attempt.public_id}))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-publishable-key="pk_test_page"' in body
    assert attempt.next_action["client_secret"] in body
    assert "https://js.stripe.com/v3/" in body and "payments/stripe-card.js" in body
    assert 'http-equiv="refresh"' not in body  # the payer is typing
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self' https://js.stripe.com" in policy
    assert "frame-src https://js.stripe.com https://hooks.stripe.com" in policy
    # Elsewhere the policy stays closed to other origins.
    other = client.get(paying.pay_url(group)).headers.get("Content-Security-Policy", "")
    assert "stripe" not in other
