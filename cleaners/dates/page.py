"""The publish date of a page: the rules of :mod:`cleaners.dates` tried in order of trust."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from itertools import islice
from typing import Callable, Iterable

from lxml import etree

from cleaners.dates.parse import CST, MIN_YEAR, parse_date
from cleaners.dates.text import Text, after_list_heading, collect_meta, in_link, other_block, root_of, NOT_PUBLISH
from cleaners.dates.url import date_from_url
from cleaners.tree import still_in, text_of, within


# meta names (name / property / itemprop / http-equiv, lower-cased, spaces removed), best first
META_PUBLISH = (
    "pubdate", "publishdate", "publish_date", "publish-date", "publishtime", "publish_time",
    "originalpublishdate", "firstpublishedtime", "firstpublishdate", "article:published_time",
    "og:published_time", "og:article:published_time", "og:release_date", "datepublished",
    "releasedate", "release_date", "published_time", "dc.date.issued", "dcterms.issued",
    "dc.date.created", "dcterms.created", "datecreated", "article:published", "sailthru.date",
    "parsely-pub-date", "weibo:article:create_at", "contentpubdate", "createdate", "create_date",
    "og:time", "pub_date", "pubtime", "firstpublishtime",
    # generic "date" names: after JSON-LD datePublished
    "date", "dc.date", "dcterms.date", "date.available", "dc.date.available",
)
_GENERIC_META_FROM = META_PUBLISH.index("date")
META_MODIFIED = (
    "article:modified_time", "og:updated_time", "datemodified", "dateupdate", "lastmod",
    "last-modified", "lastmodified", "dc.date.modified", "dcterms.modified", "updatedate",
)
_META_RANK = {n: i for i, n in enumerate(META_PUBLISH)}
_META_MOD_RANK = {n: i for i, n in enumerate(META_MODIFIED)}

# A label right before a date (matched against the text just before the date). pub: publish
# labels; gen: bare 时间/日期 (not the end of a longer word, so 截止时间 / 会议时间 do not count);
# upd: 更新时间; low: 成文/发文/印发/生成 dates.
_LABEL = re.compile(
    r"(?:(?P<pub>(?:发布|發布|發佈|发表|發表|发稿|發稿|刊发|刊發|刊登|首发|首發|上线|建立|创建|創建|"
    r"录入|錄入|上传|上載|发帖|發帖|出版|公布|公開|公开|采编|採編|信息|文章|新闻|新聞|稿件)(?:时间|時間|日期)"
    r"|(?:发布|發布|發佈|发表|發表|发稿|發稿|刊发|刊發|刊登|首发|首發|上线|公布|发帖|發帖)(?:于|於)?)"
    r"|(?<![\u4e00-\u9fff])(?P<gen>时间|時間|日期)"
    r"|(?<![\u4e00-\u9fff])(?P<upd>(?:更新|修改)(?:时间|時間|日期|于|於)?)"
    r"|(?P<low>(?:成文|发文|發文|印发|印發|签发|簽發|生成|制发|製發)(?:时间|時間|日期)))"
    r"[\s:：】\]>)）|·]{0,8}$")
_LABEL_RANK = {"pub": 0, "gen": 1, "upd": 3, "low": 4}
_TIME_CLASS = re.compile(r"time|date|publish|pubtime|fbsj|fbrq|riqi|shijian|rq|sj", re.I)
LABEL_LINE = 150           # longest text chunk (without spaces) read as a 发布时间 info line
SHORT_TEXT = 80            # "short" text for <time> and class/id time elements
USE_HTMLDATE = True        # last resort: htmldate.find_date (slow; only when every rule failed)


class _Page:
    """Per-call state; the visible text is collected once, lazily."""

    __slots__ = ("tree", "url", "date_lines", "limit", "_text", "_meta", "_visible", "_comment", "_surveyed", "html")

    def __init__(self, tree, url, date_lines, surveyed: dict | None = None, html: str | None = None):
        self.tree = tree
        self.html = html            # the page's source, for what the parser dropped (comments)
        self._surveyed = surveyed or {}
        self.url = url
        self.date_lines = [x for x in (date_lines or []) if isinstance(x, str)]
        self.limit = datetime.now(CST) + timedelta(days=1)
        self._text = None
        self._meta = None
        self._visible = False
        self._comment = False      # the comment rule's answer, once asked (it is asked again for a time of day)

    def ok(self, dt: datetime | None) -> bool:
        return dt is not None and dt <= self.limit and dt.year >= MIN_YEAR

    @property
    def text(self) -> "Text":
        if self._text is None:
            self._text = Text(self.tree)
        return self._text

    @property
    def meta(self) -> list[tuple[str, str]]:
        if self._meta is None:
            self._meta = collect_meta(self.tree, self.elements("meta"))
        return self._meta

    def elements(self, tag: str):
        """The page's ``tag`` elements in document order: those of the caller's survey that
        are still in the tree, else a walk of the tree."""
        root = root_of(self.tree)
        found = self._surveyed.get(tag)
        return root.iter(tag) if found is None else still_in(found, root)


# ---- rule 1: meta tags, JSON-LD

def _meta_candidates(page: _Page, ranks: dict) -> list[tuple[int, datetime]]:
    out = []
    for key, content in page.meta:
        rank = ranks.get(key)
        if rank is not None:
            dt = parse_date(content)
            if page.ok(dt):
                out.append((rank, dt))
    out.sort(key=lambda t: t[0])
    return out


def _rule_meta(page: _Page):
    cands = _meta_candidates(page, _META_RANK)
    if cands and cands[0][0] < _GENERIC_META_FROM:
        return cands[0][1]
    ld = _jsonld_date(page)
    if ld is not None:
        return ld
    if cands:
        return cands[0][1]
    return None


_LD_DATE = re.compile(r'"(?:datePublished|dateCreated|uploadDate)"\s*:\s*"([^"]{6,40})"')


def _jsonld_date(page: _Page):
    for s in page.elements("script"):
        if (s.get("type") or "").strip().lower() != "application/ld+json" or not s.text:
            continue
        for m in _LD_DATE.finditer(s.text):
            dt = parse_date(m.group(1))
            if page.ok(dt):
                return dt
    return None


_CMS_COMMENT = re.compile(r"<date>\s*([^<]{8,30})</date>|"
                          r"(?:publishdate|pubdate|publishtime|pubtime)\s*[=:]\s*[\"']?([^,;\"'<>]{8,30})", re.I)


def _comment_date(page: _Page):
    """Publish dates CMSs leave in HTML comments: Founder ENP (people.cn, gmw.cn, provincial
    papers) ``<!--enpproperty <date>…</date>``, ``<!-- App=CMS … PublishDate=2022-09-29 … -->``.
    The pipeline's parser drops comments, so it hands over the page's source (``page.html``)
    and they are read from there; a tree parsed with its comments is read as it is.

    A rule of its own after the page's visible dates and its URL: such a comment is stamped
    when the CMS (re)publishes the page, which can be a day after the date the page shows."""
    if page._comment is False:
        page._comment = _first_comment_date(page)
    return page._comment


def _first_comment_date(page: _Page):
    html = page.html
    if html is not None:
        comments = source_comments(html)
    else:
        comments = ((None, c.text) for c in root_of(page.tree).iter(etree.Comment))
    for start, text in comments:
        if not text or len(text) > 5000:
            continue
        m = _CMS_COMMENT.search(text)
        if m and (m.group(2) or "enpproperty" in text) and (start is None or not _in_raw_text(html, start)):
            dt = parse_date(m.group(1) or m.group(2))
            if page.ok(dt):
                return dt
    return None


def source_comments(html: str):
    """``(offset, text)`` of each ``<!-- … -->`` in the page source ``html``, in order. Inside a
    script or a style that is their text, not a comment (old pages wrap their scripts in one):
    :func:`_in_raw_text` tells, for the few a rule is about to use.

    >>> list(source_comments("<p>a<!-- one --></p><!--two--><!-- open"))
    [(4, ' one '), (20, 'two')]
    """
    start = html.find("<!--")
    while start != -1:
        end = html.find("-->", start + 4)
        if end == -1:
            return
        yield start, html[start + 4:end]
        start = html.find("<!--", end + 3)


def _in_raw_text(html: str, pos: int) -> bool:
    """Is offset ``pos`` of the source ``html`` inside a <script> or <style> element?

    >>> page = "<script><!-- var pubdate = '2021-01-01'; //--></script><!-- PublishDate=2021-01-01 -->"
    >>> [_in_raw_text(page, start) for start, _text in source_comments(page)]
    [True, False]
    """
    before = html[:pos].lower()
    for tag in ("script", "style"):
        opened = before.rfind("<" + tag)
        if opened != -1 and "</" + tag not in before[opened:]:
            return True
    return False


# ---- rule 2: visible labelled lines, <time>, class/id time elements

def _visible_candidate(page: _Page):
    """Best visible candidate as (rank, datetime): 0 发布-label, 1 时间/日期-label,
    2 <time>, 3 class/id time element or 更新-label, 4 成文-label."""
    if page._visible is not False:
        return page._visible
    text = page.text
    joined, end, chunks = text.joined, text.end, text.chunks
    best = None
    for p, _e, dt, i in text.dates:
        if p >= end:
            break
        m = _LABEL.search(joined, max(0, p - 24), p)
        if m is None:
            continue
        rank = _LABEL_RANK[m.lastgroup]
        if (best is not None and rank >= best[0]) or not page.ok(dt):
            continue
        k = text.index(m.start())
        label_chunk, el, is_tail = chunks[k]
        if len(label_chunk) > LABEL_LINE and len("".join(label_chunk.split())) > LABEL_LINE:
            continue                   # a sentence in the body text, not an info line
        if (NOT_PUBLISH.search(label_chunk) or NOT_PUBLISH.search(chunks[i][0])
                or other_block(el, is_tail, False) or in_link(el, is_tail)):
            continue                   # a link's text ending in 公布 / 发布 is a headline, not a label
        best = (rank, dt)
        if rank == 0:
            break
    if best is None or best[0] > 1:
        dt = _under_headline(page)
        if dt is not None:
            best = (1, dt)
    if best is None or best[0] > 2:
        for t in page.elements("time"):
            dt = _time_element_date(t, page)
            if dt is not None and not other_block(t, False, False) and not in_link(t, False):
                best = (2, dt)
                break
    if best is None or best[0] > 3:
        for p, _e, dt, i in text.after_head():
            if p >= end:
                continue
            chunk, el, is_tail = chunks[i]
            if is_tail or len(chunk) > SHORT_TEXT or p - text.starts[i] > 12 or not page.ok(dt):
                continue
            if not _time_class(el) or NOT_PUBLISH.search(chunk) or text.other_block(i):
                continue
            if in_link(el, False):          # <a><span class="time">… in a list of other articles
                continue
            best = (3, dt)
            break
    page._visible = best
    return best


UNDER_HEADLINE_CHUNKS = 3   # a byline date sits in the first few text nodes after the <h1>


def _under_headline(page: _Page):
    """An unlabelled date on a short line right under the <h1> (标题 / 2019-09-05 11:10 某某网):
    the article's own date line, above any <time> or class="time" element of a list elsewhere."""
    text = page.text
    head = text.h1 if text.h1 is not None else (text.index(text.head) if text.head > 0 else None)
    if head is None:
        return None
    box = text.chunks[head][1].getparent()           # the headline's own box (even a class="aside" one)
    for p, _e, dt, i in text.dates:
        if i < head:
            continue
        if i - head > UNDER_HEADLINE_CHUNKS or p >= text.end:
            return None
        chunk, el, is_tail = text.chunks[i]
        if len(chunk) > SHORT_TEXT or not page.ok(dt) or NOT_PUBLISH.search(chunk) or in_link(el, is_tail):
            return None
        if text.other_block(i) and not (box is not None and within(el, box, depth=3)):
            return None
        return dt
    return None


