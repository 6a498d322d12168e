"""The child side of `documents.inspection.isolated`: one inspection in a fresh interpreter.

    python -E -s -B -m documents.inspection.child CPU_SECONDS MEMORY_BYTES OUTPUT_BYTES photo|plain

Reads the file from standard input and writes one line of JSON to standard output:
{"result": the fields of the InspectionResult} or {"stopped_by": "memory"} when an allocation
failed, with "peak_rss_bytes", the most memory this interpreter held (VmHWM: the resource usage
of a child also counts the memory of the parent it was forked from). documents.isolation sets
the limits (CPU, address space, no core file, at most OUTPUT_BYTES written to any file) before
the file is read. Django settings and the database are never touched here.
"""

import dataclasses
import json
import logging
import warnings
from typing import IO, Any

from documents.isolation import child_main


def work(args: list[str], source: IO[bytes], out: IO[bytes]) -> int:
    photo = args[0] == "photo"
    # A damaged file can make pypdf log, or Pillow warn, once per object; nobody reads that.
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    answer: dict[str, Any]
    try:
        answer = {"result": _inspect(source, carries_photo=photo)}
    except MemoryError:
        answer = {"stopped_by": "memory"}
    answer["peak_rss_bytes"] = _peak_rss_bytes()
    out.write(json.dumps(answer).encode() + b"\n")
    return 0


def _peak_rss_bytes() -> int | None:
    with open("/proc/self/status", "rb") as status:
        for line in status:
            if line.startswith(b"VmHWM:"):
                return int(line.split()[1]) * 1024  # given in kB
    return None


def _inspect(source: IO[bytes], *, carries_photo: bool) -> dict[str, Any]:
    from documents.inspection import inspect_file

    result = inspect_file(source, carries_photo=carries_photo)  # type: ignore[arg-type]
    return dataclasses.asdict(result)


if __name__ == "__main__":
    child_main(work)
