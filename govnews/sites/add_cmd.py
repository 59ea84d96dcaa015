"""`govnews sites add URL`: register a site from its home page.

The home page is fetched politely (robots.txt obeyed, the crawl's User-Agent and delay), its
CMS family is read from the page and its URLs (TRS, Hanweb, VSB or generic; the evidence that
decided is printed), and the news-bearing columns are picked from its links by their text
and URL shape (科技动态, 工作动态, 通知公告, 政策文件, 政策解读, 信息公开 …; never 领导信息,
机构职能, 联系我们, 网站地图, 办事服务 or links off the site). Each column is test-crawled: its
list page must give article links and one of its first two articles must clean to ok.
The passing columns become the entry, written to the user's registry (`$GOVNEWS_SITES`, else
`$GOVNEWS_DATA_DIR/sites.json`) marked `verified: <date>` and printed as JSON.

A URL outside http(s), a host answering with a challenge page, a home page with no
recognizable column or a name already registered: a message, exit status 1, nothing written.
"""
from __future__ import annotations

import argparse
import json
import sys
from urllib.parse import urlsplit

from crawler.probe.columns import NEWS_WORDS
from crawler.probe.newsite import ProbeError, name_for_host, probe_site
from crawler.sites import RegistryError, load_registry, userfile
from govnews.cli import add_command
from govnews.sites.probing import add_probe_arguments, fetcher_from, today


def add_parser(subparsers) -> argparse.ArgumentParser:
    return add_command(subparsers, "add", "register a site from its home page URL (test-crawled first)",
                       __doc__, add_arguments, run)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", help="the site's home page, http(s)")
    parser.add_argument("--name", help="registry name (default: from the host, kjj.zhangye.gov.cn → zhangye-kjj)")
    parser.add_argument("--columns", help="comma-separated words a column's link text must contain "
                                          f"(default: {','.join(NEWS_WORDS)})")
    parser.add_argument("--dry-run", action="store_true", help="print the entry without writing it")
    add_probe_arguments(parser)


def run(args) -> int:
    path = userfile.user_registry_path()
    host = urlsplit(args.url).hostname if urlsplit(args.url).scheme in ("http", "https") else None
    name = args.name or (name_for_host(host) if host else None)
    words = tuple(w.strip() for w in (args.columns or "").replace("，", ",").split(",") if w.strip()) or NEWS_WORDS
    try:
        registry = load_registry(args.registry)
    except RegistryError as exc:
        print(f"govnews sites add: {exc}", file=sys.stderr)
        return 1
    if name in registry:
        site = registry[name]
        print(f"govnews sites add: a {site.source} site is already named {name!r} ({', '.join(site.start_urls)}); "
              "give another --name; nothing added", file=sys.stderr)
        return 1
    try:
        probe = probe_site(fetcher_from(args), args.url, name=name, words=words, verified=today())
    except ProbeError as exc:
        print(f"govnews sites add: {exc}", file=sys.stderr)
        return 1
    for check in probe.checks:
        state = f"ok, {len(check.articles)} article links" if check.ok else f"dropped: {check.reason}"
        print(f"column {check.label} {check.url}: {state}", file=sys.stderr)
    for link in probe.skipped:
        print(f"passed over {link.title} {link.url}: {link.why}", file=sys.stderr)
    print(f"CMS family {probe.family.name}, decided by: {'; '.join(probe.family.evidence)}", file=sys.stderr)
    if not args.dry_run:
        userfile.add_site(path, probe.entry)
        print(f"added {name} to {path}", file=sys.stderr)
    else:
        print("dry run: nothing written", file=sys.stderr)
    print(json.dumps(probe.entry, ensure_ascii=False, indent=1))
    return 0
