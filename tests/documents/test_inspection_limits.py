"""One upload's inspection cannot exhaust a worker.

The inspection keeps its own budgets (bytes inflated, object streams, time checked on every
object) and runs in a child process with hard CPU, memory and wall-clock limits; a file that
exhausts any of them is refused as too complex, and a check that never finishes is not retried
for ever. The figures of the hostile PDF are printed (pytest -s or -rP shows them).
"""

import io
import resource
import signal
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from celery.exceptions import SoftTimeLimitExceeded

from documents import services
from documents.inspection import inspect_file
from documents.inspection.isolated import child_environment, inspect_in_child
from documents.inspection.limits import MAX_PDF_OBJECT_STREAMS
from documents.models import Upload
from documents.services.inspections import MAX_INSPECTION_ATTEMPTS
from documents.tasks import inspect_upload_task
from tests.documents.conftest import uploaded
from tests.documents.corpus import TOO_MANY_OBJECT_STREAMS, corpus, png_bomb

# The bar the security review set: such a file is refused within 2 s and 300 MB.
BAR_SECONDS = 2.0
BAR_BYTES = 300 * 1024 * 1024
MB = 1024 * 1024


def child_inspections() -> list[int]:
    """Processes running `documents.inspection.child` that this process started."""
    found = []
    for children in Path("/proc/self/task").glob("*/children"):
        for pid in children.read_text().split():
            try:
                command = Path("/proc", pid, "cmdline").read_bytes()
            except FileNotFoundError:
                continue
            if b"documents.inspection.child" in command:
                found.append(int(pid))
    return found


def test_nested_deflate_pdf_is_refused_within_two_seconds_and_300_mb():
    data = corpus()["pdf_nested_deflate_object_streams"].data
    assert len(data) < 2048

    started = time.monotonic()
    run = inspect_in_child(data, carries_photo=False, limits=services.child_limits())
    elapsed = time.monotonic() - started
    children_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024

    print(
        f"nested-deflate PDF of {len(data)} bytes: {run.result.reason_code} in {elapsed:.2f} s"
        f" (child {run.wall_seconds:.2f} s), child peak RSS {run.peak_rss_bytes / MB:.0f} MB"
    )
    assert not run.result.accepted
    assert run.result.reason_code == "too_complex"
    assert run.stopped_by == ""  # refused by the inspection's own budget, not killed
    assert elapsed < BAR_SECONDS
    assert 0 < run.peak_rss_bytes < BAR_BYTES
    assert children_peak >= run.peak_rss_bytes  # the kernel's figure for reaped children agrees


def test_nested_deflate_pdf_is_refused_quickly_in_process_too():
    """The budgets hold wherever the inspection runs (the corpus tests call it in process)."""
    started = time.monotonic()
    result = inspect_file(
        io.BytesIO(corpus()["pdf_nested_deflate_object_streams"].data), carries_photo=False
    )
    assert result.reason_code == "too_complex"
    assert time.monotonic() - started < BAR_SECONDS


def test_corpus_has_more_object_streams_than_the_inspection_reads():
    assert TOO_MANY_OBJECT_STREAMS > MAX_PDF_OBJECT_STREAMS
    assert corpus()["pdf_object_streams"].verdict == "accepted"


def test_child_still_running_at_its_deadline_is_killed_and_the_file_refused():
    limits = replace(services.child_limits(), wall_seconds=0.05)

    run = inspect_in_child(corpus()["pdf"].data, carries_photo=True, limits=limits)

    assert (run.result.accepted, run.result.reason_code) == (False, "too_complex")
    assert run.stopped_by == "wall_clock"
    assert run.wall_seconds < 1
    assert child_inspections() == []


def test_file_needing_more_memory_than_the_child_may_use_is_refused_as_too_complex():
    data = png_bomb(7000, 7000)  # 49 million pixels: under the pixel limit, 49 MB decoded
    roomy = services.child_limits()
    tight = replace(roomy, memory_bytes=110 * MB)  # what an interpreter with Pillow needs, plus

    assert inspect_in_child(data, carries_photo=False, limits=roomy).result.accepted
    run = inspect_in_child(data, carries_photo=False, limits=tight)
    assert (run.result.reason_code, run.stopped_by) == ("too_complex", "memory")


