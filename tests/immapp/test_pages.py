"""Every public page in the three languages: content, structure, language switch, queries, CSP."""

import itertools
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from documents.catalogue import CATALOGUE, Section
from immapp.guide import GUIDE_PAGES
from payments.methods import PaymentMethod
from quota.models import SkilledTrade
from tests.factories import SkilledTradeFactory

from .test_layout import LANGUAGES, Node, assert_layout, language_switch, parse

PAGES = [
    ("home", {}),
    ("applications:start", {}),
    *[("guide", {"slug": page.slug}) for page in GUIDE_PAGES],
]
PAGE_IDS = [kwargs.get("slug", name) for name, kwargs in PAGES]
CJK = re.compile(r"[\u4e00-\u9fff]")


def url_of(name: str, kwargs: dict, language: str) -> str:
    with override(language):
        return reverse(name, kwargs=kwargs)


def get_page(client: Client, name: str, kwargs: dict, language: str) -> Node:
    response = client.get(url_of(name, kwargs, language))
    assert response.status_code == 200
    return parse(response.content)


def main_text(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return parse(response.content).find("main").text()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs"), PAGES, ids=PAGE_IDS)
def test_every_page_in_three_languages_has_the_layout_and_its_own_switch(client, name, kwargs):
    headings = {}
    for language in LANGUAGES:
        document = get_page(client, name, kwargs, language)
        assert_layout(document, language)
        switch = language_switch(document)
        assert switch == {
            other: "" if other == language else url_of(name, kwargs, other) for other in LANGUAGES
        }
        alternates = {
            link.attrs["hreflang"]: link.attrs["href"]
            for link in document.find("head").find_all("link", rel="alternate")
        }
        assert alternates == {k: v for k, v in switch.items() if v}
        headings[language] = document.find("h1").text()
        title = document.find("title").text()
        assert title.startswith(headings[language]) or name == "home"
    # The Chinese pages are translated: their headings differ from English and are in Chinese.
    for language in ("zh-hant", "zh-hans"):
        assert headings[language] != headings["en"]
        assert CJK.search(headings[language]), headings[language]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs"), PAGES, ids=PAGE_IDS)
def test_pages_have_no_inline_script_or_style_and_ordered_headings(client, name, kwargs):
    for language in LANGUAGES:
        response = client.get(url_of(name, kwargs, language))
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
        document = parse(response.content)
        for script in document.find_all("script"):
            assert script.attrs.get("src", "").startswith("/static/"), "inline script"
            assert not script.text()
        assert not document.find_all("style")
        assert not [node for node in document.iter() if "style" in node.attrs]
        assert not [
            node for node in document.iter() if any(a.startswith("on") for a in node.attrs)
        ], "inline event handler"
        levels = [int(node.tag[1]) for node in document.iter() if re.fullmatch(r"h[1-6]", node.tag)]
        assert levels[0] == 1
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, "heading levels skip: " + repr(levels)
        for table in document.find_all("table"):
            assert table.find("caption").text()
            for th in table.find_all("th"):
                assert th.attrs.get("scope") in {"col", "row"}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs"), PAGES, ids=PAGE_IDS)
def test_page_query_count_is_bounded(client, django_assert_max_num_queries, name, kwargs):
    for language in LANGUAGES:
        with django_assert_max_num_queries(1):
            assert client.get(url_of(name, kwargs, language)).status_code == 200


@pytest.mark.django_db
def test_home_page_leads_to_the_start_page_and_every_guide_page(client):
    document = get_page(client, "home", {}, "zh-hant")
    start = [a for a in document.find("main").find_all("a") if a.has_class("button--start")]
    assert len(start) == 1 and start[0].attrs["href"] == "/zh-hant/apply/"
    assert start[0].text() == "開始申請"
    hrefs = {a.attrs.get("href") for a in document.find("main").find_all("a")}
    for page in GUIDE_PAGES:
        assert "/zh-hant/guide/" + page.slug + "/" in hrefs


@pytest.mark.django_db
def test_start_page_says_what_to_have_ready(client):
    text = main_text(client, "/en/apply/")
    for fact in (
        "for entry applications only",
        "extension of stay",
        "PRC resident identity card",
        "Annex of ID(E) 1032",
        "5 MB or less",
        "at most 9 applications",
        "up to 8 dependants",
        "HK$600 for each application",
        "not refundable",
        "kept for 14 days",
        "human resources staff",
        "link to that part alone",
        "How long it takes",
    ):
        assert fact in text, fact
    assert "不可用作申請延長逗留" in main_text(client, "/zh-hant/apply/")
    assert "不可用作申请延长逗留" in main_text(client, "/zh-hans/apply/")
    document = parse(client.get("/en/apply/").content)
    assert not document.find_all("form"), "the wizard comes later; no pretend form"


@pytest.mark.django_db
def test_who_can_use_says_it_is_not_for_extension_of_stay(client):
    assert "cannot be used to apply for an extension of stay" in main_text(
        client, "/en/guide/who-can-use/"
    )
    assert "延長逗留" in main_text(client, "/zh-hant/guide/who-can-use/")


@pytest.mark.django_db
def test_eligibility_names_schemes_exclusions_age_and_pay(client):
    text = main_text(client, "/en/guide/eligibility/")
    for fact in (
        "General Employment Policy (GEP)",
        "Admission Scheme for Mainland Talents and Professionals (ASMTP)",
        "Overseas Chinese holding a PRC passport",
        "permanent residence overseas",
        "Afghanistan, Cuba and the Democratic People's Republic of Korea",
        "aged 18 to 40",
        "minimum contract period",
        "market level",
        "normally 36 months",
        "It is 24 months",
    ):
        assert fact in text, fact
    assert "一般就業政策" in main_text(client, "/zh-hant/guide/eligibility/")


@pytest.mark.django_db
def test_eligibility_lists_the_eight_seeded_trades_in_each_language(client):
    trades = list(SkilledTrade.objects.filter(active=True))
    assert len(trades) == 8, "the data migration seeds the Technical Professional List"
    for language in LANGUAGES:
        body = parse(client.get("/" + language + "/guide/eligibility/").content).find("tbody")
        names = [row.find("th").text() for row in body.find_all("tr")]
        with override(language):
            assert names == [trade.name for trade in trades]


@pytest.mark.django_db
def test_eligibility_shows_what_officers_maintain_and_hides_inactive_trades(client):
    SkilledTrade.objects.update(active=False)
    SkilledTradeFactory(
        code="t-nurses",
        name_en="Nurses",
        name_zh_hant="護士",
        minimum_contract_months=18,
        initial_stay_months=36,
    )
    SkilledTradeFactory(
        code="t-lifts",
        name_en="Lift technicians",
        name_zh_hant="升降機技術員",
        minimum_contract_months=12,
        initial_stay_months=24,
        active=False,
    )
    table = parse(client.get("/en/guide/eligibility/").content).find("table")
    rows = [
        [cell.text() for cell in row.find_all() if cell.tag in {"th", "td"}]
        for row in table.find("tbody").find_all("tr")
    ]
    assert rows == [["Nurses", "18 months", "36 months"]]
    zh_rows = parse(client.get("/zh-hant/guide/eligibility/").content).find("tbody").text()
    assert zh_rows == "護士 18 個月 36 個月"


@pytest.mark.django_db
def test_eligibility_without_trades_says_where_to_ask(client):
    SkilledTrade.objects.update(active=False)
    document = parse(client.get("/en/guide/eligibility/").content)
    assert not document.find("main").find_all("table")
    assert "Call the Immigration e-Services Hotline" in document.find("main").text()


@pytest.mark.django_db
def test_quota_page_gives_the_pools_period_and_what_happens_when_used_up(client, settings):
    settings.QUOTA_HOLD_MINUTES = 45
    text = main_text(client, "/en/guide/quota/")
    for fact in (
        "30 June 2025 to 29 June 2028",
        "10,000 places",
        "3,000 places",
        "first come, first served",
        "when your fee payment is confirmed",
        "Saved drafts are affected too",
        "suspended until places are available again",
        "Officers set the date and time",
        "Dependants do not use places",
        "for 45 minutes while you pay",
    ):
        assert fact in text, fact
    assert "2025年6月30日至2028年6月29日" in main_text(client, "/zh-hant/guide/quota/")


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_documents_checklist_shows_every_catalogue_item_by_section(client, language):
    document = parse(client.get("/" + language + "/guide/documents/").content)
    tables = document.find("main").find_all("table")
    assert len(tables) == len(Section)
    with override(language):
        for table, section in zip(tables, Section, strict=True):
            items = [item for item in CATALOGUE if item.section == section.value]
            rows = table.find("tbody").find_all("tr")
            assert len(rows) == len(items)
            for row, item in zip(rows, items, strict=True):
                header, when, max_files = (c for c in row.find_all() if c.tag in {"th", "td"})
                assert str(item.label) in header.text()
                assert max_files.text() == str(item.max_files)
                assert header.text().startswith("*") == item.mandatory
                assert when.text()
                if item.note:
                    assert [a for a in header.find_all("a") if a.text().startswith(item.note)]
    assert document.find(id="note-hash") and document.find(id="note-at")


@pytest.mark.django_db
def test_documents_notes_explain_hash_and_at_and_translations(client):
    text = main_text(client, "/en/guide/documents/")
    for fact in (
        "* marks a mandatory document",
        "a Chinese resident of the Mainland may give the PRC resident identity card",
        "latest arrival stamp, landing slip or extension label, and your latest e-Visa",
        "listed on the Main Board or GEM of the Stock Exchange of Hong Kong",
        "in the 24 months before the application",
        "certified translation",
    ):
        assert fact in text, fact


@pytest.mark.django_db
def test_file_formats_page_lists_formats_compressions_size_and_colour(client):
    text = main_text(client, "/en/guide/file-formats/")
    for fact in (
        "JPEG",
        "PDF",
        "GIF",
        "PNG",
        "TIFF",
        "none (RAW), LZW, JPEG or CCITT Group 4",
        "5 MB or less",
        "must be in colour",
        "grayscale",
        "not its name",
    ):
        assert fact in text, fact


@pytest.mark.django_db
def test_fees_page_gives_the_fee_refund_rule_and_every_payment_method(client):
    text = main_text(client, "/en/guide/fees/")
    for fact in (
        "HK$600 for each application",
        "not refundable",
        "HK$5,400",
        "HK$1,300",
        "do not pay again",
    ):
        assert fact in text, fact
    for method in PaymentMethod:
        if method not in {PaymentMethod.PPS, PaymentMethod.FPS}:
            assert str(method.label) in text, method
    assert "Payment by Phone Service" in text and "Faster Payment System" in text
    zh = main_text(client, "/zh-hans/guide/fees/")
    assert "支付宝" in zh and "申请费概不退还" in zh


@pytest.mark.django_db
def test_group_submission_page_gives_the_group_limits_and_signatures(client):
    text = main_text(client, "/en/guide/group-submission/")
    for fact in (
        "at most 9 applications",
        "up to 8 dependants",
        "spouse or legally recognised",
        "unmarried dependent children under 18",
        "submitted and paid for together",
        "dependant under 16",
    ):
        assert fact in text, fact


@pytest.mark.django_db
def test_supplementary_and_help_pages_explain_lookup_and_no_acknowledgment(client):
    text = main_text(client, "/en/guide/supplementary-documents/")
    assert "application reference number" in text and "date of birth" in text
    document = parse(client.get("/en/guide/help/").content)
    help_text = document.find("main").text()
    assert document.find(id="no-acknowledgment") and document.find(id="accessibility")
    for fact in (
        "(852) 3128 8668",
        "enquiry@immd.gov.hk",
        "never charged twice",
        "WCAG) 2.1 at level AA",
        "zoom in up to 300%",
    ):
        assert fact in help_text, fact
    assert "300%%" not in help_text
    hrefs = {a.attrs.get("href") for a in document.find("main").find_all("a")}
    assert "/en/apply/resume/" in hrefs, "the way back to a saved application is linked"
