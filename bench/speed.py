"""Pages per second on the ../shared/evalset pages, one core: govnews clean() beside
trafilatura's default extract(), in the same run, same pages, bytes already in memory.
Then the input side of `govnews clean` (find, read, clean): the same pages as plain .html
files beside the same pages as response records of one .warc.gz file.

    python -m bench.speed [--rounds 3]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

from bench.evalset import EVALSET
from govnews.clean_cmd import clean_all
from govnews.inputs import find_inputs
from govnews.warc_input import expand
from storage.warc import HttpExchange, WarcWriter

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
    inputs = measure_inputs(pages, args.rounds)
    plain = inputs["plain .html files"]
    for name, pps in inputs.items():
        print(f"govnews clean, {name:<18}{pps:>8.1f} pages/s {pps / plain:>6.2f}x plain files")
    return 0


def measure_inputs(pages: list[bytes], rounds: int) -> dict[str, float]:
    """`govnews clean`'s own path (find the inputs, read, clean; one process) over the pages
    saved as .html files and as one .warc.gz of response records, best of ``rounds``."""
    with tempfile.TemporaryDirectory(prefix="govnews-speed-") as tmp:
        html, warc = Path(tmp, "html"), Path(tmp, "warc")
        html.mkdir()
        with WarcWriter(warc) as writer:
            for i, raw in enumerate(pages):
                (html / f"page{i:04d}.html").write_bytes(raw)
                writer.write_response(HttpExchange(f"http://evalset.example/page{i:04d}.html", 200,
                                                   [("Content-Type", "text/html")], raw))
        results = {}
        for name, folder in (("plain .html files", html), ("WARC (.warc.gz)", warc)):
            best = 0.0
            for _ in range(rounds):
                started = time.perf_counter()
                items, _, _ = find_inputs([str(folder)])
                items, _ = expand(items)
                done = sum(1 for _ in clean_all(items))
                best = max(best, done / (time.perf_counter() - started))
            results[name] = best
        return results


if __name__ == "__main__":
    sys.exit(main())
