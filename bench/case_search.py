"""The officers' case list: each search's time with 1,000 and with 100,000 applications.

    python -m devstack exec -- .venv/bin/python bench/case_search.py [--small N] [--large N]
        [--repeat R]

Two scratch databases are made for the run (migrated, dropped afterwards). In each, the same
few "needle" cases are made first (their names, numbers and company unlike anything else),
then filler applications (a principal per group, a spouse in every fourth) are bulk-created up
to --small in one and --large in the other, and the tables vacuumed and analysed. Every search
below is run through the case list's own ChangeList (the admin's filters,
applications.case_search, the order and the page of 50, and the count), R times on the small
database and right after R times on the large one, medians reported.
Each search finds the same needles at both sizes, so a search that uses its indexes costs
about the same: the target is large <= 2 x small for every search. EXPLAIN of each search's
page and count queries at the large size shows which scans it uses; a sequential scan of the
applications table is reported as "SEQ SCAN" and fails the run.

The last line is: searches=N worst_ratio=R seq_scans=S
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

from _scratch import drop, scratch_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "immapp.settings")
os.environ.setdefault("DEBUG", "true")  # settings want a SECRET_KEY otherwise; nothing is served
SCRATCH_SUFFIX = "_case_search_bench"
BATCH = 5000
# Filler names from syllables that never make a needle's letters (no q, x, z, no "ey").
SYLLABLES = ("chan", "wong", "lee", "lam", "ho", "ng", "cheung", "leung", "tang", "mak", "kwan")
GIVEN = ("ka", "wai", "man", "ming", "siu", "tak", "yan", "hing", "kit", "fai", "ling", "mei")
HANZI = "陳黃李林何吳張梁鄧麥關大文明小德欣慧玲美家偉"
_serials = itertools.count(1)
SEQ_SCAN = re.compile(r"^Seq Scan on applications_application( |$)")
NEEDLE_TRAVEL_DOCUMENT = "QZ 7788-991"
NEEDLE_HKID = "Z683365(5)"


def searches(needles: dict[str, str]) -> list[tuple[str, dict[str, str]]]:
    """(what, query string) of every search measured; each finds needles only."""
    return [
        ("application reference", {"q": needles["reference"]}),
        ("reference, no hyphens, lower case", {"q": needles["reference"].replace("-", "").lower()}),
        ("temporary reference, no dashes", {"q": needles["temporary"].lower()}),
        ("temporary reference, with dashes", {"q": needles["temporary_shown"]}),
        ("surname, part", {"q": "uixle"}),
        ("full English name", {"q": "Quixley Zebedee"}),
        ("two-letter surname, whole", {"q": "Xu"}),
        ("Chinese name, three characters", {"q": "龔鑫淼"}),
        ("Chinese name, two characters", {"q": "龔淼"}),
        ("HKID number", {"q": NEEDLE_HKID}),
        ("HKID number, no brackets", {"q": NEEDLE_HKID.replace("(", "").replace(")", "")}),
        ("travel document number", {"q": "qz7788991"}),
        ("company name, part", {"q": "Zyxwv"}),
        ("company name, Chinese", {"q": "鑫淼科技"}),
        ("BR number", {"q": "99887766"}),
        ("status filter", {"status": "approved"}),
        ("assigned officer filter", {"assigned": needles["officer_id"]}),
        ("name search within a trade", {"q": "Quixley", "trade": needles["trade_id"]}),
    ]


def make_needles() -> dict[str, str]:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from applications import application_references, references
    from applications.models import Application, ApplicationGroup, EmployerPart
    from quota.models import SkilledTrade

    trade = SkilledTrade.objects.order_by("pk").first()
    officer = get_user_model().objects.create_user("bench-officer", is_staff=True)
    now = timezone.now()
    temporary = references.new_reference()
    group = ApplicationGroup.objects.create(
        temporary_reference=temporary,
        contact_email="needle@example.com",
        scheme="GEP",
        status="submitted",
        submitted_at=now,
    )
    reference = application_references.new_reference(scheme="GEP", year=2026)
    people = [
        ("principal", 0, "", "Quixley", "Zebedee", "龔鑫淼", NEEDLE_TRAVEL_DOCUMENT, NEEDLE_HKID),
        ("dependant", 1, "spouse", "Xu", "Zora", "龔淼", "QZ0000001", ""),
    ]
    for role, position, relationship, surname, given, chinese, document, hkid in people:
        Application.objects.create(
            group=group,
            role=role,
            position=position,
            relationship=relationship,
            trade=trade if role == "principal" else None,
            status="approved",
            reference_number=reference if role == "principal" else reference[:-1] + "Q",
            submitted_at=now,
            surname=surname,
            given_names=given,
            chinese_name=chinese,
            travel_document_number=document,
            hkid_number=hkid,
            assigned_to=officer,
        )
    EmployerPart.objects.create(
        group=group,
        company_name_en="Zyxwv Quartz Limited",
        company_name_zh="鑫淼科技有限公司",
        business_registration_number="99887766-000-01-26-1",
    )
    return {
        "reference": reference,
        "temporary": temporary,
        "temporary_shown": references.display(temporary),
        "officer_id": str(officer.pk),
        "trade_id": str(trade.pk),
    }


def add_filler(count: int, rng: random.Random) -> None:
    """`count` more applications, in batches: groups with a principal, a spouse every fourth."""
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from applications import references
    from applications.models import Application, ApplicationGroup, EmployerPart
    from quota.models import SkilledTrade

    trades = list(SkilledTrade.objects.all())
    made = 0
    start = timezone.now() - datetime.timedelta(days=400)
    while made < count:
        remaining = count - made
        with transaction.atomic():
            groups = ApplicationGroup.objects.bulk_create(
                ApplicationGroup(
                    temporary_reference=references.new_reference(),
                    contact_email="filler@example.com",
                    scheme=rng.choice(("GEP", "GEP", "ASMTP")),
                    status="submitted",
                    submitted_at=start + datetime.timedelta(seconds=rng.randrange(34_000_000)),
                )
                for _ in range(min(BATCH, remaining))
            )
            rows = []
            for number, group in enumerate(groups):
                rows.append(_filler(group, rng, "principal", rng.choice(trades)))
                principals_to_come = len(groups) - number - 1
                if number % 4 == 0 and len(rows) + principals_to_come < remaining:
                    rows.append(_filler(group, rng, "dependant", None))
            Application.objects.bulk_create(rows, batch_size=BATCH)
            EmployerPart.objects.bulk_create(
                (
                    EmployerPart(
                        group=group,
                        company_name_en=_name(rng, SYLLABLES, 2).title() + " Limited",
                        company_name_zh="".join(rng.choices(HANZI, k=4)) + "有限公司",
                        business_registration_number=str(rng.randrange(10**7, 9 * 10**7)),
                    )
                    for group in groups
                ),
                batch_size=BATCH,
            )
            made += len(rows)


def _name(rng: random.Random, parts: tuple[str, ...], count: int) -> str:
    return "".join(rng.choice(parts) for _ in range(count))


def _filler(group, rng: random.Random, role: str, trade):
    from applications.models import Application

    serial = str(rng.randrange(10**6, 10**7))
    statuses = ("submitted", "submitted", "under_review", "refused")
    return Application(
        group=group,
        role=role,
        position=0 if role == "principal" else 1,
        relationship="" if role == "principal" else "spouse",
        trade=trade,
        status=rng.choice(statuses),
        reference_number="TP25-GEP-" + str(next(_serials)).rjust(6, "0") + "-F",
        submitted_at=group.submitted_at,
        surname=_name(rng, SYLLABLES, 1).title(),
        given_names=_name(rng, GIVEN, 2).title(),
        chinese_name="".join(rng.choices(HANZI, k=3)),
        travel_document_number="P" + serial,
        hkid_number="",
    )


def changelist(params: dict[str, str]):
    from django.contrib.admin.sites import site
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    from applications.models import Application

    request = RequestFactory().get("/admin/applications/application/", params)
    request.user = get_user_model().objects.get(username="bench-admin")
    return site._registry[Application].get_changelist_instance(request)


def measure(params: dict[str, str], repeat: int) -> tuple[float, int]:
    """Median milliseconds of building the list's page (its count and its 50 rows)."""
    timings = []
    rows = 0
    for _ in range(repeat + 1):
        started = time.perf_counter()
        shown = changelist(params)
        rows = shown.result_count
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings[1:]), rows


