"""`govnews sites`: the registered sites; without a sub-command, `govnews sites list`.

Sub-commands are the modules of govnews/sites/ (`list_cmd.py` …), registered like the
top-level commands.
"""
from __future__ import annotations

import argparse

import govnews.sites
from govnews.cli import add_commands
from govnews.sites import list_cmd


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("sites", help="the registered sites: last run and health",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    list_cmd.add_arguments(parser)              # `govnews sites [options]` is `govnews sites list [options]`
    parser.set_defaults(func=list_cmd.run)
    add_commands(parser.add_subparsers(title="sub-commands", metavar="SUBCOMMAND"), govnews.sites, ("list",))
    return parser
