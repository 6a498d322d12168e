"""Name fields hold what a travel document's machine-readable zone and a Chinese name can: Latin
letters, spaces, hyphens, apostrophes and dots in English; CJK ideographs (Hong Kong
supplementary characters included) in Chinese. Text is normalised to NFC; anything else (a
right-to-left override, zero-width characters, emoji, stacked accents, look-alike letters of
other scripts) gets a clear message."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from applications.models import Application
from applications.wizard import validators
from applications.wizard.builders import chinese_name, english_name
from tests.applications import wizard_client as wc

ENGLISH_MESSAGE = "Latin letters"
CHINESE_MESSAGE = "Chinese characters only"


@pytest.fixture(autouse=True)
def _english():
    """The messages are read in English (a page in Chinese may have left its language on)."""
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Chan", "Chan"),
        ("O'Brien", "O'Brien"),
        ("O\u2019Brien", "O\u2019Brien"),  # a typographic apostrophe
        ("Smith-Jones", "Smith-Jones"),
        ("St. John", "St. John"),
        ("  Tai   Man ", "Tai Man"),
        ("José", "José"),
        ("Jose\u0301", "José"),  # decomposed: normalised to the composed letter
        ("Nguyễn", "Nguyễn"),
        ("Łukasz Żółć", "Łukasz Żółć"),
        ("Müller", "Müller"),
    ],
)
def test_english_names_that_a_travel_document_holds_are_kept_normalised(typed, kept):
    cleaned = english_name("Surname in English", error="Enter your surname in English").clean(typed)
    assert cleaned == kept
    assert unicodedata.is_normalized("NFC", cleaned)


@pytest.mark.parametrize(
    "typed",
    [
        "Ch\u0430n",  # a Cyrillic small a, which looks like the Latin one
        "\u0421han",  # a Cyrillic capital es
        "\u03a7an",  # a Greek capital chi
        "Chan\u200b",  # zero-width space
        "Ch\u200dan",  # zero-width joiner
        "\ufeffChan",  # zero-width no-break space
        "Chan\u202e",  # right-to-left override
        "Chan 😀",
        "Cha\u0301\u0301\u0301n",  # stacked accents
        "Z\u0351\u0352\u0353\u0354",
        "\uff23\uff48\uff41\uff4e",  # full-width letters
        "\ufb01nn",  # a ligature
        "Chan3",
        "Chan_Tai",
        "Chan<script>",
        "陳",
        "'-.",
    ],
)
def test_other_english_names_are_refused_with_a_clear_message(typed):
    with pytest.raises(ValidationError) as raised:
        english_name("Surname in English", error="Enter your surname in English").clean(typed)
    assert ENGLISH_MESSAGE in raised.value.messages[0]


@pytest.mark.parametrize(
    "typed",
    [
        "陳大文",
        "𨋢",  # U+282E2, CJK Extension B: a Hong Kong supplementary character
        "陳𠮶文",  # U+20BB6
        "\u3007",  # the ideographic number zero
        "約翰·史密斯",
        "㗎",  # CJK Extension A
    ],
)
def test_chinese_names_of_cjk_ideographs_are_kept(typed):
    assert chinese_name("Name in Chinese").clean(typed) == typed


@pytest.mark.parametrize(
    "typed",
    [
        "陳A",
        "陳 大文",
        "陳😀",
        "陳\u200b大文",
        "陳\u202e大文",
        "ㄔㄣˊ",  # bopomofo
        "チャン",  # katakana
        "·陳",
        "陳大文。",
    ],
)
def test_other_chinese_names_are_refused_with_a_clear_message(typed):
    with pytest.raises(ValidationError) as raised:
        chinese_name("Name in Chinese").clean(typed)
    assert CHINESE_MESSAGE in raised.value.messages[0]


def test_the_chinese_name_is_normalised():
    # U+F900 is a compatibility ideograph: NFC gives the unified U+8C48.
    assert chinese_name("Name in Chinese").clean("\uf900") == "\u8c48"


def test_the_rules_are_one_pair_of_functions():
    assert validators.clean_english_name("  Jose\u0301 ") == "José"
    assert validators.clean_chinese_name("陳大文") == "陳大文"


@pytest.mark.django_db
def test_the_applicant_and_dependant_steps_refuse_look_alike_names(client, trade):
    group = wc.open_draft(client, trade)
    response = wc.post(client, group, "applicant", wc.applicant(surname="Ch\u0430n"))
    assert response.status_code == 200
    assert ENGLISH_MESSAGE in response.content.decode()
    response = wc.post(client, group, "applicant", wc.applicant(chinese_name="陳大文😀"))
    assert CHINESE_MESSAGE in response.content.decode()
    response = wc.post(client, group, "applicant", wc.applicant(surname="Jose\u0301"))
    assert response.status_code == 302
    assert Application.objects.get(group=group, role="principal").surname == "José"
    wc.fill_to(client, group, trade, "company")
    rows = wc.dependants([wc.dependant("spouse", given_names="Siu 😀 Ling")])
    response = wc.post(client, group, "dependants", rows)
    assert response.status_code == 200
    assert ENGLISH_MESSAGE in response.content.decode()
    rows = wc.dependants([wc.dependant("spouse", chinese_name="𨋢")])
    assert wc.post(client, group, "dependants", rows).status_code == 302


@pytest.mark.django_db
def test_the_name_messages_are_translated(client, trade):
    group = wc.open_draft(client, trade)
    address = wc.url(group, "applicant", language="zh-hant")
    values = wc.applicant(surname="Ch\u0430n", chinese_name="陳A")
    html = wc.post(client, group, "applicant", values, target=address).content.decode()
    assert "拉丁字母" in html and "只可以用中文字" in html
