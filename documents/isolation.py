"""Running untrusted work (parsing or rendering a hostile file) in a child process with hard
limits, so that no file can exhaust, crash or take over a worker.

Both sides live here, with no Django import, so a child module can use them before anything
else is loaded:

- `run_isolated` (the worker's side) starts a fresh interpreter on a module, with no
  environment beyond what Python needs (no database address, key or credential reaches the
  process that parses the file), gives it the bytes on standard input and its output in a
  temporary file, kills it at the wall-clock deadline (also when this process is interrupted
  while waiting, say by a Celery time limit, so no child outlives its caller), and says what
  stopped it.
- `child_main` (the child's side) lowers its own limits before the work imports any parser:
  RLIMIT_CPU (SIGXCPU at the limit, SIGKILL a second later), RLIMIT_AS (an allocation past it
  fails: MemoryError in Python, an abort in most native code), RLIMIT_FSIZE (no file, its
  output included, grows past the output limit: SIGXFSZ) and no core file.

The content inspection (documents.inspection.isolated) and the preview renderer
(documents.previews) run through these, each naming its own child module.
"""

import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Generic, TypeVar

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[1]
# The environment variables a Python interpreter needs; nothing else is passed on.
KEPT_VARIABLES = ("PATH", "LANG", "LC_ALL", "TMPDIR")
# The child's exit status when the work ran out of memory in Python (MemoryError).
MEMORY_EXIT = 3
# How much of the child's standard error is kept, for the log.
ERRORS_BYTES = 4096
# How often a running child is looked at: first after 1 ms, then at most every 20 ms.
_FIRST_POLL, _LAST_POLL = 0.001, 0.02


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int
    memory_bytes: int
    wall_seconds: float
    output_bytes: int


@dataclass(frozen=True)
class Run(Generic[T]):
    """What one child did: what `read` made of its output (None unless it exited with 0), how
    long it ran, and what stopped it: "wall_clock", "cpu", "memory" or "output" (a limit),
    "crash" (any other death, a native abort under the memory limit included), "failed" (a
    non-zero exit), or "" when it finished. `peak_rss_bytes` is the kernel's figure for the
    child, which also counts the memory of the worker it was forked from; `errors` is the end
    of what it wrote to standard error."""

    result: T | None
    wall_seconds: float
    stopped_by: str = ""
    exit_code: int | None = None
    peak_rss_bytes: int = 0
    errors: bytes = b""


def child_environment() -> dict[str, str]:
    return {name: os.environ[name] for name in KEPT_VARIABLES if name in os.environ}


def run_isolated(
    *,
    module: str,
    data: bytes,
    limits: Limits,
    read: Callable[[IO[bytes]], T],
    args: Sequence[str] = (),
) -> Run[T]:
    """Run `python -m module CPU MEMORY OUTPUT *args` with `data` on its standard input, and
    `read` its standard output (a file, from its start) if it exited with 0.

    Raises OSError when no child can be started (a retry may succeed), and whatever
    interrupts the wait (the child is killed first). `read` runs while the output file exists;
    what it raises is the caller's (the child's output is untrusted: check its shape there).
    """
    command = [
        sys.executable,
        "-E",
        "-s",
        "-B",
        "-m",
        module,
        str(limits.cpu_seconds),
        str(limits.memory_bytes),
        str(limits.output_bytes),
        *args,
    ]
    with (
        tempfile.TemporaryFile() as given,
        tempfile.TemporaryFile() as output,
        tempfile.TemporaryFile() as errors,
    ):
        given.write(data)
        given.seek(0)
        started = time.monotonic()
        child = subprocess.Popen(  # noqa: S603 - our own interpreter and module, no shell
            command,
            stdin=given,
            stdout=output,
            stderr=errors,
            cwd=ROOT,
            env=child_environment(),
        )
        status, usage, killed = _wait(child, started + limits.wall_seconds)
        elapsed = time.monotonic() - started
        stopped_by = _stopped_by(status, killed)
        code = os.waitstatus_to_exitcode(status)
        peak = usage.ru_maxrss * 1024
        if stopped_by:
            errors.seek(0)
            tail = errors.read(ERRORS_BYTES)
            return Run(None, elapsed, stopped_by, code, peak, tail)
        output.seek(0)
        return Run(read(output), elapsed, "", 0, peak)


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


def _stopped_by(status: int, killed: bool) -> str:
    if killed:
        return "wall_clock"
    code = os.waitstatus_to_exitcode(status)
    # SIGKILL without us: the hard CPU limit, a second after the soft one's SIGXCPU.
    if code in (-signal.SIGXCPU, -signal.SIGKILL):
        return "cpu"
    if code == -signal.SIGXFSZ:
        return "output"
    if code == MEMORY_EXIT:
        return "memory"
    if code < 0:
        return "crash"
    return "failed" if code else ""


# The child's side


def _limit(kind: int, soft: int, *, hard: int | None = None) -> None:
    """Lower a limit (never above the hard limit this process was given)."""
    _current, ceiling = resource.getrlimit(kind)
    hard = soft if hard is None else hard
    if ceiling != resource.RLIM_INFINITY:
        soft, hard = min(soft, ceiling), min(hard, ceiling)
    resource.setrlimit(kind, (soft, hard))


def child_main(work: Callable[[list[str], IO[bytes], IO[bytes]], int]) -> None:
    """The child's entry point: `python -m module CPU MEMORY OUTPUT *args`. Sets the limits,
    then runs `work(args, stdin, stdout)` and exits with what it returns (MEMORY_EXIT when
    it ran out of memory in Python)."""
    cpu_seconds, memory_bytes, output_bytes = (int(value) for value in sys.argv[1:4])
    _limit(resource.RLIMIT_CORE, 0)
    _limit(resource.RLIMIT_FSIZE, output_bytes)
    _limit(resource.RLIMIT_CPU, cpu_seconds, hard=cpu_seconds + 1)
    _limit(resource.RLIMIT_AS, memory_bytes)
    try:
        code = work(sys.argv[4:], sys.stdin.buffer, sys.stdout.buffer)
        sys.stdout.flush()
    except MemoryError:
        code = MEMORY_EXIT
    raise SystemExit(code)
