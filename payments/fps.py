"""FPS payee-presented QR codes: the payload, its parser, and the drawing.

The payload follows HKMA/HKICL's "Payee-presented QR Code Specification for FPS", which is EMV
merchant-presented mode: a string of TLV fields (two-digit tag, two-digit length, value) ending
with a CRC. A payer's banking app reads it and proposes the transfer with the payee, amount and
reference filled in:

    00 payload format indicator "01"
    01 point of initiation "12" (dynamic: this payment only; "11" is a static, reusable code)
    26 merchant account information, FPS: 00 GUID "hk.com.hkicl", then one proxy of the payee,
       02 FPS ID (7 or 9 digits), 03 mobile number ("+852-91234567") or 04 email address
    52 merchant category code (four digits)
    53 transaction currency, ISO 4217 numeric ("344", Hong Kong dollar)
    54 transaction amount ("600.00")
    58 country code "HK"
    59 merchant name (up to 25 characters), 60 merchant city (up to 15)
    62 additional data: 01 bill number, our attempt's reference (up to 25 characters)
    63 CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF) of everything before its value,
       "6304" included, as four upper-case hexadecimal digits

Values are printable ASCII: the specification's lengths count characters, and the payer's app
shows the payee's name from the FPS registration anyway.
"""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass, field

import segno

GUID = "hk.com.hkicl"
CURRENCIES = {"HKD": "344"}
MAX_REFERENCE = 25
MAX_NAME = 25
MAX_CITY = 15
# FPS does not route payments by category; 0000 ("not given") unless the bank assigns one.
DEFAULT_CATEGORY = "0000"

