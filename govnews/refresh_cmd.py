"""`govnews refresh`: re-crawl every registered site (or --sites), for cron.

Each site is crawled in its own process, one after the other, into one store (the embedded
SecantusDB unless --mongo-uri / GOVNEWS_MONGO_URI is given). Stored articles are fetched
with If-None-Match / If-Modified-Since and unchanged bodies are recognised by content hash,
so a refresh stores only what changed; an article answered 304 is marked seen
(last_seen). Every article page fetched is kept in the WARC archive (<data dir>/warc, or
GOVNEWS_WARC_DIR; GOVNEWS_WARC=0 or --set GOVNEWS_WARC=0 turns it off), from which
`govnews reclean` cleans the stored articles again when the cleaner improves. A site that
failed is named with the first cause (DNS failure, robots.txt unreachable, HTTP 404 on its
start URL, …) and then test-crawled as `govnews sites check` does, so the dead column is named
and the site is marked broken in the user's site registry. A lock file keeps two runs from
overlapping.

Each crawl writes a summary into the store's runs collection and is compared with the site's
own recent runs: what looks like a template change or an outage (date or title coverage
falling, the median text length halving, most records empty or of low confidence, list pages
without article links, no new article for far longer than usual) is flagged in the summary,
and posted as JSON to GOVNEWS_ALERT_WEBHOOK when that is set.

Exit status: 0 when every site succeeded unflagged, 1 when a site failed, 3 when none failed
but a site was flagged, 75 when another run holds the lock.

crontab:  17 */6 * * *  cd /srv/govnews && ./run govnews refresh >> refresh.log 2>&1
"""
from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import sys
from pathlib import Path

from crawler.probe.fetch import Fetcher
from crawler.runner import run_crawl
from crawler.runs import crawl_settings, run_of
from crawler.sites import RegistryError, load_registry
from govnews.alerts import send_alert
from govnews.cli import add_command
from govnews.sites.probing import check_and_record, probe_settings
from storage import connect, data_dir, mongo_uri

EXIT_FLAGGED = 3
EXIT_LOCKED = 75
CRONTAB = "17 */6 * * *  cd /srv/govnews && ./run govnews refresh >> refresh.log 2>&1"


def add_parser(subparsers) -> argparse.ArgumentParser:
    return add_command(subparsers, "refresh", "re-crawl the registered sites (for cron)",
                       __doc__, add_arguments, run)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sites", nargs="+", metavar="NAME", help="registry names (default: all)")
    parser.add_argument("--registry", help="site registry file (default: crawler/sites/registry.json)")
    parser.add_argument("--mongo-uri", default=os.environ.get("GOVNEWS_MONGO_URI") or None,
                        help="MongoDB URI (default: GOVNEWS_MONGO_URI, else the embedded server)")
    parser.add_argument("--lock", help="lock file (default: <govnews data dir>/refresh.lock)")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        help="extra Scrapy setting for every crawl (repeatable)")
    parser.add_argument("--log-dir", help="keep one crawl log per site here")


