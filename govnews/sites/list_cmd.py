"""`govnews sites list`: every registered site with its source (shipped or user), CMS family,
columns, last check (verified on a date, or broken and why) and last run."""
from __future__ import annotations

import argparse
import sys

from crawler.sites import RegistryError, load_registry
from govnews.cli import add_command
from govnews.overview import site_rows, when
from govnews.storeargs import add_store_arguments, open_database


def add_parser(subparsers) -> argparse.ArgumentParser:
    return add_command(subparsers, "list", "every registered site: source, CMS, columns, last check, last run",
                       __doc__, add_arguments, run)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--registry", help="shipped site registry file (default: crawler/sites/registry.json)")
    add_store_arguments(parser)


def check_state(site) -> str:
    if site.broken:
        return "BROKEN"
    return str(site.verified) if site.verified else "never"


def format_sites(registry: dict, last_runs: dict) -> str:
    head = f"{'site':<16} {'source':<7} {'cms':<7} {'verified':<10} {'last run':<16} {'status':<7}  columns"
    lines = [head, "-" * len(head)]
    for name, site in registry.items():
        run = last_runs.get(name) or {}
        lines.append(f"{name:<16} {site.source:<7} {site.cms:<7} {check_state(site):<10} "
                     f"{when(run.get('started_at')) or 'never':<16} {run.get('status', ''):<7}  "
                     f"{', '.join(site.column_titles())}")
        if site.broken:
            lines.append(f"  {name}: broken: {site.broken}")
    return "\n".join(lines)


def run(args) -> int:
    try:
        registry = load_registry(args.registry)
    except RegistryError as exc:
        print(f"govnews sites list: {exc}", file=sys.stderr)
        return 1
    with open_database(args) as database:
        rows = site_rows(registry, database)
    print(format_sites(registry, {row.name: row.last_run for row in rows}))
    return 0
