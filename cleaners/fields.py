"""Page-level fields: meta tags (government website guideline names, Open Graph), the
headline, canonical URL. Labelled lines inside the article (来源/作者/责编) are read by
:mod:`cleaners.extract`, which also removes them from the text."""
from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree

from cleaners import bylines
from cleaners.titles import Title, find_title, site_from_title
from cleaners.script import simplified_view
from cleaners.spaces import squash

_KEYWORD_SPLIT = re.compile(r"[,，;；、|\s]+")


def meta_map(tree, metas: list | None = None) -> dict[str, str]:
    """All <meta> name/property/itemprop → content, keys lower-cased; first non-empty wins.
    ``metas``: the page's <meta> elements when the caller has them (cleaners.survey)."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta") if metas is None else metas:
        key = meta.get("name") or meta.get("property") or meta.get("itemprop") or meta.get("http-equiv")
        value = squash(meta.get("content"))
        if key and value:
            found.setdefault(key.strip().lower(), value)
    return found


def _first(meta: dict, *names: str) -> str | None:
    for name in names:
        if meta.get(name):
            return meta[name]
    return None


_VALUE_LABEL = re.compile(r"^(?:信息来源|文章来源|稿件来源|来源|作者|记者|责任编辑|责编|编辑|出处)\s*[:：]\s*")
# a trailing note after a space: "张掖日报 收集"; glued words are part of the name (21世纪经济报道)
_VALUE_TAIL = re.compile(r"(?:\s*(?:原创稿|原创|转载)|\s+(?:收集|整理|供稿|报道|发布|举报|分享|打印|收藏))+$")
_VALUE_DATE = re.compile(r"\s*(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]")
# widget labels glued onto a value where the elements touch: 某某科学技术厅字号：大中小, 求是网参与互动
_GLUED_WIDGET = re.compile(r"\s*[【\[]?\s*(?:字号|字体|浏览(?:次数)?|点击(?:数|量)?|阅读(?:数|量)?|打印(?:本页)?|分享(?:到)?|"
                           r"收藏|关闭(?:窗口)?|评论|参与互动|我要评论|纠错|我要纠错)(?=[\s:：】\]]|$).*$")
_EMBEDDED_LABEL = re.compile(r"\s*[\u4e00-\u9fff]{0,4}(?:编辑|作者|记者|责编|审核|校对)\s*[:：].*$")


def tidy_value(value: str | None) -> str | None:
    """A source/author/editor value without its label or a trailing note.

    >>> tidy_value("来源：人民网-甘肃频道 原创稿"), tidy_value("张掖日报 收集"), tidy_value("  ")
    ('人民网-甘肃频道', '张掖日报', None)
    >>> tidy_value("某某科学技术厅字号：大中小"), tidy_value("求是网参与互动")
    ('某某科学技术厅', '求是网')
    """
    value = simplified_view(squash(value))
    value = _EMBEDDED_LABEL.sub("", _VALUE_LABEL.sub("", value))
    glued = _GLUED_WIDGET.search(value)
    if glued and glued.start() > 0:
        value = value[:glued.start()]
    value = _VALUE_DATE.split(value, 1)[0]
    value = _VALUE_TAIL.sub("", value).strip(" :：,，;；|【】[]")
    for left, right in ("()", "（）"):           # strip brackets, but keep 财经网(北京)
        while value.endswith(right) and left not in value:
            value = value[:-1].rstrip()
        while value.startswith(left) and right not in value:
            value = value[1:].lstrip()
        if value.startswith(left) and value.endswith(right) and value.count(left) == 1:
            value = value[1:-1].strip()
    return value or None


_INDEX_PATH = re.compile(r"(?:^|/)(?:index\.\w+|default\.\w+)?$", re.I)


_CANONICAL_HREFS = etree.XPath("//link[@rel='canonical']/@href")   # compiled once, not on every page


def _canonical(tree, meta: dict, url: str | None, links: list | None = None) -> str | None:
    """<link rel=canonical>, og:url or the gov `Url` meta; a canonical that names a home or
    index page (a template default) is ignored, or every page of a site would share it.
    ``links``: the page's <link> elements when the caller has them (cleaners.survey)."""
    hrefs = _CANONICAL_HREFS(tree) if links is None else \
        [href for el in links if el.get("rel") == "canonical" for href in [el.get("href")] if href is not None]
    for href in hrefs + [meta.get("og:url") or "", meta.get("url") or ""]:
        href = href.strip()
        if href.startswith(("http://", "https://", "/")):
            full = urljoin(url or "", href)
            if full.startswith("http") and not _INDEX_PATH.search(urlsplit(full).path):
                return urldefrag(full)[0]
    return urldefrag(url)[0] if url else None


def page_fields(tree, url: str | None, headings: list | None = None, tags: dict | None = None) -> tuple[dict, Title]:
    """Fields read from the whole page before extraction, and the headline with how sure
    the page makes it (the extractor may replace a weak one). ``headings``, ``tags``: the
    heading candidates and the meta/link/title/script elements of cleaners.survey, when the
    caller has them."""
    tags = tags or {}
    meta = meta_map(tree, tags.get("meta"))
    keywords_raw = _first(meta, "keywords", "news_keywords", "article:tag") or ""
    keywords = [k for k in _KEYWORD_SPLIT.split(keywords_raw) if k][:30]
    title = find_title(tree, meta, headings, tags.get("title"))
    return {
        "title": title.text,
        "canonical_url": _canonical(tree, meta, url, tags.get("link")),
        "site_name": (_first(meta, "sitename", "og:site_name", "application-name")
                      or site_from_title(tree, title.text, tags.get("title"))),
        "column": _first(meta, "columnname", "column", "category", "article:section"),
        "keywords": list(dict.fromkeys(keywords)),
        "description": _first(meta, "description", "og:description"),
        "source": tidy_value(_first(meta, "contentsource", "source", "article:publisher_name")),
        "author": (bylines.meta_author(tidy_value(_first(meta, "article:author", "byline")))
                   or bylines.jsonld_author(tree, tags.get("script")) or bylines.meta_author(_first(meta, "author"))),
    }, title
