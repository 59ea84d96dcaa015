"""Reliability report (issue 4, "Done when"): every hardening scenario, one table.

    ./run python -m bench.reliability                 # everything
    ./run python -m bench.reliability --only bomb     # scenarios whose name contains "bomb"
    ./run python -m bench.reliability --list          # the scenarios it would run

Columns: inputs tried, crashes (an exception or a dead process), hangs (no answer within
the scenario's time limit), records lost (a record that should exist but does not, or came
back invalid — not counting inputs already counted as crashes or hangs), records duplicated
(stored more than once). All four failure columns must be 0; the exit status is 1 when one
is not, or when a row reports another failed check (e.g. peak memory over its bound).

Adding a row
------------
A scenario is a function taking no argument and returning a :class:`Row` (or a dict with
the same keys, or a list of them). Either

- decorate it with ``@scenario`` in this file, or
- define it as ``reliability_<name>()`` in a test module and name that module in
  :data:`ROW_MODULES` (``tests.crawler.test_faults``, ``test_safety``, the Mongo-outage,
  SIGKILL-resume, Redis and WARC-SIGKILL tests), so a test module can turn its fixture-driven test into a
  row by calling the same helper. The modules are imported as the package ``tests``.
  A function that needs something missing (redis-server, …) may raise ``Skip("why")``,
  ``tests.support.crawlenv.Unavailable`` or call ``pytest.skip``. ``tests.support.crawlenv``
  builds the crawl tests' environment (fixture sites, MongoDB, crawl runner, redis-server)
  without pytest.
"""
from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
import tempfile
import time
import traceback
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pymongo
import pytest
from secantus import SecantusDBServer

from crawler.fixtureserver import FixtureServer
from tests import test_bad_corpus
from tests.support import badcorpus, bombs, bombserver
from tests.support.crawlenv import Unavailable

# Test modules whose reliability_* functions are rows of the table.
ROW_MODULES = ("tests.crawler.test_faults", "tests.crawler.test_safety", "tests.crawler.test_mongo_outage",
               "tests.crawler.test_resume", "tests.crawler.test_redis_frontier", "tests.crawler.test_warc_sigkill")
COLUMNS = ("tried", "crashes", "hangs", "lost", "duplicated")


@dataclass
class Row:
    scenario: str
    tried: int = 0
    crashes: int = 0
    hangs: int = 0
    lost: int = 0
    duplicated: int = 0
    notes: str = ""
    failures: list[str] = field(default_factory=list)   # other checks that failed
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not (self.crashes or self.hangs or self.lost or self.duplicated or self.failures)


class Skip(Exception):
    """Raised by a scenario that cannot run here (the reason is printed in the table)."""


SKIPS = (Skip, Unavailable, pytest.skip.Exception)     # what a scenario may raise to say it cannot run here
SCENARIOS: list = []


def scenario(fn):
    SCENARIOS.append(fn)
    return fn


def _as_rows(value, name: str) -> list[Row]:
    if isinstance(value, Row):
        return [value]
    if isinstance(value, dict):
        return [Row(**{"scenario": name, **value})]
    if isinstance(value, (list, tuple)):
        return [r for v in value for r in _as_rows(v, name)]
    raise TypeError(f"{name} returned {type(value).__name__}, not a Row")


# -- the bad-input corpus and the hypothesis properties (tests/test_bad_corpus.py) ------------
@scenario
def reliability_bad_input_corpus() -> Row:
    result = badcorpus.run_corpus()
    slowest = max(result.outcomes, key=lambda o: o.seconds)
    notes = (f"seed {badcorpus.SEED}, limit {badcorpus.PAGE_TIME_LIMIT:.0f}s CPU/page; slowest {slowest.name} "
             f"{slowest.seconds:.1f}s; max worker RSS {max(o.maxrss_mb for o in result.outcomes):.0f} MB")
    bad = [f"{o.kind} {o.name}" for o in result.crashes + result.hangs]
    bad += [f"invalid {o.name}: {'; '.join(o.problems)}" for o in result.violations]
    return Row("bad-input corpus (cleaners.clean)", result.tried, len(result.crashes), len(result.hangs),
               len(result.violations), 0, notes + ("; " + ", ".join(bad[:4]) if bad else ""))


