"""The card brands the service accepts: VISA, Mastercard, UnionPay and JCB, and no other.

Brands are the lower-case words providers report for the card that was authorised (Stripe's
``payment_method_details.card.brand``: ``visa``, ``mastercard``, ``unionpay``, ``jcb``,
``amex``, ``diners``, ``discover``, ...). A card of another brand that a provider authorised
anyway is cancelled before capture, and the payer is told why (payments.services): nothing can
stop the payer typing such a card into the provider's form, so the check is made on what the
provider says it authorised, never on what the payer picked on our page.
"""

from __future__ import annotations

from django.utils.translation import gettext

from .methods import PaymentMethod

ACCEPTED = frozenset({"visa", "mastercard", "unionpay", "jcb"})

# The method each accepted brand pays through: a payer who picked "VISA" on our page and then
# paid with a JCB card paid by JCB, and the attempt is recorded as such.
METHOD_FOR_BRAND: dict[str, PaymentMethod] = {
    "visa": PaymentMethod.VISA,
    "mastercard": PaymentMethod.MASTERCARD,
    "unionpay": PaymentMethod.UNIONPAY_CARD,
    "jcb": PaymentMethod.JCB,
}


def normalise(brand: str | None) -> str:
    """The brand as compared here: trimmed and lower-case ("" for none)."""
    return (brand or "").strip().lower()


def is_accepted(brand: str | None) -> bool:
    """True for the four accepted brands only ("" and unknown brands are refused)."""
    return normalise(brand) in ACCEPTED


def method_for(brand: str | None) -> PaymentMethod | None:
    """The payment method a card of `brand` pays through; None for a brand we refuse."""
    return METHOD_FOR_BRAND.get(normalise(brand))


def refused_message() -> str:
    """What the payer is told when a card of another brand was authorised and then cancelled,
    in the active language."""
    return gettext(
        "Only VISA, Mastercard, UnionPay and JCB cards are accepted. The payment with this "
        "card was cancelled and nothing was taken: please pay with one of those cards or "
        "another method."
    )