def _rule_visible(page: _Page):
    best = _visible_candidate(page)
    return best[1] if best else None


def _time_element_date(t, page: _Page):
    """Visible text first (what editors wrote), then the datetime attribute."""
    text = text_of(t).strip()
    if text and len(text) <= SHORT_TEXT and not NOT_PUBLISH.search(text):
        dt = parse_date(text)
        if page.ok(dt):
            return dt
    attr = t.get("datetime")
    if attr:
        dt = parse_date(attr)
        if page.ok(dt):
            return dt
    return None


def _time_class(el) -> bool:
    node = el
    for _ in range(2):
        if node is None or not isinstance(node.tag, str):
            return False
        if _TIME_CLASS.search(node.tag):       # custom tags: <publishtime>, <pubdate>
            return True
        cls = node.get("class"), node.get("id")
        if cls != (None, None) and _TIME_CLASS.search(f"{cls[0] or ''} {cls[1] or ''}"):
            return True
        node = node.getparent()
    return False


# ---- rule 3: extractor's date lines

def _rule_date_lines(page: _Page):
    for line in page.date_lines:
        if not line or NOT_PUBLISH.search(line):
            continue
        dt = parse_date(line)
        if page.ok(dt):
            return dt
    return None


# ---- rule 4: URL

def _rule_url(page: _Page):
    dt = date_from_url(page.url)
    return dt if page.ok(dt) else None


