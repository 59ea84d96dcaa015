"""`govnews sites` (also `govnews sites health`): per registered site its articles, last run,
last new article and health flags (what looked like a template change or an outage in its
last runs)."""
from __future__ import annotations

import argparse
import sys

from crawler.sites import RegistryError, load_registry
from govnews.cli import add_command
from govnews.overview import site_rows, when
from govnews.storeargs import add_store_arguments, open_database


def add_parser(subparsers) -> argparse.ArgumentParser:
    return add_command(subparsers, "health", "articles, last run and health per site (the bare `govnews sites`)",
                       __doc__, add_arguments, run)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--registry", help="site registry file (default: crawler/sites/registry.json)")
    add_store_arguments(parser)


def format_rows(rows) -> str:
    head = (f"{'site':<14} {'articles':>8} {'lowconf':>7}  {'last run':<16} {'status':<7} {'new':>4} "
            f"{'changed':>7}  {'last new article':<16}  health")
    lines = [head, "-" * len(head)]
    for row in rows:
        run = row.last_run or {}
        name = row.name if row.registered else f"{row.name}*"
        lines.append(f"{name:<14} {row.articles:>8} {row.low_confidence:>7}  {when(run.get('started_at')) or 'never':<16} "
                     f"{run.get('status', ''):<7} {run.get('new', ''):>4} {run.get('changed', ''):>7}  "
                     f"{when(row.last_new):<16}  {'FLAGGED' if row.flags else 'ok'}")
        if run.get("failure"):
            lines.append(f"  {row.name}: last run failed: {run['failure']}")
        lines += [f"  {row.name}: {f['flag']}: {f['message']} (run of {when(f.get('run_started_at'))})"
                  for f in row.flags if f["flag"] != "failed"]
    if any(not row.registered for row in rows):
        lines.append("* not in the registry (crawled from a start URL, or removed)")
    return "\n".join(lines)


def run(args) -> int:
    try:
        registry = load_registry(args.registry)
    except RegistryError as exc:
        print(f"govnews sites: {exc}", file=sys.stderr)
        return 2
    with open_database(args) as database:
        rows = site_rows(registry, database)
    print(format_rows(rows))
    return 0
