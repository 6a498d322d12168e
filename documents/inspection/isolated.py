"""One inspection in a child process with hard limits, so that no file can exhaust a worker.

The child is a fresh interpreter (`documents.inspection.child`), started for each file with no
environment beyond what Python needs: no database address, key or credential reaches the
process that parses a hostile file. It limits its own CPU time and address space before it
imports any parser; this side kills it at the wall-clock deadline, and also when this process is
interrupted while waiting (a Celery soft time limit), so no child outlives its caller.

The outcome is always an InspectionResult. A child stopped by a limit means the file is too
complex to check ("too_complex"); one that dies without an answer (a decoder crash) means it
could not be read ("unreadable"). Neither is an error, so a caller never has a reason to try the
same file again. The inspection's own budgets refuse almost every hostile file long before a
limit; the limits are what holds where those budgets fail.
"""

import json
import logging
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from documents.inspection.child import OUTPUT_BYTES
from documents.inspection.result import InspectionResult, reject

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
# How often a running child is looked at: first after 1 ms, then at most every 20 ms.
_FIRST_POLL, _LAST_POLL = 0.001, 0.02
# The environment variables a Python interpreter needs; nothing else is passed on.
_KEPT_VARIABLES = ("PATH", "LANG", "LC_ALL", "TMPDIR")
# numpy (through simplejpeg) would start a BLAS thread per core, each reserving memory.
_SET_VARIABLES = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}


@dataclass(frozen=True)
class ChildLimits:
    cpu_seconds: int
    memory_bytes: int
    wall_seconds: float


@dataclass(frozen=True)
class ChildRun:
    """What one child did: its verdict, how long it ran, its peak resident memory, and what
    stopped it: "wall_clock", "cpu" or "memory" (a limit), "crash", or "" when it answered."""

    result: InspectionResult
    wall_seconds: float
    peak_rss_bytes: int
    stopped_by: str = ""


def child_environment() -> dict[str, str]:
    kept = {name: os.environ[name] for name in _KEPT_VARIABLES if name in os.environ}
    return kept | _SET_VARIABLES


def inspect_in_child(data: bytes, *, carries_photo: bool, limits: ChildLimits) -> ChildRun:
    """Inspect `data` (the first bytes of a file, as `read_head` gives them) in a child.

    Raises OSError when no child can be started (a retry may succeed), and whatever interrupts
    the wait (the child is killed first).
    """
    command = [
        sys.executable,
        "-E",
        "-s",
        "-B",
        "-m",
        "documents.inspection.child",
        str(limits.cpu_seconds),
        str(limits.memory_bytes),
        "photo" if carries_photo else "plain",
    ]
    with (
        tempfile.TemporaryFile() as given,
        tempfile.TemporaryFile() as answer,
        tempfile.TemporaryFile() as errors,
    ):
        given.write(data)
        given.seek(0)
        started = time.monotonic()
        child = subprocess.Popen(  # noqa: S603 - our own interpreter and module, no shell
            command,
            stdin=given,
            stdout=answer,
            stderr=errors,
            cwd=ROOT,
            env=child_environment(),
        )
        status, usage, killed = _wait(child, started + limits.wall_seconds)
        elapsed = time.monotonic() - started
        output = _parse(_read(answer)) if os.waitstatus_to_exitcode(status) == 0 else {}
        result, stopped_by = _outcome(status, killed, output)
        if stopped_by == "crash":
            logger.warning(
                "inspection child ended without an answer (status %s): %s",
                os.waitstatus_to_exitcode(status),
                _read(errors)[-2000:].decode("utf-8", "replace"),
            )
    # Without the child's own figure, the kernel's: it counts the parent's memory too.
    peak = output.get("peak_rss_bytes")
    if not isinstance(peak, int):
        peak = usage.ru_maxrss * 1024
    return ChildRun(result, elapsed, peak, stopped_by)


def _wait(
    child: subprocess.Popen[bytes], deadline: float
) -> tuple[int, resource.struct_rusage, bool]:
    """Reap the child through os.wait4, which gives its own resource usage (Popen.wait would
    reap it without); kill it at `deadline`, or when the wait is interrupted. Returns the wait
    status, the usage and whether it was killed at the deadline."""
    delay = _FIRST_POLL
    try:
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                child.returncode = os.waitstatus_to_exitcode(status)
                return status, usage, False
            left = deadline - time.monotonic()
            if left <= 0:
                break
            time.sleep(min(delay, left))
            delay = min(delay * 2, _LAST_POLL)
    except BaseException:
        if child.returncode is None:  # not reaped yet
            _kill(child)
        raise
    status, usage = _kill(child)
    return status, usage, True


def _kill(child: subprocess.Popen[bytes]) -> tuple[int, resource.struct_rusage]:
    # os.kill, not Popen.kill: Popen would poll, and so reap the child, first.
    os.kill(child.pid, signal.SIGKILL)
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return status, usage


def _read(output: IO[bytes]) -> bytes:
    output.seek(0)
    return output.read(OUTPUT_BYTES)


def _outcome(status: int, killed: bool, output: dict[str, Any]) -> tuple[InspectionResult, str]:
    code = os.waitstatus_to_exitcode(status)
    if killed:
        return reject("too_complex"), "wall_clock"
    # SIGKILL without us: the hard CPU limit, a second after the soft one's SIGXCPU.
    if code in (-signal.SIGXCPU, -signal.SIGKILL):
        return reject("too_complex"), "cpu"
    if output.get("stopped_by") == "memory":
        return reject("too_complex"), "memory"
    result = _result(output.get("result"))
    if result is None:
        return reject("unreadable"), "crash"
    return result, ""


def _parse(output: bytes) -> dict[str, Any]:
    try:
        answer = json.loads(output)
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _result(answer: Any) -> InspectionResult | None:
    """The child's InspectionResult, if `answer` has exactly its shape."""
    try:
        result = InspectionResult(
            accepted=answer["accepted"],
            format=answer["format"],
            reason_code=answer["reason_code"],
            reason_params=answer["reason_params"],
            warning_codes=tuple(answer["warning_codes"]),
            page_count=answer["page_count"],
        )
    except (KeyError, TypeError):
        return None
    shaped = (
        isinstance(result.accepted, bool)
        and isinstance(result.format, str | None)
        and isinstance(result.reason_code, str)
        and isinstance(result.reason_params, dict)
        and all(isinstance(code, str) for code in result.warning_codes)
        and isinstance(result.page_count, int | None)
    )
    return result if shaped else None
