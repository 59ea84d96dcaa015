"""`govnews show URL`: one stored record, readable, with its earlier versions.

URL is the article's store key, final URL, canonical URL or the URL its list page gave.
Prints every field, the clean text, and for each earlier version what changed in the title
and text (lines removed "-", added "+"). --json prints the stored document instead.
"""
from __future__ import annotations

import argparse
import json
import sys
import textwrap

from govnews.cli import add_command
from govnews.jsonvalues import jsonable
from govnews.storeargs import add_store_arguments, open_database
from govnews.textdiff import version_changes
from storage.queries import find_article

FIRST_FIELDS = ("url", "canonical_url", "title", "published_at", "source", "author", "editor", "site",
                "site_name", "column", "status", "reason", "warnings", "text_length")
LONG = ("text", "history", "attachments", "images", "_id", "key")
MARK = {"removed": "- ", "added": "+ ", "same": "  ", "skip": "  ", "title": "title: "}


def add_parser(subparsers) -> argparse.ArgumentParser:
    return add_command(subparsers, "show", "print one stored record with its earlier versions", __doc__,
                       add_arguments, run)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", help="the article's URL")
    parser.add_argument("--json", action="store_true", help="print the stored document as JSON")
    add_store_arguments(parser)


def _value(value) -> str:
    value = jsonable(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def describe(doc: dict) -> list[str]:
    """The lines ``govnews show`` prints for a stored article."""
    names = [*FIRST_FIELDS, *sorted(k for k in doc if k not in FIRST_FIELDS and k not in LONG)]
    lines = [f"{name:<16} {_value(doc.get(name))}" for name in names if name in doc]
    for kind in ("attachments", "images"):
        items = doc.get(kind) or []
        lines.append(f"{kind:<16} {len(items)}")
        lines += [f"  - {_value(item)}" for item in items]
    text = doc.get("text") or ""
    lines += ["", f"text ({len(text)} characters):", textwrap.indent(text, "  ") if text else "  (none)"]
    steps = version_changes(doc)
    lines += ["", f"earlier versions: {len(steps)}" if steps else "earlier versions: none"]
    for old, new, changed in steps:
        lines.append(f"  version fetched {_value(old.get('fetched_at'))} → {_value(new.get('fetched_at'))}:")
        lines += [f"    {MARK[line.kind]}{line.text}" for line in changed] or ["    (same text)"]
    return lines


def run(args) -> int:
    with open_database(args) as database:
        doc = find_article(database["articles"], args.url)
    if doc is None:
        print(f"no stored article has the URL {args.url}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(jsonable(doc), ensure_ascii=False, indent=1))
    else:
        print("\n".join(describe(doc)))
    return 0

