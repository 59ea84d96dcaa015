"""`govnews dedupe`: find the republished copies among the records already stored.

Every stored record without a current signature or without a cluster (stored before dedupe
was on, by a crawl with GOVNEWS_DEDUPE_ENABLED=0, or left unclustered by a store failure) is
signed from its text and put in a cluster with its copies, as the crawl and `govnews clean`
do for what they store (see README, "Republished copies"). Records are taken in key order,
in batches; each batch is done when written, so a run that was interrupted (Ctrl-C, a kill)
goes on where it stopped when started again, and a second run finds nothing to do.

  govnews dedupe                      # the whole store
  govnews dedupe --since 2024-05-01   # records fetched since that day
  govnews dedupe --again              # sign and cluster every record anew (a new threshold)

The threshold is GOVNEWS_DEDUPE_THRESHOLD (default 0.8), or --threshold.
Exit status: 0 when done, 1 when the store failed, 130 when interrupted.
"""
from __future__ import annotations

import argparse
import sys
import time

from pymongo.errors import PyMongoError

from cleaners.signature import VERSION
from crawler.dedupe import command_settings, dedupe_options
from govnews.clean_cmd import Progress
from govnews.cli import add_command
from govnews.reclean_cmd import _date
from govnews.storeargs import add_store_arguments
from storage import ArticleStore, mongo_uri, redact_uri
from storage.clusters import ClusterStats, Clusterer, forget, scan


def add_parser(subparsers) -> argparse.ArgumentParser:
    return add_command(subparsers, "dedupe", "find republished copies among the stored records (backfill)",
                       __doc__, add_arguments, run)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", metavar="DATE", type=_date,
                        help="only records fetched on or after DATE (2024-05-01 or an ISO 8601 time, UTC)")
    parser.add_argument("--again", action="store_true",
                        help="forget the signatures and clusters (of --since's records) and make them anew")
    parser.add_argument("--threshold", type=float, metavar="J",
                        help="estimated Jaccard similarity of copies (default: GOVNEWS_DEDUPE_THRESHOLD, 0.8)")
    parser.add_argument("--batch", type=int, default=200, metavar="N", help="records per batch (default: %(default)s)")
    parser.add_argument("--collection", default="articles", help="collection name (default: %(default)s)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar (shown only on a terminal)")
    add_store_arguments(parser)


def options(args):
    settings = command_settings()
    settings.set("GOVNEWS_DEDUPE_ENABLED", True, priority="cmdline")      # asked for by name
    if args.threshold is not None:
        settings.set("GOVNEWS_DEDUPE_THRESHOLD", args.threshold, priority="cmdline")
    return dedupe_options(settings)


def backfill(collection, dedupe, *, since=None, batch: int = 200, progress: Progress | None = None) -> tuple[int, ClusterStats]:
    """Sign and cluster the records that need it; returns (records looked at, cluster stats)."""
    clusterer = Clusterer(collection, dedupe.threshold, dedupe.containment)
    stats = ClusterStats()
    seen, todo = 0, []

    def flush():
        nonlocal stats, todo
        if todo:
            stats += clusterer.assign(todo, sign=dedupe)
            todo = []
    for key, needed in scan(collection, version=VERSION, since=since):
        seen += 1
        if needed:
            todo.append(key)
            if len(todo) >= batch:
                flush()
        if progress is not None:
            progress.update(seen)
    flush()
    return seen, stats


def run(args) -> int:
    try:
        dedupe = options(args)
    except ValueError as exc:
        print(f"govnews dedupe: {exc}", file=sys.stderr)
        return 2
    started = time.monotonic()
    try:
        with mongo_uri(args.mongo_uri) as uri, ArticleStore.from_uri(uri, db=args.db, collection=args.collection) as store:
            collection = store.collection
            print(f"govnews dedupe: {redact_uri(uri)} {args.db}.{args.collection}, threshold {dedupe.threshold}",
                  file=sys.stderr)
            if args.again:
                print(f"govnews dedupe: forgot the clusters of {forget(collection, args.since)} records",
                      file=sys.stderr)
            total = store.count({"fetched_at": {"$gte": args.since}} if args.since else {})
            progress = Progress(total, enabled=False if args.no_progress else None)
            try:
                seen, stats = backfill(collection, dedupe, since=args.since, batch=max(1, args.batch),
                                       progress=progress)
            finally:
                progress.close()
            clusters = len(collection.distinct("cluster.id", {"cluster.size": {"$gt": 1}}))
    except KeyboardInterrupt:
        print("govnews dedupe: interrupted; run it again to go on", file=sys.stderr)
        return 130
    except PyMongoError as exc:
        print(f"govnews dedupe: the store failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    for error in stats.errors[:5]:
        print(f"  not clustered: {error}", file=sys.stderr)
    print(f"govnews dedupe: {seen} records looked at in {time.monotonic() - started:.1f}s, {stats.records} signed "
          f"and clustered, {stats.joined} of them with copies ({stats.merged} clusters merged); "
          f"{clusters} clusters of republished copies in the store")
    return 0
