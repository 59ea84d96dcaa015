"""What `govnews sites add` and `govnews sites check` share: their options, the polite
fetcher built from the crawl settings, checking sites and recording the outcome."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from scrapy.settings import Settings

from crawler.probe.fetch import Fetcher
from crawler.probe.testcrawl import SiteCheck, check_site
from crawler.runner import SETTINGS_MODULE
from crawler.sites import userfile


def add_probe_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--registry", help="shipped site registry file (default: crawler/sites/registry.json)")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        help="crawl setting for the test-crawl (USER_AGENT, DOWNLOAD_DELAY, DOWNLOAD_TIMEOUT …)")


def probe_settings(pairs: list[str]) -> Settings:
    """crawler/settings.py with ``NAME=VALUE`` overrides."""
    settings = Settings()
    settings.setmodule(SETTINGS_MODULE, priority="project")
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"--set wants NAME=VALUE, got {pair!r}")
        settings.set(name, value, priority="cmdline")
    return settings


def fetcher_from(args) -> Fetcher:
    return Fetcher.from_settings(probe_settings(args.set))


def today() -> str:
    return dt.date.today().isoformat()


def check_and_record(sites, fetcher: Fetcher, user_path: Path | None = None, out=sys.stdout) -> list[SiteCheck]:
    """Test-crawl ``sites`` and store each outcome (``verified: <date>`` or ``broken: <reason>``)
    in the user's registry; shipped entries get theirs in its ``checks``."""
    path = user_path or userfile.user_registry_path()
    results = []
    for site in sites:
        print(f"checking {site.name} …", file=out, flush=True)
        result = check_site(fetcher, site)
        broken = result.broken
        userfile.record_check(path, site.name, False if broken else today(), broken)
        results.append(result)
    return results


def format_checks(results: list[SiteCheck]) -> str:
    """A row per column, then the site's verdict (``(site)`` in the column field)."""
    head = f"{'site':<16} {'column':<14} {'state':<8} {'articles':>8}  detail"
    lines = [head, "-" * len(head)]
    for result in results:
        for column in result.columns:
            detail = column.url if column.ok else column.reason
            lines.append(f"{result.name:<16} {column.label[:14]:<14} {'ok' if column.ok else 'BROKEN':<8} "
                         f"{len(column.articles):>8}  {detail}")
        lines.append(f"{result.name:<16} {'(site)':<14} {'broken' if result.broken else 'verified':<8}")
    return "\n".join(lines)
