"""Pages per second on the ../shared/evalset pages, one core: govnews clean() beside
trafilatura's default extract(), in the same run, same pages, bytes already in memory.

    python -m bench.speed [--rounds 3]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import warnings

from bench.evalset import EVALSET

warnings.filterwarnings("ignore")


def _govnews(raw: bytes):
    from cleaners import clean
    return clean(raw)


def _trafilatura(raw: bytes):
    import trafilatura
    return trafilatura.extract(raw)


def _lxml_parse(raw: bytes):
    import lxml.html
    return lxml.html.document_fromstring(raw)


def measure(fn, pages: list[bytes], rounds: int) -> float:
    fn(pages[0])  # warm-up: imports, caches
    best = 0.0
    for _ in range(rounds):
        started = time.perf_counter()
        for raw in pages:
            fn(raw)
        best = max(best, len(pages) / (time.perf_counter() - started))
    return best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3, help="best of N passes over the pages")
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    pages = [p.read_bytes() for p in sorted(EVALSET.glob("*.html"))]
    print(f"{len(pages)} pages, {sum(map(len, pages)) / 1e6:.1f} MB, one core, best of {args.rounds}")
    results = {name: measure(fn, pages, args.rounds) for name, fn in
               [("govnews clean()", _govnews), ("trafilatura extract()", _trafilatura),
                ("lxml.html parse only", _lxml_parse)]}
    base = results["trafilatura extract()"]
    for name, pps in results.items():
        print(f"{name:<24}{pps:>8.1f} pages/s {pps / base:>6.2f}x trafilatura")
    return 0


if __name__ == "__main__":
    sys.exit(main())
