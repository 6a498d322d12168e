"""The child side of `documents.inspection.isolated`: one inspection in a fresh interpreter.

    python -E -s -B -m documents.inspection.child CPU_SECONDS MEMORY_BYTES photo|plain

Reads the file from standard input and writes one line of JSON to standard output:
{"result": the fields of the InspectionResult} or {"stopped_by": "memory"} when an allocation
failed, with "peak_rss_bytes", the most memory this interpreter held (VmHWM: the resource usage
of a child also counts the memory of the parent it was forked from). The limits are
set before Pillow and pypdf are imported, so they hold for everything that parses the file:
RLIMIT_CPU (the kernel sends SIGXCPU at the limit and SIGKILL a second later), RLIMIT_AS (an
allocation past it fails, which Python raises as MemoryError), no core file, and at most
OUTPUT_BYTES written to any file, the output files included. Django settings and the database
are never touched here.
"""

import dataclasses
import json
import logging
import resource
import sys
import warnings
from typing import Any

OUTPUT_BYTES = 1024 * 1024


def main(argv: list[str]) -> int:
    cpu_seconds, memory_bytes, photo = int(argv[1]), int(argv[2]), argv[3] == "photo"
    _limit(resource.RLIMIT_CORE, 0)
    _limit(resource.RLIMIT_FSIZE, OUTPUT_BYTES)
    _limit(resource.RLIMIT_CPU, cpu_seconds, hard=cpu_seconds + 1)
    _limit(resource.RLIMIT_AS, memory_bytes)
    # A damaged file can make pypdf log, or Pillow warn, once per object; nobody reads that.
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    answer: dict[str, Any]
    try:
        answer = {"result": _inspect(carries_photo=photo)}
    except MemoryError:
        answer = {"stopped_by": "memory"}
    answer["peak_rss_bytes"] = _peak_rss_bytes()
    sys.stdout.write(json.dumps(answer) + "\n")
    return 0


def _limit(kind: int, soft: int, *, hard: int | None = None) -> None:
    """Lower a limit (never above the hard limit this process was given)."""
    _current, ceiling = resource.getrlimit(kind)
    hard = soft if hard is None else hard
    if ceiling != resource.RLIM_INFINITY:
        soft, hard = min(soft, ceiling), min(hard, ceiling)
    resource.setrlimit(kind, (soft, hard))


def _peak_rss_bytes() -> int | None:
    with open("/proc/self/status", "rb") as status:
        for line in status:
            if line.startswith(b"VmHWM:"):
                return int(line.split()[1]) * 1024  # given in kB
    return None


def _inspect(*, carries_photo: bool) -> dict[str, Any]:
    from documents.inspection import inspect_file  # only once limited

    result = inspect_file(sys.stdin.buffer, carries_photo=carries_photo)
    return dataclasses.asdict(result)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
