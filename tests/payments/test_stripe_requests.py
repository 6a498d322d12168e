"""What the Stripe provider sends and how it reads the answers, against a recording stand-in for
Stripe's API: the flows localstripe cannot play (Alipay and WeChat Pay confirmed at once, the
listing by creation time), our idempotency keys on the wire, and errors."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from payments.methods import PaymentMethod
from payments.providers.base import (
    NextActionKind,
    PaymentRefused,
    ProviderStatus,
    ProviderUnavailable,
    StartRequest,
)
from payments.providers.stripe import AUTHORISATION_LIFETIME, StripeProvider

from .conftest import load

RETURN_URL = "http://127.0.0.1:8000/en/payments/return/"


def request(method: str, attempt: int = 7) -> StartRequest:
    return StartRequest(
        reference="P3F2A9C81B7D4E06",
        method=method,
        amount_cents=60_000,
        currency="HKD",
        idempotency_key="start:" + str(attempt),
        return_url=RETURN_URL,
        language="zh-hant",
        description="TP Stream application fee T7K3M9",
    )


def test_alipay_is_confirmed_at_once_and_the_payer_redirected(fake_stripe, fake_stripe_provider):
    fake_stripe.answer(
        "POST",
        "/v1/payment_intents",
        load("stripe_responses/payment_intent.alipay.requires_action.json"),
    )

    started = fake_stripe_provider.start(request(PaymentMethod.ALIPAY))

    assert started.provider_reference == "pi_3QxHkTestAlipay01"
    assert started.next_action.kind == NextActionKind.REDIRECT
    assert started.next_action.url.startswith("https://hooks.stripe.com/redirect/authenticate/")
    assert started.next_action.reference == "P3F2A9C81B7D4E06"
    (sent,) = fake_stripe.requests
    assert sent.headers["Idempotency-Key"] == "start:7"
    assert sent.form["payment_method_types[0]"] == ["alipay"]
    assert sent.form["payment_method_data[type]"] == ["alipay"]
    assert sent.form["capture_method"] == ["automatic"]
    assert sent.form["confirm"] == ["true"]
    assert sent.form["return_url"] == [RETURN_URL]
    assert sent.form["amount"] == ["60000"]
    assert sent.form["currency"] == ["hkd"]
    assert sent.form["metadata[reference]"] == ["P3F2A9C81B7D4E06"]
    assert sent.form["metadata[description]"] == ["TP Stream application fee T7K3M9"]
    assert "description" not in sent.form


def test_wechat_pay_gives_its_qr_payload_and_the_hosted_page(fake_stripe, fake_stripe_provider):
    fake_stripe.answer(
        "POST",
        "/v1/payment_intents",
        load("stripe_responses/payment_intent.wechat_pay.requires_action.json"),
    )

    started = fake_stripe_provider.start(request(PaymentMethod.WECHAT_PAY))

    assert started.next_action.kind == NextActionKind.QR
    assert started.next_action.qr_payload == "weixin://wxpay/bizpayurl?pr=TestPr01"
    assert started.next_action.url == "https://payments.stripe.com/wechat_pay/qr/test_TestHosted01"
    (sent,) = fake_stripe.requests
    assert sent.form["payment_method_types[0]"] == ["wechat_pay"]
    assert sent.form["payment_method_options[wechat_pay][client]"] == ["web"]
    assert sent.form["capture_method"] == ["automatic"]


def test_cards_send_our_idempotency_key_and_no_confirmation(fake_stripe, fake_stripe_provider):
    intent = load("stripe_responses/payment_intent.alipay.requires_action.json")
    intent.update(status="requires_payment_method", next_action=None, capture_method="manual")
    fake_stripe.answer("POST", "/v1/payment_intents", intent)

    started = fake_stripe_provider.start(request(PaymentMethod.UNIONPAY_CARD, attempt=12))

    assert started.next_action.kind == NextActionKind.CLIENT_SECRET
    assert started.next_action.client_secret == intent["client_secret"]
    (sent,) = fake_stripe.requests
    assert sent.headers["Idempotency-Key"] == "start:12"
    assert sent.form["payment_method_types[0]"] == ["card"]
    assert sent.form["capture_method"] == ["manual"]
    assert "confirm" not in sent.form
    assert sent.form["metadata[method]"] == ["unionpay_card"]


def test_capture_cancel_and_refund_send_our_keys(fake_stripe, fake_stripe_provider):
    listed = load("stripe_responses/payment_intent.list.json")["data"][0]
    fake_stripe.answer("POST", "/v1/payment_intents/pi_1/capture", listed)
    fake_stripe.answer("POST", "/v1/payment_intents/pi_1/cancel", listed)
    fake_stripe.answer(
        "POST",
        "/v1/refunds",
        {"id": "re_1", "object": "refund", "amount": 60_000, "status": "pending"},
    )

    fake_stripe_provider.capture("pi_1", amount_cents=60_000, idempotency_key="capture:3")
    fake_stripe_provider.cancel("pi_1", idempotency_key="cancel:3")
    result = fake_stripe_provider.refund("pi_1", amount_cents=60_000, idempotency_key="refund:3")

    capture, cancel, refunded = fake_stripe.requests
    assert capture.headers["Idempotency-Key"] == "capture:3"
    assert capture.form["amount_to_capture"] == ["60000"]
    assert cancel.headers["Idempotency-Key"] == "cancel:3"
    assert refunded.headers["Idempotency-Key"] == "refund:3"
    assert refunded.form["payment_intent"] == ["pi_1"]
    assert refunded.form["amount"] == ["60000"]
    assert result.pending and not result.succeeded


def test_retrieve_expands_the_charge_its_refunds_and_the_payment_method(
    fake_stripe, fake_stripe_provider
):
    listed = load("stripe_responses/payment_intent.list.json")["data"][2]
    fake_stripe.answer("GET", "/v1/payment_intents/pi_3QxHkTestListed03", listed)

    truth = fake_stripe_provider.retrieve("pi_3QxHkTestListed03")

    (sent,) = fake_stripe.requests
    assert sorted(v for k, v in sent.query.items() if k.startswith("expand")) == [
        ["latest_charge"],
        ["latest_charge.refunds"],
        ["payment_method"],
    ]
    assert truth.status == ProviderStatus.PAID
    assert truth.amount_received_cents == 60_000
    assert truth.amount_refunded_cents == 60_000
    assert truth.card_brand == ""


def test_paid_between_lists_intents_created_in_the_window_and_keeps_the_succeeded(
    fake_stripe, fake_stripe_provider
):
    fake_stripe.answer(
        "GET", "/v1/payment_intents", load("stripe_responses/payment_intent.list.json")
    )
    start = datetime.datetime(2025, 12, 1, tzinfo=datetime.UTC)
    end = start + datetime.timedelta(days=1)

    paid = list(fake_stripe_provider.paid_between(start, end))

    (sent,) = fake_stripe.requests
    assert sent.query["created[gte]"] == [str(int(start.timestamp()))]
    assert sent.query["created[lt]"] == [str(int(end.timestamp()))]
    assert sent.query["limit"] == ["100"]
    assert [p.provider_reference for p in paid] == ["pi_3QxHkTestListed01", "pi_3QxHkTestListed03"]
    assert paid[0].card_brand == "jcb"
    assert all(p.status == ProviderStatus.PAID for p in paid)


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (500, "stripe_responses/error.api_error.json", ProviderUnavailable),
        (503, "stripe_responses/error.api_error.json", ProviderUnavailable),
        (429, "stripe_responses/error.api_error.json", ProviderUnavailable),
        (401, "stripe_responses/error.api_error.json", ProviderUnavailable),
        (402, "stripe_responses/error.card_declined.json", PaymentRefused),
        (400, "stripe_responses/error.api_error.json", PaymentRefused),
    ],
)
def test_errors_become_unavailable_or_refused(
    fake_stripe, fake_stripe_provider, status, body, error
):
    fake_stripe.answer("POST", "/v1/payment_intents", load(body), status=status)

    with pytest.raises(error):
        fake_stripe_provider.start(request(PaymentMethod.ALIPAY))


def test_a_declined_card_is_told_in_our_words_in_the_payers_language(
    fake_stripe, fake_stripe_provider
):
    from django.utils import translation

    fake_stripe.answer(
        "POST", "/v1/payment_intents", load("stripe_responses/error.card_declined.json"), status=402
    )

    with translation.override("en"), pytest.raises(PaymentRefused) as refused:
        fake_stripe_provider.start(request(PaymentMethod.VISA))
    assert str(refused.value.message) == (
        "The card has insufficient funds. Please use another card or another method."
    )
    with translation.override("zh-hant"), pytest.raises(PaymentRefused) as refused:
        fake_stripe_provider.start(request(PaymentMethod.VISA))
    assert "insufficient" not in str(refused.value.message)


def test_capabilities_cards_later_wallets_at_once():
    provider = StripeProvider(
        api_key="sk_test_unused",
        webhook_secret="",
        confirmation_window=datetime.timedelta(minutes=45),
    )
    for method in (
        PaymentMethod.VISA,
        PaymentMethod.MASTERCARD,
        PaymentMethod.UNIONPAY_CARD,
        PaymentMethod.JCB,
    ):
        card = provider.capabilities(method)
        assert card.capture_later
        assert card.authorisation_lifetime == AUTHORISATION_LIFETIME == datetime.timedelta(days=7)
        assert card.confirmation_window == datetime.timedelta(minutes=45)
    for method in (PaymentMethod.ALIPAY, PaymentMethod.WECHAT_PAY):
        wallet = provider.capabilities(method)
        assert not wallet.capture_later
        assert wallet.authorisation_lifetime is None
        assert wallet.confirmation_window == datetime.timedelta(minutes=45)
    for method in (PaymentMethod.FPS, PaymentMethod.PPS, PaymentMethod.UNIONPAY_APP):
        with pytest.raises(ImproperlyConfigured):
            provider.capabilities(method)
        with pytest.raises(ImproperlyConfigured):
            provider.start(request(method))


def test_from_settings(settings, fake_stripe):
    settings.STRIPE_SECRET_KEY = "sk_test_from_settings"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_from_settings"
    settings.STRIPE_API_BASE = fake_stripe.url
    settings.PAYMENT_WINDOW_MINUTES = 25
    fake_stripe.answer(
        "POST",
        "/v1/payment_intents",
        load("stripe_responses/payment_intent.alipay.requires_action.json"),
    )

    provider = StripeProvider.from_settings()
    provider.start(request(PaymentMethod.ALIPAY))

    assert provider.capabilities(PaymentMethod.ALIPAY).confirmation_window == datetime.timedelta(
        minutes=25
    )
    (sent,) = fake_stripe.requests
    assert sent.headers["Authorization"] == "Bearer sk_test_from_settings"

    settings.STRIPE_SECRET_KEY = ""
    with pytest.raises(ImproperlyConfigured):
        StripeProvider.from_settings()
