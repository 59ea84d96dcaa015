"""`govnews serve`: a read-only review web page over the store, on http://127.0.0.1:8000/.

Sites (articles, last run, last new article, health), the articles (filters: site, published
days, status, low confidence, title text; newest first), one article (every field, the clean
text beside the page as fetched, earlier versions with what changed, republished copies),
and a site's runs. Nothing can be changed from it. It listens on 127.0.0.1 unless --host says
otherwise: anyone who can reach the address can read the store. Ctrl-C stops it.
"""
from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from pathlib import Path

from werkzeug.serving import make_server

from crawler.sites import RegistryError, load_registry
from govnews.cli import add_command
from govnews.storeargs import add_store_arguments, open_database
from govnews.web import create_app
from storage.paths import warc_dir as warc_folder


def add_parser(subparsers) -> argparse.ArgumentParser:
    return add_command(subparsers, "serve", "a read-only review web page over the store", __doc__,
                       add_arguments, run)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 = any free one)")
    parser.add_argument("--registry", help="site registry file (default: crawler/sites/registry.json)")
    parser.add_argument("--warc-dir", default=os.environ.get("GOVNEWS_WARC_DIR") or None,
                        help="where relative WARC file names of records are (default: GOVNEWS_WARC_DIR, "
                             "else <data dir>/warc)")
    add_store_arguments(parser)


def is_loopback(host: str) -> bool:
    """
    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(args) -> int:
    try:
        registry = load_registry(args.registry)
    except RegistryError as exc:
        print(f"govnews serve: {exc}", file=sys.stderr)
        return 2
    warc_dir = Path(args.warc_dir) if args.warc_dir else warc_folder()
    with open_database(args) as database:
        server = make_server(args.host, args.port, create_app(database, registry, warc_dir=warc_dir), threaded=True)
        host = f"[{args.host}]" if ":" in args.host else args.host
        print(f"govnews review page on http://{host}:{server.server_port}/ (read-only; Ctrl-C stops it)",
              flush=True)
        if not is_loopback(args.host):
            print(f"warning: listening on {args.host}: anyone who can reach it can read the store",
                  file=sys.stderr)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
    return 0

