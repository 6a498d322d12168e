"""Released places come back only from the reopening time a supervisor sets."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from quota import services, supervision
from quota.exceptions import QuotaExhausted
from quota.models import Allocation, QuotaChange, QuotaPool
from quota.tasks import apply_due_reopenings_task
from tests.staff import log_in_staff

pytestmark = pytest.mark.django_db
REFUSED = Allocation.ReleaseReason.REFUSED


def _schedule(pool: QuotaPool, at: datetime.datetime, by=None) -> None:
    pool.refresh_from_db()
    edit = supervision.PoolEdit(pool.capacity, pool.starts_on, pool.ends_on, pool.closed, at)
    supervision.change_pool(pool_id=pool.pk, edit=edit, by=by)


def _full_trade(make_quota):
    setup = make_quota(overall=10, trades=(1,))
    secured, waiting = setup.principals(2)
    services.secure(application=secured)
    services.release(application=secured, reason=REFUSED)
    return setup, waiting


def test_a_release_gives_nothing_back_before_a_reopening(make_quota):
    setup, waiting = _full_trade(make_quota)

    assert services.availability(trade=setup.trades[0]).trade_remaining == 0
    assert services.is_open(trade=setup.trades[0]) is False
    with pytest.raises(QuotaExhausted):
        services.hold(application=waiting)


def test_a_release_gives_nothing_back_before_the_scheduled_time(make_quota):
    setup, waiting = _full_trade(make_quota)
    _schedule(setup.pools[0], timezone.now() + datetime.timedelta(hours=1))

    apply_due_reopenings_task()

    assert services.availability(trade=setup.trades[0]).trade_remaining == 0
    with pytest.raises(QuotaExhausted):
        services.secure(application=waiting)


def test_after_the_reopening_time_the_released_place_is_available(make_quota):
    setup, waiting = _full_trade(make_quota)
    _schedule(setup.pools[0], timezone.now() + datetime.timedelta(hours=1))
    # The time comes: read before and after the periodic task applies it.
    QuotaPool.objects.filter(pk=setup.pools[0].pk).update(
        reopens_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert services.availability(trade=setup.trades[0]).trade_remaining == 1
    services.hold(application=waiting)  # the locked path counts it back too, before the task

    assert apply_due_reopenings_task() == 1

    pool = QuotaPool.objects.get(pk=setup.pools[0].pk)
    assert (pool.released_pending, pool.reopens_at) == (0, None)
    assert QuotaChange.objects.filter(
        pool=pool, action=QuotaChange.Action.REOPENING_APPLIED
    ).exists()
    assert services.secure(application=waiting).trade_pool == setup.pools[0]


def test_a_release_after_the_reopening_waits_for_the_next_one(make_quota):
    setup = make_quota(overall=10, trades=(1,))
    first, second, third = setup.principals(3)
    services.secure(application=first)
    services.release(application=first, reason=REFUSED)
    _schedule(setup.pools[0], timezone.now())  # reopen now: the place returns at once
    services.secure(application=second)
    services.release(application=second, reason=REFUSED)

    with pytest.raises(QuotaExhausted):
        services.hold(application=third)


def test_a_scheduled_reopening_opens_a_closed_pool_at_its_time(make_quota, staff):
    setup = make_quota(overall=10, trades=(5,))
    supervisor = staff("supervisor")
    supervision.set_closed(pool_id=setup.pools[0].pk, closed=True, by=supervisor)
    _schedule(setup.pools[0], timezone.now() + datetime.timedelta(minutes=5), by=supervisor)
    assert services.is_open(trade=setup.trades[0]) is False

    QuotaPool.objects.filter(pk=setup.pools[0].pk).update(reopens_at=timezone.now())

    assert services.is_open(trade=setup.trades[0]) is True
    apply_due_reopenings_task()
    assert QuotaPool.objects.get(pk=setup.pools[0].pk).closed is False
    actions = list(
        QuotaChange.objects.filter(pool=setup.pools[0]).values_list("action", "changed_by")
    )
    assert (QuotaChange.Action.CLOSED, supervisor.pk) in actions
    assert (QuotaChange.Action.REOPENING_SCHEDULED, supervisor.pk) in actions
    assert (QuotaChange.Action.REOPENING_APPLIED, None) in actions


def test_a_trade_reopening_alone_leaves_the_full_overall_pool_full(make_quota, staff, client):
    setup = make_quota(overall=1, trades=(5,))
    secured, waiting = setup.principals(2)
    services.secure(application=secured)
    services.release(application=secured, reason=REFUSED)
    trade_pool = setup.pools[0]
    log_in_staff(client, staff("supervisor"))

    # The supervisor schedules a reopening of the trade pool only, in the admin.
    response = client.post(
        reverse("admin:quota_quotapool_change", args=[trade_pool.pk]),
        {
            "starts_on": trade_pool.starts_on.isoformat(),
            "ends_on": trade_pool.ends_on.isoformat(),
            "capacity": "5",
            "reopens_at_0": "2031-01-02",
            "reopens_at_1": "09:30:00",
            "changes-TOTAL_FORMS": "0",
            "changes-INITIAL_FORMS": "0",
        },
        follow=True,
    )

    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert warnings == [
        "The overall pool still counts 1 released place as used: this reopening does not give "
        "it back. Schedule a reopening of the overall pool too."
    ]
    # Its time comes: the trade pool has its place back, the overall pool still counts it.
    QuotaPool.objects.filter(pk=trade_pool.pk).update(reopens_at=timezone.now())
    left = services.availability(trade=setup.trades[0])
    assert (left.trade_remaining, left.overall_remaining, left.accepting) == (5, 0, False)
    with pytest.raises(QuotaExhausted) as refused:
        services.secure(application=waiting)
    assert refused.value.overall is True
    assert not Allocation.objects.filter(application=waiting).exists()

    _schedule(setup.overall, timezone.now())  # the overall pool's own reopening

    assert supervision.overall_places_left_pending(pool_id=trade_pool.pk) == 0
    assert services.secure(application=waiting).overall_pool == setup.overall
