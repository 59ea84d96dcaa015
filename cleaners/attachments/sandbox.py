"""Read an attachment in a process of its own, with a CPU-time, wall-time, memory and
file-size limit, so that a hostile file (a parser loop, a bomb, a crash in a C library)
ends as a status and never takes the caller down.

Each file gets a fresh process forked from a multiprocessing *forkserver* that has already
imported the readers (a few milliseconds instead of ≈0.8 s of imports). The child starts
its own session (so the tools it runs, LibreOffice or unar, are killed with it), lowers its
priority, sets ``RLIMIT_CPU``, ``RLIMIT_AS`` (its start size plus ``memory_mib``),
``RLIMIT_FSIZE`` and no core dumps, then reads. The parent waits at most ``seconds`` plus a
grace, then kills the whole group. Blocking: call it from a thread (the crawl pipeline
does) or a worker process.
"""
from __future__ import annotations

import functools
import multiprocessing
import os
import resource
import shutil
import signal
import tempfile

from cleaners.attachments.limits import MiB, Limits
from cleaners.attachments.result import Unreadable, entry

GRACE_SECONDS = 5.0
OUT_OF_MEMORY = 86          # exit status of a child that ran out of memory outside a reader


@functools.lru_cache(maxsize=1)
def _context():
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["cleaners.attachments.reader"])
    return ctx


def _address_space() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[0]) * resource.getpagesize()


def _limit_self(limits: Limits) -> None:
    os.setsid()
    if limits.nice:
        os.nice(limits.nice)
    cpu = max(1, int(limits.seconds + 0.999))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    memory = _address_space() + limits.memory_mib * MiB
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    written = limits.max_unpacked + limits.max_bytes + 256 * MiB    # unpacked members, converted documents
    resource.setrlimit(resource.RLIMIT_FSIZE, (written, written))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):            # library warnings and tool chatter: the status says what matters
        os.dup2(devnull, fd)


def _child(conn, path: str, name: str | None, limits: Limits, workdir: str) -> None:
    try:
        os.environ["OPENBLAS_NUM_THREADS"] = "1"    # numpy (openpyxl imports it) must not size buffers per core
        _limit_self(limits)
        from cleaners.attachments.reader import read

        conn.send(read(path, name, limits, workdir))
    except MemoryError:         # even building or sending the result: say it with the exit status
        os._exit(OUT_OF_MEMORY)
    conn.close()


def _died(exitcode: int | None, limits: Limits, timed_out: bool) -> Unreadable:
    if exitcode == OUT_OF_MEMORY:
        return Unreadable("too_large", f"needs more than {limits.memory_mib} MiB of memory")
    if timed_out or exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
        return Unreadable("error", f"reading took longer than the {limits.seconds:g} s limit (a parser loop?)")
    if exitcode is not None and exitcode < 0:
        return Unreadable("error", f"the reader crashed ({signal.Signals(-exitcode).name})")
    return Unreadable("error", f"the reader ended without a result (exit status {exitcode})")


def _kill_group(process) -> None:
    for kill in (lambda: os.killpg(process.pid, signal.SIGKILL), process.kill):
        try:
            kill()
            return
        except (ProcessLookupError, PermissionError, OSError):
            continue


def read_sandboxed(path: str, name: str | None = None, limits: Limits = Limits()) -> dict:
    """The fields the attachment's entry gains (as :func:`cleaners.attachments.reader.read`),
    read within ``limits`` in a child process."""
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        return entry(error=Unreadable("error", f"cannot open the file: {exc.strerror or exc}"))
    if size > limits.max_bytes:     # no process needed to say so
        return entry(error=Unreadable("too_large", f"{size / MiB:,.1f} MiB, above the "
                                                   f"{limits.max_bytes / MiB:,.1f} MiB cap"))
    ctx = _context()
    workdir = tempfile.mkdtemp(prefix="govnews-attachment-")
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(sender, os.path.abspath(path), name, limits, workdir), daemon=True)
    try:
        process.start()
        sender.close()
        result, timed_out = None, False
        if receiver.poll(limits.seconds + GRACE_SECONDS):
            try:
                result = receiver.recv()
            except (EOFError, OSError):
                result = None       # died before sending: its exit code says why
        else:
            timed_out = True
        _kill_group(process)        # a reader that overran, or the tools it left running
        process.join()
        return result if result is not None else entry(error=_died(process.exitcode, limits, timed_out))
    finally:
        receiver.close()
        shutil.rmtree(workdir, ignore_errors=True)
