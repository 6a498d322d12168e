"""Every message catalogue in the repository is complete, clean and compiled.

The catalogues are found by glob, so each app's catalogue is checked as soon as it exists.
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils.translation import gettext, override

ROOT = Path(settings.BASE_DIR)
CHINESE = ("zh_Hant", "zh_Hans")
PLACEHOLDER = re.compile(r"%(?:\([a-zA-Z_]\w*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]|\{\w*\}")


def catalogues() -> list[Path]:
    found = [
        path
        for path in ROOT.glob("**/locale/*/LC_MESSAGES/*.po")
        if not {".venv", ".data", "node_modules"} & set(path.relative_to(ROOT).parts)
    ]
    return sorted(found)


def chinese_catalogues() -> list[Path]:
    return [path for path in catalogues() if path.parts[-3] in CHINESE]


def ids(paths: list[Path]) -> list[str]:
    return [str(path.relative_to(ROOT)) for path in paths]


def test_the_project_and_apps_have_catalogues_in_every_language():
    found = {str(path.relative_to(ROOT)) for path in catalogues()}
    for folder in ("locale", "applications/locale", "payments/locale"):
        for language in ("en", *CHINESE):
            assert folder + "/" + language + "/LC_MESSAGES/django.po" in found


@pytest.mark.parametrize("path", chinese_catalogues(), ids=ids(chinese_catalogues()))
def test_chinese_catalogue_is_complete_and_not_fuzzy(path: Path):
    po = polib.pofile(str(path))
    assert not po.metadata_is_fuzzy, "a fuzzy header makes msgfmt drop the charset"
    assert "nplurals=1" in po.metadata.get("Plural-Forms", "")
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    assert not untranslated, str(len(untranslated)) + " untranslated: " + repr(untranslated[:5])
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not fuzzy, "fuzzy: " + repr(fuzzy[:5])


@pytest.mark.parametrize("path", chinese_catalogues(), ids=ids(chinese_catalogues()))
def test_translations_keep_every_placeholder(path: Path):
    for entry in polib.pofile(str(path)).translated_entries():
        wanted = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for text in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
            assert sorted(PLACEHOLDER.findall(text)) == wanted, entry.msgid


def _translations(entries) -> dict[tuple[str, str], object]:
    table = {}
    for entry in entries:
        if not entry.msgid:
            continue
        key = (entry.msgctxt or "", entry.msgid)
        if entry.msgid_plural:
            table[key] = tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
        else:
            table[key] = entry.msgstr
    return table


@pytest.mark.parametrize("path", catalogues(), ids=ids(catalogues()))
def test_compiled_catalogue_matches_its_source(path: Path):
    mo_path = path.with_suffix(".mo")
    assert mo_path.exists(), "not compiled: run compilemessages"
    po = polib.pofile(str(path))
    expected = _translations(
        entry for entry in po.translated_entries() if "fuzzy" not in entry.flags
    )
    compiled = _translations(polib.mofile(str(mo_path)))
    assert compiled == expected, "stale .mo: run compilemessages"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Skip to main content"), ("zh-hant", "跳至主要內容"), ("zh-hans", "跳至主要内容")],
)
def test_the_running_project_uses_the_compiled_catalogues(language: str, expected: str):
    with override(language):
        assert gettext("Skip to main content") == expected
        assert str(settings.SERVICE_NAME) != "Technical Professionals Stream e-Application" or (
            language == "en"
        )
