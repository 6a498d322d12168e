"""Application reference numbers: TP<yy>-<scheme>-<6 random>-<check>, unambiguous characters, a
check character covering the year, the scheme and the random part."""

import re
import string

import pytest

from applications import application_references as numbers
from applications import references

ALPHABET = "[" + references.ALPHABET + "]"
FORM = re.compile(
    r"^TP(?P<year>[0-9]{2})-(?P<scheme>GEP|ASMTP)-(?P<random>"
    + ALPHABET
    + "{6})-(?P<check>"
    + ALPHABET
    + ")$"
)


def make(scheme: str = "GEP", year: int = 2026) -> str:
    return numbers.new_reference(scheme=scheme, year=year)


def test_new_numbers_are_well_formed_valid_and_vary():
    made = {make(scheme) for scheme in numbers.SCHEMES for _ in range(200)}
    assert len(made) == 400
    for number in made:
        assert FORM.match(number), number
        assert numbers.is_valid(number)
        assert number.startswith("TP26-")


def test_case_and_spaces_do_not_matter():
    number = make()
    assert numbers.is_valid(" " + number.lower() + " ")
    assert numbers.normalise(number.lower()) == number


def test_they_are_never_taken_for_temporary_references_nor_the_other_way():
    for _ in range(200):
        assert not references.is_valid(make())
        assert not numbers.is_valid(references.display(references.new_reference()))


def _substitutions(number: str):
    """Every number with one character of the year, the random part or the check character
    changed for another of the same kind."""
    parts = FORM.match(number).groupdict()
    kinds = {"year": string.digits, "random": references.ALPHABET, "check": references.ALPHABET}
    for name, kind in kinds.items():
        for position, character in enumerate(parts[name]):
            for other in kind.replace(character, ""):
                changed = dict(parts)
                changed[name] = parts[name][:position] + other + parts[name][position + 1 :]
                yield "TP{year}-{scheme}-{random}-{check}".format(**changed)


@pytest.mark.parametrize("scheme", numbers.SCHEMES)
@pytest.mark.parametrize("seed", range(20))
def test_every_single_wrong_character_is_caught(scheme, seed):
    number = make(scheme)
    for typo in _substitutions(number):
        assert not numbers.is_valid(typo), typo


@pytest.mark.parametrize("seed", range(20))
def test_the_wrong_scheme_or_year_is_caught(seed):
    number = make("GEP", 2026)
    assert not numbers.is_valid(number.replace("-GEP-", "-ASMTP-"))
    assert not numbers.is_valid(number.replace("TP26", "TP62"))
    assert not numbers.is_valid(number.replace("TP26", "TP27"))


@pytest.mark.parametrize("seed", range(40))
def test_every_transposition_in_the_random_part_and_check_is_caught(seed):
    number = make()
    head, random_part, check = number[:-9], number[-8:-2], number[-1]
    body = random_part + check
    for i in range(len(body)):
        for j in range(i + 1, len(body)):
            if body[i] != body[j]:
                swapped = list(body)
                swapped[i], swapped[j] = swapped[j], swapped[i]
                candidate = head + "-" + "".join(swapped[:6]) + "-" + swapped[6]
                assert not numbers.is_valid(candidate), candidate


def test_an_unknown_scheme_is_refused():
    with pytest.raises(ValueError, match="scheme"):
        numbers.new_reference(scheme="XYZ", year=2026)
