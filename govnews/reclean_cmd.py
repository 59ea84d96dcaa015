"""`govnews reclean`: clean the stored articles again, from their archived raw pages.

Every stored article whose raw pages are archived (field "warc": written by a crawl with
GOVNEWS_WARC on, which `govnews refresh` is by default, or by `govnews clean` of WARC
files) and that an older cleaner made (its "cleaner_version" is not this cleaner's) is
cleaned again from those pages with this cleaner, nothing fetched. When the output differs
from the stored record in any cleaned field, the record takes the new fields and its
previous version goes to "history"; when it is the same, only "cleaner_version" changes.
Either way the record is done: a second run finds nothing to do, and a run that was
interrupted (Ctrl-C, a kill, a reboot) goes on where it stopped when started again.

Records whose pages cannot be read (a WARC file moved or deleted) and records that would
no longer clean as "ok" (kept as they are) are counted and tried again on the next run.
Records with no archived pages (cleaned from HTML files, crawled without WARC) are not
looked at: clean those files again with `govnews clean`.

Prints, per site, the records checked, changed (and which fields), the same, kept and
unreadable. Exit status: 0 when done, 1 when the store failed, 130 when interrupted (143
when terminated).
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
import time
from collections import Counter, defaultdict, deque
from urllib.parse import urlsplit

from pymongo.errors import PyMongoError

from cleaners.record import CLEANER_VERSION
from crawler.dedupe import dedupe_options
from crawler.gc_tuning import tune
from govnews.clean_cmd import Progress, clean_all
from govnews.cli import add_command
from govnews.storeargs import add_store_arguments
from govnews.warc_input import stored_article
from storage import ArticleStore, mongo_uri, redact_uri
from storage.articles import stale_query
from storage.paths import warc_dir

# Fields of a cleaned record that say where and when it was fetched, not what the cleaner
# made of it; they are neither compared nor replaced.
NOT_CLEANED = frozenset({"cleaner_version", "url", "canonical_url", "path", "fetched_at", "warc", "clean_ms"})
OUTCOMES = ("changed", "same", "kept", "unreadable", "left")


def add_parser(subparsers) -> argparse.ArgumentParser:
    return add_command(subparsers, "reclean", "clean stored articles again from their archived pages", __doc__,
                       add_arguments, run)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", nargs="+", metavar="NAME", help="only these registry sites (default: all)")
    parser.add_argument("--since", metavar="DATE", type=_date,
                        help="only articles fetched on or after DATE (2024-05-01 or an ISO 8601 time, UTC)")
    parser.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                        help="cleaning processes (0 = one per CPU; default: %(default)s)")
    add_store_arguments(parser)
    parser.add_argument("--collection", default="articles", help="collection name (default: %(default)s)")
    parser.add_argument("--warc-dir", metavar="DIR",
                        help="where the crawl's WARC files are (default: $GOVNEWS_WARC_DIR, else <data dir>/warc)")
    parser.add_argument("--batch", type=int, default=100, metavar="N",
                        help="records read and written at a time (default: %(default)s)")
    parser.add_argument("--cleaner-version", default=CLEANER_VERSION, metavar="VERSION",
                        help="the version re-cleaned records are marked with; records marked with it are done "
                             "(default: this cleaner's, %(default)s; another value tries out a version change)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar (shown only on a terminal)")


def _date(text: str) -> dt.datetime:
    """
    >>> _date("2024-05-01").isoformat(), _date("2024-05-01T08:00:00+08:00").isoformat()
    ('2024-05-01T00:00:00+00:00', '2024-05-01T00:00:00+00:00')
    """
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r}") from None
    return when.replace(tzinfo=dt.timezone.utc) if when.tzinfo is None else when.astimezone(dt.timezone.utc)


def _same(a, b) -> bool:
    """Equal as stored values (BSON turns tuples into lists; key order does not count).

    >>> _same({"a": (1, 2), "b": None}, {"b": None, "a": [1, 2]}), _same("x", "y")
    (True, False)
    """
    def norm(value):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return a == b or norm(a) == norm(b)


def compare(doc: dict, record: dict) -> tuple[str, dict | None, list[str]]:
    """What cleaning ``doc``'s pages again gave: ``(outcome, fields to write, changed field names)``.

    >>> stored = {"status": "ok", "title": "旧", "text": "正文", "author": None}
    >>> compare(stored, {"status": "ok", "title": "新", "text": "正文", "author": None, "clean_ms": 3})
    ('changed', {'status': 'ok', 'title': '新', 'text': '正文', 'author': None}, ['title'])
    >>> compare(stored, {"status": "ok", "title": "旧", "text": "正文", "author": None, "clean_ms": 3})[:2]
    ('same', None)
    >>> compare(stored, {"status": "error", "reason": "WARC: no record at offset 9"})[0]
    'unreadable'
    """
    if record.get("status") != "ok":
        unreadable = record.get("status") == "error" and str(record.get("reason", "")).startswith("WARC:")
        return ("unreadable" if unreadable else "kept"), None, []
    fields = {name: value for name, value in record.items() if name not in NOT_CLEANED}
    changed = [name for name, value in fields.items() if not _same(doc.get(name), value)]
    return ("changed", fields, changed) if changed else ("same", None, [])


def site_of(doc: dict) -> str:
    return doc.get("site") or urlsplit(doc.get("url") or "").hostname or "(unknown)"


class Tally:
    """Outcomes per site, and the changed fields per site."""

    def __init__(self):
        self.outcomes: dict[str, Counter] = defaultdict(Counter)
        self.fields: dict[str, Counter] = defaultdict(Counter)

    def add(self, site: str, outcome: str, changed: list[str] = ()) -> None:
        self.outcomes[site][outcome] += 1
        self.fields[site].update(changed)

    def moved(self, site: str, outcome: str, to: str) -> None:
        """A record first counted as ``outcome`` ended as ``to`` (the store had moved on)."""
        self.outcomes[site][outcome] -= 1
        self.outcomes[site][to] += 1

    def total(self, outcome: str | None = None) -> int:
        return sum(sum(c.values()) if outcome is None else c[outcome] for c in self.outcomes.values())

    def report(self, version: str, seconds: float) -> str:
        """
        >>> t = Tally(); t.add("hebi-kjj", "changed", ["title"]); t.add("hebi-kjj", "same")
        >>> print(t.report("v2", 1.0))
        govnews reclean (cleaner v2): 2 records checked in 1.0s: 1 changed, 1 the same, 0 kept, 0 unreadable
        site                 checked  changed     same     kept unreadable
        hebi-kjj                   2        1        1        0          0
          hebi-kjj changed: title 1
        """
        line = (f"govnews reclean (cleaner {version}): {self.total()} records checked in {seconds:.1f}s: "
                f"{self.total('changed')} changed, {self.total('same')} the same, {self.total('kept')} kept, "
                f"{self.total('unreadable')} unreadable")
        if self.total("left"):
            line += f", {self.total('left')} left (stored anew meanwhile)"
        if not self.outcomes:
            return line
        lines = [line, f"{'site':<20} {'checked':>7} {'changed':>8} {'same':>8} {'kept':>8} {'unreadable':>10}"]
        for site in sorted(self.outcomes):
            c = self.outcomes[site]
            lines.append(f"{site:<20} {sum(c.values()):>7} {c['changed']:>8} {c['same']:>8} {c['kept']:>8} "
                         f"{c['unreadable']:>10}")
        for site in sorted(self.fields):
            if self.fields[site]:
                lines.append(f"  {site} changed: " + ", ".join(f"{n} {k}" for n, k in self.fields[site].most_common()))
        return "\n".join(lines)


class _Writer:
    """Re-cleaned records written a batch at a time."""

    def __init__(self, store: ArticleStore, version: str, tally: Tally, batch: int):
        self.store, self.version, self.tally, self.batch = store, version, tally, batch
        self.pending: list[tuple[dict, dict | None, str]] = []

    def add(self, doc: dict, fields: dict | None, outcome: str) -> None:
        self.pending.append((doc, fields, outcome))
        if len(self.pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        if not pending:
            return
        left = self.store.recleaned(self.version, [(doc, fields) for doc, fields, _ in pending])
        for doc, _, outcome in pending:
            if doc["_id"] in left:
                self.tally.moved(site_of(doc), outcome, "left")


def reclean(store: ArticleStore, *, version: str, root, sites=None, since=None, jobs: int = 1,
            batch: int = 100, progress: Progress | None = None, tally: Tally | None = None) -> Tally:
    """Clean again the stale articles of ``store`` (see the module doc); returns the tally.
    Whatever was compared before an interruption is written before it propagates."""
    tally = tally if tally is not None else Tally()
    writer = _Writer(store, version, tally, batch)
    in_order: deque = deque()      # the documents whose articles clean_all is cleaning, in its order

    def articles():
        after = None
        while docs := store.stale(version, sites=sites, since=since, after=after, limit=batch):
            after = docs[-1]["_id"]
            for doc in docs:
                try:
                    article = stored_article(doc, root)
                except (KeyError, TypeError, ValueError, AttributeError):
                    tally.add(site_of(doc), "unreadable")      # a "warc" field that says nothing usable
                    continue
                in_order.append(doc)
                yield article

    try:
        for done, record in enumerate(clean_all(articles(), jobs=jobs), 1):
            doc = in_order.popleft()
            outcome, fields, changed = compare(doc, record)
            tally.add(site_of(doc), outcome, changed)
            if outcome in ("changed", "same"):
                writer.add(doc, fields, outcome)
            if progress is not None:
                progress.update(done)
    finally:
        with contextlib.suppress(PyMongoError):
            writer.flush()
    return tally


def run(args) -> int:
    jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
    root = args.warc_dir or warc_dir()
    tally = Tally()
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        try:
            uri = stack.enter_context(mongo_uri(args.mongo_uri))
            store = stack.enter_context(ArticleStore.from_uri(uri, db=args.db, collection=args.collection,
                                                              dedupe=dedupe_options()))
        except Exception as exc:
            print(f"govnews reclean: cannot open the store: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
        print(f"govnews reclean: {redact_uri(uri)} {args.db}.{args.collection}, WARC files in {root}", file=sys.stderr)
        total = store.count(stale_query(args.cleaner_version, sites=args.site, since=args.since))
        progress = Progress(total, enabled=False if args.no_progress else None)
        if jobs <= 1:
            tune()
        status, problem = 0, None
        try:
            reclean(store, version=args.cleaner_version, root=root, sites=args.site, since=args.since, jobs=jobs,
                    batch=max(1, args.batch), progress=progress, tally=tally)
        except KeyboardInterrupt:
            status, problem = 130, "interrupted; run it again to go on"
        except SystemExit:      # SIGTERM while the embedded database runs
            status, problem = 143, "terminated; run it again to go on"
        except PyMongoError as exc:
            status, problem = 1, f"the store failed: {type(exc).__name__}: {exc}"
        finally:
            progress.close()
    print(tally.report(args.cleaner_version, time.monotonic() - started), file=sys.stderr if status else sys.stdout)
    if problem:
        print(f"govnews reclean: {problem}", file=sys.stderr)
    return status