@scenario
def reliability_hypothesis() -> Row:
    t = test_bad_corpus
    t.COUNTS.update(examples=0, hangs=0, crashes=0)
    failed = []
    for test in (t.test_clean_any_bytes, t.test_clean_htmlish, t.test_clean_article_with_junk):
        try:
            test()
        except Exception as exc:   # hypothesis re-raises the shrunk failure
            failed.append(f"{test.__name__}: {type(exc).__name__}: {str(exc).splitlines()[0][:150]}")
    lost = max(len(failed) - t.COUNTS["hangs"] - t.COUNTS["crashes"], 0)
    return Row("hypothesis properties (bytes, HTML-ish, article+junk)", t.COUNTS["examples"], t.COUNTS["crashes"],
               t.COUNTS["hangs"], lost, 0,
               f"{t.HYPOTHESIS_EXAMPLES} examples/property + shrinking, limit {t.EXAMPLE_TIME_LIMIT}s/example"
               + ("; " + "; ".join(failed) if failed else ""))


# -- decompression bombs through the crawl (tests/crawler/test_bombs_crawl.py) ---------------
@scenario
def reliability_crawl_bombs() -> list[Row]:
    max_rss = 500
    rows = []
    with tempfile.TemporaryDirectory(prefix="govnews-reliability-") as tmp:
        tmp = Path(tmp)
        bombserver.build_site(tmp / "root")
        with FixtureServer(tmp / "root") as site, SecantusDBServer(storage_path=str(tmp / "mongo")) as mongo:
            client = pymongo.MongoClient(mongo.uri)
            for name, encoding in bombserver.SCENARIOS.items():
                db = f"bombs_{uuid.uuid4().hex[:8]}"
                u = bombserver.urls(name)
                r = bombserver.crawl_with_rusage(u["list"], proxy_url=site.proxy_url, mongo_uri=mongo.uri, db=db,
                                                 workdir=tmp / "work", scenario=name)
                coll = client[db]["articles"]
                urls = [d["url"] for d in coll.find({}, {"url": 1})]
                hang = r.timed_out or r.stats.get("finish_reason") != "finished"
                crash = int(r.returncode != 0 or "Traceback" in r.log or " ERROR: " in r.log)
                expected = {u["plain"], u["gzipped"]}
                failures = []
                if r.peak_rss_mb >= max_rss:
                    failures.append(f"peak RSS {r.peak_rss_mb:.0f} MB >= {max_rss}")
                if u["bomb"] in urls:
                    failures.append("bomb stored")
                if not re.search(rf"Ignored response <200 {re.escape(u['bomb'])}>.*exceeded DOWNLOAD_MAXSIZE", r.log):
                    failures.append("no 'exceeded DOWNLOAD_MAXSIZE' warning for the bomb")
                rows.append(Row(f"crawl bomb Content-Encoding: {encoding}", 3, crash, int(hang),
                                len(expected - set(urls)), len(urls) - len(set(urls)),
                                f"{bombs.bomb(name).stat().st_size / 1024:.0f} KiB → 1 GiB; peak RSS "
                                f"{r.peak_rss_mb:.0f} MB; bomb dropped at 32 MiB; {r.seconds:.1f}s", failures))
                client.drop_database(db)
            client.close()
    return rows


