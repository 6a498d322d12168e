import datetime

import pytest
from django.utils import timezone


@pytest.fixture(autouse=True)
def _fee(db):
    """The seed's fee (transactional tests flush what the migration seeded)."""
    from payments.models import Fee

    Fee.objects.get_or_create(
        effective_from=timezone.make_aware(datetime.datetime(2025, 6, 30)),
        defaults={"amount_cents": 60000},
    )
