"""The wizard's pages stay cheap: the country list drawn once per language gives Select's
bytes, and the heavy pages cost as many queries with eight dependants as with one."""

import pytest
from django.utils import translation

from applications.wizard.builders import country
from applications.wizard.fields import CountrySelect, Select
from tests.applications import wizard_client as wc

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans"])
@pytest.mark.parametrize("value", [None, "", "GB", "CN", "XX", ["GB", "FR"]])
def test_the_country_list_drawn_once_is_the_same_as_select_draws_it(language, value):
    field = country("Nationality", error="Select the nationality")
    attrs = {"id": "id_nationality", "required": True, "aria-describedby": "id_n_helptext"}
    assert isinstance(field.widget, CountrySelect)
    with translation.override(language):
        plain = Select(attrs={"class": "select"}, choices=field.choices)
        expected = plain.render("nationality", value, attrs=attrs)
        drawn = field.widget.render("nationality", value, attrs=attrs)
        assert field.widget.use_required_attribute(None) == plain.use_required_attribute(None)

    assert drawn == expected
    assert drawn.count("<option ") > 240
    assert drawn.count(" selected>") == (0 if value == "XX" else 1)


def open_with(client, trade, count: int):
    group = wc.open_draft(client, trade)
    rows = [wc.dependant("spouse")] if count else []
    rows += [
        wc.dependant("child", wc.years_ago(2 + n), given_names="Child " + "ABCDEFGH"[n])
        for n in range(count - 1)
    ]
    wc.fill_to(client, group, trade, "check", rows=rows)
    return group


HEAVY = ("dependants", "documents", "check", "declarations")


@pytest.mark.parametrize("step", HEAVY)
def test_a_heavy_page_costs_no_more_queries_with_eight_dependants_than_with_one(
    client, trade, step, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for count in (1, 8):
        group = open_with(client, trade, count)
        client.get(wc.url(group, step))  # the first visit may fill per-process caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get(wc.url(group, step)).status_code == 200
        counts[count] = len(captured)

    assert counts[8] == counts[1], counts
    with django_assert_max_num_queries(12):
        client.get(wc.url(group, step))
