"""Reports for supervisors and officers: the CSV export of a case list, and the dashboard's
figures (quota use per trade, applications per status).
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import BigIntegerField, Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from quota import services as quota_services
from quota.models import SkilledTrade

from .. import references
from ..models import Application
from .submission import display_name

logger = logging.getLogger(__name__)

EXPORT_CHUNK = 2000
# A cell a spreadsheet would run as a formula (CSV injection): shown as text instead.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def with_case_trade(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Annotate `case_trade_id`: the application's trade, or its principal's for a dependant
    (only principals hold a trade). One correlated lookup on the group's principal index."""
    principal_trade = Application.objects.filter(
        group_id=OuterRef("group_id"), role=Application.Role.PRINCIPAL
    ).values("trade_id")[:1]
    return applications.annotate(
        case_trade_id=Coalesce(
            "trade_id", Subquery(principal_trade), output_field=BigIntegerField()
        )
    )


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _header() -> list[str]:
    return [
        _("Application reference number"),
        _("Temporary reference"),
        _("Role"),
        _("Relationship"),
        _("Name"),
        _("Skilled trade"),
        _("Scheme"),
        _("Status"),
        _("Submitted at"),
        _("Assigned officer"),
        _("Company"),
        _("Business Registration number"),
    ]


def _row(application: Application, trades: dict[int, SkilledTrade]) -> list[str]:
    group = application.group
    employer = group.employer_part
    trade = trades.get(getattr(application, "case_trade_id", None) or 0)
    submitted = timezone.localtime(application.submitted_at) if application.submitted_at else None
    return [
        application.reference_number or "",
        references.display(group.temporary_reference),
        application.get_role_display(),
        application.get_relationship_display() if application.relationship else "",
        display_name(application),
        trade.name if trade else "",
        group.scheme,
        application.get_status_display(),
        submitted.isoformat(timespec="seconds") if submitted else "",
        application.assigned_to.get_username() if application.assigned_to else "",
        employer.company_name_en if employer else "",
        employer.business_registration_number if employer else "",
    ]


def _lines(cases: QuerySet[Application]) -> Iterator[str]:
    trades = SkilledTrade.objects.in_bulk()
    buffer = io.StringIO()
    buffer.write("\ufeff")  # the byte order mark: spreadsheets then read the file as UTF-8
    writer = csv.writer(buffer)
    writer.writerow(_header())
    rows = with_case_trade(cases).select_related("group__employer", "assigned_to")
    for number, application in enumerate(rows.iterator(chunk_size=EXPORT_CHUNK), 1):
        writer.writerow([_cell(value) for value in _row(application, trades)])
        if number % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def export_cases(
    *, cases: QuerySet[Application], by: AbstractBaseUser, criteria: str
) -> Iterator[str]:
    """Record that `by` exported `cases` (the list as filtered by `criteria`, the list's query
    string), then return the CSV text in pieces, read in chunks as they are sent.

    The caller checks the permission (applications.export_cases). The record is made when this
    is called, before any row is read: an export cut short is still on record.
    """
    count = cases.count()
    logger.info(
        "cases exported by %s: %d rows, criteria %r", by.get_username(), count, criteria or "-"
    )
    return _lines(cases)


@dataclass(frozen=True)
class PoolUse:
    """One pool's figures now; `trade` is None for the overall pool."""

    trade: SkilledTrade | None
    capacity: int
    allocated: int
    held: int
    released_pending: int
    remaining: int
    accepting: bool


@dataclass(frozen=True)
class Dashboard:
    trades: tuple[PoolUse, ...]
    overall: PoolUse | None
    statuses: tuple[tuple[str, int], ...]
    as_of: datetime.datetime


def dashboard() -> Dashboard:
    """Each active trade's current pool (capacity, allocated, held, released awaiting a
    reopening, remaining), the overall pool, and the number of cases in each status."""
    now = timezone.now()
    today = timezone.localdate(now)
    rows = []
    overall = None
    for pool in quota_services.trade_pools(now=now).current_of_trades(today):
        availability = quota_services.assess(pool, now=now)
        assert pool.trade is not None and pool.overall is not None  # trade pools only
        rows.append(
            PoolUse(
                pool.trade,
                pool.capacity,
                pool.allocated,
                pool.held,
                pool.released_pending,
                availability.trade_remaining,
                availability.accepting,
            )
        )
        parent = pool.overall
        overall = PoolUse(
            None,
            parent.capacity,
            parent.allocated,
            pool.overall_held,
            parent.released_pending,
            availability.overall_remaining,
            not availability.shut,
        )
    rows.sort(key=lambda row: (row.trade.display_order, row.trade.code) if row.trade else (0, ""))
    counted = dict(
        Application.objects.cases()
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    statuses = tuple(
        (str(label), counted.get(value, 0))
        for value, label in Application.Status.choices
        if value != Application.Status.DRAFT
    )
    return Dashboard(tuple(rows), overall, statuses, now)
