"""`govnews export`: the stored records as JSON lines or CSV.

Streams from the store, one record at a time, so any number of records costs the same memory.
Writes to stdout, or to -o FILE (gzip-compressed when FILE ends in .gz; CSV when it ends in
.csv or .csv.gz, else JSON lines). Filters: --site, --since / --until (days of published_at,
both included), --query (text searched in the title and the text, case-insensitive). JSON
lines carry every field but the version history unless --fields names the ones wanted; CSV
has one column per field (lists and objects as JSON in the cell).

  govnews export --site zhangye-kjj
  govnews export --since 2024-01-01 --query 人工智能 -o ai.csv.gz
"""
from __future__ import annotations

import argparse
import os
import sys

from govnews.cli import add_command
from govnews.exporting import format_for, make_writer, open_output
from govnews.storeargs import add_store_arguments, open_database
from storage import ArticleFilter
from storage.queries import check_day, iter_articles


def add_parser(subparsers) -> argparse.ArgumentParser:
    return add_command(subparsers, "export", "print the stored records as JSON lines or CSV", __doc__,
                       add_arguments, run)


def _day(value: str) -> str:
    try:
        return check_day(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", help="file to write (.gz = compressed; default: stdout)")
    parser.add_argument("--format", choices=("jsonl", "csv"), help="default: by the file name, else jsonl")
    parser.add_argument("--site", help="registry name of the site")
    parser.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help="published on or after this day")
    parser.add_argument("--until", type=_day, metavar="YYYY-MM-DD", help="published on or before this day")
    parser.add_argument("--query", help="text to find in the title or the text")
    parser.add_argument("--fields", type=lambda v: [f.strip() for f in v.split(",") if f.strip()],
                        metavar="A,B,...", help="the fields to write, in this order")
    add_store_arguments(parser)


def export(database, flt: ArticleFilter, writer) -> int:
    """Write every article matching ``flt``; returns how many."""
    count = 0
    for doc in iter_articles(database["articles"], flt, writer.fields):
        writer.write(doc)
        count += 1
    return count


def run(args) -> int:
    flt = ArticleFilter(site=args.site, since=args.since, until=args.until, query=args.query)
    kind = format_for(args.output, args.format)
    try:
        with open_database(args) as database, open_output(args.output) as stream:
            count = export(database, flt, make_writer(kind, stream, args.fields))
    except BrokenPipeError:          # `govnews export | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())   # no second error at exit
        return 0
    print(f"{count} record(s) exported" + (f" to {args.output}" if args.output and args.output != "-" else ""),
          file=sys.stderr)
    return 0

