"""`govnews clean`: clean saved HTML pages and WARC files into records (JSON lines and/or MongoDB).

Inputs are files, directories (searched recursively) and globs (quote them; ** works).
Directories and globs give .html .htm .shtml .xhtml files and their .gz versions, and
.warc / .warc.gz files; a file named on the command line is read whatever its name. Gzip is
recognised by content and decompressed up to 64 MiB. A page that cannot be read or cleaned
becomes a record with status "error" (or "empty", "blocked") and a reason; the batch goes on.

WARC files: each HTML answer (2xx response record) is a record with url = its target URI and
fetched_at = its WARC-Date; the later pages of a multi-page article archived by govnews'
own crawl are merged into it; revisit records resolve to the record they refer to; other
content types, non-2xx answers and list pages are counted and skipped. A file that ends in a
torn record (a crawl killed mid-write) is read up to it.

Where records go:
  -o FILE           JSON lines (-o - for stdout): one record a page, plus "path".
  without -o        MongoDB, collection govnews.articles: --mongo-uri, else
                    $GOVNEWS_MONGO_URI, else the embedded database in
                    $GOVNEWS_DATA_DIR/mongo (default ~/.local/share/govnews/mongo).
  -o FILE and --mongo-uri (or --store): both.
Attachments:
  --attachments     read the attachments that sit beside a page (a relative link, or
                    with --url-base a URL under that base, that resolves to a file under
                    the folder the page was found in): each entry gains status, reason,
                    text, text_length, pages, format, as in a crawl with attachment
                    download on; every file is read in a process of its own with a time,
                    memory and size limit.
Only records with status "ok" are stored in MongoDB, keyed by canonical URL, else URL,
else "file:" + absolute path; a second run over the same pages stores nothing twice.
Each stored record is put in a cluster with its republished copies already in the store
(GOVNEWS_DEDUPE_ENABLED=0 turns that off; see `govnews dedupe --help`).

Exit status: 0 when the batch finished (even with per-page errors), 1 when writing the
output or the store failed, 2 when a path does not exist (each is reported, and the paths
that do exist are cleaned all the same) or no input was found.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import itertools
import json
import multiprocessing
import os
import signal
import sys
import time
from collections import Counter, deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from urllib.parse import urlsplit

from pymongo.errors import PyMongoError

from cleaners import clean
from cleaners.attachments import RECORD_CHARS, Limits, budget_spent, read_sandboxed, within_record
from cleaners.record import fail, low_confidence, new_record
from crawler.dedupe import dedupe_options
from crawler.gc_tuning import tune
from govnews.cli import add_command
from govnews.inputs import MAX_PAGE_BYTES, Input, InputError, find_inputs, local_attachment, read_page, url_for
from govnews.warc_input import WarcArticle, WarcInputs, clean_article, expand
from storage import ArticleStore, UpsertResult, mongo_uri, redact_uri

STORE_BATCH = 200
CHUNK = 8           # pages per task handed to a worker process


def add_parser(subparsers) -> argparse.ArgumentParser:
    return add_command(subparsers, "clean", "clean saved HTML pages and WARC files into JSON lines and/or MongoDB",
                       __doc__, add_arguments, run)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="file, directory or glob")
    parser.add_argument("-o", "--output", metavar="FILE", help="write JSON lines here ('-' = stdout)")
    parser.add_argument("--mongo-uri", metavar="URI",
                        help="store in this MongoDB (default when -o is not given: $GOVNEWS_MONGO_URI, "
                             "else the embedded database)")
    parser.add_argument("--store", action="store_true",
                        help="with -o, also store in MongoDB ($GOVNEWS_MONGO_URI or the embedded database)")
    parser.add_argument("--db", default="govnews", help="database name (default: %(default)s)")
    parser.add_argument("--collection", default="articles", help="collection name (default: %(default)s)")
    parser.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                        help="worker processes (0 = one per CPU; default: %(default)s)")
    parser.add_argument("--url-base", metavar="URL",
                        help="the pages' URL is URL + their path relative to the directory (or glob root) "
                             "they were found under, e.g. --url-base http:// for a dir of host folders; "
                             "gives the cleaner a base for links and dates in URLs")
    parser.add_argument("--attachments", action="store_true",
                        help="read the text of attachment files beside the pages (see Attachments above)")
    parser.add_argument("--attachments-maxsize", type=float, default=Limits.max_bytes / (1024 * 1024), metavar="MIB",
                        help="with --attachments: bigger files are not read (default: %(default)g MiB)")
    parser.add_argument("--attachments-timeout", type=float, default=Limits.seconds, metavar="S",
                        help="with --attachments: CPU seconds a file may take (default: %(default)g)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar (shown only on a terminal)")


# -- the work done per page (in worker processes with -j) -----------------------------------
def clean_input(item: Input | WarcArticle, url_base: str | None = None, attachments: Limits | None = None) -> dict:
    """Read and clean one saved page (and with ``attachments`` the files beside it it
    links to), or one article from WARC records; never raises for a bad page."""
    if isinstance(item, WarcArticle):
        return clean_article(item)
    url = url_for(url_base, item.rel) if url_base else None
    try:
        raw = read_page(item.path, MAX_PAGE_BYTES)
    except InputError as exc:
        return _error_record(item, url, str(exc))
    try:
        record = clean(raw, url=url)
    except Exception as exc:   # clean() promises not to raise; a batch must survive if it does
        return _error_record(item, url, f"cleaner failed: {type(exc).__name__}: {exc}"[:500])
    record["path"] = item.path
    if attachments is not None:
        read_attachments(record, item, url_base, attachments)
    with contextlib.suppress(OSError):   # when the page was saved: a newer save of a page wins in storage
        mtime = os.stat(item.path).st_mtime
        record["fetched_at"] = dt.datetime.fromtimestamp(mtime, dt.timezone.utc).isoformat()
    return record


def read_attachments(record: dict, item: Input, url_base: str | None, limits: Limits) -> None:
    """Fill the entries of the attachments found beside the page, as the crawl does."""
    used = 0
    for attachment in record.get("attachments") or []:
        local = local_attachment(item, attachment.get("url") or "", url_base)
        if local is None:
            continue
        attachment["path"] = local
        bounded = within_record(limits, RECORD_CHARS, used)
        attachment.update(read_sandboxed(local, attachment.get("name") or local, bounded) if bounded
                          else budget_spent(RECORD_CHARS))
        used += attachment["text_length"]


def _error_record(item: Input, url: str | None, reason: str) -> dict:
    record = fail(new_record(url), "error", reason)
    record["path"] = item.path
    return record


def _clean_chunk(items: list[Input], url_base: str | None, attachments: Limits | None = None) -> list[dict]:
    return [clean_input(item, url_base, attachments) for item in items]


def _warm() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the parent's to handle
    tune()


def clean_all(items, *, url_base: str | None = None, jobs: int = 1, chunk: int = CHUNK,
              attachments: Limits | None = None):
    """Yield a record per input, in input order (``items`` may be any iterable; it is read as
    the work goes on). With ``jobs`` > 1 the pages are cleaned in
    that many processes, with at most ``4 × jobs`` chunks in flight (bounded memory). When
    a worker process dies (a crash in a C library, the OOM killer), the pool is restarted,
    the pages it held are cleaned again one by one, and a page that kills its worker again
    becomes an error record."""
    if jobs <= 1:
        for item in items:
            yield clean_input(item, url_base, attachments)
        return
    pool = _Pool(jobs, url_base, attachments)
    try:
        in_flight: deque = deque()
        pending = iter(items)
        while part := list(itertools.islice(pending, chunk)):
            in_flight.append([part, pool.submit(part)])
            if len(in_flight) >= 4 * jobs:
                yield from pool.collect(*in_flight.popleft(), in_flight)
        while in_flight:
            yield from pool.collect(*in_flight.popleft(), in_flight)
    finally:
        pool.close()


class _Pool:
    """A process pool for clean_all that survives the death of a worker."""

    def __init__(self, jobs: int, url_base: str | None, attachments: Limits | None = None):
        self.jobs, self.url_base, self.attachments = jobs, url_base, attachments
        self.executor = self._start()

    def _start(self):
        # spawn: the parent may run threads (the embedded database) that fork would copy badly
        return ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_warm)

    def submit(self, part: list[Input]):
        """A future for ``part``; when the pool broke since the last collect (a worker died
        meanwhile), a future that fails the same way, so collect() restarts and retries."""
        try:
            return self.executor.submit(_clean_chunk, part, self.url_base, self.attachments)
        except BrokenProcessPool as exc:
            failed = Future()
            failed.set_exception(exc)
            return failed

    def _restart(self, in_flight: deque) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._start()
        for entry in in_flight:            # their futures died with the old pool
            entry[1] = self.submit(entry[0])

    def collect(self, part: list[Input], future, in_flight: deque) -> list[dict]:
        try:
            return future.result()
        except BrokenProcessPool:
            pass
        self._restart(in_flight)
        records = []
        for item in part:                  # find the page that killed the worker, if one did
            try:
                records += self.submit([item]).result()
            except BrokenProcessPool:
                self._restart(in_flight)
                url = item.url if isinstance(item, WarcArticle) else (
                    url_for(self.url_base, item.rel) if self.url_base else None)
                records.append(_error_record(item, url, "the cleaning process died on this page"))
        return records

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


# -- progress and summary ---------------------------------------------------------------------
class Progress:
    """A one-line progress bar on a terminal; silent otherwise."""

    def __init__(self, total: int, stream=None, enabled: bool | None = None, width: int = 30):
        self.total, self.width = total, width
        self.stream = stream = stream if stream is not None else sys.stderr
        self.enabled = stream.isatty() if enabled is None else enabled
        self.started = time.monotonic()
        self.last = 0.0

    def update(self, done: int, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not force and now - self.last < 0.2):
            return
        self.last = now
        elapsed = max(now - self.started, 1e-6)
        rate = done / elapsed
        fill = int(self.width * done / max(self.total, 1))
        eta = (self.total - done) / rate if rate else 0
        self.stream.write(f"\r[{'#' * fill}{'.' * (self.width - fill)}] {done}/{self.total} "
                          f"{100 * done / max(self.total, 1):3.0f}% {rate:6.1f} pages/s ETA {eta:4.0f}s ")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * (self.width + 60) + "\r")
            self.stream.flush()


def site_of(record: dict) -> str:
    """The site a record is counted under: its URL's host, else its site name, else its folder.

    >>> site_of({"url": "http://kjj.example.gov.cn/a.html"}), site_of({"path": "dumps/a/b.html"})
    ('kjj.example.gov.cn', 'dumps/a')
    """
    host = urlsplit(record.get("canonical_url") or record.get("url") or "").hostname
    return host or record.get("site_name") or os.path.dirname(record.get("path") or "") or "(unknown)"


def summary(statuses: Counter, elapsed: float, stored=None, store_name: str | None = None,
            low: Counter | None = None, attachments: Counter | None = None) -> str:
    """
    >>> print(summary(Counter(ok=3, error=1), 2.0, low=Counter({"kjj.example.gov.cn": 1}),
    ...               attachments=Counter(ok=2, encrypted=1)))
    govnews clean: 4 pages in 2.0s (2.0 pages/s): 3 ok (1 low confidence), 0 empty, 0 blocked, 1 errors
      low confidence by site: kjj.example.gov.cn 1
      attachments read: 3 (ok 2, encrypted 1)
    """
    pages = sum(statuses.values())
    low = low or Counter()
    flagged = f" ({sum(low.values())} low confidence)" if low else ""
    line = (f"govnews clean: {pages} pages in {elapsed:.1f}s ({pages / max(elapsed, 1e-6):.1f} pages/s): "
            f"{statuses['ok']} ok{flagged}, {statuses['empty']} empty, {statuses['blocked']} blocked, "
            f"{statuses['error']} errors")
    if low:
        line += "\n  low confidence by site: " + ", ".join(f"{site} {n}" for site, n in low.most_common(20))
    if attachments:
        line += (f"\n  attachments read: {sum(attachments.values())} ("
                 + ", ".join(f"{status} {n}" for status, n in attachments.most_common()) + ")")
    if stored is not None:
        line += (f"\n  stored in {store_name}: {stored.inserted} new, {stored.updated} updated, "
                 f"{stored.unchanged} unchanged, {stored.failed} failed")
        if stored.older:
            line += f", {stored.older} older than the stored copy (not written)"
        if stored.joined:
            line += f"; {stored.joined} in a cluster with republished copies"
        for err in stored.errors[:5]:
            line += f"\n    not stored: {err['key']}: {err['reason']}"
    return line


# -- the command ------------------------------------------------------------------------------
class _Sink:
    """Where records go: the JSON lines output and/or the store (ok records, in batches)."""

    def __init__(self, out, store):
        self.out, self.store = out, store
        self.batch: list[dict] = []
        self.stored = UpsertResult() if store is not None else None

    def add(self, record: dict) -> None:
        if self.out is not None:
            self.out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        if self.store is not None and record.get("status") == "ok":
            self.batch.append(record)
            if len(self.batch) >= STORE_BATCH:
                self.flush()

    def flush(self) -> None:
        if self.store is not None and self.batch:
            batch, self.batch = self.batch, []
            self.stored += self.store.upsert_many(batch)


def _open_output(name: str | None):
    if name is None:
        return None
    if name == "-":
        return sys.stdout
    return open(name, "w", encoding="utf-8", newline="\n")


def run(args) -> int:
    items, missing, warnings = find_inputs(args.paths)
    items, warc = expand(items)
    for problem in missing + warnings + warc.problems:
        print(f"govnews clean: {problem}", file=sys.stderr)
    if not items:
        if warc.files:
            print(f"govnews clean: nothing cleaned; {warc.summary()}", file=sys.stderr)
            return 2 if missing else 0
        print("govnews clean: nothing cleaned" + (" (fix the paths above)" if missing else ": no input found"),
              file=sys.stderr)
        return 2
    status = _run_batch(args, items, warc)
    if missing and status == 0:
        print(f"govnews clean: {len(missing)} path(s) not found: "
              + ", ".join(m.rsplit(": ", 1)[0] for m in missing), file=sys.stderr)
        return 2
    return status


def _run_batch(args, items: list, warc: WarcInputs) -> int:
    jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
    want_store = args.output is None or args.mongo_uri is not None or args.store
    with contextlib.ExitStack() as stack:
        try:
            out = _open_output(args.output)
            if out is not None and out is not sys.stdout:
                stack.enter_context(out)
        except OSError as exc:
            print(f"govnews clean: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        store = store_name = None
        if want_store:
            try:
                uri = stack.enter_context(mongo_uri(args.mongo_uri))
                store_name = f"{redact_uri(uri)} {args.db}.{args.collection}"
                store = stack.enter_context(ArticleStore.from_uri(uri, db=args.db, collection=args.collection,
                                                                  dedupe=dedupe_options()))
            except Exception as exc:
                print(f"govnews clean: cannot open the store {store_name or ''}: {type(exc).__name__}: {exc}",
                      file=sys.stderr)
                return 1
        return _clean_to_sink(items, _Sink(out, store), args, jobs, store_name, warc)


def _clean_to_sink(items: list, sink: "_Sink", args, jobs: int, store_name: str | None, warc: WarcInputs) -> int:
    statuses: Counter = Counter()
    low: Counter = Counter()
    attachments: Counter = Counter()
    progress = Progress(len(items), enabled=False if args.no_progress else None)
    started = time.monotonic()

    def report(problem: str | None = None) -> None:
        progress.close()
        if problem:
            print(f"govnews clean: {problem}", file=sys.stderr)
        print(summary(statuses, time.monotonic() - started, sink.stored, store_name, low, attachments),
              file=sys.stderr)
        if warc.files:
            print(f"  {warc.summary()}", file=sys.stderr)

    if jobs <= 1:
        tune()          # this process cleans: the same collector settings as the workers
    try:
        for done, record in enumerate(clean_all(items, url_base=args.url_base, jobs=jobs,
                                                attachments=attachment_limits(args)), 1):
            statuses[record.get("status") or "error"] += 1
            if low_confidence(record):
                low[site_of(record)] += 1
            attachments.update(a["status"] for a in record.get("attachments") or () if a.get("status"))
            sink.add(record)
            progress.update(done)
        sink.flush()
        if sink.out is not None:
            sink.out.flush()
    except (KeyboardInterrupt, SystemExit) as exc:   # Ctrl-C; SIGTERM while the embedded database runs
        with contextlib.suppress(Exception):
            sink.flush()                                # what was cleaned is kept
        report("interrupted" if isinstance(exc, KeyboardInterrupt) else "terminated")
        if isinstance(exc, SystemExit):
            raise
        return 130
    except BrokenPipeError:   # e.g. `-o - | head`: stop quietly
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:
        report(f"writing {args.output} failed: {exc.strerror or exc}")
        return 1
    except PyMongoError as exc:
        report(f"storing failed: {type(exc).__name__}: {exc}")
        return 1
    report()
    return 0


def attachment_limits(args) -> Limits | None:
    if not args.attachments:
        return None
    return Limits(max_bytes=int(args.attachments_maxsize * 1024 * 1024), seconds=args.attachments_timeout)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="govnews clean", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
