"""Memory of `govnews clean -j 2` over many pages: the resident set of each cleaning worker,
sampled while it runs, must stay flat (no growth with the number of pages cleaned).

The input is N files made from the evalset pages (hard links under new names, so every file
is read and cleaned like any other). Prints each worker's RSS at every tenth of its life,
its peak and its growth from 10% to the end, and the main process's peak.

    python -m bench.memory [--pages 10000] [--jobs 2]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.evalset import EVALSET


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def is_worker(pid: int) -> bool:
    """A cleaning process (not multiprocessing's resource tracker, also a child)."""
    try:
        return b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def make_inputs(folder: Path, count: int) -> int:
    """``count`` files named apart, each a hard link to an evalset page (a copy only where
    the temporary folder is on another file system): nothing is copied into the repo."""
    pages = sorted(EVALSET.glob("*.html"))
    for i in range(count):
        source = pages[i % len(pages)]
        target = folder / f"{i:06d}_{source.name}"
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
    return count


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        make_inputs(folder, args.pages)
        started = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "govnews.cli", "clean", str(folder), "-o", os.devnull,
                                 "-j", str(args.jobs), "--no-progress"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        samples: dict[int, list[tuple[float, int]]] = {}
        main_peak = 0
        while proc.poll() is None:
            main_peak = max(main_peak, rss_kib(proc.pid) or 0)
            for child in children(proc.pid):
                if child not in samples and not is_worker(child):
                    continue
                kib = rss_kib(child)
                if kib:
                    samples.setdefault(child, []).append((time.monotonic() - started, kib))
            time.sleep(0.25)
        err = proc.stderr.read()
        seconds = time.monotonic() - started
    summary = [line for line in err.splitlines() if line.startswith("govnews clean:")]
    print(summary[-1] if summary else err[-500:])
    workers = {pid: s for pid, s in samples.items() if len(s) >= 4}
    print(f"{args.pages} pages, -j {args.jobs}, {seconds:.0f}s; main process peak {main_peak / 1024:.0f} MiB")
    shares = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
    print("RSS of each worker (MiB) over its life; growth = at end − at 10%")
    print(f"{'worker':>8}" + "".join(f"{f'{int(100 * x)}%':>6}" for x in shares) + f"{'peak':>7}{'growth':>8}")
    for pid, s in workers.items():
        def at(share: float) -> float:
            return s[min(len(s) - 1, int(share * (len(s) - 1)))][1] / 1024
        print(f"{pid:>8}" + "".join(f"{at(x):>6.0f}" for x in shares)
              + f"{max(k for _, k in s) / 1024:>7.0f}{at(1.0) - at(0.1):>+8.1f}")
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
