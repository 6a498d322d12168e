"""Field and cross-field rules of the wizard's forms; readiness calls them again on saved data.

Each rule raises django.core.exceptions.ValidationError with a translated message and a code, so
a form shows it next to the field and the error summary links to it.
"""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..eligibility import MAXIMUM_AGE, MINIMUM_AGE, age_on, nationality_failure
from ..models import MAX_DEPENDANTS, Application, MaritalStatus

HKID_PATTERN = re.compile(r"^([A-Z]{1,2})([0-9]{6})\(?([0-9A])\)?$")
BR_PATTERN = re.compile(r"^[0-9]{8}(-[0-9]{3}-[0-9]{2}-[0-9]{2}-[0-9A-Z])?$")
EXCLUDED_DEPENDANT_NATIONALITIES = frozenset({"AF", "KP"})
ADULT_AGE = 18
SELF_SIGNING_AGE = 16


# Tab and line breaks may be typed (an address); no other control character may, nor the
# invisible marks that reorder text (a right-to-left override shows "gnp.exe" as "exe.png").
TYPABLE_CONTROLS = frozenset("\t\n\r")
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f"  # Arabic letter mark, left-to-right and right-to-left marks
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings, pop, overrides
    "\u2066\u2067\u2068\u2069"  # isolates
)
UNUSABLE_CHARACTERS = _(
    "This answer has characters that cannot be used (control characters or invisible "
    "formatting marks). Type it again without them."
)


def has_unusable_characters(value: str) -> bool:
    """Whether the text holds a control character (but tab and line breaks) or a
    bidirectional formatting mark."""
    return any(
        (ch in BIDI_CONTROLS) or (unicodedata.category(ch) == "Cc" and ch not in TYPABLE_CONTROLS)
        for ch in value
    )


# Names. A travel document's machine-readable zone holds A to Z only; its visual zone the same
# letters with their accents. So an English name is Latin letters (composed, NFC), spaces,
# hyphens, apostrophes and full stops; a Chinese name is CJK ideographs, including the
# supplementary planes where many Hong Kong characters are (such as U+282E2), with the
# middle dot that separates the parts of a transliterated foreign name.
LATIN_LETTER_BLOCKS = (
    (0x41, 0x5A), (0x61, 0x7A),  # Basic Latin
    (0xC0, 0xFF),  # Latin-1 Supplement (letters; the two signs are not letters)
    (0x100, 0x24F),  # Latin Extended-A and B
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese and others)
)  # fmt: skip
ENGLISH_NAME_MARKS = frozenset(" -'.\u2019")  # the right single quote is a typed apostrophe
CJK_IDEOGRAPH_BLOCKS = (
    (0x3400, 0x4DBF),  # Extension A
    (0x4E00, 0x9FFF),  # Unified Ideographs
    (0xF900, 0xFAFF),  # Compatibility Ideographs
    (0x20000, 0x2A6DF),  # Extension B (most HKSCS supplementary characters)
    (0x2A700, 0x2EE5F),  # Extensions C to F, and I
    (0x2F800, 0x2FA1F),  # Compatibility Ideographs Supplement
    (0x30000, 0x323AF),  # Extensions G and H
)  # fmt: skip
CHINESE_NAME_EXTRA = frozenset("\u3007")  # the ideographic number zero
CHINESE_NAME_SEPARATORS = frozenset("\u00b7\u2027\u30fb")  # the middle dots
ENGLISH_NAME_MESSAGE = _(
    "Enter the name as on the travel document, using Latin letters (A to Z, accents allowed), "
    "spaces, hyphens (-), apostrophes (') and full stops (.) only"
)
CHINESE_NAME_MESSAGE = _(
    "Enter the name in Chinese characters only, for example 陳大文, without spaces, letters, "
    "digits or other symbols"
)


def _in_blocks(ch: str, blocks: tuple[tuple[int, int], ...]) -> bool:
    point = ord(ch)
    return any(first <= point <= last for first, last in blocks)


