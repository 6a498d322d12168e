"""What a page waiting for a document's verdict costs: the checks counter against the item.

    python -m devstack exec -- .venv/bin/python bench/documents_checks.py [--repeat R]

In a scratch database made for the run (migrated, dropped afterwards), a draft gets three
files on its travel document item, left pending. Then, through Django's test client, R times
each (median reported, with its query count): the checks counter the page asks while it waits
(documents:checks, a cache read) and the item's status (documents:item_status, what the page
fetched every 1.5 s before and now fetches only once the counter moves). The reference,
measured the same way, is the home page, which reads nothing from the database.
From those: the database queries a second and the request time a second of 1,000 pages
waiting at once, the old way (the item every 1.5 s) and the new (the counter every 0.25 s).
Lines: request=NAME median_ms=M queries=Q, then waiting=1000 way=W requests_per_s=..
queries_per_s=.. busy_cpu_s_per_s=.., and reference_median_ms=M.
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
os.environ.setdefault("DEBUG", "true")
SCRATCH_SUFFIX = "_documents_checks_bench"
WAITING = 1000
OLD_EVERY_S = 1.5
NEW_EVERY_S = 0.25


def timed(call, repeat: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = call()
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        queries = len(captured)
    return statistics.median(times), queries


def run(repeat: int) -> None:
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from documents import services
    from tests.applications import drafting
    from tests.applications import wizard_client as wc
    from tests.documents.corpus import jpeg_bytes

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.SECURE_SSL_REDIRECT = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    client = Client()
    group = wc.open_draft(client, drafting.trade_with_pool())
    files = [SimpleUploadedFile("page" + str(n) + ".jpg", jpeg_bytes()) for n in range(3)]
    services.upload_documents(
        group=group, application=group.principal, requirement_code="A1", files=files
    )
    checks_url = reverse("documents:checks", args=[group.public_id])
    item_url = reverse("documents:item_status", args=[group.public_id, "0", "A1"])
    home, _ = timed(lambda: client.get("/en/"), repeat)
    checks_ms, checks_q = timed(lambda: client.get(checks_url), repeat)
    item_ms, item_q = timed(lambda: client.get(item_url, headers={"accept": "json"}), repeat)
    print(f"request=checks median_ms={checks_ms:.2f} queries={checks_q}")
    print(f"request=item_status median_ms={item_ms:.2f} queries={item_q}")
    for way, every, ms, queries in (
        ("old-item-every-1.5s", OLD_EVERY_S, item_ms, item_q),
        ("new-checks-every-0.25s", NEW_EVERY_S, checks_ms, checks_q),
    ):
        rate = WAITING / every
        print(
            f"waiting={WAITING} way={way} requests_per_s={rate:.0f} "
            f"queries_per_s={rate * queries:.0f} busy_cpu_s_per_s={rate * ms / 1000:.2f}"
        )
    print(f"reference_median_ms={home:.2f} (home page, same client)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    name = scratch_database(SCRATCH_SUFFIX)
    try:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        run(args.repeat)
    finally:
        drop(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