@contextlib.contextmanager
def exclusive_lock(path: Path):
    """Hold an exclusive, non-blocking lock on ``path``; raises BlockingIOError when taken."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        handle.seek(0), handle.truncate(), handle.write(str(os.getpid())), handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def parse_settings(pairs: list[str]) -> dict:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"--set wants NAME=VALUE, got {pair!r}")
        out[name] = value
    return out


def crawl_sites(names, *, registry, store_uri, settings, log_dir=None, env=None, out=sys.stdout):
    """Crawl ``names`` one after the other into one store; return their CrawlResults, each
    with its run (summary and health flags) read back from the store. The crawls write WARC
    (GOVNEWS_WARC) unless the environment or ``settings`` say otherwise."""
    results = []
    if "GOVNEWS_WARC" not in {**os.environ, **(env or {})}:
        settings = {"GOVNEWS_WARC": True, **settings}
    with mongo_uri(store_uri) as uri:
        for name in names:
            print(f"crawling {name} …", file=out, flush=True)
            log_path = Path(log_dir) / f"{name}.log" if log_dir else None
            if log_path:
                log_path.parent.mkdir(parents=True, exist_ok=True)
            extra = {**settings}
            if registry:
                extra["GOVNEWS_REGISTRY"] = str(Path(registry).resolve())
            results.append(run_crawl(name, settings=extra, log_path=log_path,
                                     env={**(env or {}), "GOVNEWS_MONGO_URI": uri}))
        attach_runs(results, uri, crawl_settings(settings), out)
    return results


def attach_runs(results, uri: str, settings, out) -> None:
    """Give each result its run from the store (recording one for a crawl that died)."""
    try:
        with connect(uri, settings.get("GOVNEWS_MONGO_DB")) as database:
            for result in results:
                result.run = run_of(result, database, settings)
    except Exception as exc:     # the crawls are done and stored; only their health is unknown
        print(f"run summaries not read from the store ({type(exc).__name__}: {str(exc)[:200]}): "
              "health not checked", file=out)


def format_summary(results) -> str:
    head = (f"{'site':<14} {'status':<7} {'lists':>5} {'fetched':>7} {'new':>4} {'changed':>7} {'same':>5} {'304':>4} "
            f"{'dropped':>7} {'blocked':>7} {'lowconf':>7} {'secs':>6} health")
    lines = [head, "-" * len(head)]
    for r in results:
        dropped = sum(r.stat(f"govnews/validate/dropped_{k}") for k in ("empty", "error"))
        lines.append(
            f"{r.site:<14} {'FAILED' if r.failure else 'ok':<7} {r.stat('govnews/spider/list_pages'):>5} "
            f"{r.fetched:>7} {r.stat('govnews/mongo/inserted'):>4} "
            f"{r.stat('govnews/mongo/updated'):>7} {r.stat('govnews/mongo/unchanged'):>5} "
            f"{r.stat('govnews/refresh/not_modified'):>4} {dropped:>7} {r.blocked:>7} "
            f"{r.stat('govnews/clean/low_confidence'):>7} {r.seconds:>6.1f} {'FLAGGED' if r.flags else 'ok'}")
        if r.failure:
            lines.append(f"  {r.site}: {r.failure}" + (f" (log: {r.log_path})" if r.log_path else ""))
        if r.stat("govnews/clean/low_confidence"):
            lines.append(f"  {r.site}: {r.stat('govnews/clean/low_confidence')} record(s) stored with low extraction "
                         "confidence (warning low_confidence): check them, the site's template may have changed")
        if r.blocked:
            lines.append(f"  {r.site}: {r.blocked} page(s) blocked by an anti-bot challenge / captcha / login wall"
                         " — reported, not stored")
        lines += [f"  {r.site}: HEALTH {f['flag']}: {f['message']}" for f in r.flags if f["flag"] != "failed"]
    return "\n".join(lines)


def run(args) -> int:
    try:
        registry = load_registry(args.registry)
    except RegistryError as exc:
        print(f"govnews refresh: {exc}", file=sys.stderr)
        return 2
    names = args.sites or list(registry)
    unknown = [n for n in names if n not in registry]
    if unknown:
        print(f"unknown site(s): {', '.join(unknown)}; registered: {', '.join(registry)}", file=sys.stderr)
        return 2
    lock = Path(args.lock) if args.lock else data_dir() / "refresh.lock"
    try:
        with exclusive_lock(lock):
            results = crawl_sites(names, registry=args.registry, store_uri=args.mongo_uri,
                                  settings=parse_settings(args.set), log_dir=args.log_dir)
    except BlockingIOError:
        print(f"another govnews refresh holds {lock}; not starting", file=sys.stderr)
        return EXIT_LOCKED
    print(format_summary(results))
    send_alert(os.environ.get("GOVNEWS_ALERT_WEBHOOK"), [r.run for r in results], sys.stderr)
    failed = [r.site for r in results if r.failure]
    if failed:
        print(f"{len(failed)} of {len(results)} site(s) failed: {', '.join(failed)}", file=sys.stderr)
        check_failed([registry[name] for name in failed], args.set)
        return 1
    flagged = [r.site for r in results if r.flags]
    if flagged:
        print(f"{len(flagged)} of {len(results)} site(s) flagged: {', '.join(flagged)}", file=sys.stderr)
        return EXIT_FLAGGED
    return 0


def check_failed(sites, setting_pairs: list[str], out=sys.stdout) -> None:
    """Test-crawl the sites that failed and name each dead column under the summary (the
    outcome is recorded in the user's site registry as `govnews sites check` records it)."""
    try:
        fetcher = Fetcher.from_settings(probe_settings(setting_pairs))
        results = check_and_record(sites, fetcher, out=sys.stderr)
    except Exception as exc:     # the refresh is done; only the diagnosis is missing
        print(f"failed sites not checked ({type(exc).__name__}: {str(exc)[:200]})", file=out)
        return
    for result in results:
        broken = [c for c in result.columns if not c.ok]
        lines = [f"  {result.name}: check: column {c.label} broken: {c.reason}" for c in broken]
        print("\n".join(lines) or f"  {result.name}: check: every column passes its test-crawl now", file=out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="govnews refresh", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