def scans(params: dict[str, str]) -> list[str]:
    """The scan nodes of the plans of the search's ids, the page and the count."""
    from applications import case_search

    shown = changelist(params)
    plans = shown.queryset[:50].explain() + "\n" + shown.queryset.order_by().explain()
    ids = case_search.matching_ids(params.get("q", ""))
    if ids is not None:
        plans += "\n" + ids.explain()
    found = []
    for line in plans.splitlines():
        text = line.strip().lstrip("-> ").strip()
        if " on " in text and "Scan" in text:
            found.append(text.split("  (")[0])
    return found


def analyse() -> None:
    """What autovacuum does to a table after a load: statistics, and the GIN indexes' pending
    entries merged (a freshly bulk-loaded GIN index is read entry by entry until then)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def use_database(name: str) -> None:
    from django.conf import settings
    from django.db import connections

    connections.close_all()
    settings.DATABASES["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name


def create_database(name: str) -> None:
    from _scratch import _admin_connection

    with _admin_connection() as admin:
        admin.execute('DROP DATABASE IF EXISTS "' + name + '"')
        admin.execute('CREATE DATABASE "' + name + '"')


def populate(name: str, size: int) -> list[tuple[str, dict[str, str]]]:
    """Migrate the database, make the needles and filler up to `size`; the searches."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from applications.models import Application

    use_database(name)
    call_command("migrate", verbosity=0)
    get_user_model().objects.create_superuser("bench-admin", "admin@example.com", None)
    measured = searches(make_needles())
    add_filler(size - Application.objects.count(), random.Random(size))
    analyse()
    print("applications:", Application.objects.count(), "in", name, flush=True)
    return measured


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=21)
    options = parser.parse_args()

    large_name = scratch_database(SCRATCH_SUFFIX)
    small_name = large_name + "_small"
    try:
        create_database(small_name)
        small_searches = populate(small_name, options.small)
        large_searches = populate(large_name, options.large)
        worst = 0.0
        seq_scans = 0
        print(
            "{:38} {:>9} {:>9} {:>6} {:>5}  scans at the large size".format(
                "search", "small ms", "large ms", "ratio", "rows"
            )
        )
        # Each search is timed on both databases one right after the other, so both figures
        # see the same load on the machine.
        for (what, small_params), (_what, large_params) in zip(
            small_searches, large_searches, strict=True
        ):
            use_database(small_name)
            small_ms, small_rows = measure(small_params, options.repeat)
            use_database(large_name)
            large_ms, rows = measure(large_params, options.repeat)
            ratio = large_ms / small_ms
            worst = max(worst, ratio)
            used = scans(large_params)
            bad = [scan for scan in used if SEQ_SCAN.match(scan)]
            seq_scans += len(bad)
            shown = "; ".join(sorted(set(used)))
            if bad:
                shown = "SEQ SCAN: " + shown
            print(
                "{:38} {:9.2f} {:9.2f} {:6.2f} {:>5}  {}".format(
                    what, small_ms, large_ms, ratio, str(small_rows) + "/" + str(rows), shown
                ),
                flush=True,
            )
        print(f"searches={len(large_searches)} worst_ratio={worst:.2f} seq_scans={seq_scans}")
        return 1 if seq_scans or worst > 2 else 0
    finally:
        drop(large_name)
        drop(small_name)


if __name__ == "__main__":
    sys.exit(main())
