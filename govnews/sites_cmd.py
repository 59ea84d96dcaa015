"""`govnews sites`: the registered sites. Without a sub-command: articles, last run and
health per site (`govnews sites health`).

    govnews sites add URL [--name NAME] [--columns 新闻,通知,政策] [--dry-run]
    govnews sites check [NAME …]
    govnews sites list

Sites come from the shipped registry (package data, read-only) and the user's registry
(`$GOVNEWS_SITES`, else `$GOVNEWS_DATA_DIR/sites.json`), which `add` and `check` write.
Sub-commands are the modules of govnews/sites/ (`add_cmd.py` …), registered like the
top-level commands.
"""
from __future__ import annotations

import argparse

import govnews.sites
from govnews.cli import add_commands
from govnews.sites import health_cmd


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("sites", help="the registered sites: add, check, list, health",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    health_cmd.add_arguments(parser)            # `govnews sites [options]` is `govnews sites health [options]`
    parser.set_defaults(func=health_cmd.run)
    add_commands(parser.add_subparsers(title="sub-commands", metavar="SUBCOMMAND"), govnews.sites,
                 ("add", "check", "list"))
    return parser
