"""The wizard's pages: time per request for each step, alone and with eight dependants.

    python -m devstack exec -- .venv/bin/python bench/wizard_steps.py [--repeat R]

In a scratch database made for the run (migrated, dropped afterwards), two drafts are filled in
through Django's test client up to "check your answers": one with no dependants, one with
eight. Then each step's page is fetched R times per draft (median reported, with its query
count), and the applicant's step is posted R times. The reference, measured the same way, is
the service's home page, a page that reads nothing from the database: the wizard's cost above
it is what its forms, the draft's rows, the signatures and the documents checklist add.
Lines: step=NAME dependants=D median_ms=M queries=Q, and reference_median_ms=M.
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
SCRATCH_SUFFIX = "_wizard_steps_bench"
STEPS = (
    "applicant", "qualifications", "employment", "employer", "company", "dependants",
    "documents", "check", "declarations",
)  # fmt: skip


def timed(call, repeat: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    return statistics.median(times), queries


def run(repeat: int) -> None:
    from django.conf import settings
    from django.test import Client

    from tests.applications import drafting
    from tests.applications import wizard_client as wc

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.SECURE_SSL_REDIRECT = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    trade = drafting.trade_with_pool()
    client = Client()
    home, _queries = timed(lambda: client.get("/en/"), repeat)
    for count in (0, 8):
        group = wc.open_draft(client, trade)
        rows = [wc.dependant("spouse")] if count else []
        rows += [
            wc.dependant("child", wc.years_ago(2 + n), given_names="Child " + "ABCDEFGH"[n])
            for n in range(count - 1)
        ]
        wc.fill_to(client, group, trade, "check", rows=rows)
        for step in STEPS:
            address = wc.url(group, step)
            median, queries = timed(lambda address=address: client.get(address), repeat)
            print(f"step={step} dependants={count} median_ms={median:.1f} queries={queries}")
        median, queries = timed(
            lambda group=group: wc.post(client, group, "applicant", wc.applicant()), repeat
        )
        print(f"step=post-applicant dependants={count} median_ms={median:.1f} queries={queries}")
    print(f"reference_median_ms={home:.1f} (home page, same client)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
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
