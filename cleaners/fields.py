"""Page-level fields: meta tags (government website guideline names, Open Graph), the
headline, canonical URL. Labelled lines inside the article (来源/作者/责编) are read by
:mod:`cleaners.extract`, which also removes them from the text."""
from __future__ import annotations

import re
from itertools import islice
from urllib.parse import urldefrag, urljoin, urlsplit

from cleaners import bylines
from cleaners.script import simplified_view

_WS = re.compile(r"\s+")
_CJK = re.compile(r"[\u3400-\u9fff]")
# Separators between a headline and the site name in <title>.
_TITLE_SPLIT = re.compile(r"\s*(?:[|｜_—–]|--|-\s|\s-|::|·)\s*")
_KEYWORD_SPLIT = re.compile(r"[,，;；、|\s]+")


def squash(text: str | None) -> str:
    return _WS.sub(" ", (text or "").replace("\u3000", " ").replace("\xa0", " ")).strip()


def meta_map(tree) -> dict[str, str]:
    """All <meta> name/property/itemprop → content, keys lower-cased; first non-empty wins."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
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


def _headline_candidates(tree):
    for xp in ("//h1", "//*[contains(@class,'title') or contains(@id,'title') or contains(@class,'Title')]",
               "//h2", "//h3"):
        for el in tree.xpath(xp):
            if el.tag in ("title", "meta", "head", "body", "html"):
                continue
            text = squash(el.text_content())
            if 4 <= len(text) <= 120 and _CJK.search(text):
                yield text


def _overlap(a: str, b: str) -> int:
    """Length of the longest common substring (small strings; simple DP)."""
    best = 0
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0] * (len(b) + 1)
        for j, cb in enumerate(b, 1):
            if ca == cb:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


def find_title(tree, meta: dict) -> str | None:
    """ArticleTitle / og:title, else the headline element that best matches <title>,
    else the headline part of <title> once the site name is split off.

    A meta title that the CMS cut short (它的前半句… / a prefix of the headline) gives
    way to the whole headline."""
    page_title = squash(tree.findtext(".//title"))
    explicit = _first(meta, "articletitle", "og:title", "twitter:title", "headline", "title")
    if explicit and (not page_title or explicit != page_title):
        stem = explicit.rstrip(".…").rstrip()
        rest = page_title[len(stem):] if page_title.startswith(stem) else ""
        if len(stem) >= 4 and (stem != explicit or (rest and not _TITLE_SPLIT.match(rest) and rest[0] not in "-_|")):
            # cut short: ends in …, or <title> runs on past it ("某市启动" of 某市启动"科技副总"…)
            longer = [c for c in islice(_headline_candidates(tree), 30) if len(c) > len(stem) and c.startswith(stem)
                      and (c in page_title or len(c) <= len(stem) + 40)]
            if longer:
                return min(longer, key=len)
        return explicit
    candidates = list(islice(_headline_candidates(tree), 30))
    if page_title:
        suffixed = bool(_TITLE_SPLIT.search(page_title)) or "-" in page_title
        scored = [(c in page_title, not (suffixed and c == page_title), _overlap(c[:60], page_title[:120]), c)
                  for c in candidates]
        scored = [s for s in scored if s[0] or s[2] >= max(4, 0.6 * min(len(s[3]), 40))]
        if scored:
            return max(scored, key=lambda s: (s[0], s[1], s[2], -len(s[3])))[3]
        site = _first(meta, "sitename", "og:site_name")
        parts = [p for p in _TITLE_SPLIT.split(page_title) if p and p != site]
        if parts:
            # 标题_栏目_站点 puts the headline first; a much longer later part is the headline
            # of 站点 - 标题 (a short headline such as 蔡健雅_百度百科 stays first)
            longest = max(parts, key=len)
            return longest if len(longest) >= 2 * len(parts[0]) else parts[0]
    if candidates:
        return candidates[0]
    return explicit


_VALUE_LABEL = re.compile(r"^(?:信息来源|文章来源|稿件来源|来源|作者|记者|责任编辑|责编|编辑|出处)\s*[:：]\s*")
# a trailing note after a space: "张掖日报 收集"; glued words are part of the name (21世纪经济报道)
_VALUE_TAIL = re.compile(r"(?:\s*(?:原创稿|原创|转载)|\s+(?:收集|整理|供稿|报道|发布|举报|分享|打印|收藏))+$")
_VALUE_DATE = re.compile(r"\s*(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]")
_EMBEDDED_LABEL = re.compile(r"\s*[\u4e00-\u9fff]{0,4}(?:编辑|作者|记者|责编|审核|校对)\s*[:：].*$")


def tidy_value(value: str | None) -> str | None:
    """A source/author/editor value without its label or a trailing note.

    >>> tidy_value("来源：人民网-甘肃频道 原创稿"), tidy_value("张掖日报 收集"), tidy_value("  ")
    ('人民网-甘肃频道', '张掖日报', None)
    """
    value = simplified_view(squash(value))
    value = _EMBEDDED_LABEL.sub("", _VALUE_LABEL.sub("", value))
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


def site_from_title(tree, title: str | None) -> str | None:
    """The site name that <title> carries beside the headline: 标题_栏目_鹤壁市科学技术局."""
    page_title = squash(tree.findtext(".//title"))
    parts = [p for p in _TITLE_SPLIT.split(page_title) if p]
    if len(parts) < 2 and "-" in page_title:   # 标题-站点名 without spaces
        head, _, tail = page_title.rpartition("-")
        parts = [head, tail] if 2 <= len(tail) <= 20 and not re.search(r"\d", tail) else parts
    if len(parts) < 2 or not title:
        return None
    others = [p for p in parts if p not in title and title not in p]
    if not others or len(others) == len(parts):
        return None
    # the site is the outermost part away from the headline (usually the last)
    return others[-1] if parts[0] in title or title in parts[0] else others[0]


_INDEX_PATH = re.compile(r"(?:^|/)(?:index\.\w+|default\.\w+)?$", re.I)


def _canonical(tree, meta: dict, url: str | None) -> str | None:
    """<link rel=canonical>, og:url or the gov `Url` meta; a canonical that names a home or
    index page (a template default) is ignored, or every page of a site would share it."""
    for href in tree.xpath("//link[@rel='canonical']/@href") + [meta.get("og:url") or "", meta.get("url") or ""]:
        href = href.strip()
        if href.startswith(("http://", "https://", "/")):
            full = urljoin(url or "", href)
            if full.startswith("http") and not _INDEX_PATH.search(urlsplit(full).path):
                return urldefrag(full)[0]
    return urldefrag(url)[0] if url else None


def page_fields(tree, url: str | None) -> dict:
    """Fields read from the whole page before extraction."""
    meta = meta_map(tree)
    keywords_raw = _first(meta, "keywords", "news_keywords", "article:tag") or ""
    keywords = [k for k in _KEYWORD_SPLIT.split(keywords_raw) if k][:30]
    title = find_title(tree, meta)
    return {
        "title": title,
        "canonical_url": _canonical(tree, meta, url),
        "site_name": _first(meta, "sitename", "og:site_name", "application-name") or site_from_title(tree, title),
        "column": _first(meta, "columnname", "column", "category", "article:section"),
        "keywords": list(dict.fromkeys(keywords)),
        "description": _first(meta, "description", "og:description"),
        "source": tidy_value(_first(meta, "contentsource", "source", "article:publisher_name")),
        "author": (bylines.meta_author(tidy_value(_first(meta, "article:author", "byline")))
                   or bylines.jsonld_author(tree) or bylines.meta_author(_first(meta, "author"))),
    }
