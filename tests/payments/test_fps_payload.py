"""The FPS payee-presented QR payload: its structure, its CRC checked by a computation of our
own, the round trip through the parser, and what it refuses."""

from __future__ import annotations

import pytest

from payments import fps

PAYEE = fps.Payee(name="IMMIGRATION DEPARTMENT", fps_id="1234567")
REFERENCE = "P3F2A9C81B7D4E06"


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE bit by bit: polynomial 0x1021, initial 0xFFFF, no reflection, no
    final XOR; independent of binascii."""
    value = 0xFFFF
    for byte in data:
        value ^= byte << 8
        for _bit in range(8):
            value = ((value << 1) ^ 0x1021) if value & 0x8000 else value << 1
            value &= 0xFFFF
    return value


def with_crc(body_without_crc: str) -> str:
    """A payload closed with a correct CRC, for payloads broken in other ways."""
    body = body_without_crc + "6304"
    return body + format(crc16_ccitt_false(body.encode()), "04X")


def test_the_payload_has_the_fields_in_order():
    payload = fps.build(payee=PAYEE, amount_cents=60_000, reference=REFERENCE)

    assert payload[:-4] == (
        "000201"  # payload format indicator 01
        "010212"  # point of initiation: dynamic
        "2627"
        "0012hk.com.hkicl"
        "02071234567"  # FPS merchant account: GUID, FPS ID
        "52040000"  # merchant category code
        "5303344"  # Hong Kong dollar
        "5406600.00"  # amount
        "5802HK"
        "5922IMMIGRATION DEPARTMENT"
        "6009Hong Kong"
        "6220"
        "0116P3F2A9C81B7D4E06"  # additional data: bill number
        "6304"
    )


def test_the_crc_matches_an_independent_computation():
    payload = fps.build(payee=PAYEE, amount_cents=60_000, reference=REFERENCE)

    expected = crc16_ccitt_false(payload[:-4].encode())
    assert payload[-4:] == format(expected, "04X")
    assert payload[-4:] == payload[-4:].upper()
    # The algorithm's published check value, for both computations.
    assert crc16_ccitt_false(b"123456789") == 0x29B1
    assert fps.crc("123456789") == "29B1"


@pytest.mark.parametrize(
    ("payee", "proxy"),
    [
        (PAYEE, ("02", "1234567")),
        (fps.Payee(name="IMMD", fps_id="123456789"), ("02", "123456789")),
        (fps.Payee(name="IMMD", mobile="+852-91234567"), ("03", "+852-91234567")),
        (
            fps.Payee(name="IMMD", email="fees@immd.example.gov.hk"),
            ("04", "fees@immd.example.gov.hk"),
        ),
    ],
)
def test_round_trip(payee, proxy):
    payload = fps.build(payee=payee, amount_cents=123_456, reference=REFERENCE)

    parsed = fps.parse(payload)

    assert parsed.dynamic
    assert parsed.amount_cents == 123_456
    assert parsed.reference == REFERENCE
    assert parsed.proxy == proxy
    assert parsed.account["00"] == "hk.com.hkicl"
    assert parsed.fields["53"] == "344"
    assert parsed.fields["58"] == "HK"
    assert parsed.fields["59"] == payee.name
    assert parsed.fields["60"] == "Hong Kong"


@pytest.mark.parametrize(
    ("cents", "text"),
    [(60_000, "600.00"), (1, "0.01"), (10, "0.10"), (100, "1.00"), (540_050, "5400.50")],
)
def test_amounts_are_written_with_two_decimals(cents, text):
    assert fps.format_amount(cents) == text
    payload = fps.build(payee=PAYEE, amount_cents=cents, reference=REFERENCE)
    assert fps.parse(payload).fields["54"] == text
    assert fps.parse(payload).amount_cents == cents


@pytest.mark.parametrize("cents", [0, -100, 600.0, True, "60000", 10**13])
def test_amounts_that_cannot_be_written_are_refused(cents):
    with pytest.raises(fps.InvalidPayload):
        fps.format_amount(cents)


def test_the_reference_may_be_25_characters_and_no_more():
    longest = "R" * 25
    assert fps.parse(fps.build(payee=PAYEE, amount_cents=100, reference=longest)).reference == (
        longest
    )
    with pytest.raises(fps.InvalidPayload):
        fps.build(payee=PAYEE, amount_cents=100, reference="R" * 26)


@pytest.mark.parametrize("reference", ["", "參考編號", "P123\n", "P123\x00"])
def test_references_that_are_not_printable_ascii_are_refused(reference):
    with pytest.raises(fps.InvalidPayload):
        fps.build(payee=PAYEE, amount_cents=100, reference=reference)


def test_only_hong_kong_dollars():
    with pytest.raises(fps.InvalidPayload):
        fps.build(payee=PAYEE, amount_cents=100, reference=REFERENCE, currency="CNY")


@pytest.mark.parametrize(
    "fields",
    [
        {"name": "IMMD"},  # no proxy
        {"name": "IMMD", "fps_id": "1234567", "mobile": "+852-91234567"},  # two
        {"name": "IMMD", "fps_id": "12345678"},  # 8 digits
        {"name": "IMMD", "fps_id": "12345a7"},
        {"name": "IMMD", "mobile": "91234567"},  # no country code
        {"name": "IMMD", "email": "not-an-address"},
        {"name": "", "fps_id": "1234567"},
        {"name": "N" * 26, "fps_id": "1234567"},
        {"name": "入境事務處", "fps_id": "1234567"},
        {"name": "IMMD", "fps_id": "1234567", "city": "C" * 16},
        {"name": "IMMD", "fps_id": "1234567", "category": "93"},
    ],
)
def test_a_payee_that_cannot_be_written_is_refused(fields):
    with pytest.raises(fps.InvalidPayload):
        fps.Payee(**fields)


GOOD = fps.build(payee=PAYEE, amount_cents=60_000, reference=REFERENCE)


@pytest.mark.parametrize(
    ("payload", "why"),
    [
        (GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1"), "CRC"),
        (GOOD.replace("600.00", "900.00"), "CRC"),  # amount changed, CRC left as it was
        (GOOD[:-8], "end with its CRC"),  # CRC cut off
        (GOOD[:20], "runs past the end"),
        ("", "printable"),
        (GOOD + "\n", "printable"),
        (with_crc(GOOD[:-8].replace("hk.com.hkicl", "hk.com.hkxxx")), "GUID"),
        (with_crc("0002010102122600" + GOOD[43:-8]), "GUID"),  # empty template 26
        (with_crc(GOOD[:-8].replace("000201", "000202", 1)), "format indicator"),
        (with_crc(GOOD[:-8].replace("010212", "010213", 1)), "Point of initiation"),
        (with_crc(GOOD[:-8].replace("5406600.00", "54066.0000")), "not an amount"),
        (with_crc(GOOD[:-8] + "5802HK"), "twice"),
        (with_crc(GOOD[:-8].replace("5802HK", "")), "58 is missing"),
        (with_crc(GOOD[:-8]) + "9900", "end with its CRC"),  # 63 not last
        (with_crc(GOOD[:-8].replace("5303344", "53X3344")), "Broken field"),
    ],
)
def test_the_parser_refuses_broken_payloads(payload, why):
    with pytest.raises(fps.InvalidPayload, match=why):
        fps.parse(payload)


def test_two_proxies_in_the_account_are_refused():
    account = "0012hk.com.hkicl020712345670313+852-91234567"
    payload = with_crc("000201010212" + "26" + str(len(account)) + account + GOOD[43:-8])
    with pytest.raises(fps.InvalidPayload, match="exactly one"):
        fps.parse(payload)


def test_the_drawing_is_an_inline_svg_of_the_payload():
    drawing = fps.svg(GOOD, scale=3, title="FPS payment code")

    assert drawing.startswith("<svg")
    assert "<?xml" not in drawing
    assert "<title>FPS payment code</title>" in drawing
    assert drawing.rstrip().endswith("</svg>")
    # A longer payload needs a bigger symbol: the drawing depends on what it carries.
    longer = fps.build(
        payee=fps.Payee(name="N" * 25, email="a-long-address@immd.example.gov.hk"),
        amount_cents=60_000,
        reference="R" * 25,
    )
    assert len(fps.svg(longer, scale=3)) != len(fps.svg(GOOD, scale=3))