# ---- rule 5: last-modified meta

def _rule_modified(page: _Page):
    cands = _meta_candidates(page, _META_MOD_RANK)
    return cands[0][1] if cands else None


# ---- rule 6: first plausible date in the visible text

def _body_dates(page: _Page, limit: int = 0):
    """Plausible unlabelled dates in the visible text, in document order."""
    text = page.text
    n = 0
    bad_chunk = -1
    for p, _e, dt, i in text.after_head():
        if p >= text.end:
            continue
        if i == bad_chunk or not page.ok(dt):
            continue
        chunk, el, is_tail = text.chunks[i]
        if NOT_PUBLISH.search(chunk) or text.other_block(i) or after_list_heading(text, i):
            bad_chunk = i
            continue
        yield dt
        n += 1
        if limit and n >= limit:
            return


def _rule_body(page: _Page):
    return next(_body_dates(page), None)


# ---- rule 7: htmldate

HTMLDATE_MAX_ELEMENTS = 30_000  # htmldate's scans are slow on huge trees; it is the last resort anyway


def _rule_htmldate(page: _Page):
    if not USE_HTMLDATE:
        return None
    root = page.tree.getroottree().getroot() if hasattr(page.tree, "getroottree") else page.tree
    if len(list(islice(root.iter(), HTMLDATE_MAX_ELEMENTS + 1))) > HTMLDATE_MAX_ELEMENTS:
        return None
    try:
        from htmldate import find_date
    except ImportError:  # pragma: no cover - htmldate comes with trafilatura
        return None
    try:
        found = find_date(page.tree, url=page.url, extensive_search=False, original_date=True,
                          outputformat="%Y-%m-%d")
    except Exception:
        return None
    dt = parse_date(found) if found else None
    if not page.ok(dt):
        return None
    # htmldate happily returns a date from a list of other articles; our text rules already
    # saw (and rejected) such dates, so a day that only occurs in rejected places is refused.
    text = page.text
    day = dt.date()
    same = [(p, i) for p, _e, d, i in text.dates if d.date() == day]
    if same and all(p >= text.end or text.other_block(i) or
                    NOT_PUBLISH.search(text.chunks[i][0]) for p, i in same):
        return None
    return dt


