"""Temporary references of draft groups: short, unambiguous, with a check character.

The alphabet leaves out characters that are easily confused when read aloud, handwritten or
typed from an email: 0/O, 1/I/L, and also S (5) and U (V). What is left has 29 characters, a
prime, so a weighted sum modulo 29 with distinct non-zero weights (ISO 7064's pure-system idea)
catches every single wrong character, including a wrong check character, and every transposition
of two characters, adjacent or not: a change of a character by d at weight w changes the sum by
d*w, and swapping x and y at weights v, w changes it by (x-y)(v-w); neither is 0 modulo a prime
when d, x-y and v-w are non-zero and smaller than 29 in absolute value.

A reference is stored as 9 characters (8 random, 1 check) and shown as ``ABCD-EFGH-J``, the
one written form on every page, email, PDF and admin screen (`display`). Every look-up reads
what was typed through `parse`: any case, with or without spaces and hyphens.
"""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRTVWXYZ"
MODULUS = len(ALPHABET)  # 29, a prime
PAYLOAD_LENGTH = 8
LENGTH = PAYLOAD_LENGTH + 1
_VALUE = {character: value for value, character in enumerate(ALPHABET)}
_SEPARATORS = str.maketrans("", "", " -\t")


def _weighted_sum(characters: str) -> int:
    """Sum of value * weight, the last character having weight 1, the one before 2, and so on."""
    return sum(
        _VALUE[character] * weight for weight, character in enumerate(reversed(characters), 1)
    )


def check_character(payload: str) -> str:
    """The character that makes the weighted sum of payload + check a multiple of 29."""
    # The check character sits at weight 1, so its value is minus the payload's sum shifted
    # one weight up.
    shifted = sum(
        _VALUE[character] * weight for weight, character in enumerate(reversed(payload), 2)
    )
    return ALPHABET[(-shifted) % MODULUS]


def normalise(text: str) -> str:
    """Upper case, without spaces or hyphens: the stored form of what someone typed."""
    return (text or "").translate(_SEPARATORS).upper()


def parse(text: str) -> str | None:
    """The stored form of a reference as someone typed it (``abcd efgh j``, ``ABCD-EFGH-J``,
    ``ABCDEFGHJ``), or None when it is not one: wrong length, a character outside the
    alphabet, or a wrong check character."""
    reference = normalise(text)
    return reference if is_valid(reference) else None


def is_valid(text: str) -> bool:
    """True when `text` (as typed, separators allowed) is a well-formed reference."""
    reference = normalise(text)
    if len(reference) != LENGTH or any(character not in _VALUE for character in reference):
        return False
    return _weighted_sum(reference) % MODULUS == 0


def new_reference() -> str:
    """A fresh random reference in its stored form (unique only by chance: see drafts)."""
    payload = "".join(secrets.choice(ALPHABET) for _ in range(PAYLOAD_LENGTH))
    return payload + check_character(payload)


def display(reference: str) -> str:
    """The stored (or a typed) form grouped for reading: ``ABCD-EFGH-J``. The only way the
    service writes a temporary reference for people."""
    reference = normalise(reference)
    return "-".join((reference[:4], reference[4:8], reference[8:]))
