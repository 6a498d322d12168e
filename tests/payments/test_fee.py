"""The fee is one row officers add with the time it takes effect; every page reads it."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from payments.models import Fee
from tests.applications import drafting
from tests.payments import paying
from tests.payments.ready import ready_group

pytestmark = pytest.mark.django_db


def test_a_new_fee_takes_effect_at_its_time_on_every_page(client):
    group = ready_group(client, drafting.trade_with_pool(capacity=5))
    Fee.objects.create(
        amount_cents=65000, effective_from=timezone.now() + datetime.timedelta(days=1)
    )
    cache.clear()
    assert "HK$600" in client.get(paying.pay_url(group)).content.decode()
    assert "HK$600" in client.get("/en/guide/fees/").content.decode()
    Fee.objects.create(
        amount_cents=65050, effective_from=timezone.now() - datetime.timedelta(seconds=1)
    )
    cache.clear()
    pay_page = client.get(paying.pay_url(group)).content.decode()
    assert "HK$650.50" in pay_page and "HK$600" not in pay_page
    assert "HK$650.50" in client.get("/en/guide/fees/").content.decode()
    assert "HK$650.50" in client.get("/en/apply/").content.decode()
    assert "HK$650.50" in client.get("/en/").content.decode()
