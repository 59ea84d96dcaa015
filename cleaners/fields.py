"""Page-level fields: meta tags (government website guideline names, Open Graph), the
headline, canonical URL. Labelled lines inside the article (来源/作者/责编) are read by
:mod:`cleaners.extract`, which also removes them from the text."""
from __future__ import annotations

import re
from urllib.parse import urljoin, urldefrag

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
    else the longest part of <title> once the site-name suffix is split off."""
    page_title = squash(tree.findtext(".//title"))
    explicit = _first(meta, "articletitle", "og:title", "twitter:title", "headline", "title")
    if explicit and (not page_title or explicit != page_title):
        return explicit
    candidates = list(_headline_candidates(tree))[:30]
    if page_title:
        scored = [(c in page_title, _overlap(c[:60], page_title[:120]), c) for c in candidates]
        scored = [s for s in scored if s[0] or s[1] >= max(4, 0.6 * min(len(s[2]), 40))]
        if scored:
            return max(scored, key=lambda s: (s[0], s[1], -len(s[2])))[2]
        parts = [p for p in _TITLE_SPLIT.split(page_title) if p]
        if parts:
            return max(parts, key=len)
    if candidates:
        return candidates[0]
    return explicit


def _canonical(tree, meta: dict, url: str | None) -> str | None:
    for href in tree.xpath("//link[@rel='canonical']/@href") + [meta.get("og:url") or "", meta.get("url") or ""]:
        href = href.strip()
        if href.startswith(("http://", "https://", "/")):
            full = urljoin(url or "", href)
            if full.startswith("http"):
                return urldefrag(full)[0]
    return urldefrag(url)[0] if url else None


def page_fields(tree, url: str | None) -> dict:
    """Fields read from the whole page before extraction."""
    meta = meta_map(tree)
    keywords_raw = _first(meta, "keywords", "news_keywords", "article:tag") or ""
    keywords = [k for k in _KEYWORD_SPLIT.split(keywords_raw) if k][:30]
    return {
        "title": find_title(tree, meta),
        "canonical_url": _canonical(tree, meta, url),
        "site_name": _first(meta, "sitename", "og:site_name", "application-name"),
        "column": _first(meta, "columnname", "column", "category", "article:section"),
        "keywords": list(dict.fromkeys(keywords)),
        "description": _first(meta, "description", "og:description"),
        "source": _first(meta, "contentsource", "source", "article:publisher_name"),
        "author": _first(meta, "article:author", "byline"),
    }
