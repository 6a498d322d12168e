"""hold, secure, release, availability and is_open through the real services."""

import datetime

import pytest
from django.utils import timezone

from quota import services
from quota.exceptions import (
    AlreadySecured,
    InvalidQuotaChange,
    NotAQuotaApplication,
    NotSecured,
    QuotaClosed,
    QuotaExhausted,
)
from quota.models import Allocation, Hold, QuotaPool
from tests.factories import DependantFactory, PrincipalFactory

pytestmark = pytest.mark.django_db


def test_hold_takes_one_place_from_the_trade_and_the_overall_pool(make_quota):
    setup = make_quota(overall=10, trades=(3,))
    (applicant,) = setup.principals(1)

    hold = services.hold(application=applicant)

    assert hold.trade_pool == setup.pools[0] and hold.overall_pool == setup.overall
    found = services.availability(trade=setup.trades[0])
    assert (found.trade_remaining, found.overall_remaining, found.accepting) == (2, 9, True)


def test_hold_is_idempotent_and_renews_the_expiry(make_quota, settings):
    setup = make_quota(overall=10, trades=(1,))
    (applicant,) = setup.principals(1)
    first = services.hold(application=applicant)
    settings.QUOTA_HOLD_MINUTES = 45

    second = services.hold(application=applicant)

    assert Hold.objects.count() == 1
    assert second.expires_at > first.expires_at
    assert second.expires_at - timezone.now() > datetime.timedelta(minutes=44)


def test_hold_lasts_the_duration_given(make_quota):
    setup = make_quota(overall=10, trades=(1,))
    (applicant,) = setup.principals(1)

    held = services.hold(application=applicant, duration=datetime.timedelta(minutes=90))

    assert held.expires_at - held.created_at == datetime.timedelta(minutes=90)
    assert Hold.objects.get(application=applicant).expires_at == held.expires_at


def test_release_hold_gives_the_place_back_and_is_idempotent(make_quota):
    setup = make_quota(overall=10, trades=(1,))
    first, second = setup.principals(2)
    services.hold(application=first)

    assert services.release_hold(application=first) is True
    assert services.release_hold(application=first) is False

    assert not Hold.objects.filter(application=first).exists()
    services.hold(application=second)  # the one place is free again


def test_hold_names_the_trade_pool_when_it_is_full(make_quota):
    setup = make_quota(overall=10, trades=(1,))
    first, second = setup.principals(2)
    services.hold(application=first)

    with pytest.raises(QuotaExhausted) as raised:
        services.hold(application=second)

    assert raised.value.overall is False
    assert raised.value.pool_name == setup.trades[0].name
    assert setup.trades[0].name in str(raised.value.message)
    assert not Hold.objects.filter(application=second).exists()


def test_hold_names_the_overall_pool_when_it_is_full(make_quota):
    setup = make_quota(overall=1, trades=(5, 5))
    (first,) = setup.principals(1, trade_index=0)
    (second,) = setup.principals(1, trade_index=1)
    services.hold(application=first)

    with pytest.raises(QuotaExhausted) as raised:
        services.hold(application=second)

    assert raised.value.overall is True
    assert "overall quota" in str(raised.value.message)


def test_dependants_never_use_quota(make_quota):
    setup = make_quota(overall=10, trades=(3,))
    (applicant,) = setup.principals(1)
    dependant = DependantFactory(group=applicant.group, position=1)

    for service in (services.hold, services.secure):
        with pytest.raises(NotAQuotaApplication):
            service(application=dependant)

    assert services.availability(trade=setup.trades[0]).trade_remaining == 3
    assert not Hold.objects.exists() and not Allocation.objects.exists()


def test_secure_turns_the_hold_into_an_allocation_and_is_idempotent(make_quota):
    setup = make_quota(overall=10, trades=(3,))
    (applicant,) = setup.principals(1)
    services.hold(application=applicant)

    allocation = services.secure(application=applicant)
    again = services.secure(application=applicant)

    assert again.pk == allocation.pk
    assert not Hold.objects.filter(application=applicant).exists()
    assert Allocation.objects.filter(application=applicant).count() == 1
    pools = QuotaPool.objects.in_bulk([setup.pools[0].pk, setup.overall.pk])
    assert [pools[setup.pools[0].pk].allocated, pools[setup.overall.pk].allocated] == [1, 1]
    assert services.availability(trade=setup.trades[0]).trade_remaining == 2


def test_a_secured_application_cannot_hold_again(make_quota):
    setup = make_quota(overall=10, trades=(3,))
    (applicant,) = setup.principals(1)
    services.secure(application=applicant)

    with pytest.raises(AlreadySecured):
        services.hold(application=applicant)


def test_hold_expiry_frees_the_slot(make_quota, settings):
    setup = make_quota(overall=10, trades=(1,))
    first, second = setup.principals(2)
    settings.QUOTA_HOLD_MINUTES = 0  # the hold expires as it is placed
    services.hold(application=first)

    assert services.availability(trade=setup.trades[0]).trade_remaining == 1
    settings.QUOTA_HOLD_MINUTES = 30
    services.hold(application=second)
    assert services.availability(trade=setup.trades[0]).trade_remaining == 0


