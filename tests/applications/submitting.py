"""Helpers of the submission tests: groups being paid, made with the factories, and their
submission through applications.services as the payments app's confirmation does it."""

import datetime

from django.db import transaction

from applications import services
from applications.models import ApplicationGroup
from quota import services as quota_services
from quota.models import SkilledTrade
from tests.factories import (
    ApplicationGroupFactory,
    DependantFactory,
    EmployerPartFactory,
    PrincipalFactory,
)

FEE_CENTS = 60_000
# A name with a Hong Kong supplementary character (U+28222, "lift"), outside the BMP.
HKSCS_NAME = "陳𨋢明"


def paying_group(
    trade: SkilledTrade,
    *,
    language: str = "en",
    dependants: int = 0,
    hold_for: datetime.timedelta | None = datetime.timedelta(minutes=30),
    authorised_person_email: str = "",
    chinese_name: str = HKSCS_NAME,
) -> ApplicationGroup:
    """A group whose payment is in flight: PAYMENT_PENDING, with its principal's hold for
    `hold_for` (None: no hold at all), as begin_payment leaves it."""
    group = ApplicationGroupFactory(
        language=language, status=ApplicationGroup.Status.PAYMENT_PENDING
    )
    principal = PrincipalFactory(group=group, trade=trade, chinese_name=chinese_name)
    for position in range(1, dependants + 1):
        DependantFactory(group=group, position=position, given_names="Child " + str(position))
    EmployerPartFactory(group=group, authorised_person_email=authorised_person_email)
    if hold_for is not None:
        quota_services.hold(application=principal, duration=hold_for)
    return group


def submit(group: ApplicationGroup, fee_cents: int | None = None) -> services.Submission:
    """Submit in a transaction of its own, as a confirmation does."""
    count = group.applications.count()
    with transaction.atomic():
        return services.submit_paid_group(
            group_id=group.pk, fee_paid_cents=fee_cents or FEE_CENTS * count
        )


def submitted_group(trade: SkilledTrade, **options: object) -> ApplicationGroup:
    group = paying_group(trade, **options)  # type: ignore[arg-type]
    submit(group)
    group.refresh_from_db()
    return group
