"""`govnews demo`: crawl the bundled fixture sites with the real spider, with no network.

Serves fixtures/sites/ on loopback as an HTTP proxy (so the registry's real host names,
e.g. http://kjj.zhangye.gov.cn/, answer from fixture files), crawls every registered site
that has a fixture into the store (the embedded SecantusDB under $GOVNEWS_DATA_DIR/mongo,
or GOVNEWS_MONGO_URI / --mongo-uri), and prints what landed. Run it twice: the second run
finds every article unchanged (HTTP 304) and stores nothing new.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import pymongo

from crawler.fixtureserver import FixtureServer
from crawler.runner import LOCAL_FAST
from crawler.sites import load_registry
from govnews.cli import add_command
from govnews.refresh_cmd import crawl_sites, format_summary
from storage import mongo_uri

# The fixture sites are in the source checkout (they are not installed with the package).
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "sites"


def add_parser(subparsers) -> argparse.ArgumentParser:
    return add_command(subparsers, "demo", "crawl the bundled fixture sites (no network needed)",
                       __doc__, add_arguments, run)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sites", nargs="+", metavar="NAME", help="registry names (default: all with fixtures)")
    parser.add_argument("--mongo-uri", default=os.environ.get("GOVNEWS_MONGO_URI") or None,
                        help="MongoDB URI (default: GOVNEWS_MONGO_URI, else the embedded server)")
    parser.add_argument("--db", default="govnews", help="database name (default: govnews)")
    parser.add_argument("--fixtures", default=str(FIXTURES), help="fixture sites folder")
    parser.add_argument("--log-dir", help="keep one crawl log per site here")


def manifests(root: Path) -> dict[str, dict]:
    """``{site name: manifest}`` of the fixture sites."""
    out = {}
    for path in sorted(root.glob("*/_manifest.json")):
        data = json.loads(path.read_text("utf-8"))
        out[data["site"]] = data
    return out


def landed(uri: str, site_manifests: dict[str, dict], db: str = "govnews") -> list[str]:
    """Lines describing what the store holds for the demo sites."""
    client = pymongo.MongoClient(uri, serverSelectionTimeoutMS=10000)
    try:
        coll = client[db]["articles"]
        lines = []
        for name, manifest in site_manifests.items():
            urls = manifest["articles"]
            found = {d.get("url") for d in coll.find({"url": {"$in": urls}}, {"url": 1})}
            found |= {d.get("canonical_url") for d in coll.find({"canonical_url": {"$in": urls}}, {"canonical_url": 1})}
            got = len(set(urls) & found)
            lines.append(f"  {name:<14} {got}/{len(urls)} manifest articles in the store "
                         f"({100 * got / max(len(urls), 1):.0f}%)")
        total = coll.count_documents({})
        lines.append(f"  {total} articles in {uri.split('@')[-1]} {db}.articles")
        sample = coll.find_one({"pages": {"$gt": 1}}) or coll.find_one({})
        if sample:
            lines.append("  a stored record:")
            for key in ("url", "title", "published_at", "source", "site_name", "column", "pages", "content_hash"):
                lines.append(f"    {key:<13} {sample.get(key)}")
            lines.append(f"    {'text':<13} {(sample.get('text') or '')[:60].replace(chr(10), ' / ')}… ({sample.get('text_length')} chars)")
            lines.append(f"    {'attachments':<13} {len(sample.get('attachments') or [])}")
        return lines
    finally:
        client.close()


def run(args) -> int:
    root = Path(args.fixtures)
    site_manifests = manifests(root)
    registry = load_registry(with_user=False)     # the fixture sites are shipped ones
    names = args.sites or [n for n in registry if n in site_manifests]
    if not names:
        print(f"no fixture sites under {root} (give --fixtures DIR: the fixtures/sites folder of a "
              "govnews checkout)", file=sys.stderr)
        return 2
    with FixtureServer(root) as server, mongo_uri(args.mongo_uri) as uri:
        print(f"fixture sites served on {server.proxy_url} (used as http_proxy); store {uri.split('@')[-1]}")
        results = crawl_sites(names, registry=None, store_uri=uri, settings={**LOCAL_FAST, "GOVNEWS_MONGO_DB": args.db},
                              log_dir=args.log_dir,
                              env={"http_proxy": server.proxy_url, "HTTP_PROXY": server.proxy_url,
                                   "no_proxy": "", "NO_PROXY": ""})
        print(format_summary(results))
        print("what landed:")
        print("\n".join(landed(uri, {n: site_manifests[n] for n in names if n in site_manifests}, args.db)))
    print(f"look at them: govnews serve (a review page on http://127.0.0.1:8000/), govnews export --site {names[0]}, "
          "govnews sites")
    failed = [r.site for r in results if r.failure]
    return 1 if failed else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="govnews demo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
