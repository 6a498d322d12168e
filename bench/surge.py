"""The rush, end to end: N simulated applicants play the whole journey over HTTP against
gunicorn (DEBUG off, Redis cache) and a real Celery worker, for a trade whose pool has fewer
places than there are applicants.

    python -m devstack exec -- .venv/bin/python bench/surge.py [--applicants N] [--places P]
        [--concurrency C] [--web-workers W] [--worker-threads T]
    python -m devstack exec -- .venv/bin/python bench/surge.py --overload [--queue-limit-ms L]

Each applicant (bench/_journey.py) goes through eligibility, the collection statement, every
wizard step, a small valid file for every required document (checked by the worker), the
declarations and a sandbox card payment. The pool opens when the first applicant starts. Printed:
one line per step with its requests, p50 and p99 (time to the last byte, client side), then

    applicants=N places=P submitted=S quota_full=Q errors=E oversold=O charged=C refunded=R
        charged_without_slot=X uploads=U unchecked=K pool_full_after_s=F elapsed_s=T

and the errors, if any, by kind. Target: S = P, O = 0, X = 0, E = 0, K = 0.

--overload turns the load shedder on (OVERLOAD_REQUEST_START_HEADER=X-Request-Start, limit L ms)
and drives the surge with more applicants at once than the web tier serves in time; a refused
request is sent again after --retry-after seconds. It adds: served and refused requests per
second and the offered load as a multiple of what was served; the refusals' time to first byte
and a served wizard page's, both as the client saw them (from the send, queue included) and as
gunicorn measured them (from the worker reading the request to the response's end: the access
log's %(D)s); and whether every accepted request completed: no timeout or broken connection,
every accepted upload stored once and checked, no draft left half-paid.

Runs in a scratch database made for the run and dropped afterwards; the Redis database of
REDIS_URL is the broker (purged first). Prints figures; not a test.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "immapp.settings")
os.environ.setdefault("DEBUG", "true")  # this process only: it migrates and reads the counts

from _journey import ERROR, QUOTA_FULL, SUBMITTED, Recorder, answers_for, audit, play_all  # noqa: E402
from _scratch import drop  # noqa: E402
from _serve import access_lines, prepare_database, served  # noqa: E402

SCRATCH_SUFFIX = "_surge_bench"
WIZARD_PAGE = re.compile(
    r"^/en/apply/[0-9a-f-]{36}/(applicant|qualifications|employment|employer|company|"
    r"dependants|documents|check|declarations)/$"
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=None, help="default 120 (overload 48)")
    parser.add_argument("--places", type=int, default=None, help="default 40 (overload 12)")
    parser.add_argument("--concurrency", type=int, default=None, help="default 12 (overload 36)")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--worker-threads", type=int, default=3)
    parser.add_argument("--overload", action="store_true")
    parser.add_argument("--queue-limit-ms", type=int, default=1000)
    parser.add_argument("--retry-after", type=float, default=1.0)
    parser.add_argument(
        "--check-timeout",
        type=float,
        default=600.0,
        help="how long an applicant waits for its uploads to be checked (s)",
    )
    args = parser.parse_args()
    defaults = (48, 12, 36) if args.overload else (120, 40, 12)
    for name, value in zip(("applicants", "places", "concurrency"), defaults, strict=True):
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def ms(value: float) -> str:
    return "%.1f" % (value * 1000)


def print_steps(recorder: Recorder) -> None:
    by_step: dict[str, list[float]] = {}
    for timing in recorder.timings:
        if not timing.queued_limit_refusal:
            by_step.setdefault(timing.method + " " + timing.step, []).append(timing.total)
    for name, values in by_step.items():
        print(
            "step=" + name.replace(" ", ":"),
            "requests=" + str(len(values)),
            "p50_ms=" + ms(percentile(values, 0.5)),
            "p99_ms=" + ms(percentile(values, 0.99)),
        )


def wait_for_worker(trade, seconds: float = 60) -> None:
    """Let the worker finish what the last applicants left it (checks, confirmations)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and audit(trade).uploads_unchecked:
        time.sleep(0.5)