_PRINTABLE = re.compile(r"[\x20-\x7e]+")
_FPS_ID = re.compile(r"\d{7}|\d{9}")
_MOBILE = re.compile(r"\+\d{1,3}-\d{6,12}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_AMOUNT = re.compile(r"(\d{1,10})(?:\.(\d{1,2}))?")

# Sub-tags of template 26 naming the payee.
PROXY_FPS_ID, PROXY_MOBILE, PROXY_EMAIL = "02", "03", "04"
BILL_NUMBER = "01"


class InvalidPayload(ValueError):
    """A value that cannot go into a payload, or a payload that is not a valid FPS QR code."""


@dataclass(frozen=True)
class Payee:
    """Who is paid: exactly one FPS proxy (FPS ID, mobile number or email address) and the name
    and city the payload carries. Checked when built."""

    name: str
    fps_id: str = ""
    mobile: str = ""
    email: str = ""
    city: str = "Hong Kong"
    category: str = DEFAULT_CATEGORY

    def __post_init__(self) -> None:
        proxies = [p for p in (self.fps_id, self.mobile, self.email) if p]
        if len(proxies) != 1:
            raise InvalidPayload("Give exactly one of an FPS ID, a mobile number or an email.")
        if self.fps_id and not _FPS_ID.fullmatch(self.fps_id):
            raise InvalidPayload("An FPS ID is 7 or 9 digits.")
        if self.mobile and not _MOBILE.fullmatch(self.mobile):
            raise InvalidPayload("A mobile number is written +852-91234567.")
        if self.email and not (_EMAIL.fullmatch(self.email) and len(self.email) <= 60):
            raise InvalidPayload("Not an email address.")
        _check_text("merchant name", self.name, MAX_NAME)
        _check_text("merchant city", self.city, MAX_CITY)
        if not re.fullmatch(r"\d{4}", self.category):
            raise InvalidPayload("A merchant category code is four digits.")

    @property
    def proxy(self) -> tuple[str, str]:
        """(sub-tag of template 26, value)."""
        if self.fps_id:
            return PROXY_FPS_ID, self.fps_id
        if self.mobile:
            return PROXY_MOBILE, self.mobile
        return PROXY_EMAIL, self.email


def _check_text(what: str, value: str, limit: int) -> None:
    if not value or len(value) > limit or not _PRINTABLE.fullmatch(value):
        raise InvalidPayload(
            "The " + what + " must be 1 to " + str(limit) + " printable ASCII characters."
        )


def tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise InvalidPayload("Field " + tag + " is longer than 99 characters.")
    return tag + str(len(value)).zfill(2) + value


def crc(data: str) -> str:
    """The CRC field's value for everything before it ("6304" included)."""
    return format(binascii.crc_hqx(data.encode("ascii"), 0xFFFF), "04X")


def format_amount(amount_cents: int) -> str:
    """Cents as the payload writes them: 60000 -> "600.00" (no float on the way)."""
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) or amount_cents <= 0:
        raise InvalidPayload("The amount must be a positive number of cents.")
    text = str(amount_cents // 100) + "." + str(amount_cents % 100).zfill(2)
    if len(text) > 13:
        raise InvalidPayload("The amount is too large for a payload.")
    return text


def build(*, payee: Payee, amount_cents: int, reference: str, currency: str = "HKD") -> str:
    """The dynamic payload for one payment of `amount_cents` quoting `reference`."""
    _check_text("reference", reference, MAX_REFERENCE)
    try:
        currency_code = CURRENCIES[currency.upper()]
    except KeyError:
        raise InvalidPayload("FPS payloads here are in Hong Kong dollars only.") from None
    account = tlv("00", GUID) + tlv(*payee.proxy)
    body = "".join(
        (
            tlv("00", "01"),
            tlv("01", "12"),
            tlv("26", account),
            tlv("52", payee.category),
            tlv("53", currency_code),
            tlv("54", format_amount(amount_cents)),
            tlv("58", "HK"),
            tlv("59", payee.name),
            tlv("60", payee.city),
            tlv("62", tlv(BILL_NUMBER, reference)),
        )
    )
    body += "6304"
    return body + crc(body)


@dataclass(frozen=True)
class Parsed:
    """A payload read back: its top-level fields, template 26 and template 62, by tag."""

    fields: dict[str, str]
    account: dict[str, str] = field(default_factory=dict)
    additional: dict[str, str] = field(default_factory=dict)

    @property
    def dynamic(self) -> bool:
        return self.fields["01"] == "12"

    @property
    def amount_cents(self) -> int | None:
        text = self.fields.get("54")
        if text is None:
            return None
        match = _AMOUNT.fullmatch(text)
        assert match is not None  # checked by parse()
        return int(match[1]) * 100 + int((match[2] or "0").ljust(2, "0"))

    @property
    def reference(self) -> str:
        return self.additional.get(BILL_NUMBER, "")

    @property
    def proxy(self) -> tuple[str, str]:
        for tag in (PROXY_FPS_ID, PROXY_MOBILE, PROXY_EMAIL):
            if tag in self.account:
                return tag, self.account[tag]
        raise AssertionError("checked by parse()")


def split(data: str) -> dict[str, str]:
    """TLV fields of `data` by tag; InvalidPayload for a broken structure or a repeated tag."""
    fields: dict[str, str] = {}
    position = 0
    while position < len(data):
        tag, length = data[position : position + 2], data[position + 2 : position + 4]
        if len(length) < 2 or not (tag.isdigit() and length.isdigit()):
            raise InvalidPayload("Broken field at position " + str(position) + ".")
        end = position + 4 + int(length)
        if end > len(data):
            raise InvalidPayload("Field " + tag + " runs past the end.")
        if tag in fields:
            raise InvalidPayload("Field " + tag + " appears twice.")
        fields[tag] = data[position + 4 : end]
        position = end
    return fields


def parse(payload: str) -> Parsed:
    """Read and check an FPS payload: structure, CRC, and the fields FPS needs. Raises
    InvalidPayload saying what is wrong."""
    if not payload or not _PRINTABLE.fullmatch(payload):
        raise InvalidPayload("A payload is printable ASCII.")
    fields = split(payload)
    if list(fields)[-1] != "63" or len(fields["63"]) != 4:
        raise InvalidPayload("The payload must end with its CRC (field 63, four digits).")
    if fields["63"].upper() != crc(payload[:-4]):
        raise InvalidPayload("The CRC does not match.")
    if next(iter(fields)) != "00" or fields["00"] != "01":
        raise InvalidPayload("The payload must start with format indicator 01.")
    if fields.get("01") not in ("11", "12"):
        raise InvalidPayload("Point of initiation must be 11 (static) or 12 (dynamic).")
    account = split(fields.get("26", ""))
    if account.get("00", "").lower() != GUID:
        raise InvalidPayload("No FPS merchant account (template 26 with GUID hk.com.hkicl).")
    proxies = [tag for tag in (PROXY_FPS_ID, PROXY_MOBILE, PROXY_EMAIL) if tag in account]
    if len(proxies) != 1:
        raise InvalidPayload("Template 26 must name exactly one FPS ID, mobile or email.")
    for tag in ("52", "53", "58", "59", "60"):
        if not fields.get(tag):
            raise InvalidPayload("Field " + tag + " is missing.")
    if "54" in fields and not _AMOUNT.fullmatch(fields["54"]):
        raise InvalidPayload("Field 54 is not an amount.")
    additional = split(fields.get("62", ""))
    return Parsed(fields=fields, account=account, additional=additional)


def svg(payload: str, *, scale: int = 4, title: str = "") -> str:
    """The QR code of `payload` as an inline <svg> element (no XML declaration), quiet zone
    included. Error correction M at least (segno raises it when the size allows)."""
    return segno.make_qr(payload, error="m").svg_inline(scale=scale, title=title or None)
