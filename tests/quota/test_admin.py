"""Admin: officers look, supervisors change; every pool change is recorded."""

import re

import pytest
from django.urls import reverse

from quota import services
from quota.models import Allocation, QuotaChange, QuotaPool
from tests.staff import log_in_staff

pytestmark = pytest.mark.django_db


def _change_url(pool: QuotaPool) -> str:
    return reverse("admin:quota_quotapool_change", args=[pool.pk])


def _form(pool: QuotaPool, **changes) -> dict:
    data = {
        "starts_on": pool.starts_on.isoformat(),
        "ends_on": pool.ends_on.isoformat(),
        "capacity": str(pool.capacity),
        "reopens_at_0": "",
        "reopens_at_1": "",
        "changes-TOTAL_FORMS": "0",
        "changes-INITIAL_FORMS": "0",
        "changes-MIN_NUM_FORMS": "0",
        "changes-MAX_NUM_FORMS": "1000",
    }
    if pool.closed:
        data["closed"] = "on"
    data.update(changes)
    return data


def test_pool_list_shows_capacity_allocated_held_and_remaining(
    client, staff, make_quota, django_assert_max_num_queries
):
    setup = make_quota(overall=100, trades=(7,))
    held, secured = setup.principals(2)
    services.hold(application=held)
    services.secure(application=secured)
    log_in_staff(client, staff("officer"))

    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:quota_quotapool_changelist"))

    assert response.status_code == 200
    rows = {
        pool.pk: [str(pool.capacity), str(pool.allocated), str(pool.held)]
        for pool in response.context["cl"].result_list
    }
    assert rows[setup.pools[0].pk] == ["7", "1", "1"]
    assert rows[setup.overall.pk] == ["100", "1", "1"]
    content = response.content.decode()
    assert "remaining" in content.lower() and "held" in content.lower()


def test_an_officer_sees_a_pool_but_cannot_change_it(client, staff, make_quota):
    setup = make_quota(overall=100, trades=(7,))
    pool = setup.pools[0]
    log_in_staff(client, staff("officer"))

    page = client.get(_change_url(pool))
    posted = client.post(_change_url(pool), _form(pool, capacity="70"))
    action = client.post(
        reverse("admin:quota_quotapool_changelist"),
        {"action": "close_pools", "_selected_action": [pool.pk], "post": "yes"},
    )

    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert posted.status_code == 403
    assert action.status_code in (200, 302)
    pool.refresh_from_db()
    assert (pool.capacity, pool.closed) == (7, False)
    assert not QuotaChange.objects.exists()


def test_an_officer_cannot_change_a_trade(client, staff, make_quota):
    setup = make_quota(overall=100, trades=(7,))
    trade = setup.trades[0]
    log_in_staff(client, staff("officer"))

    response = client.post(
        reverse("admin:quota_skilledtrade_change", args=[trade.pk]),
        {"code": trade.code, "name_en": "Renamed"},
    )

    assert response.status_code == 403
    trade.refresh_from_db()
    assert trade.name_en != "Renamed"


def test_a_supervisor_changes_a_capacity_and_it_is_recorded(client, staff, make_quota):
    setup = make_quota(overall=100, trades=(7,))
    pool = setup.pools[0]
    supervisor = staff("supervisor")
    log_in_staff(client, supervisor)

    response = client.post(_change_url(pool), _form(pool, capacity="70"))

    assert response.status_code == 302, response.content
    pool.refresh_from_db()
    assert pool.capacity == 70
    change = QuotaChange.objects.get(pool=pool)
    assert (change.action, change.old_value, change.new_value) == ("capacity", "7", "70")
    assert change.changed_by == supervisor and change.changed_at is not None
    assert services.availability(trade=setup.trades[0]).trade_remaining == 70


def test_a_capacity_below_the_places_used_is_refused_with_a_message(client, staff, make_quota):
    setup = make_quota(overall=100, trades=(7,))
    pool = setup.pools[0]
    for applicant in setup.principals(3):
        services.secure(application=applicant)
    log_in_staff(client, staff("supervisor"))

    response = client.post(_change_url(pool), _form(pool, capacity="2"))

    assert response.status_code == 200
    assert "3 places already used" in response.content.decode()
    pool.refresh_from_db()
    assert pool.capacity == 7 and not QuotaChange.objects.exists()


def test_a_supervisor_closes_and_reopens_pools_by_action(client, staff, make_quota):
    setup = make_quota(overall=100, trades=(7,))
    pool = setup.pools[0]
    supervisor = staff("supervisor")
    log_in_staff(client, supervisor)
    url = reverse("admin:quota_quotapool_changelist")

    confirm = {"post": "yes"}  # the confirmation page posts the same action back with this
    client.post(url, {"action": "close_pools", "_selected_action": [pool.pk], **confirm})
    assert services.is_open(trade=setup.trades[0]) is False
    client.post(url, {"action": "reopen_pools", "_selected_action": [pool.pk], **confirm})

    assert services.is_open(trade=setup.trades[0]) is True
    actions = QuotaChange.objects.filter(pool=pool, changed_by=supervisor)
    assert sorted(actions.values_list("action", flat=True)) == ["closed", "reopened"]


def test_a_supervisor_schedules_a_reopening_in_the_form(client, staff, make_quota):
    setup = make_quota(overall=100, trades=(7,))
    pool = setup.pools[0]
    log_in_staff(client, staff("supervisor"))

    response = client.post(
        _change_url(pool),
        _form(pool, reopens_at_0="2031-01-02", reopens_at_1="09:30:00"),
    )

    assert response.status_code == 302, response.content
    pool.refresh_from_db()
    assert pool.reopens_at is not None
    change = QuotaChange.objects.get(pool=pool)
    assert change.action == "reopening_scheduled"
    assert change.new_value.startswith("2031-01-02T09:30")


def test_holds_and_allocations_are_read_only_even_for_supervisors(client, staff, make_quota):
    setup = make_quota(overall=100, trades=(7,))
    (applicant,) = setup.principals(1)
    allocation = services.secure(application=applicant)
    log_in_staff(client, staff("supervisor"))

    listing = client.get(reverse("admin:quota_allocation_changelist"))
    change = client.post(
        reverse("admin:quota_allocation_change", args=[allocation.pk]),
        {"release_reason": "refused"},
    )
    delete = client.post(
        reverse("admin:quota_allocation_delete", args=[allocation.pk]), {"post": "yes"}
    )

    assert listing.status_code == 200
    assert change.status_code == 403 and delete.status_code == 403
    assert Allocation.objects.get(pk=allocation.pk).released_at is None


def test_a_trade_page_shows_its_pools_figures(client, staff, make_quota):
    setup = make_quota(overall=100, trades=(7,))
    services.secure(application=setup.principals(1)[0])
    log_in_staff(client, staff("officer"))

    response = client.get(reverse("admin:quota_skilledtrade_change", args=[setup.trades[0].pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert reverse("admin:quota_quotapool_change", args=[setup.pools[0].pk]) in content
    cell = re.search(r'<td class="field-remaining_now">\s*<p>(\d+)</p>', content)
    assert cell and cell.group(1) == "6"
