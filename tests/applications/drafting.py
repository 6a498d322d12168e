"""Helpers of the draft and entry tests: trades with a pool of their own, answers, drafts."""

import datetime
import itertools

from django.utils import timezone

from applications.eligibility import EligibilityAnswers
from applications.models import ApplicationGroup, Residence
from applications.services import drafts
from quota.models import QuotaPool, SkilledTrade
from quota.seed import PILOT_ENDS_ON, PILOT_STARTS_ON, ensure_pilot_quota
from tests.factories import PrincipalFactory, SkilledTradeFactory


def overall_pool() -> QuotaPool:
    """The pilot period's overall pool (the quota migration creates it; made again here when a
    transactional test elsewhere flushed the tables)."""
    ensure_pilot_quota(trade_model=SkilledTrade, pool_model=QuotaPool)
    return QuotaPool.objects.get(trade__isnull=True, starts_on=PILOT_STARTS_ON)


def trade_with_pool(*, capacity: int = 100, minimum_contract_months: int = 24) -> SkilledTrade:
    """A new trade with a current pool of `capacity` places inside the pilot overall pool."""
    trade = SkilledTradeFactory(minimum_contract_months=minimum_contract_months)
    QuotaPool.objects.create(
        trade=trade,
        overall=overall_pool(),
        starts_on=PILOT_STARTS_ON,
        ends_on=PILOT_ENDS_ON,
        capacity=capacity,
    )
    return trade


def years_ago(years: int, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return day - datetime.timedelta(days=days)


def answers(trade: SkilledTrade | None, **changes: object) -> EligibilityAnswers:
    values: dict[str, object] = {
        "date_of_birth": years_ago(30),
        "nationality": "GB",
        "residence": Residence.OVERSEAS,
        "trade": trade,
        "contract_months": 24,
    }
    values.update(changes)
    return EligibilityAnswers(**values)  # type: ignore[arg-type]


CLIENTS = itertools.count(1)


def client_address() -> str:
    """A client address of its own (documentation range), so drafts started here never meet
    the per-client hourly limit."""
    return "2001:db8::" + format(next(CLIENTS), "x")


def start(trade: SkilledTrade, **changes: object) -> ApplicationGroup:
    """A draft started through the service, as the start page does."""
    return drafts.start_draft(
        answers=answers(trade, **changes),
        contact_email="applicant@example.com",
        language="en",
        pics_acknowledged_at=timezone.now(),
        client_address=client_address(),
    )


def fill_pool(trade: SkilledTrade) -> None:
    """Use every place of the trade's pool through quota.services (secured applications)."""
    from quota import services as quota_services

    pool = QuotaPool.objects.get(trade=trade)
    for _ in range(pool.capacity - pool.allocated):
        quota_services.secure(application=PrincipalFactory(trade=trade))