def clean_english_name(value: str) -> str:
    """The name normalised (NFC); ValidationError unless it holds Latin letters and only the
    marks a travel document's name can."""
    name = re.sub(" +", " ", unicodedata.normalize("NFC", value or "").strip())
    if not name:
        return name
    letters = [ch for ch in name if ch not in ENGLISH_NAME_MARKS]
    if not letters or not all(
        unicodedata.category(ch).startswith("L") and _in_blocks(ch, LATIN_LETTER_BLOCKS)
        for ch in letters
    ):
        raise ValidationError(ENGLISH_NAME_MESSAGE, code="english_name_characters")
    return name


def clean_chinese_name(value: str) -> str:
    """The name normalised (NFC); ValidationError unless it is CJK ideographs, with middle
    dots only between them."""
    name = unicodedata.normalize("NFC", value or "").strip()
    if not name:
        return name
    ideographs = all(
        _in_blocks(ch, CJK_IDEOGRAPH_BLOCKS) or ch in CHINESE_NAME_EXTRA
        for ch in name
        if ch not in CHINESE_NAME_SEPARATORS
    )
    if not ideographs or name[0] in CHINESE_NAME_SEPARATORS or name[-1] in CHINESE_NAME_SEPARATORS:
        raise ValidationError(CHINESE_NAME_MESSAGE, code="chinese_name_characters")
    return name


