"""From a home page URL to a registry entry: the CMS family, the news-bearing columns of its
navigation, each column test-crawled, the passing ones kept (``govnews sites add``).

Everything that makes the URL unusable is a :class:`ProbeError` with a message for the user:
a URL outside http(s), a home page that cannot be fetched or is a challenge page, no
recognizable column, no column passing its test-crawl.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.html

from cleaners.encoding import decode
from crawler.probe.columns import NEWS_SLUGS, NEWS_WORDS, Link, find_columns
from crawler.probe.family import Family, decide, link_signs, page_signs
from crawler.probe.fetch import Fetcher
from crawler.probe.testcrawl import ColumnCheck, check_column, fetch_page
from crawler.sites import Site

SUFFIXES = ("gov.cn", "com.cn", "org.cn", "edu.cn", "net.cn", "cn", "com", "org", "net")


class ProbeError(Exception):
    """The URL cannot become a registry entry; the message says why."""


@dataclass
class Probe:
    entry: dict
    family: Family
    checks: list[ColumnCheck] = field(default_factory=list)
    skipped: list[Link] = field(default_factory=list)


def name_for_host(host: str) -> str:
    """A registry name from a host name, the bureau first as in the shipped registry.

    >>> name_for_host("kjj.zhangye.gov.cn"), name_for_host("www.most.gov.cn"), name_for_host("example.com")
    ('zhangye-kjj', 'most', 'example')
    """
    host = host.lower().rstrip(".")
    for suffix in SUFFIXES:
        if host.endswith("." + suffix):
            host = host[: -len(suffix) - 1]
            break
    labels = [x for x in host.split(".") if x and x != "www"]
    return "-".join(reversed(labels)) or host


def site_title(tree) -> str:
    for meta in tree.iter("meta"):
        if (meta.get("name") or "").lower() == "sitename" and (meta.get("content") or "").strip():
            return meta.get("content").strip()
    title = tree.findtext(".//title") or ""
    return re.split(r"\s*[-_|—–]\s*", title.strip())[-1] if title.strip() else ""


def probe_site(fetcher: Fetcher, url: str, *, name: str | None = None, words=NEWS_WORDS,
               verified: str, samples: int = 2) -> Probe:
    """Probe the site whose home page is ``url``; the entry is marked ``verified``. Columns are
    the links whose text holds one of ``words`` (given words replace the default and turn the
    URL-slug rule off)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ProbeError(f"{url!r} is not an http(s) URL; give the site's home page, e.g. http://kjj.example.gov.cn/")
    answer, why = fetch_page(fetcher, url, "home page")
    if why:
        raise ProbeError(f"{why}; nothing added" if "challenge" not in why else
                         f"{parts.hostname} answers with an anti-bot {why}; it cannot be crawled, nothing added")
    html = decode(answer.body, answer.content_type).text
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise ProbeError(f"home page {answer.url} is not HTML ({exc}); nothing added") from exc
    links = [urljoin(answer.url, a.get("href")) for a in tree.iter("a") if a.get("href")]
    home_signs = page_signs(html) + link_signs(links, "on the home page")
    columns, skipped = find_columns(html, answer.url, words, NEWS_SLUGS if words == NEWS_WORDS else set())
    if not columns:
        raise ProbeError(f"no recognizable news column on {answer.url} (looked for links on the site whose text "
                         f"names {'/'.join(words)}); give --columns words, or a column URL to "
                         "`scrapy crawl site -a start_url=…`; nothing added")
    host = urlsplit(answer.url).hostname
    site = Site(name=name or name_for_host(host), start_urls=tuple(c.url for c in columns),
                allowed_domains=(host,), title=site_title(tree))
    checks = [check_column(fetcher, c.url, site, c.title, samples) for c in columns]
    passing = [c for c in checks if c.ok]
    if not passing:
        raise ProbeError("no column passed its test-crawl; nothing added:\n" +
                         "\n".join(f"  {c.label} {c.url}: {c.reason}" for c in checks))
    family = decide(home_signs + link_signs([a for c in passing for a in c.articles], "in the columns"))
    entry = {"name": site.name, "title": site.title, "cms": family.name, "allowed_domains": [host],
             "start_urls": [c.url for c in passing],
             "columns": [{"title": c.title, "url": c.url} for c in passing],
             "added_from": url, "verified": verified}
    return Probe(entry, family, checks, skipped)
