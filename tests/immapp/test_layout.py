"""The page layout: landmarks, skip link, language switch, footer, CSP and error pages.

Pages are parsed with a small tree builder on the standard library's HTMLParser, so the checks
look at elements and attributes rather than at substrings of the markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
LANGUAGES = ("en", "zh-hant", "zh-hans")
CONTACT_FACTS = ("(852) 3128 8668", "(852) 2824 6111", "(852) 2877 7711", "enquiry@immd.gov.hk")
HOURS = {
    "en": ("7 am to 11 pm daily", "8:45 am to 5:15 pm Monday to Friday"),
    "zh-hant": ("每日上午7時至晚上11時", "星期一至五上午8時45分至下午5時15分"),
    "zh-hans": ("每日上午7时至晚上11时", "星期一至五上午8时45分至下午5时15分"),
}
SKIP_LINK = {"en": "Skip to main content", "zh-hant": "跳至主要內容", "zh-hans": "跳至主要内容"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        return [
            node
            for node in self.iter()
            if (tag is None or node.tag == tag)
            and all(
                node.attrs.get(name.rstrip("_").replace("_", "-")) == value
                for name, value in attrs.items()
            )
        ]

    def find(self, tag: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, **attrs)
        assert found, "no <" + str(tag) + "> with " + repr(attrs)
        return found[0]

    def has_class(self, name: str) -> bool:
        return name in self.attrs.get("class", "").split()

    def by_class(self, name: str) -> list[Node]:
        return [node for node in self.iter() if node.has_class(name)]

    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return re.sub(r"\s+", " ", "".join(parts)).strip()


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: value or "" for name, value in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, {n: v or "" for n, v in attrs}, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: bytes | str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html.decode() if isinstance(html, bytes) else html)
    builder.close()
    return builder.root


FOCUSABLE = {"a", "button", "input", "select", "textarea", "summary"}


def first_focusable(body: Node) -> Node:
    for node in body.iter():
        if node.tag in FOCUSABLE and (node.tag != "a" or "href" in node.attrs):
            return node
    raise AssertionError("nothing focusable on the page")


def assert_layout(document: Node, language: str) -> None:
    """The parts of the layout every page must have, in `language`."""
    html = document.find("html")
    assert html.attrs["lang"] == language
    assert document.find("title").text(), "every page has a title"
    body = document.find("body")
    skip = first_focusable(body)
    assert skip.has_class("skip-link"), "the skip link is the first thing to tab to"
    assert skip.attrs["href"] == "#main-content"
    assert skip.text() == SKIP_LINK[language]
    mains = document.find_all("main")
    assert len(mains) == 1 and mains[0].attrs["id"] == "main-content"
    assert len(mains[0].find_all("h1")) == 1, "one h1, inside main"
    header, footer = document.find("header"), document.find("footer")
    assert header.by_class("site-header__name")[0].text()
    footer_text = footer.text()
    for fact in CONTACT_FACTS + HOURS[language]:
        assert fact in footer_text, fact
    assert footer.find("a", href="mailto:enquiry@immd.gov.hk")
    assert footer.find("a", href="tel:+85231288668")


def language_switch(document: Node) -> dict[str, str]:
    """The links of the language switch by language; the current language maps to ''."""
    nav = document.by_class("language-switch")[0]
    assert nav.tag == "nav" and nav.attrs.get("aria-label")
    links = {}
    for item in nav.find_all("li"):
        link = item.find_all("a")
        if link:
            assert link[0].attrs["hreflang"] == link[0].attrs["lang"]
            links[link[0].attrs["lang"]] = link[0].attrs["href"]
        else:
            current = item.find(aria_current="true")
            links[current.attrs["lang"]] = ""
    return links


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_has_the_whole_layout_in_each_language(client: Client, language: str):
    with override(language):
        url = reverse("home")
    response = client.get(url)
    assert response.status_code == 200
    document = parse(response.content)
    assert_layout(document, language)
    switch = language_switch(document)
    assert switch[language] == ""
    for other in set(LANGUAGES) - {language}:
        assert switch[other] == "/" + other + "/"


@pytest.mark.django_db
def test_language_switch_keeps_the_query_string(client: Client):
    response = client.get("/en/guide/fees/?from=search")
    switch = language_switch(parse(response.content))
    assert switch["zh-hant"] == "/zh-hant/guide/fees/?from=search"
    assert switch["zh-hans"] == "/zh-hans/guide/fees/?from=search"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_404_is_drawn_in_the_layout_and_switches_to_the_same_address(client: Client, language: str):
    response = client.get("/" + language + "/guide/no-such-page/")
    assert response.status_code == 404
    document = parse(response.content)
    assert_layout(document, language)
    switch = language_switch(document)
    for other in set(LANGUAGES) - {language}:
        assert switch[other] == "/" + other + "/guide/no-such-page/"


@pytest.mark.django_db
def test_404_for_an_address_outside_every_pattern_keeps_the_rest_of_the_path(client: Client):
    response = client.get("/zh-hant/nothing/here")
    assert response.status_code == 404
    document = parse(response.content)
    assert_layout(document, "zh-hant")
    assert "找不到網頁" in document.find("h1").text()
    assert language_switch(document)["en"] == "/en/nothing/here"


@pytest.mark.parametrize("language", LANGUAGES)
def test_500_page_renders_without_request_context_or_database(rf, language: str):
    from django.views.defaults import server_error

    # No django_db mark: pytest-django blocks the database, so any query fails the test.
    with override(language):
        response = server_error(rf.get("/" + language + "/"))
    assert response.status_code == 500
    document = parse(response.content)
    assert_layout(document, language)
    switch = language_switch(document)
    for other in set(LANGUAGES) - {language}:
        assert switch[other] == "/" + other + "/"


@pytest.mark.django_db
def test_csrf_failure_is_explained_in_the_layout(settings):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/zh-hans/", {"anything": "1"})
    assert response.status_code == 403
    document = parse(response.content)
    assert_layout(document, "zh-hans")
    assert document.find("h1").text() == "你的会话已经超时"


@pytest.mark.django_db
def test_csp_allows_no_inline_script_and_the_page_has_none(client: Client):
    response = client.get("/en/")
    policy = response.headers["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives.get("style-src", [])
    assert directives["default-src"] == ["'self'"]


@pytest.mark.django_db
def test_stylesheets_are_served_from_the_project_by_whitenoise(settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client = Client()
    document = parse(client.get("/en/").content)
    sheets = document.find_all("link", rel="stylesheet")
    assert sheets
    for sheet in sheets:
        href = sheet.attrs["href"]
        assert href.startswith("/static/"), href
        assert finders.find(href.removeprefix("/static/")), href
        response = client.get(href)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/css")
