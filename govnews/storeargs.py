"""The store options the reading commands share (``--mongo-uri``, ``--db``) and opening it:
the given MongoDB, else the embedded database (started as needed, or shared with the govnews
process already running it)."""
from __future__ import annotations

import argparse
import contextlib
import os

from storage import connect, mongo_uri


def add_store_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mongo-uri", default=os.environ.get("GOVNEWS_MONGO_URI") or None,
                        help="MongoDB URI (default: GOVNEWS_MONGO_URI, else the embedded server)")
    parser.add_argument("--db", default="govnews", help="database name (default: govnews)")


@contextlib.contextmanager
def open_database(args):
    """Yield the database the command's ``--mongo-uri`` / ``--db`` name."""
    with mongo_uri(args.mongo_uri) as uri, connect(uri, args.db) as database:
        yield database
