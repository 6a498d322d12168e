"""The daily purge of abandoned drafts: how fast it deletes, against a bare SQL delete.

    python -m devstack exec -- .venv/bin/python bench/draft_purge.py [--drafts N] [--repeat R]

In a scratch database made for the run (migrated, dropped afterwards), N drafts are created,
each with its principal and one dependant, all untouched for 15 days, plus N/10 recent drafts
that must survive. Then, R times (median reported):
- applications.services.purge_abandoned_drafts(): batches of drafts, each batch in one
  transaction with its rows locked and re-checked, their documents deleted through the
  documents service once the deletion commits;
- the reference: the same rows deleted by two plain SQL statements in one transaction (the
  applications, then the groups), which is the least PostgreSQL can do for the same result.
The last line is: drafts=N purge_per_s=P bare_per_s=B ratio=R kept_recent=K
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from _scratch import drop, scratch_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "immapp.settings")
os.environ.setdefault("DEBUG", "true")  # settings want a SECRET_KEY otherwise; nothing is served
SCRATCH_SUFFIX = "_draft_purge_bench"


def make_drafts(count: int, *, old: bool) -> list[int]:
    import datetime

    from django.utils import timezone

    from applications import references
    from applications.models import Application, ApplicationGroup
    from quota.models import SkilledTrade

    trade = SkilledTrade.objects.order_by("pk").first()
    groups = ApplicationGroup.objects.bulk_create(
        ApplicationGroup(temporary_reference=references.new_reference(), contact_email="a@b.hk")
        for _ in range(count)
    )
    Application.objects.bulk_create(
        application
        for group in groups
        for application in (
            Application(group=group, role="principal", position=0, trade=trade),
            Application(group=group, role="dependant", position=1, relationship="spouse"),
        )
    )
    ids = [group.pk for group in groups]
    if old:
        then = timezone.now() - datetime.timedelta(days=15)
        ApplicationGroup.objects.filter(pk__in=ids).update(updated_at=then)
        Application.objects.filter(group_id__in=ids).update(updated_at=then)
    return ids


def time_purge(count: int) -> float:
    from applications import services as drafts

    make_drafts(count, old=True)
    started = time.perf_counter()
    deleted = drafts.purge_abandoned_drafts()
    elapsed = time.perf_counter() - started
    assert deleted == count, (deleted, count)
    return elapsed


def time_bare(count: int) -> float:
    from django.db import connection, transaction

    ids = make_drafts(count, old=True)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM applications_application WHERE group_id = ANY(%s)", [ids])
        cursor.execute("DELETE FROM applications_applicationgroup WHERE id = ANY(%s)", [ids])
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    name = scratch_database(SCRATCH_SUFFIX)
    try:
        from django.core.management import call_command

        from applications.models import ApplicationGroup

        call_command("migrate", verbosity=0)
        recent = make_drafts(options.drafts // 10, old=False)
        time_purge(50)  # warm-up
        purge = statistics.median(time_purge(options.drafts) for _ in range(options.repeat))
        bare = statistics.median(time_bare(options.drafts) for _ in range(options.repeat))
        kept = ApplicationGroup.objects.filter(pk__in=recent).count()
        purge_rate = options.drafts / purge
        bare_rate = options.drafts / bare
        print(
            f"drafts={options.drafts} purge_per_s={purge_rate:.0f} bare_per_s={bare_rate:.0f}"
            f" ratio={purge_rate / bare_rate:.3f} kept_recent={kept}"
        )
        return 0 if kept == len(recent) else 1
    finally:
        drop(name)


if __name__ == "__main__":
    sys.exit(main())
