"""Temporary references: unambiguous characters and a check character that catches typos."""

import pytest

from applications import references


def test_alphabet_leaves_out_characters_that_are_easily_confused():
    for character in "0O1ILSU":  # S looks like 5, U like V
        assert character not in references.ALPHABET
    assert len(set(references.ALPHABET)) == len(references.ALPHABET) == references.MODULUS
    assert all(references.MODULUS % n for n in range(2, references.MODULUS))  # a prime


def test_new_references_are_well_formed_and_vary():
    made = {references.new_reference() for _ in range(200)}
    assert len(made) == 200
    for reference in made:
        assert len(reference) == references.LENGTH
        assert references.is_valid(reference)


@pytest.mark.parametrize("seed", range(40))
def test_every_single_wrong_character_is_caught(seed):
    reference = references.new_reference()
    for position in range(references.LENGTH):
        for character in references.ALPHABET:
            if character != reference[position]:
                typo = reference[:position] + character + reference[position + 1 :]
                assert not references.is_valid(typo), typo


@pytest.mark.parametrize("seed", range(40))
def test_every_adjacent_transposition_is_caught(seed):
    reference = references.new_reference()
    for position in range(references.LENGTH - 1):
        first, second = reference[position], reference[position + 1]
        if first != second:
            swapped = reference[:position] + second + first + reference[position + 2 :]
            assert not references.is_valid(swapped), swapped


def test_every_pair_of_characters_swapped_next_to_each_other_is_caught():
    """Exhaustive over the alphabet: any two different characters, at any adjacent positions."""
    base = "2" * references.PAYLOAD_LENGTH
    for position in range(references.PAYLOAD_LENGTH - 1):
        for first in references.ALPHABET:
            for second in references.ALPHABET:
                if first == second:
                    continue
                payload = base[:position] + first + second + base[position + 2 :]
                reference = payload + references.check_character(payload)
                swapped = base[:position] + second + first + base[position + 2 :]
                assert not references.is_valid(swapped + reference[-1])


def test_typed_forms_are_accepted_and_normalised():
    reference = references.new_reference()
    shown = references.display(reference)
    assert shown.count("-") == 2
    assert references.is_valid(shown.lower())
    assert references.is_valid(" " + shown + " ")
    assert references.normalise(shown.lower()) == reference


@pytest.mark.parametrize("text", ["", "ABC", "ABCDEFGHJK2", "0000-0000-0", "ABCD-EFGH-!"])
def test_malformed_text_is_not_a_reference(text):
    assert not references.is_valid(text)