def normalise_hkid(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def hkid_check_digit(prefix: str, digits: str) -> str:
    """The check character of an HKID number: weights 9..2 over a two-letter prefix (a space,
    worth 36, before a single letter) and six digits; the sum with the check is divisible by 11.
    """
    letters = prefix.rjust(2)
    values = [36 if ch == " " else ord(ch) - ord("A") + 10 for ch in letters]
    values += [int(d) for d in digits]
    total = sum(value * weight for value, weight in zip(values, range(9, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return "A" if check == 10 else str(check)


# The example the form's hint and messages give: a number whose check digit is right (a test
# holds it to validate_hkid), so nobody copying it is told it is wrong.
HKID_EXAMPLE = "A123456(3)"


def validate_hkid(value: str) -> str:
    """Return the number as A123456(3); raise for a bad format or a wrong check digit."""
    number = normalise_hkid(value)
    match = HKID_PATTERN.match(number)
    if match is None:
        raise ValidationError(
            _(
                "Enter a Hong Kong identity card number in the format %(example)s: one or two "
                "letters, six digits and the check digit"
            ),
            code="hkid_format",
            params={"example": HKID_EXAMPLE},
        )
    prefix, digits, check = match.groups()
    if hkid_check_digit(prefix, digits) != check:
        raise ValidationError(
            _("This Hong Kong identity card number is not valid: check the digit in brackets"),
            code="hkid_check_digit",
        )
    return prefix + digits + "(" + check + ")"


def validate_business_registration_number(value: str) -> str:
    """Return the number normalised; the 8-digit number, optionally with the certificate's
    branch, month, year and check parts (12345678-000-07-25-3)."""
    number = re.sub(r"\s+", "", value or "").upper()
    if not BR_PATTERN.match(number):
        raise ValidationError(
            _(
                "Enter the Business Registration number as 8 digits, or as on the certificate, "
                "like 12345678-000-07-25-3"
            ),
            code="br_format",
        )
    return number


def validate_travel_document_dates(*, issued: date | None, expires: date | None) -> None:
    """Issued on or before today, expiring after it was issued, and valid today."""
    today = timezone.localdate()
    errors: dict[str, list[ValidationError]] = {}
    if issued is not None and issued > today:
        errors.setdefault("issue", []).append(
            ValidationError(_("The date of issue must be today or in the past"), code="issue")
        )
    if expires is not None and expires < today:
        errors.setdefault("expiry", []).append(
            ValidationError(
                _("This travel document has expired: it must be valid today"), code="expired"
            )
        )
    if issued is not None and expires is not None and expires <= issued:
        errors.setdefault("expiry", []).append(
            ValidationError(
                _("The expiry date must be after the date of issue"), code="expiry_order"
            )
        )
    if errors:
        raise ValidationError(errors)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has 28 days


def validate_contract_period(*, start: date, end: date, minimum_months: int) -> None:
    """The contract ends after it starts and lasts at least the trade's minimum period.

    A contract of n months from 1 January ends on the last day of the n-th month.
    """
    if end <= start:
        raise ValidationError(_("The contract must end after it starts"), code="contract_order")
    if end < add_months(start, minimum_months) - timedelta(days=1):
        raise ValidationError(
            _("The contract is shorter than the %(months)d months this skilled trade requires"),
            code="contract_too_short",
            params={"months": minimum_months},
        )


def validate_date_of_birth(value: date) -> None:
    if value > timezone.localdate():
        raise ValidationError(_("The date of birth must be in the past"), code="born_in_future")


def validate_applicant_age(value: date, *, on: date | None = None) -> None:
    """The applicant is 18 to 40 (the eligibility rule, checked again on the real date)."""
    age = age_on(value, on or timezone.localdate())
    if not MINIMUM_AGE <= age <= MAXIMUM_AGE:
        raise ValidationError(
            _("You must be aged %(minimum)d to %(maximum)d to apply. You are %(age)d."),
            code="applicant_age",
            params={"minimum": MINIMUM_AGE, "maximum": MAXIMUM_AGE, "age": age},
        )


def validate_applicant_nationality(value: str) -> None:
    """The eligibility pre-check's nationality rule, with its message."""
    failure = nationality_failure(value)
    if failure is not None:
        raise ValidationError(failure.reason, code="applicant_nationality")


@dataclass(frozen=True)
class DependantFacts:
    """What the group rules read of one dependant (a formset row or a saved application)."""

    relationship: str
    date_of_birth: date | None
    marital_status: str
    nationality: str


def validate_dependant(facts: DependantFacts, *, on: date | None = None) -> None:
    """One dependant: a child under 18 and unmarried; not from Afghanistan or the DPRK."""
    on = on or timezone.localdate()
    errors: dict[str, list[ValidationError]] = {}
    if facts.nationality in EXCLUDED_DEPENDANT_NATIONALITIES:
        errors.setdefault("nationality", []).append(
            ValidationError(
                _("Dependants who are nationals of Afghanistan or the DPRK cannot apply"),
                code="dependant_nationality",
            )
        )
    if facts.relationship == Application.Relationship.CHILD:
        if facts.date_of_birth is not None and age_on(facts.date_of_birth, on) >= ADULT_AGE:
            errors.setdefault("date_of_birth", []).append(
                ValidationError(
                    _("A child must be under 18 to apply as a dependant"), code="child_too_old"
                )
            )
        if facts.marital_status and facts.marital_status != MaritalStatus.SINGLE:
            errors.setdefault("marital_status", []).append(
                ValidationError(
                    _("A child must be unmarried to apply as a dependant"),
                    code="child_married",
                )
            )
    if errors:
        raise ValidationError(errors)


def validate_dependants(dependants: Sequence[DependantFacts]) -> None:
    """The group: at most eight dependants, of whom at most one spouse or partner."""
    if len(dependants) > MAX_DEPENDANTS:
        raise ValidationError(
            _("A group can have at most %(count)d dependants"),
            code="too_many_dependants",
            params={"count": MAX_DEPENDANTS},
        )
    if extra_spouses(dependants):
        raise ValidationError(_("Only one spouse or partner can be included"), code="one_spouse")


def extra_spouses(dependants: Sequence[DependantFacts]) -> list[int]:
    """The indexes of the spouses or partners after the first: each breaks the one-spouse rule
    (the wizard shows the error at that dependant)."""
    spouses = [
        index
        for index, d in enumerate(dependants)
        if d.relationship == Application.Relationship.SPOUSE
    ]
    return spouses[1:]
