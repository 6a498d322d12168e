"""Conditional items are required when their condition holds, never presented as optional:
on the public checklist (the guide's "When needed" column) and on a group's documents page."""

import re

import pytest
from django.urls import reverse

from documents.catalogue import CATALOGUE, Condition
from tests.documents.conftest import open_group
from tests.factories import PrincipalFactory

CONDITIONAL = [item for item in CATALOGUE if item.condition != Condition.ALWAYS]


def test_the_conditional_items_are_the_published_ones():
    assert [item.code for item in CONDITIONAL] == ["A3", "A5", "A6", "B4", "B5", "B6", "B7", "C4"]


@pytest.mark.django_db
def test_guide_shows_each_conditional_item_with_its_condition_not_as_optional(client):
    page = client.get("/en/guide/documents/").content.decode()
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", page, re.S)
    for item in CONDITIONAL:
        row = next(row for row in rows if str(item.label) in row)
        when = re.search(r"<td>(.*?)</td>", row, re.S).group(1).strip()
        assert when == str(Condition(item.condition).label), item.code
        assert "Optional" not in row


@pytest.mark.django_db
def test_documents_page_marks_the_letter_of_consent_required_for_a_mainland_resident(client):
    group = PrincipalFactory(residence="mainland", nationality="CN").group
    open_group(client, group)
    page = client.get(reverse("documents:group", args=[group.public_id])).content.decode()
    title = re.search(r'<h3 id="item-0-A5-title">(.*?)</h3>', page, re.S).group(1)
    assert "Letter of consent" in title and "(required)" in title
    assert 'id="item-0-A3-title"' not in page  # no HKID: not asked for
