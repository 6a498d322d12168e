"""Chinese text uses Chinese punctuation: no ASCII full stop, comma, colon or bracket inside a
Chinese sentence, in any catalogue of the repository nor on the pages as they are drawn (where
translated pieces are joined by templates and code)."""

import html as html_module
import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse
from django.utils import translation

from documents import services as documents_services
from immapp.guide import GUIDE_PAGES
from tests.applications import drafting
from tests.applications import wizard_client as wc
from tests.applications.submitting import submitted_group
from tests.documents.conftest import uploaded
from tests.documents.corpus import jpeg_bytes

from .punctuation import mixed_punctuation

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(
    path
    for path in ROOT.glob("**/locale/zh_*/LC_MESSAGES/*.po")
    if ".venv" not in path.parts and "node_modules" not in path.parts
)
CHINESE = ("zh-hant", "zh-hans")


def test_the_check_finds_mixed_punctuation_and_spares_what_is_not_prose():
    for wrong in (
        "狀態： 未提交. 最多 5 個檔案。",  # noqa: RUF001
        "《無障礙網頁內容指引》(WCAG) 2.1",
        "檔案 (1.2 MB): 已接納",
        "你好,世界",
        "是否身在香港?",
    ):
        assert mixed_punctuation(wrong), wrong
    for right in (
        "狀態：未提交。最多 5 個檔案。",  # noqa: RUF001
        "《無障礙網頁內容指引》（WCAG）2.1",  # noqa: RUF001
        "請輸入少於 HK$10,000,000 的金額",
        "版本 5.5 於 23:27 發出",
        "%(name)s 的申請 %(reference)s 已獲批准。",
        "請瀏覽 https://www.immd.gov.hk/ 。",
        "以 .pdf 或 .jpg 結尾",
        "撇號（'）和句號（.）",  # noqa: RUF001
        "致電 (852) 2824 6111",
        "<strong>{{ state }}</strong>。",
    ):
        assert not mixed_punctuation(right), right


def test_there_are_chinese_catalogues_to_check():
    assert len(CATALOGUES) >= 10
    names = {path.parts[-3] for path in CATALOGUES}
    assert names == {"zh_Hant", "zh_Hans"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_catalogue_mixes_ascii_punctuation_into_chinese(path):
    found = []
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            found += [(entry.msgid[:60], place) for place in mixed_punctuation(text)]
    assert not found, found


_HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


def visible_text(page: str) -> str:
    """The text a reader sees; each tag ends a run of text, so that two elements side by side
    (a value and the next label) are not read as one sentence."""
    body = page[page.find("<body") :]
    return html_module.unescape(_TAG.sub("\n", _HIDDEN.sub("\n", body)))


def assert_chinese_punctuation(client, address: str) -> None:
    response = client.get(address)
    assert response.status_code == 200, address
    found = mixed_punctuation(visible_text(response.content.decode()))
    assert not found, (address, sorted({" ".join(place.split()) for place in found}))


@pytest.mark.django_db
@pytest.mark.parametrize("language", CHINESE)
@pytest.mark.parametrize("slug", [page.slug for page in GUIDE_PAGES])
def test_the_guide_pages_punctuate_chinese_in_chinese(client, language, slug):
    with translation.override(language):
        address = reverse("guide", kwargs={"slug": slug})
    assert_chinese_punctuation(client, address)


@pytest.mark.django_db
@pytest.mark.parametrize("language", CHINESE)
def test_the_home_start_and_quota_pages_punctuate_chinese_in_chinese(client, language):
    with translation.override(language):
        addresses = [reverse("home"), reverse("applications:start"), reverse("quota:status")]
    for address in addresses:
        assert_chinese_punctuation(client, address)


@pytest.mark.django_db
@pytest.mark.parametrize("language", CHINESE)
def test_the_wizard_documents_and_answers_punctuate_chinese_in_chinese(client, language):
    trade = drafting.trade_with_pool()
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "documents")
    documents_services.upload_document(
        group=group, application=group.principal, requirement_code="A2", file=uploaded(jpeg_bytes())
    )
    for step in ("applicant", "employment", "documents", "check"):
        assert_chinese_punctuation(client, wc.url(group, step, language=language))
    with translation.override(language):
        assert_chinese_punctuation(
            client, reverse("applications:task_list", args=[group.public_id])
        )


@pytest.mark.django_db
@pytest.mark.parametrize("language", CHINESE)
def test_the_acknowledgment_and_status_pages_punctuate_chinese_in_chinese(client, language):
    group = submitted_group(drafting.trade_with_pool(), language=language, dependants=1)
    wc.remember(client, group)
    principal = group.principal
    with translation.override(language):
        assert_chinese_punctuation(
            client, reverse("applications:acknowledgment", args=[group.public_id])
        )
        status = client.post(
            reverse("status"),
            {
                "reference": principal.reference_number,
                "date_of_birth": principal.date_of_birth.isoformat(),
            },
        )
    found = mixed_punctuation(visible_text(status.content.decode()))
    assert status.status_code == 200 and not found, found
