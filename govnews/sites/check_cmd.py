"""`govnews sites check [NAME …]`: test-crawl registered sites (all when no name is given).

Each column (start URL) must answer, its list page must give article links and one of its
first two articles must clean to ok. Each site is marked `verified: <date>` or `broken:
<reason>` (start URL 404, no article links, articles empty or low confidence, challenge
page) in the user's registry (`$GOVNEWS_SITES`, else `$GOVNEWS_DATA_DIR/sites.json`; for a
shipped site only its check is stored there). Prints a table; exit status 1 when a site is
broken, 2 for an unknown name.
"""
from __future__ import annotations

import argparse
import sys

from crawler.sites import RegistryError, load_registry
from govnews.cli import add_command
from govnews.sites.probing import add_probe_arguments, check_and_record, fetcher_from, format_checks


def add_parser(subparsers) -> argparse.ArgumentParser:
    return add_command(subparsers, "check", "test-crawl registered sites; mark them verified or broken",
                       __doc__, add_arguments, run)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("names", nargs="*", metavar="NAME", help="registry names (default: all)")
    add_probe_arguments(parser)


def run(args) -> int:
    try:
        registry = load_registry(args.registry)
    except RegistryError as exc:
        print(f"govnews sites check: {exc}", file=sys.stderr)
        return 1
    unknown = [n for n in args.names if n not in registry]
    if unknown:
        print(f"unknown site(s): {', '.join(unknown)}; registered: {', '.join(registry)}", file=sys.stderr)
        return 2
    sites = [registry[n] for n in args.names or registry]
    results = check_and_record(sites, fetcher_from(args), out=sys.stderr)
    print(format_checks(results))
    broken = [r.name for r in results if r.broken]
    if broken:
        print(f"{len(broken)} of {len(results)} site(s) broken: {', '.join(broken)}", file=sys.stderr)
        return 1
    return 0
