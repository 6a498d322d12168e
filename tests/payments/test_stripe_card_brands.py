"""Card brands: which Stripe reports for an authorised card, and which of them we accept.

localstripe reports ``visa`` for every card, so the brand a PaymentIntent carries is tested on
Stripe-shaped objects here, and the acceptance rules on their own."""

from __future__ import annotations

import copy

import pytest
from django.utils import translation

from payments import card_brands
from payments.methods import CARD_METHODS, PaymentMethod
from payments.providers.base import ProviderStatus
from payments.providers.stripe import to_payment

from .conftest import load


def authorised_intent(brand: str) -> dict:
    """The listed card intent, authorised rather than captured, paid with a card of `brand`."""
    intent = copy.deepcopy(load("stripe_responses/payment_intent.list.json")["data"][0])
    intent.update(status="requires_capture", amount_received=0)
    intent["latest_charge"].update(captured=False, amount_captured=0)
    intent["latest_charge"]["payment_method_details"]["card"]["brand"] = brand
    intent["payment_method"]["card"]["brand"] = brand
    return intent


@pytest.mark.parametrize(
    ("brand", "accepted", "method"),
    [
        ("visa", True, PaymentMethod.VISA),
        ("mastercard", True, PaymentMethod.MASTERCARD),
        ("unionpay", True, PaymentMethod.UNIONPAY_CARD),
        ("jcb", True, PaymentMethod.JCB),
        ("amex", False, None),
        ("diners", False, None),
        ("discover", False, None),
        ("cartes_bancaires", False, None),
        ("unknown", False, None),
    ],
)
def test_the_brand_of_an_authorised_card_decides(brand, accepted, method):
    truth = to_payment(authorised_intent(brand))

    assert truth.status == ProviderStatus.AUTHORISED
    assert truth.card_brand == brand
    assert card_brands.is_accepted(truth.card_brand) is accepted
    assert card_brands.method_for(truth.card_brand) == method


def test_the_charge_is_the_truth_and_the_payment_method_a_fallback():
    intent = authorised_intent("amex")
    intent["payment_method"]["card"]["brand"] = "visa"
    assert to_payment(intent).card_brand == "amex"

    # A charge without details (localstripe's): the payment method's card says it.
    del intent["latest_charge"]["payment_method_details"]
    assert to_payment(intent).card_brand == "visa"

    # Neither: no brand, which is refused too.
    intent["payment_method"] = "pm_not_expanded"
    assert to_payment(intent).card_brand == ""
    assert not card_brands.is_accepted("")


def test_a_wallet_payment_has_no_card_brand():
    intent = load("stripe_responses/payment_intent.list.json")["data"][2]
    assert to_payment(intent).card_brand == ""


def test_brands_are_compared_in_lower_case():
    assert card_brands.is_accepted(" Visa ")
    assert card_brands.is_accepted("MASTERCARD")
    assert card_brands.method_for("UnionPay") == PaymentMethod.UNIONPAY_CARD
    assert not card_brands.is_accepted(None)


def test_each_card_method_has_exactly_one_brand():
    assert set(card_brands.METHOD_FOR_BRAND) == card_brands.ACCEPTED
    assert set(card_brands.METHOD_FOR_BRAND.values()) == CARD_METHODS


@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans"])
def test_the_refusal_is_told_in_the_payers_language(language):
    with translation.override(language):
        message = card_brands.refused_message()
    assert "VISA" in message and "JCB" in message
    if language != "en":
        assert "accepted" not in message
