"""Application reference numbers, given to each application when its group is submitted.

Shown as ``TP26-GEP-7KQ3MX-B``: "TP" (Technical Professionals Stream), the two-digit year of
submission, the scheme (GEP or ASMTP), six random characters and a check character. The form is
nothing like a temporary reference (``ABCD-EFGH-J``, applications.references): the prefix, the
digits and the scheme make a mix-up between the two impossible to miss.

The random part and the check character use the temporary references' alphabet (no 0/O, 1/I/L,
S/5, U/V; 29 characters, a prime). The check character covers the year's digits (values 0 to 9),
the scheme (0 or 1) and the random part, with distinct weights 1 to 10: as in
applications.references, every single wrong character and every transposition of two changes
the weighted sum by a non-zero amount smaller than 29 in absolute value times a non-zero weight
difference, never a multiple of the prime 29, so it is caught.

The stored form is the shown form (hyphens included): what an officer reads out is what is
searched for.
"""

import re
import secrets

from .references import ALPHABET, MODULUS

PREFIX = "TP"
SCHEMES = ("GEP", "ASMTP")
RANDOM_LENGTH = 6
_VALUE = {character: value for value, character in enumerate(ALPHABET)}
_FORM = re.compile(
    r"^TP(?P<year>[0-9]{2})-(?P<scheme>GEP|ASMTP)-(?P<random>["
    + ALPHABET
    + r"]{6})-(?P<check>["
    + ALPHABET
    + r"])$"
)
_COMPACT = re.compile(
    r"^TP(?P<year>[0-9]{2})(?P<scheme>GEP|ASMTP)(?P<random>[0-9A-Z]{6})(?P<check>[0-9A-Z])$"
)
_SEPARATORS = str.maketrans("", "", " \t-")


def _values(year: str, scheme: str, random_part: str) -> list[int]:
    """The values the check character covers, in order (the check character would follow)."""
    digits = [int(digit) for digit in year]
    return [*digits, SCHEMES.index(scheme), *(_VALUE[character] for character in random_part)]


def _check_character(year: str, scheme: str, random_part: str) -> str:
    # The check character sits at weight 1, so the others are weighted from 2 upwards.
    values = _values(year, scheme, random_part)
    shifted = sum(value * weight for weight, value in enumerate(reversed(values), 2))
    return ALPHABET[(-shifted) % MODULUS]


def new_reference(*, scheme: str, year: int) -> str:
    """A fresh random reference for an application of `scheme` submitted in `year`.

    Unique only by chance (29**6, about 600 million, per year and scheme): the submission
    service relies on the unique constraint and draws again on a clash.
    """
    if scheme not in SCHEMES:
        raise ValueError("unknown scheme: " + repr(scheme))
    year_digits = f"{year % 100:02d}"
    random_part = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    check = _check_character(year_digits, scheme, random_part)
    return PREFIX + year_digits + "-" + scheme + "-" + random_part + "-" + check


def normalise(text: str) -> str:
    """The stored form of what someone typed: upper case, without spaces, with the hyphens in
    their places whether they were typed or not (``tp26gep7kq3mxr`` -> ``TP26-GEP-7KQ3MX-B``).
    Text of another shape comes back upper case without separators."""
    compact = (text or "").translate(_SEPARATORS).upper()
    found = _COMPACT.match(compact)
    if found is None:
        return compact
    return "-".join((PREFIX + found["year"], found["scheme"], found["random"], found["check"]))


def parse(text: str) -> str | None:
    """The stored form of a reference number as typed (any case, spaces, hyphens or none), or
    None when it is not a well-formed one with the right check character."""
    reference = normalise(text)
    return reference if is_valid(reference) else None


def is_valid(text: str) -> bool:
    """True when `text` (as typed; case, spaces and hyphens do not matter) is a well-formed
    reference whose check character is right."""
    found = _FORM.match(normalise(text))
    if found is None:
        return False
    year, scheme, random_part = found["year"], found["scheme"], found["random"]
    return found["check"] == _check_character(year, scheme, random_part)
