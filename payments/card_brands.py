"""The card brands the service accepts: VISA, Mastercard, UnionPay and JCB, and no other.

A card of another brand that a provider authorised anyway is cancelled before capture, and the
payer is told why (payments.services).
"""

from django.utils.translation import gettext_lazy as _

ACCEPTED = frozenset({"visa", "mastercard", "unionpay", "jcb"})


def is_accepted(brand: str) -> bool:
    return (brand or "").strip().lower() in ACCEPTED


def refused_message() -> str:
    return str(
        _(
            "Only VISA, Mastercard, UnionPay and JCB cards are accepted. The payment with this "
            "card was cancelled and nothing was taken: please pay with one of those cards or "
            "another method."
        )
    )
