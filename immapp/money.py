"""Hong Kong dollars as every page, email and PDF of the service writes them: "HK$22,000",
"HK$600.50". Hong Kong writes amounts so in Chinese too, whatever the language's number format,
so the formatting does not follow the active language."""

import re
from decimal import Decimal, InvalidOperation


def dollars(cents: int) -> str:
    """HKD cents as a number of dollars: 60000 -> "600", 120050 -> "1,200.50"."""
    whole, rest = divmod(int(cents), 100)
    return f"{whole:,}" + (f".{rest:02d}" if rest else "")


def hkd(cents: int) -> str:
    """HKD cents with the currency: 2200000 -> "HK$22,000", 60050 -> "HK$600.50"."""
    return "HK$" + dollars(cents)


def hkd_dollars(amount: int) -> str:
    """A whole number of dollars with the currency: 22000 -> "HK$22,000"."""
    return hkd(int(amount) * 100)


_CURRENCY = re.compile(r"^(?:HK\$|HKD|\$)\s*", re.IGNORECASE)
_GROUPED = re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})+$|^[0-9]+$")


def parse_dollars(text: str) -> Decimal | None:
    """An amount as people type it ("22000", "22,000", "HK$22,000", "HK$ 22,000.00",
    "HKD 22000"), or None when it is not one. Commas must group thousands: "2,20,00" is not an
    amount. The result may have cents; a caller wanting whole dollars checks that itself."""
    value = _CURRENCY.sub("", (text or "").strip()).strip()
    whole, _point, cents = value.partition(".")
    if not _GROUPED.match(whole) or (cents and not re.fullmatch(r"[0-9]{1,2}", cents)):
        return None
    if _point and not cents:
        return None
    try:
        return Decimal(whole.replace(",", "") + ("." + cents if cents else ""))
    except InvalidOperation:
        return None
