"""Pages under load: every wizard page served by gunicorn, against a minimal Django page.

    python -m devstack exec -- .venv/bin/python bench/pages.py [--seconds N] [--only TEXT]

In a scratch database made for the run (migrated, dropped afterwards), with the static files
collected into a folder of the run, the script seeds through Django's test client an
applicant's draft with no dependants and one with eight (each filled in up to "check your
answers", each in a session of its own), and a draft handed to employer HR (the company step
done by HR's link). It then starts two gunicorn servers with the same settings (2 sync workers,
DEBUG off, the Redis cache of REDIS_URL, the same PostgreSQL): the project, and the reference
page (bench/pages_site: a database-backed session read and written, a CSRF token, a small
template). Each page is driven with `wrk -t2 -c20 -dNs --latency` carrying its session's
cookie, after a check that it answers 200 (a redirect is not measured). The reference is
measured first and after every --block pages; a page is compared with the mean of the two
reference measurements around its block, as the load of a shared machine drifts.

One line per page: page=NAME rate=R/s ratio=RATE/REFERENCE p50_ms=P p99_ms=P [errors=E],
after the line of the reference it is compared with; then the reference over the whole run and
the verdict against the targets: every wizard page at 0.25 of the reference's rate or more and
its p99 within 4 times the reference's; the quota status page at twice the reference's rate.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))
SCRATCH_SUFFIX = "_pages_bench"
ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "pages_site.project_settings",
    "DEBUG": "false",
    "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-secret-key-not-for-any-deployment",
    "PAYMENT_SANDBOX_ALLOWED": "true",
    "SECURE_SSL_REDIRECT": "false",
    "CELERY_TASK_ALWAYS_EAGER": "true",
    "LOG_LEVEL": "WARNING",
    "BENCH_CACHE_PREFIX": "bench-pages-" + str(os.getpid()),
}
WIZARD_RATE_TARGET = 0.25
WIZARD_P99_TARGET = 4.0
STATUS_RATE_TARGET = 2.0


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    cookie: str = ""
    wizard: bool = False


@dataclass(frozen=True)
class Measure:
    rate: float
    p50_ms: float
    p99_ms: float
    errors: int


# --- seeding, in this process, through the test client ----------------------------------------


def seed() -> list[Page]:
    """The drafts and the pages to measure, each with the session cookie that opens it."""
    from django.conf import settings
    from django.test import Client

    from applications.access import employer_token
    from tests.applications import drafting
    from tests.applications import wizard_client as wc

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    trade = drafting.trade_with_pool()
    pages = [Page("home", "/en/"), Page("quota-status", "/en/quota/")]
    for count in (0, 8):
        client = Client()
        group = wc.open_draft(client, trade)
        rows = [wc.dependant("spouse")] if count else []
        rows += [
            wc.dependant("child", wc.years_ago(2 + n), given_names="Child " + "ABCDEFGH"[n])
            for n in range(count - 1)
        ]
        wc.fill_to(client, group, trade, "check", rows=rows)
        cookie = cookie_header(client)
        for step in wc_steps():
            pages.append(Page(step + "/" + str(count), wc.url(group, step), cookie, wizard=True))
        pay = "/en/payments/" + str(group.public_id) + "/"
        pages.append(Page("pay/" + str(count), pay, cookie))
    client = Client()
    group = wc.open_draft(client, trade)
    wc.fill_to(client, group, trade, "employer", mode="employer")
    token = employer_token(group)
    hr = Client()
    data = {**wc.management(group, "company", "employer"), **wc.prefixed("company", wc.company())}
    response = hr.post(wc.employer_url(token, "company"), data)
    assert response.status_code == 302, "the employer's company step was not accepted"
    data = wc.management(group, "employer_documents", "employer")
    response = hr.post(wc.employer_url(token, "employer_documents"), data)
    assert response.status_code == 302, "the employer's documents step was not accepted"
    for step in ("company", "employer_documents", "employer_declaration"):
        address = wc.employer_url(token, step)
        pages.append(Page("employer-" + step, address, cookie_header(hr), wizard=True))
    return pages


def wc_steps() -> tuple[str, ...]:
    from applications.wizard import steps

    return tuple(name for name, _form in steps.APPLICANT_FORMS)


def cookie_header(client) -> str:
    return "; ".join(name + "=" + morsel.value for name, morsel in client.cookies.items())


# --- the servers ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def scratch_url(name: str) -> str:
    parts = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/immapp"))
    return urlunsplit(parts._replace(path="/" + name))


def start_gunicorn(settings_module: str, port: int, env: dict[str, str], log: Path):
    """gunicorn with 2 sync workers on 127.0.0.1:port; returns the process once it answers."""
    child_env = dict(env, DJANGO_SETTINGS_MODULE=settings_module)
    child_env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(BENCH)])
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "immapp.wsgi:application",
        "--chdir", str(ROOT),
        "--workers", "2",
        "--worker-class", "sync",
        "--bind", "127.0.0.1:" + str(port),
        "--log-level", "warning",
        "--timeout", "60",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, env=child_env, stdout=log.open("ab"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped; see " + str(log))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not answer; see " + str(log))


def stop(process) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


# --- measuring --------------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def milliseconds(text: str) -> float:
    found = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text)
    if found is None:
        raise ValueError("unreadable latency: " + text)
    value, unit = found.groups()
    return float(value) * (60_000.0 if unit == "m" else UNITS[unit])


def parse_wrk(output: str) -> Measure:
    rate = float(re.search(r"Requests/sec:\s+([0-9.]+)", output).group(1))  # type: ignore[union-attr]
    percentiles = dict(re.findall(r"^\s+(50|99)(?:\.000)?%\s+(\S+)", output, re.MULTILINE))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return Measure(rate, milliseconds(percentiles["50"]), milliseconds(percentiles["99"]), errors)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is the answer (measured pages must answer 200 themselves)


OPENER = urllib.request.build_opener(NoRedirects)


def answers(url: str, cookie: str) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    try:
        with OPENER.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def drive(url: str, cookie: str, seconds: int) -> Measure:
    for _warm in range(10):  # each worker loads and caches what the page needs first
        answers(url, cookie)
    command = ["wrk", "-t2", "-c20", "-d" + str(seconds) + "s", "--latency", "--timeout", "10s"]
    if cookie:
        command += ["-H", "Cookie: " + cookie]
    done = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    return parse_wrk(done.stdout)


def line(name: str, measure: Measure, reference: Measure) -> str:
    ratio = measure.rate / reference.rate
    text = (
        f"page={name} rate={measure.rate:.0f}/s ratio={ratio:.2f} "
        f"p50_ms={measure.p50_ms:.1f} p99_ms={measure.p99_ms:.1f}"
    )
    return text + (" errors=" + str(measure.errors) if measure.errors else "")


def mean(first: Measure, last: Measure) -> Measure:
    return Measure(
        (first.rate + last.rate) / 2,
        (first.p50_ms + last.p50_ms) / 2,
        (first.p99_ms + last.p99_ms) / 2,
        first.errors + last.errors,
    )


def verdict(
    results: dict[str, Measure], pages: list[Page], references: dict[str, Measure]
) -> list[str]:
    misses = []
    for page in pages:
        measure = results.get(page.name)
        if measure is None:
            continue
        if page.name not in references:
            misses.append(page.name + " not measured")
            continue
        reference = references[page.name]
        ratio = measure.rate / reference.rate
        if page.wizard and ratio < WIZARD_RATE_TARGET:
            misses.append(page.name + " rate ratio " + format(ratio, ".2f"))
        if page.wizard and measure.p99_ms > WIZARD_P99_TARGET * reference.p99_ms:
            times = measure.p99_ms / reference.p99_ms
            misses.append(page.name + " p99 " + format(times, ".1f") + "x the reference's")
        if page.name == "quota-status" and ratio < STATUS_RATE_TARGET:
            misses.append(page.name + " rate ratio " + format(ratio, ".2f"))
        if measure.errors:
            misses.append(page.name + " errors " + str(measure.errors))
    return misses


def measure_all(
    pages: list[Page], *, project: str, reference_url: str, seconds: int, block: int
) -> bool:
    """Each block of pages between two measurements of the reference; a page's ratio and
    targets are against the mean of those two (on a shared machine the load drifts)."""
    results: dict[str, Measure] = {}
    nearest: dict[str, Measure] = {}
    references = [drive(reference_url, "", seconds)]
    for start in range(0, len(pages), block):
        measured = []
        for page in pages[start : start + block]:
            status = answers(project + page.path, page.cookie)
            if status != 200:
                print("page=" + page.name + " status=" + str(status) + " (not measured)")
                results[page.name] = Measure(0.0, 0.0, 0.0, 1)
                continue
            results[page.name] = drive(project + page.path, page.cookie, seconds)
            measured.append(page)
        references.append(drive(reference_url, "", seconds))
        around = mean(references[-2], references[-1])
        print(reference_line("reference", around), flush=True)
        for page in measured:
            nearest[page.name] = around
            print(line(page.name, results[page.name], around), flush=True)
    overall = Measure(
        sum(r.rate for r in references) / len(references),
        sum(r.p50_ms for r in references) / len(references),
        sum(r.p99_ms for r in references) / len(references),
        sum(r.errors for r in references),
    )
    rates = ", ".join(format(r.rate, ".0f") for r in references)
    print(reference_line("reference-overall", overall) + " (each: " + rates + ")")
    misses = verdict(results, pages, nearest)
    print("targets: " + ("met" if not misses else "missed: " + "; ".join(misses)))
    return not misses


def reference_line(name: str, measure: Measure) -> str:
    return (
        f"page={name} rate={measure.rate:.0f}/s "
        f"p50_ms={measure.p50_ms:.1f} p99_ms={measure.p99_ms:.1f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="wrk's duration per page")
    parser.add_argument("--only", default="", help="measure only pages whose name has this text")
    parser.add_argument("--block", type=int, default=4, help="pages between two references")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("error: wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    run_dir = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    os.environ.update(ENVIRONMENT, BENCH_STATIC_ROOT=str(run_dir / "static"))
    from _scratch import drop, scratch_database

    name = scratch_database(SCRATCH_SUFFIX)
    servers = []
    try:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        pages = [p for p in seed() if args.only in p.name]
        from django.db import connections

        connections.close_all()
        env = dict(os.environ, DATABASE_URL=scratch_url(name))
        project_port, reference_port = free_port(), free_port()
        log = run_dir / "gunicorn.log"
        servers.append(start_gunicorn("pages_site.project_settings", project_port, env, log))
        servers.append(start_gunicorn("pages_site.reference_settings", reference_port, env, log))
        met = measure_all(
            pages,
            project="http://127.0.0.1:" + str(project_port),
            reference_url="http://127.0.0.1:" + str(reference_port) + "/",
            seconds=args.seconds,
            block=args.block,
        )
    finally:
        for server in servers:
            stop(server)
        drop(name)
        shutil.rmtree(run_dir / "static", ignore_errors=True)
    print("gunicorn log: " + str(run_dir / "gunicorn.log"))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