def test_child_does_not_see_the_workers_secrets(monkeypatch):
    """The process that parses a hostile file gets no database address, key or credential."""
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "do-not-leak")
    limits = services.child_limits()
    assert inspect_in_child(
        corpus()["jpeg"].data, carries_photo=True, limits=limits
    ).result.accepted
    assert "AWS_SECRET_ACCESS_KEY" not in child_environment()
    assert "DATABASE_URL" not in child_environment()


class _SoftLimit:
    """Raise SoftTimeLimitExceeded after `seconds`, as Celery's prefork pool does at a task's
    soft time limit (there by SIGUSR1; SIGALRM here, so no worker is needed)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __enter__(self) -> None:
        def expire(signum: int, frame: object) -> None:
            raise SoftTimeLimitExceeded

        self.previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc_info: object) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self.previous)


def test_soft_time_limit_while_the_child_runs_kills_the_child():
    with pytest.raises(SoftTimeLimitExceeded), _SoftLimit(0.05):
        inspect_in_child(corpus()["pdf"].data, carries_photo=True, limits=services.child_limits())
    assert child_inspections() == []


@pytest.mark.django_db
def test_soft_time_limit_refuses_the_upload_instead_of_retrying(group):
    upload = services.upload_document(
        group=group,
        application=group.principal,
        requirement_code="A4",
        file=uploaded(corpus()["pdf_gray"].data, "letter.pdf"),
    )

    with _SoftLimit(0.05):
        inspect_upload_task(upload.pk)  # no exception: nothing for Celery to retry

    upload.refresh_from_db()
    assert (upload.status, upload.reason_code) == (Upload.Status.REJECTED, "too_complex")
    assert "too complex" in upload.reason


@pytest.mark.django_db
def test_upload_whose_checks_never_finished_is_refused_and_not_queued_again(group):
    """A worker killed while checking (out of memory, hard time limit) gets the message again
    (acks late) and the sweep re-queues what is pending: each try counts, and past the last
    the file is refused without being opened again."""
    upload = services.upload_document(
        group=group,
        application=group.principal,
        requirement_code="A4",
        file=uploaded(corpus()["pdf_gray"].data, "letter.pdf"),
    )
    Upload.objects.filter(pk=upload.pk).update(inspection_attempts=MAX_INSPECTION_ATTEMPTS)

    inspect_upload_task(upload.pk)

    upload.refresh_from_db()
    assert (upload.status, upload.reason_code) == (Upload.Status.REJECTED, "too_complex")
    assert services.requeue_stale_inspections(min_age=timedelta(0)) == 0


@pytest.mark.django_db
def test_each_check_counts_as_an_attempt(group):
    upload = services.upload_document(
        group=group,
        application=group.principal,
        requirement_code="A4",
        file=uploaded(corpus()["pdf_gray"].data, "letter.pdf"),
    )
    inspect_upload_task(upload.pk)
    upload.refresh_from_db()
    assert (upload.status, upload.inspection_attempts) == (Upload.Status.ACCEPTED, 1)


def test_inspection_task_has_soft_and_hard_time_limits_beyond_the_childs_deadline():
    limits = services.child_limits()
    assert limits.wall_seconds < inspect_upload_task.soft_time_limit
    assert inspect_upload_task.soft_time_limit < inspect_upload_task.time_limit


def test_child_limits_come_from_the_settings(settings):
    settings.INSPECTION_CPU_SECONDS = 7
    settings.INSPECTION_MEMORY_MB = 512
    settings.INSPECTION_WALL_SECONDS = 9
    limits = services.child_limits()
    assert (limits.cpu_seconds, limits.memory_bytes, limits.wall_seconds) == (7, 512 * MB, 9)