# Rules in order of trust: (name, function(page) -> datetime | None).
RULES: list[tuple[str, Callable[[_Page], datetime | None]]] = [
    ("meta", _rule_meta),
    ("visible", _rule_visible),
    ("date_lines", _rule_date_lines),
    ("url", _rule_url),
    ("comment", _comment_date),
    ("modified", _rule_modified),
    ("body", _rule_body),
    ("htmldate", _rule_htmldate),
]


def _day_only(dt: datetime) -> bool:
    return dt.hour == 0 and dt.minute == 0 and dt.second == 0


def _with_time(page: _Page, dt: datetime, rule: str) -> datetime:
    """A day-only result borrows the time of day from another source on the same day."""
    day = dt.astimezone(CST).date()
    sources: list[Callable[[], Iterable[datetime]]] = [
        lambda: (d for _r, d in _meta_candidates(page, _META_RANK)),
        lambda: [v[1]] if (v := _visible_candidate(page)) else [],
        lambda: (parse_date(x) for x in page.date_lines),
        lambda: [c] if (c := _comment_date(page)) else [],
    ]
    if rule in ("url", "modified", "meta"):
        sources.append(lambda: _body_dates(page, 3))
    for source in sources:
        for cand in source():
            if cand is not None and cand.astimezone(CST).date() == day and not _day_only(cand):
                return cand
    return dt


def _to_iso(dt: datetime) -> str:
    return dt.astimezone(CST).isoformat(timespec="seconds")


def find_publish_date_with_rule(tree, url: str | None, date_lines: Iterable[str] | None = None,
                                rules=None, surveyed: dict | None = None,
                                html: str | None = None) -> tuple[str | None, str | None]:
    """Like find_publish_date, and also names the rule that decided (for tests and benchmarks).
    ``surveyed``: tag → the page's elements of that tag, in document order, listed before the
    tree was pruned (cleaners.survey), so that the rules do not walk the tree for them.
    ``html``: the page's decoded source, when the tree was parsed without its comments."""
    page = _Page(tree, url, list(date_lines or []), surveyed, html)
    for name, rule in (RULES if rules is None else rules):
        try:
            dt = rule(page)
        except Exception:  # a malformed page must never break cleaning
            dt = None
        if dt is not None:
            if _day_only(dt):
                try:
                    dt = _with_time(page, dt, name)
                except Exception:
                    pass
            return _to_iso(dt), name
    return None, None


def find_publish_date(tree, url: str | None, date_lines: list[str]) -> str | None:
    """Publication date of a page as ISO 8601 in China time: '2023-02-21T14:13:00+08:00'.

    ``tree`` is the whole page (lxml.html), ``url`` its URL, ``date_lines`` short lines the
    main-text extractor found around the headline. Only a day known → 'T00:00:00+08:00'.
    Dates given with another offset are converted to +08:00. None when nothing plausible.
    """
    return find_publish_date_with_rule(tree, url, date_lines)[0]