# -- decompression bombs through `govnews clean` (tests/test_bombs_clean.py) -----------------
@scenario
def reliability_dump_bombs() -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="govnews-reliability-") as tmp:
        tmp = Path(tmp)
        kinds = bombs.write_dump_batch(tmp / "in")
        for jobs in ("1", "2"):
            out = tmp / f"out{jobs}.jsonl"
            rc, seconds, peak, stderr, timed_out = bombs.clean_with_rusage(
                [str(tmp / "in"), "-o", str(out), "--no-progress", "-j", jobs])
            records = [json.loads(l) for l in out.read_text("utf-8").splitlines()] if out.exists() else []
            names = [r["path"].rsplit("/", 1)[1] for r in records]
            right = {"ok": "ok", "bomb": "error"}
            good = {n for n, r in zip(names, records) if r.get("status") == right[kinds.get(n, "ok")]
                    and (r["status"] == "ok" or r.get("reason"))}
            failures = [f"peak RSS {peak:.0f} MB >= 500"] if peak >= 500 else []
            reasons = sorted({r.get("reason") for r in records if r.get("status") == "error"})
            rows.append(Row(f".gz dump bombs, govnews clean -j {jobs}", len(kinds), int(rc != 0 and not timed_out),
                            int(timed_out), len(set(kinds) - good), len(names) - len(set(names)),
                            f"gzip 1 GiB, gzip-of-gzip, gzip named .html, 2-member 2 GiB + 2 good pages; "
                            f"peak RSS {peak:.0f} MB; {seconds:.1f}s; reasons: {' | '.join(reasons)}", failures))
    return rows


# -- other engineers' scenarios ------------------------------------------------------------------
def discovered() -> list:
    """The ``reliability_*`` functions of the test modules in :data:`ROW_MODULES`."""
    found = []
    for name in ROW_MODULES:
        try:
            module = importlib.import_module(name)
        except Exception as exc:
            def broken(exc=exc, name=name):
                raise RuntimeError(f"cannot import {name}: {type(exc).__name__}: {exc}")
            broken.__name__ = f"reliability_import_{name.rsplit('.', 1)[-1]}"
            found.append(broken)
            continue
        found += [getattr(module, n) for n in sorted(vars(module)) if n.startswith("reliability_")]
    return found


def run(selected) -> list[Row]:
    rows = []
    for fn in selected:
        name = fn.__name__.removeprefix("reliability_")
        started = time.perf_counter()
        print(f"… {name}", file=sys.stderr, flush=True)
        try:
            got = _as_rows(fn(), name)
        except SKIPS as why:
            got = [Row(name, notes=f"SKIPPED: {why}")]
            got[0].skipped = True
        except Exception as exc:
            tb = traceback.format_exc().strip().splitlines()[-1]
            got = [Row(name, failures=[f"scenario raised {tb}"[:300]])]
        for r in got:
            r.seconds = r.seconds or (time.perf_counter() - started) / len(got)
        rows += got
    return rows


def table(rows: list[Row]) -> str:
    head = ("scenario", "inputs tried", "crashes", "hangs", "records lost", "records duplicated", "result", "notes")
    body = []
    for r in rows:
        result = "skipped" if getattr(r, "skipped", False) else ("ok" if r.ok else "FAIL")
        notes = r.notes + ("; FAILED: " + "; ".join(r.failures) if r.failures else "")
        body.append((r.scenario, str(r.tried), str(r.crashes), str(r.hangs), str(r.lost), str(r.duplicated), result, notes))
    widths = [max(len(x[i]) for x in [head] + body) for i in range(len(head) - 1)]
    fmt = lambda cells: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))  # noqa: E731
    lines = [fmt(head[:-1]) + "  notes", fmt(["-" * w for w in widths]) + "  -----"]
    lines += [fmt(b[:-1]) + "  " + b[-1] for b in body]
    total = [sum(getattr(r, c) for r in rows) for c in COLUMNS]
    lines.append(fmt(["TOTAL"] + [str(t) for t in total] + ["ok" if all(r.ok for r in rows) else "FAIL"]))
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[], help="run scenarios whose name contains this")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--json", help="also write the rows here as JSON")
    args = parser.parse_args(argv)
    selected = SCENARIOS + discovered()
    if args.only:
        selected = [f for f in selected if any(o in f.__name__ for o in args.only)]
    if args.list:
        print("\n".join(f.__name__ for f in selected))
        return 0
    started = time.perf_counter()
    rows = run(selected)
    print(table(rows))
    print(f"\n{len(rows)} rows in {time.perf_counter() - started:.0f}s")
    if args.json:
        Path(args.json).write_text(json.dumps([{**r.__dict__, "ok": r.ok} for r in rows], indent=1, ensure_ascii=False))
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
