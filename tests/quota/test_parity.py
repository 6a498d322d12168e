"""availability() (Python, the ORM) and hold() (the SQL hot path) agree on every pool state:
whether a place can be given, why not (the one refusal order), and how many places are left."""

import datetime

import pytest
from django.utils import timezone

from quota import services
from quota.exceptions import QuotaClosed, QuotaExhausted
from quota.models import Hold, QuotaPool
from tests.factories import PrincipalFactory

pytestmark = pytest.mark.django_db


def _now() -> datetime.datetime:
    return timezone.now()


def _past(**delta: int) -> datetime.datetime:
    return _now() - datetime.timedelta(**delta)


def _future(**delta: int) -> datetime.datetime:
    return _now() + datetime.timedelta(**delta)


def _yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def _tomorrow() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=1)


# name: (changes of the trade pool, changes of the overall pool, other applicants' holds)
STATES = {
    "both open": ({}, {}, 0),
    "both open, held in part": ({}, {}, 2),
    "trade closed": ({"closed": True}, {}, 0),
    "overall closed": ({}, {"closed": True}, 0),
    "trade closed, reopening not yet due": ({"closed": True, "reopens_at": _future}, {}, 0),
    "trade reopening due": (
        {"closed": True, "reopens_at": _past, "allocated": 2, "released_pending": 3},
        {},
        0,
    ),
    "released places wait for the reopening": (
        {"allocated": 2, "released_pending": 3, "reopens_at": _future},
        {},
        0,
    ),
    "trade period over": ({"ends_on": _yesterday}, {}, 0),
    "trade period not begun": ({"starts_on": _tomorrow}, {}, 0),
    "overall period over": ({}, {"ends_on": _yesterday}, 0),
    "trade full": ({"allocated": 5}, {}, 0),
    "trade full of holds": ({}, {}, 5),
    "overall full": ({}, {"allocated": 10}, 0),
    "both full": ({"allocated": 5}, {"allocated": 10}, 0),
    "closed and full": ({"closed": True, "allocated": 5}, {}, 0),
}


def _resolved(changes: dict) -> dict:
    return {name: value() if callable(value) else value for name, value in changes.items()}


def _expected_error(found: services.Availability) -> tuple[type, bool | None] | None:
    refusal = found.refusal(trade_name="the trade")
    if refusal is None:
        return None
    return type(refusal), getattr(refusal, "overall", None)


@pytest.mark.parametrize("state", list(STATES))
def test_availability_and_the_hot_path_agree(make_quota, state):
    trade_changes, overall_changes, holds = STATES[state]
    setup = make_quota(overall=10, trades=(5,))
    trade, pool = setup.trades[0], setup.pools[0]
    QuotaPool.objects.filter(pk=pool.pk).update(**_resolved(trade_changes))
    QuotaPool.objects.filter(pk=setup.overall.pk).update(**_resolved(overall_changes))
    for other in setup.principals(holds):
        Hold.objects.create(
            application=other,
            trade_pool=pool,
            overall_pool=setup.overall,
            expires_at=_future(minutes=30),
        )
    (applicant,) = setup.principals(1)

    found = services.availability(trade=trade)
    # The hot path's own unlocked verdict (the statement hold() reads first), in the same
    # terms: the places left and whether the pools are shut.
    try:
        standing = services._current_standing(applicant, trade.pk)
    except QuotaClosed:  # the SQL found no current pool: so must Python
        assert found == services.CLOSED
    else:
        assert standing.availability == found

    expected = _expected_error(found)
    if expected is None:
        held = services.hold(application=applicant)
        assert held.trade_pool_id == pool.pk
        after = services.availability(trade=trade)
        assert after.trade_remaining == found.trade_remaining - 1
        assert after.overall_remaining == found.overall_remaining - 1
    else:
        with pytest.raises((QuotaClosed, QuotaExhausted)) as refused:
            services.hold(application=applicant)
        assert (type(refused.value), getattr(refused.value, "overall", None)) == expected
        assert not Hold.objects.filter(application=applicant).exists()


def test_the_matrix_covers_every_reason(make_quota):
    """Each reason of the one refusal order occurs above, and acceptance too."""
    seen = set()
    for trade_changes, overall_changes, holds in STATES.values():
        setup = make_quota(overall=10, trades=(5,))
        QuotaPool.objects.filter(pk=setup.pools[0].pk).update(**_resolved(trade_changes))
        QuotaPool.objects.filter(pk=setup.overall.pk).update(**_resolved(overall_changes))
        for other in setup.principals(holds):
            Hold.objects.create(
                application=other,
                trade_pool=setup.pools[0],
                overall_pool=setup.overall,
                expires_at=_future(minutes=30),
            )
        seen.add(_expected_error(services.availability(trade=setup.trades[0])))
    assert seen == {None, (QuotaClosed, None), (QuotaExhausted, True), (QuotaExhausted, False)}


def test_no_current_pool_is_shut_on_both_paths(make_quota):
    setup = make_quota(overall=10, trades=(5,))
    QuotaPool.objects.filter(pk=setup.pools[0].pk).update(ends_on=_yesterday())
    found = services.availability(trade=setup.trades[0])
    assert found.shut and not found.accepting
    with pytest.raises(QuotaClosed):
        services.hold(application=PrincipalFactory(trade=setup.trades[0]))
