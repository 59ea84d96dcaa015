"""Classify URLs and pull article / list / pagination links out of a list page."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.html

from crawler.cms import generic, hanweb, trs
from crawler.cms.patterns import ARTICLE_PART_URL, ARTICLE_URL, ATTACHMENT_URL, LIST_URL, SKIP_URL


def url_kind(url: str, site=None) -> str | None:
    """'article', 'part' (page 2+ of an article), 'attachment', 'skip', 'list' or None.

    >>> url_kind("http://a.gov.cn/kjdt/202302/t20230221_123456.html")
    'article'
    >>> url_kind("http://a.gov.cn/kjdt/202302/t20230221_123456_2.html")
    'part'
    >>> url_kind("http://a.gov.cn/art/2024/10/14/art_60085_11394426.html")
    'article'
    >>> url_kind("http://a.gov.cn/info/1011/2345.htm"), url_kind("http://a.gov.cn/kjdt/index_2.html")
    ('article', 'list')
    >>> url_kind("http://a.gov.cn/search/index.html?q=1"), url_kind("http://a.gov.cn/f/a.pdf")
    ('skip', 'attachment')
    """
    parts = urlsplit(url)
    path = parts.path
    path_q = path + ("?" + parts.query if parts.query else "")
    if ATTACHMENT_URL.search(path):
        return "attachment"
    if SKIP_URL.search(path_q):
        return "skip"
    if site is not None and site.article_pattern is not None and site.article_pattern.search(path):
        return "article"
    if any(p.search(path) for p in ARTICLE_PART_URL):
        return "part"
    for patterns in ARTICLE_URL.values():
        if any(p.search(path) for p in patterns):
            return "article"
    if site is not None and site.list_pattern is not None and site.list_pattern.search(path_q):
        return "list"
    if any(p.search(path_q) for p in LIST_URL):
        return "list"
    return None


@dataclass
class ListLinks:
    articles: list[str] = field(default_factory=list)
    lists: list[str] = field(default_factory=list)          # further list pages to follow
    hanweb: dict | None = None                               # dataproxy column params
    hanweb_total: int | None = None
    hanweb_inline: int = 0                                   # records already on the page
    hanweb_per_page: int = 15


def _same_site(url: str, domains) -> bool:
    host = urlsplit(url).hostname or ""
    return not domains or any(host == d or host.endswith("." + d) for d in domains)


def in_column(link: str, url: str) -> bool:
    """Is ``link`` a page of the same column as ``url`` (same folder or below, or VSB's
    ``kjdt.htm`` ↔ ``kjdt/2.htm``)? Keeps pager words such as 首页 in a site's menu from
    leading the crawl out of the column.

    >>> in_column("http://a.cn/x/kjdt/2.htm", "http://a.cn/x/kjdt.htm"), in_column("http://a.cn/x/kjdt.htm", "http://a.cn/x/kjdt/2.htm")
    (True, True)
    >>> in_column("http://a.cn/index.htm", "http://a.cn/x/kjdt.htm")
    False
    """
    link_path, path = urlsplit(link).path, urlsplit(url).path
    folder = path.rsplit("/", 1)[0] + "/"
    stem = re.sub(r"\.\w+$", "", path) + "/"
    link_stem = re.sub(r"\.\w+$", "", link_path) + "/"
    return link_path.startswith(folder) or link_path.startswith(stem) or path.startswith(link_stem)


def links_from_list(text: str, url: str, site=None, max_pages: int = 200) -> ListLinks:
    """Articles and further list pages of one list page, whatever its CMS."""
    domains = site.allowed_domains if site is not None else ()
    out = ListLinks()
    try:
        tree = lxml.html.fromstring(text) if text.strip() else None
    except (ValueError, lxml.etree.ParserError):
        tree = None

    candidates: list[str] = []
    if tree is not None:
        for a in tree.iter("a"):
            href = generic._href(a, url)
            if href:
                candidates.append(href)
    candidates += hanweb.record_links(text, url)
    region = generic.list_region_links(tree, url) if tree is not None else []

    seen = set()
    for link in candidates + region:
        if link in seen or not _same_site(link, domains):
            continue
        seen.add(link)
        kind = url_kind(link, site)
        if kind == "article":
            out.articles.append(link)
    # generic fallback: items of a dated list region are articles unless they look like lists
    for link in region:
        if _same_site(link, domains) and url_kind(link, site) is None and link not in out.articles:
            out.articles.append(link)

    pages = trs.create_page_urls(text, url, max_pages) + trs.static_pager_urls(text, url, max_pages)
    if tree is not None:
        pages += [u for u in generic.pager_links(tree, url) if in_column(u, url)]
    for link in pages:
        if _same_site(link, domains) and url_kind(link, site) in ("list", None) and link != url:
            out.lists.append(link)
    out.lists = list(dict.fromkeys(out.lists))

    params = hanweb.dataproxy_params(text, url)
    if params:
        out.hanweb = params
        out.hanweb_total = hanweb.total_records(text)
        out.hanweb_inline = len(hanweb.record_links(text, url))
        out.hanweb_per_page = hanweb.per_page(text)
    return out


def article_continuations(text: str, url: str) -> list[str]:
    """Pages 2+ of a multi-page article, in order (TRS createPageHTML or t..._N links).

    Runs in the reactor for every article, so it looks for the cheap signs first.
    """
    path = urlsplit(url).path
    stem = re.sub(r"\.\w+$", "", path.rsplit("/", 1)[-1])
    pages = [u for u in trs.create_page_urls(text, url) if u != url] if "createPageHTML" in text else []
    if stem and stem + "_" in text:
        for m in re.finditer(r"""href\s*=\s*["']([^"'#]*""" + re.escape(stem) + r"""_\d{1,3}\.\w+)["']""", text):
            pages.append(urljoin(url, m.group(1)))

    def page_no(u: str) -> int:
        m = re.search(r"_(\d{1,3})\.\w+$", urlsplit(u).path)
        return int(m.group(1)) if m else 0
    pages = [u for u in dict.fromkeys(pages) if page_no(u) > 0 and urlsplit(u).path != path]
    return sorted(pages, key=page_no)