def print_overload(recorder: Recorder, stack, elapsed: float, results, found) -> None:
    refused = [t for t in recorder.timings if t.queued_limit_refusal]
    served_pages = [
        t
        for t in recorder.timings
        if t.status == 200 and t.method == "GET" and t.step in WIZARD_STEPS
    ]
    accepted = len(recorder.timings) - len(refused)
    print(
        f"overload: served_per_s={accepted / elapsed:.1f}",
        f"refused_per_s={len(refused) / elapsed:.1f}",
        f"offered_over_served={len(recorder.timings) / max(accepted, 1):.2f}",
    )
    print(
        "overload client: refusals=" + str(len(refused)),
        "refusal_ttfb_p50_ms=" + ms(percentile([t.ttfb for t in refused], 0.5)),
        "refusal_ttfb_p99_ms=" + ms(percentile([t.ttfb for t in refused], 0.99)),
        "wizard_page_ttfb_p50_ms=" + ms(percentile([t.ttfb for t in served_pages], 0.5)),
        "(from the send: the queue's wait included)",
    )
    log = access_lines(stack.access_log)
    shed = [m for _method, _path, status, m in log if status == 503]
    pages = [
        m
        for method, path, status, m in log
        if method == "GET" and status == 200 and WIZARD_PAGE.match(path)
    ]
    p50_page = statistics.median(pages) if pages else float("nan")
    p50_shed = statistics.median(shed) if shed else float("nan")
    print(
        "overload server: refusals=" + str(len(shed)),
        f"refusal_p50_ms={p50_shed:.2f}",
        f"refusal_p99_ms={percentile(shed, 0.99):.2f}",
        f"wizard_page_p50_ms={p50_page:.2f}",
        "ratio=%.3f" % (p50_shed / p50_page if pages else float("nan")),
        "(gunicorn's %(D)s: from the worker reading the request; target ratio < 0.1)",
    )
    broken = [r for r in results if r.outcome == ERROR and _is_transport(r.detail)]
    sent_uploads = sum(1 for t in recorder.timings if t.step == "upload" and t.status == 302)
    print(
        "overload completed: client_timeouts_or_broken=" + str(len(broken)),
        "server_5xx_other_than_refusals="
        + str(sum(1 for _m, _p, s, _d in log if s >= 500 and s != 503)),
        "uploads_accepted=" + str(sent_uploads),
        "uploads_stored=" + str(found.uploads),
        "uploads_unchecked=" + str(found.uploads_unchecked),
        "drafts_started=" + str(sum(1 for r in results if r.group_id)),
        "drafts_stored=" + str(found.drafts),
        "left_half_paid=" + str(found.half_paid),
    )


WIZARD_STEPS = frozenset(
    (
        "applicant",
        "qualifications",
        "employment",
        "employer",
        "company",
        "dependants",
        "documents",
        "check",
        "declarations",
    )
)


def _is_transport(detail: str) -> bool:
    return any(word in detail for word in ("timed out", "Timeout", "Connection", "Remote"))


def main() -> int:
    args = parse_args()
    import django

    django.setup()
    from tests.applications import drafting

    name = prepare_database(SCRATCH_SUFFIX)
    try:
        trade = drafting.trade_with_pool(capacity=args.places)
        answers = answers_for(trade)
        recorder = Recorder()
        overload_ms = args.queue_limit_ms if args.overload else None
        with served(
            name=name,
            workers=args.web_workers,
            worker_threads=args.worker_threads,
            overload_ms=overload_ms,
        ) as stack:
            opened = time.time()
            results = play_all(
                args.applicants,
                concurrency=args.concurrency,
                host="127.0.0.1",
                port=stack.port,
                answers=answers,
                recorder=recorder,
                retry_after=args.retry_after,
                max_refusals=1000,
                check_timeout=args.check_timeout,
            )
            elapsed = time.time() - opened
            wait_for_worker(trade)
            found = audit(trade)
            print_steps(recorder)
            outcomes = Counter(result.outcome for result in results)
            full_after = found.filled_at.timestamp() - opened if found.filled_at else None
            print(
                "applicants=" + str(args.applicants),
                "places=" + str(args.places),
                "concurrency=" + str(args.concurrency),
                "submitted=" + str(found.submitted),
                "submitted_seen=" + str(outcomes[SUBMITTED]),
                "quota_full=" + str(outcomes[QUOTA_FULL]),
                "errors=" + str(outcomes[ERROR]),
                "oversold=" + str(found.oversold),
                "charged=" + str(found.charged),
                "refunded=" + str(found.refunded),
                "charged_without_slot=" + str(found.charged_without_slot),
                "uploads=" + str(found.uploads),
                "unchecked=" + str(found.uploads_unchecked),
                "pool_full_after_s=" + (f"{full_after:.1f}" if full_after else "never"),
                f"elapsed_s={elapsed:.1f}",
            )
            for detail, count in Counter(r.detail for r in results if r.outcome == ERROR).items():
                print("error: " + str(count) + " x " + detail)
            for detail, count in Counter(
                r.detail.split(":")[0] for r in results if r.outcome == QUOTA_FULL
            ).items():
                print("quota_full at " + detail + ": " + str(count))
            if args.overload:
                print_overload(recorder, stack, elapsed, results, found)
            print("logs: " + str(stack.logs))
    finally:
        drop(name)
    ok = (
        found.submitted == args.places
        and found.oversold == 0
        and found.charged_without_slot == 0
        and outcomes[ERROR] == 0
        and found.uploads_unchecked == 0
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
