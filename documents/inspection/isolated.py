"""One inspection in a child process with hard limits, so that no file can exhaust a worker.

The child is a fresh interpreter (`documents.inspection.child`), started for each file through
documents.isolation, the project's one way to run untrusted work: no environment beyond what
Python needs (no database address, key or credential reaches the process that parses a hostile
file), CPU time, address space and output limited in the child before it reads the file, and
killed at the wall-clock deadline, also when this process is interrupted while waiting (a
Celery soft time limit), so no child outlives its caller.

The outcome is always an InspectionResult. A child stopped by a limit means the file is too
complex to check ("too_complex"); one that dies without an answer (a decoder crash) means it
could not be read ("unreadable"). Neither is an error, so a caller never has a reason to try the
same file again. The inspection's own budgets refuse almost every hostile file long before a
limit; the limits are what holds where those budgets fail.
"""

import json
import logging
from dataclasses import dataclass
from typing import IO, Any

from documents import isolation
from documents.inspection.result import InspectionResult, reject

logger = logging.getLogger(__name__)

# The child writes one line of JSON; at most this much is read, and written.
OUTPUT_BYTES = 1024 * 1024
child_environment = isolation.child_environment


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


def inspect_in_child(data: bytes, *, carries_photo: bool, limits: ChildLimits) -> ChildRun:
    """Inspect `data` (the first bytes of a file, as `read_head` gives them) in a child.

    Raises OSError when no child can be started (a retry may succeed), and whatever
    interrupts the wait (the child is killed first).
    """
    run = isolation.run_isolated(
        module="documents.inspection.child",
        data=data,
        limits=isolation.Limits(
            cpu_seconds=limits.cpu_seconds,
            memory_bytes=limits.memory_bytes,
            wall_seconds=limits.wall_seconds,
            output_bytes=OUTPUT_BYTES,
        ),
        read=_answer,
        args=["photo" if carries_photo else "plain"],
    )
    output = run.result or {}
    result, stopped_by = _outcome(run.stopped_by, output)
    if stopped_by == "crash":
        logger.warning(
            "inspection child ended without an answer (status %s): %s",
            run.exit_code,
            run.errors[-2000:].decode("utf-8", "replace"),
        )
    # Without the child's own figure, the kernel's: it counts the parent's memory too.
    peak = output.get("peak_rss_bytes")
    if not isinstance(peak, int):
        peak = run.peak_rss_bytes
    return ChildRun(result, run.wall_seconds, peak, stopped_by)


def _answer(output: IO[bytes]) -> dict[str, Any]:
    try:
        answer = json.loads(output.read(OUTPUT_BYTES))
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _outcome(stopped_by: str, output: dict[str, Any]) -> tuple[InspectionResult, str]:
    if stopped_by in ("wall_clock", "cpu", "memory"):
        return reject("too_complex"), stopped_by
    if output.get("stopped_by") == "memory":
        return reject("too_complex"), "memory"
    result = _result(output.get("result"))
    if result is None:
        return reject("unreadable"), "crash"
    return result, ""


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
