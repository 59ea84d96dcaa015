"""`govnews clusters`: the largest clusters of republished copies in the store.

Each cluster is one notice found on several sites (see README, "Republished copies"): its
original first (published first, or named by the copies' 来源), then the copies by
publication time, each with its site, published_at, similarity to its original and URL.

  govnews clusters                    # the 20 largest
  govnews clusters --limit 5 --site hebi-kjj
  govnews clusters --jsonl > clusters.jsonl   # one cluster a line: {id, size, members: [...]}
"""
from __future__ import annotations

import argparse
import json
import sys

from govnews.cli import add_command
from govnews.jsonvalues import jsonable
from govnews.storeargs import add_store_arguments, open_database
from storage.clusters import largest


def add_parser(subparsers) -> argparse.ArgumentParser:
    return add_command(subparsers, "clusters", "print the largest clusters of republished copies", __doc__,
                       add_arguments, run)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--limit", type=int, default=20, metavar="N", help="clusters shown (default: %(default)s)")
    parser.add_argument("--min-size", type=int, default=2, metavar="N",
                        help="smallest cluster shown (default: %(default)s)")
    parser.add_argument("--site", metavar="NAME", help="only clusters with a record of this registry site")
    parser.add_argument("--jsonl", action="store_true", help="JSON lines, one cluster a line")
    parser.add_argument("--collection", default="articles", help="collection name (default: %(default)s)")
    add_store_arguments(parser)


def member_line(member: dict) -> str:
    """
    >>> member_line({"_id": "k", "site": "most", "url": "http://www.most.gov.cn/a.html",
    ...              "published_at": "2024-03-01T09:30:00+08:00", "cluster": {"role": "original", "similarity": 1.0}})
    '  original       most          2024-03-01 09:30  http://www.most.gov.cn/a.html'
    """
    cluster = member.get("cluster") or {}
    role = "original" if cluster.get("role") == "original" else f"copy {cluster.get('similarity', 0):.2f}"
    when = (member.get("published_at") or "")[:16].replace("T", " ") or "-"
    site = member.get("site") or member.get("site_name") or "-"
    return f"  {role:<13}  {site:<12}  {when:<16}  {member.get('url') or member['_id']}"


def run(args) -> int:
    with open_database(args) as database:
        clusters = largest(database[args.collection], limit=max(1, args.limit), min_size=max(2, args.min_size),
                           site=args.site)
    out = sys.stdout
    if not clusters:
        print("govnews clusters: no cluster of republished copies"
              + (f" with a record of {args.site}" if args.site else ""), file=sys.stderr)
        return 0
    for cluster in clusters:
        if args.jsonl:
            members = [{"key": m["_id"], **{k: v for k, v in m.items() if k != "_id"}} for m in cluster["members"]]
            out.write(json.dumps(jsonable({**cluster, "members": members}), ensure_ascii=False) + "\n")
            continue
        head = cluster["members"][0]
        out.write(f"{cluster['size']} records: {head.get('title') or ''}\n")
        for member in cluster["members"]:
            out.write(member_line(member) + "\n")
    return 0
