"""The supervisor's close and reopen actions ask for confirmation, go to the audit trail, and
stay out of an officer's reach whatever is posted."""

import pytest
from django.urls import reverse

from applications.models import AuditEntry
from quota import services
from tests.staff import log_in_staff

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:quota_quotapool_changelist"


def _post(client, action, pool, **extra):
    data = {"action": action, "_selected_action": [pool.pk], **extra}
    return client.post(reverse(CHANGELIST), data)


def test_closing_asks_first_then_closes_and_is_audited(client, staff, make_quota):
    setup = make_quota(overall=100, trades=(7,))
    pool, trade = setup.pools[0], setup.trades[0]
    supervisor = staff("supervisor")
    log_in_staff(client, supervisor)

    page = _post(client, "close_pools", pool)

    content = page.content.decode()
    assert page.status_code == 200 and "Close these pools?" in content
    assert "Yes, close them" in content and str(pool) in content
    assert 'name="post" value="yes"' in content and 'value="' + str(pool.pk) + '"' in content
    assert services.is_open(trade=trade) is True and not AuditEntry.objects.exists()

    done = _post(client, "close_pools", pool, post="yes")

    assert done.status_code == 302 and services.is_open(trade=trade) is False
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.object_type, entry.object_id) == (
        AuditEntry.Action.QUOTA_CLOSED,
        supervisor,
        "quota.quotapool",
        str(pool.pk),
    )
    assert entry.detail["changes"] == ["closed"] and entry.ip_address == "127.0.0.1"


def test_reopening_asks_first_then_reopens_and_is_audited(client, staff, make_quota):
    setup = make_quota(overall=100, trades=(7,))
    pool, trade = setup.pools[0], setup.trades[0]
    log_in_staff(client, staff("supervisor"))
    _post(client, "close_pools", pool, post="yes")

    page = _post(client, "reopen_pools", pool)
    assert "Reopen these pools now?" in page.content.decode()
    assert services.is_open(trade=trade) is False

    _post(client, "reopen_pools", pool, post="yes")

    assert services.is_open(trade=trade) is True
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        AuditEntry.Action.QUOTA_CLOSED,
        AuditEntry.Action.QUOTA_REOPENED,
    ]


@pytest.mark.parametrize("confirmed", [{}, {"post": "yes"}], ids=["asking", "crafted-confirm"])
@pytest.mark.parametrize("action", ["close_pools", "reopen_pools"])
def test_an_officer_reaches_neither_page_nor_action(client, staff, make_quota, action, confirmed):
    setup = make_quota(overall=100, trades=(7,))
    pool = setup.pools[0]
    pool.closed = action == "reopen_pools"
    pool.save()
    log_in_staff(client, staff("officer"))

    response = _post(client, action, pool, **confirmed)

    assert b"Yes, close them" not in response.content
    assert b"Yes, reopen them now" not in response.content
    pool.refresh_from_db()
    assert pool.closed is (action == "reopen_pools")
    assert not AuditEntry.objects.exists()
