"""Checklist items without files are drawn in Python (documents.item_drawing): the same bytes
as documents/_item.html, in every language, beside items with files (from the template), an
item with an error, and the employer's view."""

import logging
import re

import pytest
from django.urls import reverse
from django.utils import translation

from documents import item_drawing
from documents.services import upload_document
from documents.views import ITEM_ERRORS_KEY
from tests.documents.conftest import uploaded
from tests.documents.corpus import jpeg_bytes
from tests.factories import DependantFactory

pytestmark = pytest.mark.django_db
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def people(group):
    for position in range(1, 9):
        DependantFactory(group=group, position=position, surname="O'Brien & <Sons>")
    principal = group.applications.get(position=0)
    upload_document(
        group=group, application=principal, requirement_code="A1", file=uploaded(jpeg_bytes())
    )
    return group


def page(client, group, language: str, query: str = "") -> str:
    with translation.override(language):
        url = reverse("documents:group", args=[group.public_id]) + query
    response = client.get(url)
    assert response.status_code == 200
    return CSRF.sub("", response.content.decode())


def drawn_and_plain(client, group, language: str, monkeypatch, query: str = "") -> list[str]:
    monkeypatch.setattr(item_drawing, "checked", {})
    first = page(client, group, language, query)  # the first drawing compared with the template
    assert item_drawing.checked == {language: True}
    again = page(client, group, language, query)
    monkeypatch.setattr(item_drawing, "checked", {language: False})
    return [first, again, page(client, group, language, query)]


@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans"])
def test_drawn_items_are_the_bytes_of_the_template(applicant_client, people, language, monkeypatch):
    first, again, plain = drawn_and_plain(applicant_client, people, language, monkeypatch)

    assert first == again == plain
    assert plain.count('class="doc-item"') > 40
    assert plain.count('class="doc-upload"') > 40 and 'class="doc-files"' in plain


def test_an_item_with_an_error_is_drawn_as_the_template_shows_it(
    applicant_client, people, monkeypatch
):
    def with_error():
        session = applicant_client.session
        session[ITEM_ERRORS_KEY] = {"1-C1": "That file is <too> big & blurred"}
        session.save()

    with_error()
    monkeypatch.setattr(item_drawing, "checked", {})
    drawn = page(applicant_client, people, "en")
    with_error()
    monkeypatch.setattr(item_drawing, "checked", {"en": False})
    plain = page(applicant_client, people, "en")

    assert drawn == plain
    assert "That file is &lt;too&gt; big &amp; blurred" in plain and 'aria-invalid="true"' in plain


def test_the_employers_view_is_drawn_as_the_template_shows_it(
    client, people, employer_query, monkeypatch
):
    first, again, plain = drawn_and_plain(client, people, "en", monkeypatch, employer_query)

    assert first == again == plain
    assert "employer=" in plain


def test_a_drawing_that_differs_gives_way_to_the_template(
    applicant_client, people, monkeypatch, caplog
):
    monkeypatch.setattr(item_drawing, "checked", {})
    monkeypatch.setattr(item_drawing, "draw_item", lambda context, url: "wrong")
    with caplog.at_level(logging.WARNING, logger=item_drawing.__name__):
        first = page(applicant_client, people, "en")
    second = page(applicant_client, people, "en")

    assert "wrong" not in first and first == second
    assert item_drawing.checked == {"en": False} and "differs" in caplog.text
