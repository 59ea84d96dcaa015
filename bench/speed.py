"""Pages per second on the ../shared/evalset pages, one core: govnews clean() beside
trafilatura's default extract(), in the same run, same pages, bytes already in memory.

    python -m bench.speed [--rounds 5]

Each round times every contender once, in turn, in CPU seconds of this process (other
work on the machine slows the wall clock, much less the CPU time), so a noisy machine
moves both sides of a round alike. The ratio to trafilatura is printed per round, then its
median and spread; "outside parsing" is the share of clean()'s time not spent in lxml's
parser (what the cleaner itself costs).

Last, `govnews clean`'s own input path (find the inputs, read them, clean; one process) over
the same pages saved as plain .html files and as response records of one .warc.gz, the two
in turn each round: what reading WARC costs beside plain files.
"""
from __future__ import annotations

import argparse
import os
import statistics
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


CONTENDERS = [("govnews clean()", _govnews), ("trafilatura extract()", _trafilatura),
              ("lxml.html parse only", _lxml_parse)]


def one_pass(fn, pages: list[bytes]) -> float:
    """Pages per CPU second of one pass."""
    started = time.process_time()
    for raw in pages:
        fn(raw)
    return len(pages) / (time.process_time() - started)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5, help="passes over the pages per contender")
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    pages = [p.read_bytes() for p in sorted(EVALSET.glob("*.html"))]
    print(f"{len(pages)} pages, {sum(map(len, pages)) / 1e6:.1f} MB, one core, {args.rounds} rounds, CPU time")
    for _, fn in CONTENDERS:
        fn(pages[0])  # warm-up: imports, caches
    rounds = {name: [] for name, _ in CONTENDERS}
    for n in range(args.rounds):
        for name, fn in CONTENDERS:
            rounds[name].append(one_pass(fn, pages))
        ratio = rounds["govnews clean()"][-1] / rounds["trafilatura extract()"][-1]
        print(f"  round {n + 1}: govnews {rounds['govnews clean()'][-1]:.1f} pages/s, "
              f"trafilatura {rounds['trafilatura extract()'][-1]:.1f} pages/s, ratio {ratio:.2f}x")
    ratios = [g / t for g, t in zip(rounds["govnews clean()"], rounds["trafilatura extract()"])]
    base = statistics.median(rounds["trafilatura extract()"])
    print(f"{'':<24}{'median':>8} {'spread':>15}")
    for name, values in rounds.items():
        median = statistics.median(values)
        print(f"{name:<24}{median:>8.1f} {min(values):>7.1f}–{max(values):<7.1f} pages/s "
              f"{median / base:>6.2f}x trafilatura")
    print(f"govnews ÷ trafilatura per round: median {statistics.median(ratios):.2f}x, "
          f"spread {min(ratios):.2f}–{max(ratios):.2f}x")
    parse_share = statistics.median(rounds["govnews clean()"]) / statistics.median(rounds["lxml.html parse only"])
    print(f"clean() time outside lxml parsing: {1 - parse_share:.0%}")
    inputs = measure_inputs(pages, args.rounds)
    plain = statistics.median(inputs["plain .html files"])
    for name, values in inputs.items():
        median = statistics.median(values)
        print(f"govnews clean, {name:<18}{median:>8.1f} {min(values):>7.1f}–{max(values):<7.1f} pages/s "
              f"{median / plain:>6.2f}x plain files")
    return 0


def measure_inputs(pages: list[bytes], rounds: int) -> dict[str, list[float]]:
    """Pages per CPU second of `govnews clean`'s path over ``pages`` saved as .html files and
    as one .warc.gz, each round both in turn."""
    with tempfile.TemporaryDirectory(prefix="govnews-speed-") as tmp:
        folders = {"plain .html files": Path(tmp, "html"), "WARC (.warc.gz)": Path(tmp, "warc")}
        folders["plain .html files"].mkdir()
        with WarcWriter(folders["WARC (.warc.gz)"]) as writer:
            for i, raw in enumerate(pages):
                (folders["plain .html files"] / f"page{i:04d}.html").write_bytes(raw)
                writer.write_response(HttpExchange(f"http://evalset.example/page{i:04d}.html", 200,
                                                   [("Content-Type", "text/html")], raw))
        results: dict[str, list[float]] = {name: [] for name in folders}
        for _ in range(rounds):
            for name, folder in folders.items():
                started = time.process_time()
                items, _, _ = find_inputs([str(folder)])
                items, _ = expand(items)
                done = sum(1 for _ in clean_all(items))
                results[name].append(done / (time.process_time() - started))
        return results


if __name__ == "__main__":
    sys.exit(main())