def test_secure_after_expiry_succeeds_while_there_is_room(make_quota, settings):
    setup = make_quota(overall=10, trades=(1,))
    (applicant,) = setup.principals(1)
    settings.QUOTA_HOLD_MINUTES = 0
    services.hold(application=applicant)

    allocation = services.secure(application=applicant)

    assert allocation.trade_pool == setup.pools[0]
    assert not Hold.objects.exists()


def test_secure_after_expiry_fails_cleanly_without_room(make_quota, settings):
    setup = make_quota(overall=10, trades=(1,))
    late, prompt = setup.principals(2)
    settings.QUOTA_HOLD_MINUTES = 0
    services.hold(application=late)
    settings.QUOTA_HOLD_MINUTES = 30
    services.hold(application=prompt)  # takes the place the expired hold let go

    with pytest.raises(QuotaExhausted):
        services.secure(application=late)

    assert not Allocation.objects.filter(application=late).exists()
    assert QuotaPool.objects.get(pk=setup.pools[0].pk).allocated == 0
    assert services.secure(application=prompt).application == prompt


def test_release_needs_an_allocation_and_a_known_reason(make_quota):
    setup = make_quota(overall=10, trades=(2,))
    (applicant,) = setup.principals(1)
    with pytest.raises(NotSecured):
        services.release(application=applicant, reason=Allocation.ReleaseReason.REFUSED)
    services.secure(application=applicant)

    with pytest.raises(InvalidQuotaChange):
        services.release(application=applicant, reason="bored")

    released = services.release(application=applicant, reason=Allocation.ReleaseReason.WITHDRAWN)
    again = services.release(application=applicant, reason=Allocation.ReleaseReason.REFUSED)
    assert released.released_at is not None and again.released_at == released.released_at
    assert again.release_reason == Allocation.ReleaseReason.WITHDRAWN
    pool = QuotaPool.objects.get(pk=setup.pools[0].pk)
    assert (pool.allocated, pool.released_pending) == (0, 1)


def test_is_open_is_false_when_a_pool_is_used_up(make_quota):
    setup = make_quota(overall=10, trades=(1,))
    (applicant,) = setup.principals(1)
    assert services.is_open(trade=setup.trades[0]) is True

    services.secure(application=applicant)

    assert services.is_open(trade=setup.trades[0]) is False


def test_is_open_is_false_when_the_overall_pool_is_used_up(make_quota):
    setup = make_quota(overall=1, trades=(5, 5))
    (applicant,) = setup.principals(1, trade_index=0)
    services.secure(application=applicant)

    assert services.is_open(trade=setup.trades[1]) is False


def test_is_open_is_false_outside_the_period(make_quota):
    setup = make_quota(overall=10, trades=(5,))
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    QuotaPool.objects.filter(pk=setup.pools[0].pk).update(ends_on=yesterday)

    assert services.is_open(trade=setup.trades[0]) is False
    with pytest.raises(QuotaClosed):
        services.hold(application=setup.principals(1)[0])


def test_is_open_is_false_when_a_supervisor_closed_the_pool(make_quota):
    setup = make_quota(overall=10, trades=(5,))
    QuotaPool.objects.filter(pk=setup.overall.pk).update(closed=True)

    assert services.is_open(trade=setup.trades[0]) is False
    with pytest.raises(QuotaClosed):
        services.secure(application=setup.principals(1)[0])


def test_a_valid_hold_is_honoured_after_the_pool_closes(make_quota):
    setup = make_quota(overall=10, trades=(5,))
    (applicant,) = setup.principals(1)
    services.hold(application=applicant)
    QuotaPool.objects.filter(pk=setup.pools[0].pk).update(closed=True)

    assert services.secure(application=applicant).trade_pool == setup.pools[0]


def test_a_principal_without_a_trade_uses_no_quota(make_quota):
    applicant = PrincipalFactory(trade=None)
    with pytest.raises(NotAQuotaApplication):
        services.hold(application=applicant)


def test_an_inactive_trade_takes_no_applications(make_quota):
    setup = make_quota(overall=10, trades=(5,))
    (applicant,) = setup.principals(1)
    type(setup.trades[0]).objects.filter(pk=setup.trades[0].pk).update(active=False)

    assert services.is_open(trade=setup.trades[0]) is False
    with pytest.raises(QuotaClosed):
        services.hold(application=applicant)
    with pytest.raises(QuotaClosed):
        services.secure(application=applicant)


def test_quota_errors_are_translated(make_quota):
    from django.utils import translation

    setup = make_quota(overall=10, trades=(1,))
    first, second = setup.principals(2)
    services.secure(application=first)

    with translation.override("zh-hant"), pytest.raises(QuotaExhausted) as raised:
        services.hold(application=second)

    assert "配額已用完" in str(raised.value.message)
