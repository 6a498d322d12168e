"""Template helpers for amounts (HKD cents shown as HK$) and the fee in force."""

from django import template

from immapp import money

register = template.Library()


@register.filter
def hkd(cents: int | None) -> str:
    """6000000 -> "HK$60,000", 60050 -> "HK$600.50"."""
    if cents is None:
        return ""
    return money.hkd(int(cents))


@register.simple_tag
def application_fee_hkd() -> str:
    """The fee per application in force now, in dollars ("600"), for pages of other apps:
    `{% load payments %}{% application_fee_hkd as fee_hkd %}`."""
    from ..services import dollars, fee_cents_now

    cents = fee_cents_now()
    return dollars(cents) if cents else ""
