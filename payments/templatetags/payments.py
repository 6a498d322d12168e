"""Template helpers for amounts: HKD cents shown as HK$."""

from django import template

register = template.Library()


@register.filter
def hkd(cents: int | None) -> str:
    """6000000 -> "HK$60,000", 60050 -> "HK$600.50"."""
    if cents is None:
        return ""
    dollars, rest = divmod(int(cents), 100)
    return f"HK${dollars:,}" + (f".{rest:02d}" if rest else "")
