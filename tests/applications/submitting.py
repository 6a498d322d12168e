"""Helpers of the submission tests: groups being paid, made with the factories, and their
submission through applications.services as the payments app's confirmation does it."""

import datetime
import io
import re

from django.db import transaction
from pypdf import PdfReader
from pypdf.generic import ContentStream

from applications import services
from applications.models import ApplicationGroup
from quota import services as quota_services
from quota.models import SkilledTrade
from tests.factories import (
    ApplicationGroupFactory,
    DependantFactory,
    EmployerPartFactory,
    PrincipalFactory,
)

FEE_CENTS = 60_000
# A name with a Hong Kong supplementary character (U+28222, "lift"), outside the BMP.
HKSCS_NAME = "陳𨋢明"


def paying_group(
    trade: SkilledTrade,
    *,
    language: str = "en",
    dependants: int = 0,
    hold_for: datetime.timedelta | None = datetime.timedelta(minutes=30),
    authorised_person_email: str = "",
    chinese_name: str = HKSCS_NAME,
) -> ApplicationGroup:
    """A group whose payment is in flight: PAYMENT_PENDING, with its principal's hold for
    `hold_for` (None: no hold at all), as begin_payment leaves it."""
    group = ApplicationGroupFactory(
        language=language, status=ApplicationGroup.Status.PAYMENT_PENDING
    )
    principal = PrincipalFactory(group=group, trade=trade, chinese_name=chinese_name)
    for position in range(1, dependants + 1):
        DependantFactory(group=group, position=position, given_names="Child " + str(position))
    EmployerPartFactory(group=group, authorised_person_email=authorised_person_email)
    if hold_for is not None:
        quota_services.hold(application=principal, duration=hold_for)
    return group


def submit(group: ApplicationGroup, fee_cents: int | None = None) -> services.Submission:
    """Submit in a transaction of its own, as a confirmation does."""
    count = group.applications.count()
    with transaction.atomic():
        return services.submit_paid_group(
            group_id=group.pk, fee_paid_cents=fee_cents or FEE_CENTS * count
        )


def submitted_group(trade: SkilledTrade, **options: object) -> ApplicationGroup:
    group = paying_group(trade, **options)  # type: ignore[arg-type]
    submit(group)
    group.refresh_from_db()
    return group


_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _to_unicode(font) -> dict[int, str]:
    data = font["/ToUnicode"].get_object().get_data()
    return {
        int(code, 16): bytes.fromhex(text.decode()).decode("utf-16-be")
        for code, text in _BFCHAR.findall(data)
    }


def pdf_text(data: bytes) -> str:
    """The text a PDF of fpdf2's shows, read with pypdf: each string's two-byte codes through
    its font's ToUnicode map.

    pypdf's extract_text() reads a font whose encoding is an embedded CMap (what fpdf2 writes
    for CID-keyed CFF fonts such as Noto Sans CJK) as one byte per character, so it returns
    the text with NULs in between, and garbles codes above 255; poppler and MuPDF read it
    right. Decoding through the ToUnicode map is what those viewers do for copying text.
    """
    reader = PdfReader(io.BytesIO(data))
    shown: list[str] = []
    for page in reader.pages:
        fonts = {
            name: _to_unicode(font.get_object())
            for name, font in page["/Resources"]["/Font"].items()
        }
        current: dict[int, str] = {}
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                current = fonts[operands[0]]
            elif operator in (b"Tj", b"TJ"):
                for item in operands[0] if operator == b"TJ" else [operands[0]]:
                    raw = getattr(item, "original_bytes", None)
                    if raw is None:  # a TJ spacing number
                        continue
                    codes = (int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2))
                    shown.append("".join(current[code] for code in codes))
            elif operator in (b"Td", b"TD", b"T*", b"ET"):
                shown.append("\n")
    return "".join(shown)
