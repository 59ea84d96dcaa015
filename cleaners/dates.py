"""Publication dates: parse date strings, read them from URLs, pick the publish date of a page.

Only general rules live here (no per-site code). ``find_publish_date`` tries the rules in
``RULES`` in order of trust and returns the first date a rule finds:

1. ``meta``        gov / OpenGraph / schema.org publish-date meta tags (``META_PUBLISH``),
                   JSON-LD ``datePublished``, CMS comments (``<!--enpproperty <date>``,
                   ``PublishDate=`` — only if the parser kept comments);
2. ``visible``     labelled lines (发布时间 / 发布日期 / 日期 / 时间 …; 发布 beats 成文),
                   ``<time>`` elements, short elements whose class/id/tag says time/date;
3. ``date_lines``  lines the main-text extractor found around the headline;
4. ``url``         dates in the URL (TRS ``t20230221_…``, ``/2024/10/14/``, ``/2022/08-11/`` …);
5. ``modified``    last-modified meta tags (better than a random body date);
6. ``body``        the first plausible date in the visible text, from the headline on;
7. ``htmldate``    htmldate's ``find_date`` (slow; only when every rule above failed, and
                   refused when its day only occurs in places the text rules rejected).

Candidates are rejected when before ``MIN_YEAR`` or after today + 1 day. Visible text is
skipped when it is a copyright/ICP line or a "today is" banner, sits in a block of other
articles (related / hot / ranking / footer / comments), or comes after a comment heading
(相关评论, 网友评论 …). Unlabelled dates are also skipped in link text, in list items with
links, in sidebar/nav blocks, and prefer the part of the page from the <h1> (or the <title>
text) on, so header banners lose. Dates inside ``<script>`` are only read from JSON-LD.

When the deciding rule knows only the day, a time of day on that same day is borrowed from
the other sources (meta, visible text, date lines) if one exists. The result is converted
to China time (+08:00).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from datetime import date, datetime, timedelta, timezone
from typing import Callable, Iterable
from urllib.parse import unquote

CST = timezone(timedelta(hours=8))
MIN_YEAR = 1990

__all__ = ["parse_date", "date_from_url", "find_publish_date", "find_publish_date_with_rule",
           "RULES", "CST", "MIN_YEAR"]

# --------------------------------------------------------------------------- parsing

# Length-preserving fold of full-width ASCII (２０２３－０２－２１, １０：０８) and look-alikes.
_FOLD = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FOLD.update({0x2236: ":", 0xFE55: ":", 0x2010: "-", 0x2011: "-", 0x2012: "-", 0x2013: "-",
              0x2014: "-", 0x2212: "-", 0x2215: "/", 0x30FB: "."})
_FOLD = {k: (chr(v) if isinstance(v, int) else v) for k, v in _FOLD.items()}
_NEEDS_FOLD = re.compile(r"[\uff01-\uff5e\u2236\ufe55\u2010-\u2014\u2212\u2215\u30fb]")


def _fold(s: str) -> str:
    return s.translate(_FOLD) if _NEEDS_FOLD.search(s) else s


_TIME = (
    r"(?:\s*(?:星期[一二三四五六日天]|周[一二三四五六日天]|礼拜[一二三四五六日天]|\([^()\d]{1,4}\))?"
    r"\s*(?:T|\s)?\s*"
    r"(?P<H>[01]?\d|2[0-3])(?:\s?:\s?(?P<M>[0-5]\d)(?:\s?:\s?(?P<S>[0-5]\d|60)(?:[.,]\d{1,9})?)?"
    r"|\s?[时時点點]\s?(?:(?P<M2>[0-5]?\d)\s?分(?:\s?(?P<S2>[0-5]?\d)\s?秒)?)?)"
    r"(?:\s?(?P<tz>Z(?![A-Za-z])|[+-](?:0\d|1[0-4]):?[0-5]\d(?!\d)))?"
    r")?"
)
_Y = r"(?<![\d.])(?P<y>(?:19|20)\d{2})"
_DATE_PATTERNS = [
    # 2023-02-21, 2023/2/21, 2023.02.21, 2023 / 03 / 12 (+ time, ISO T / Z / offset)
    re.compile(_Y + r"\s?(?P<sep>[-/.])\s?(?P<m>\d{1,2})\s?(?P=sep)\s?(?P<d>\d{1,2})(?!\d|\.\d)" + _TIME),
    # 2023年2月21日, 2023年02月21日 08:40, 2020年05月22日08:40, 2023年2月21日 星期二
    re.compile(_Y + r"\s?年\s?(?P<m>\d{1,2})\s?月\s?(?P<d>\d{1,2})\s?[日号號]" + _TIME),
]
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_CN_DIGIT.update({"零": 0, "○": 0, "Ｏ": 0, "O": 0, "o": 0, "0": 0})
_CN_DATE = re.compile(
    r"(?P<y>[〇零○ＯOo0一二三四五六七八九]{4})\s?年\s?(?P<m>[一二三四五六七八九十]{1,2})\s?月"
    r"\s?(?P<d>[一二三四五六七八九十]{1,3})\s?[日号]")
_CN_YEAR_HINT = re.compile(r"[〇零○Ｏ一二三四五六七八九]年")
_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_MON = r"(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_EN_PATTERNS = [
    re.compile(r"(?<![\w])(?P<d>\d{1,2})\s+" + _MON + r",?\s+(?P<y>(?:19|20)\d{2})(?!\d)" + _TIME, re.I),
    re.compile(r"(?<![\w])" + _MON + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{2})(?!\d)"
               + _TIME, re.I),
]
# 7/5/2005 9:23:57 PM: what ASP / .NET print under the en-US locale (Now(), DateTime). Month
# first, unless the first number cannot be a month (25/12/2005). The 12-hour clock is read.
_US_DATE = re.compile(
    r"(?<![\d/.-])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>(?:19|20)\d{2})(?![\d/])"
    r"(?:\s+(?P<H>[01]?\d|2[0-3]):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d))?"
    r"(?:\s*(?P<ap>[AaPp])\.?[Mm]\.?(?![A-Za-z]))?)?")
# 20230221, 202302211413(00), 20230221 14:13: only when that is the whole fragment.
_COMPACT = re.compile(r"\s*(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)"
                      r"(?:(?P<H>[01]\d|2[0-3])(?P<M>[0-5]\d)(?P<S>[0-5]\d)?)?(?P<rest>(?:[\sT].*)?)$")
# where a date can start in page text: a 4-digit year, full-width digits, a Chinese-numeral year
_YEAR_HIT = re.compile(r"(?:19|20)\d\d|[\uff11\uff12][\uff10-\uff19]{3}|[〇零○]")


def _cn_int(s: str) -> int:
    """一 … 九, 十, 十二, 二十, 二十一, 三十一 → int (-1 when malformed)."""
    if "十" not in s:
        return _CN_DIGIT.get(s, -1) if len(s) == 1 else -1
    tens, _, ones = s.partition("十")
    t = _CN_DIGIT.get(tens, -1) if tens else 1
    o = _CN_DIGIT.get(ones, -1) if ones else 0
    return -1 if t < 0 or o < 0 else t * 10 + o


def _build(y: int, m: int, d: int, H=None, M=None, S=None, tz: str | None = None) -> datetime | None:
    if not (MIN_YEAR <= y <= date.today().year + 1):
        return None
    try:
        tzinfo = CST
        if tz:
            if tz.upper() == "Z":
                tzinfo = timezone.utc
            else:
                sign = -1 if tz[0] == "-" else 1
                digits = tz[1:].replace(":", "")
                tzinfo = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))
        return datetime(y, m, d, int(H) if H else 0, int(M) if M else 0, min(int(S) if S else 0, 59),
                        tzinfo=tzinfo)
    except (ValueError, TypeError):
        return None


def _from_match(m: re.Match) -> datetime | None:
    g = m.groupdict()
    month = _MONTHS[g["mon"][:3].lower()] if g.get("mon") else int(g["m"])
    return _build(int(g["y"]), month, int(g["d"]), g.get("H"), g.get("M") or g.get("M2"),
                  g.get("S") or g.get("S2"), g.get("tz"))


def _from_us(m: re.Match) -> datetime | None:
    a, b = int(m["a"]), int(m["b"])
    month, day = (b, a) if a > 12 >= b else (a, b)
    hour, minute, second = m["H"], m["M"], m["S"]
    if hour is not None and m["ap"]:
        h = int(hour)
        if 1 <= h <= 12:
            hour = h % 12 + (12 if m["ap"] in "Pp" else 0)
        else:                                   # "13:00 PM": keep the day, drop the clock
            hour = minute = second = None
    return _build(int(m["y"]), month, day, hour, minute, second)


def _us_date_at(j: str, p: int) -> re.Match | None:
    """The month-first date whose year starts at ``p`` (the text before it ends in '/')."""
    for s in range(max(0, p - 6), p - 3):
        mm = _US_DATE.match(j, s)
        if mm and mm.start("y") == p:
            return mm
    return None


def _find_dates(s: str) -> list[tuple[int, int, datetime]]:
    """All valid dates in ``s`` (already folded) as (start, end, datetime), in text order."""
    found: list[tuple[int, int, datetime]] = []
    for pat in _DATE_PATTERNS:
        for m in pat.finditer(s):
            dt = _from_match(m)
            if dt is not None:
                found.append((m.start(), m.end(), dt))
    if "年" in s and _CN_YEAR_HINT.search(s):
        for m in _CN_DATE.finditer(s):
            y = "".join(str(_CN_DIGIT.get(c, "x")) for c in m["y"])
            mo, d = _cn_int(m["m"]), _cn_int(m["d"])
            if y.isdigit() and mo > 0 and d > 0:
                dt = _build(int(y), mo, d)
                if dt is not None:
                    found.append((m.start(), m.end(), dt))
    if not found and "/" in s:
        for m in _US_DATE.finditer(s):
            dt = _from_us(m)
            if dt is not None:
                found.append((m.start(), m.end(), dt))
    if not found:
        for pat in _EN_PATTERNS:
            for m in pat.finditer(s):
                dt = _from_match(m)
                if dt is not None:
                    found.append((m.start(), m.end(), dt))
    found.sort(key=lambda t: t[0])
    return found


def _compact(s: str) -> datetime | None:
    """20230221 / 202302211413(00) / 20230221 14:13 when that is the whole fragment."""
    m = _COMPACT.match(s)
    if not m:
        return None
    rest = m["rest"].strip()
    if rest:
        if m["H"]:
            return None
        full = _DATE_PATTERNS[0].fullmatch(f"{m['y']}-{m['m']}-{m['d']} {rest}")
        return _from_match(full) if full else None
    return _build(int(m["y"]), int(m["m"]), int(m["d"]), m["H"], m["M"], m["S"])


def parse_date(s: str) -> datetime | None:
    """First date (with its time when given) in a string fragment, timezone-aware.

    Times without an offset are China time (+08:00); an explicit ``Z`` or offset is kept.
    Two-digit years, year-month only, and years outside MIN_YEAR..next year give None.
    """
    if not s:
        return None
    s = _fold(s)
    dt = _compact(s)
    if dt is not None:
        return dt
    found = _find_dates(s)
    return found[0][2] if found else None


# --------------------------------------------------------------------------- URLs

_URL_PATTERNS = [
    re.compile(r"/t(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})_\d+"),                  # TRS t20230221_1
    re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?=[/_.-]|$)"),      # /2024/10/14/
    re.compile(r"/(?P<y>(?:19|20)\d{2})-(?P<m>\d{1,2})/(?P<d>\d{1,2})(?=[/_.-]|$)"),      # /2005-08/16/
    re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>\d{1,2})-(?P<d>\d{1,2})(?=[/_.-]|$)"),      # /2022/08-11/
    re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>\d{2})/(?P<d>\d{2})(?=[/_.-]|$)"),           # /202311/17/
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"),     # content_2023-02-21
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})_(?P<m>\d{1,2})_(?P<d>\d{1,2})(?!\d)"),     # 2023_02_21
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)"),        # /20220206-, /20200121/
    # a date glued to a short sequence number at the start of a path segment: /202303190029-1
    re.compile(r"/[a-z]{0,2}(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)\d{2,6}(?=[-_./]|$)"),
]
_URL_QUERY = re.compile(r"[?&;](?:date|pubdate|publishdate|pubtime|publish_date|day|dt)=([^&#;]+)", re.I)
_URL_HOST = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*")


def date_from_url(url: str | None) -> datetime | None:
    """Publication day encoded in a URL (midnight, +08:00), or None."""
    if not url:
        return None
    # an archived copy (https://web.archive.org/web/2012…/http://site/…): use the inner URL
    inner = max(url.rfind("http://", 1), url.rfind("https://", 1))
    if inner > 0:
        url = url[inner:]
    url = unquote(url)
    m = _URL_HOST.match(url)                # host names are not dates
    rest = url[m.end():] if m else url
    path, _, query = rest.partition("?")
    path = path.split("#", 1)[0]
    limit = datetime.now(CST) + timedelta(days=1)
    for pat in _URL_PATTERNS:
        for mm in pat.finditer(path):
            dt = _build(int(mm["y"]), int(mm["m"]), int(mm["d"]))
            if dt is not None and dt <= limit:
                return dt
    if query:
        for mm in _URL_QUERY.finditer("?" + query):
            dt = parse_date(mm.group(1))
            if dt is not None and dt <= limit:
                return dt
    return None


# --------------------------------------------------------------------------- page rules

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

# elements whose text is never shown as page text
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "textarea", "select", "option",
                        "head", "title", "iframe", "object", "svg", "button"})
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
_NOT_PUBLISH = re.compile(r"©|\(c\)|copyright|版权|版權|icp|备案|備案|今天是|今日是|当前日期|當前日期|"
                          r"当前时间|當前時間|现在时间|現在時間|现在是|現在是", re.I)
# blocks of other articles / page furniture (checked on class and id of ancestors)
_OTHER_BLOCK = re.compile(r"relat|(?:^|[-_\s])hot|rank|recommend|tuijian|xgwz|xgxw|xgyd|xgtj|xglj|"
                          r"footer|copyright|comment|reply|pinglun|liuyan", re.I)
_OTHER_BLOCK_STRICT = re.compile(r"sidebar|aside|(?:^|[-_\s])(?:side|links?|more|nav|menu)(?:$|[-_\s\d])", re.I)
_TIME_CLASS = re.compile(r"time|date|publish|pubtime|fbsj|fbrq|riqi|shijian|rq|sj", re.I)
# a heading over a list of other articles: 相关阅读, 热门文章, 推荐阅读, 最新发布, 猜你喜欢 …
_LIST_HEADING = re.compile(r"^\W*(?:相关|相關|热门|熱門|热点|熱點|推荐|推薦|排行|延伸|最新|更多|猜你|往期|其他|其它)"
                           r"[\u4e00-\u9fff]{0,6}\W*$")
_COMMENT_HEADING = re.compile(
    r"^\W*(?:(?:相关|相關|网友|網友|读者|讀者|最新|热门|熱門|精彩|全部|用户|用戶)?(?:评论|評論|留言|跟帖|回复|回覆)"
    r"(?:列表|区|區|\(\d+\)|（\d+）)?|(?:发表|發表|我要|我来|我來)(?:评论|評論|留言)|我来说两句|我來說兩句)\W*$")

MAX_NODES = 8000           # elements visited per page for the visible-text rules
LABEL_LINE = 150           # longest text chunk (without spaces) read as a 发布时间 info line
SHORT_TEXT = 80            # "short" text for <time> and class/id time elements
USE_HTMLDATE = True        # last resort: htmldate.find_date (slow; only when every rule failed)


class _Page:
    """Per-call state; the visible text is collected once, lazily."""

    __slots__ = ("tree", "url", "date_lines", "limit", "_text", "_meta", "_visible")

    def __init__(self, tree, url, date_lines):
        self.tree = tree
        self.url = url
        self.date_lines = [x for x in (date_lines or []) if isinstance(x, str)]
        self.limit = datetime.now(CST) + timedelta(days=1)
        self._text = None
        self._meta = None
        self._visible = False

    def ok(self, dt: datetime | None) -> bool:
        return dt is not None and dt <= self.limit and dt.year >= MIN_YEAR

    @property
    def text(self) -> "_Text":
        if self._text is None:
            self._text = _Text(self.tree)
        return self._text

    @property
    def meta(self) -> list[tuple[str, str]]:
        if self._meta is None:
            self._meta = _collect_meta(self.tree)
        return self._meta


def _root(tree):
    try:
        return tree.getroottree().getroot()
    except AttributeError:
        return tree


class _Text:
    """The page's visible text chunks in document order, joined with newlines.

    ``chunks[i] = (text, element, is_tail)``; ``joined`` lets one regex run over the whole
    page and ``index(pos)`` maps a position back to its chunk. ``dates`` lists every date in
    the visible text as (start, end, datetime, chunk index); ``end`` is where a comment
    section starts (dates after it are readers' posts).
    """

    __slots__ = ("chunks", "joined", "starts", "dates", "end", "head", "h1")

    def __init__(self, tree):
        root = _root(tree)
        body = root.find("body") if root.tag == "html" else None
        self.chunks, h1 = _collect_chunks(body if body is not None else root)
        # chunks are joined with a newline, except text split only by a comment
        # (React/SSR markup: 2019<!-- -->/<!-- -->09) which the browser shows as one run
        pieces, starts, pos, prev_parent = [], [], 0, None
        for text, el, is_tail in self.chunks:
            parent = el.getparent() if is_tail else el
            glue = is_tail and not isinstance(el.tag, str) and parent is prev_parent and pieces
            if pieces and not glue:
                pieces.append("\n")
                pos += 1
            starts.append(pos)
            pieces.append(text)
            pos += len(text)
            prev_parent = parent
        self.joined = "".join(pieces)
        self.starts = starts
        self.dates = _scan_dates(self.joined)
        for k, (p, e, dt, _i) in enumerate(self.dates):
            self.dates[k] = (p, e, dt, self.index(p))
        self.end = self._comment_start()
        self.h1 = h1 if h1 is not None and h1 < len(self.starts) else None
        self.head = self.starts[h1] if self.h1 is not None else self._title_pos(root)

    def index(self, pos: int) -> int:
        return bisect_right(self.starts, pos) - 1

    def _comment_start(self) -> int:
        """Offset of the first comment-section heading that follows a date outside link lists
        (so a sidebar "最新评论" widget before the article does not end it)."""
        j = self.joined
        first = next((p for p, _e, _dt, i in self.dates if not _other_block(*self.chunks[i][1:], True)), None)
        if first is None:
            return len(j)
        cut = len(j)
        for kw in ("评论", "評論", "留言", "跟帖", "回复", "回覆", "说两句", "說兩句"):
            p = j.find(kw, first, cut)
            while p >= 0:
                i = self.index(p)
                text, el, is_tail = self.chunks[i]
                if len(text) <= 16 and _COMMENT_HEADING.match(text.strip()) and not _in_link(el, is_tail):
                    cut = self.starts[i]
                    break
                p = j.find(kw, p + 1, cut)
        return cut

    def _title_pos(self, root) -> int:
        """Where the headline starts when there is no <h1>: the first occurrence of the
        <title>'s longest part outside a link; 0 when not found."""
        title = root.findtext("head/title") if root.tag == "html" else None
        if not title:
            return 0
        part = max(re.split(r"\s*[_|｜\-–—]+\s*", title.strip()), key=len)
        if len(part) < 6:
            return 0
        key = part[:12]
        p = self.joined.find(key)
        while p >= 0:
            _t, el, is_tail = self.chunks[self.index(p)]
            if not _in_link(el, is_tail):
                return self.starts[self.index(p)]
            p = self.joined.find(key, p + 1)
        return 0

    def after_head(self):
        """Dates from the headline on first, then those before it (page-header banners)."""
        head = self.head
        return [d for d in self.dates if d[0] >= head] + [d for d in self.dates if d[0] < head]


def _scan_dates(j: str) -> list:
    """Every date in ``j`` as (start, end, datetime, 0), in order. One fast scan for year-like
    digits, then the full patterns only at those places."""
    out = []
    last_end = -1
    for m in _YEAR_HIT.finditer(j):
        p = m.start()
        if p < last_end:
            continue
        c = j[p]
        if c == "1" or c == "2":
            for pat in _DATE_PATTERNS:
                mm = pat.match(j, p)
                if mm:
                    dt = _from_match(mm)
                    if dt is not None:
                        out.append((p, mm.end(), dt, 0))
                        last_end = mm.end()
                    break
            else:
                if p > 3 and j[p - 1] == "/":
                    mm = _us_date_at(j, p)
                    dt = _from_us(mm) if mm else None
                    if dt is not None:
                        out.append((mm.start(), mm.end(), dt, 0))
                        last_end = mm.end()
        elif c in "\uff11\uff12":                  # full-width digits
            w = _fold(j[p:p + 48])
            for pat in _DATE_PATTERNS:
                mm = pat.match(w)
                if mm:
                    dt = _from_match(mm)
                    if dt is not None:
                        out.append((p, p + mm.end(), dt, 0))
                        last_end = p + mm.end()
                    break
        else:                                        # 〇 inside a Chinese-numeral year
            ws = max(0, p - 3)
            w = j[ws:p + 16]
            mm = _CN_DATE.search(w)
            if mm and ws + mm.start() <= p:
                for s, e, dt in _find_dates(w[mm.start():]):
                    out.append((ws + mm.start(), ws + mm.start() + e, dt, 0))
                    last_end = ws + mm.start() + e
                    break
    return out


def _in_link(el, is_tail: bool) -> bool:
    node = el.getparent() if is_tail else el
    for _ in range(3):
        if node is None or not isinstance(node.tag, str):
            return False
        if node.tag in ("a", "button"):
            return True
        node = node.getparent()
    return False


def _last_descendant(el):
    while len(el):
        el = el[-1]
    return el


def _collect_chunks(start) -> list:
    """(text, element, is_tail) for every non-blank visible text node under ``start``, in order.

    One C-level ``iter()``; a tail is emitted after the last descendant of its element.
    """
    out = []
    append = out.append
    pending = []            # (tail, owner, key): emit after ``key`` (last descendant) is done
    skip_last = None        # inside a skipped subtree until this element
    h1 = None               # index of the first chunk of the first real <h1>
    n = 0
    for el in start.iter():
        n += 1
        if n > MAX_NODES:
            break
        if skip_last is not None:
            if el is skip_last:
                skip_last = None
                while pending and pending[-1][2] is el:
                    t, o, _ = pending.pop()
                    append((t, o, True))
            continue
        tag = el.tag
        has_children = len(el) > 0
        if isinstance(tag, str):
            if tag in _SKIP_TAGS:
                if has_children:
                    last = _last_descendant(el)
                    if el is not start and el.tail and not el.tail.isspace():
                        pending.append((el.tail, el, last))
                    skip_last = last
                    continue
            else:
                if tag == "h1" and h1 is None and len(el.text_content().strip()) >= 4:
                    h1 = len(out)
                text = el.text
                if text and not text.isspace():
                    append((text, el, False))
        if el is start:
            continue
        tail = el.tail
        if has_children:
            if tail and not tail.isspace():
                pending.append((tail, el, _last_descendant(el)))
        else:
            if tail and not tail.isspace():
                append((tail, el, True))
            while pending and pending[-1][2] is el:
                t, o, _ = pending.pop()
                append((t, o, True))
    return out, h1


def _collect_meta(tree) -> list[tuple[str, str]]:
    out = []
    for m in _root(tree).iter("meta"):
        content = m.get("content")
        if not content or not content.strip():
            continue
        for attr in ("name", "property", "itemprop", "http-equiv"):
            v = m.get(attr)
            if v:
                for key in v.split():
                    out.append((key.lower(), content))
    return out


def _other_block(el, is_tail: bool, strict: bool) -> bool:
    """Is this text in a block of other articles / page furniture?

    Always: an ancestor whose class/id says related/hot/ranking/footer/comment.
    strict (unlabelled dates): also link text, an item of a list of links (a short block with
    a link that repeats among its siblings), sidebar/nav/links blocks.
    """
    node = el.getparent() if is_tail else el
    depth = 0
    while node is not None and depth < 14:
        tag = node.tag
        if not isinstance(tag, str) or tag in ("body", "html"):
            break
        if strict:
            if tag == "a":
                return True
            if depth < 4 and _list_item(node):
                return True
        attrs = node.get("class"), node.get("id")
        if attrs != (None, None):
            cls = f"{attrs[0] or ''} {attrs[1] or ''}"
            if _OTHER_BLOCK.search(cls) or (strict and _OTHER_BLOCK_STRICT.search(cls)):
                return True
        node = node.getparent()
        depth += 1
    return False


def _list_item(node) -> bool:
    """One entry in a list of other articles: a list item with a link, or a short block with a
    link whose sibling of the same tag and class also holds a link and a date."""
    tag = node.tag
    if tag not in ("li", "dd", "dt", "tr", "div", "td", "section", "article", "table"):
        return False
    if node.find(".//a") is None or len(node.text_content()) > 300:
        return False
    if tag in ("li", "dd", "dt"):
        return True
    cls = node.get("class")
    for preceding in (False, True):
        for sib in node.itersiblings(tag, preceding=preceding):
            if sib.get("class") == cls:
                if sib.find(".//a") is not None:
                    t = sib.text_content()
                    if len(t) <= 300 and any(p.search(t) for p in _DATE_PATTERNS):
                        return True
                break
    return False


def _after_list_heading(text: _Text, i: int) -> bool:
    """The chunk follows a short '相关阅读 / 热门文章 / 推荐' heading within 3 chunks."""
    for j in range(max(0, i - 3), i):
        t, el, is_tail = text.chunks[j]
        if len(t) <= 16 and _LIST_HEADING.match(t) and not _in_link(el, is_tail):
            return True
    return False


# ---- rule 1: meta tags, JSON-LD, ENP comment

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
    return _comment_date(page)


_LD_DATE = re.compile(r'"(?:datePublished|dateCreated|uploadDate)"\s*:\s*"([^"]{6,40})"')


def _jsonld_date(page: _Page):
    for s in _root(page.tree).iter("script"):
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
    papers) ``<!--enpproperty <date>…</date>``, ``<!-- App=CMS … PublishDate=2022-09-29 … -->``."""
    from lxml import etree
    for c in _root(page.tree).iter(etree.Comment):
        text = c.text
        if not text or len(text) > 5000:
            continue
        m = _CMS_COMMENT.search(text)
        if m and (m.group(2) or "enpproperty" in text):
            dt = parse_date(m.group(1) or m.group(2))
            if page.ok(dt):
                return dt
    return None


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
        if (_NOT_PUBLISH.search(label_chunk) or _NOT_PUBLISH.search(chunks[i][0])
                or _other_block(el, is_tail, False) or _in_link(el, is_tail)):
            continue                   # a link's text ending in 公布 / 发布 is a headline, not a label
        best = (rank, dt)
        if rank == 0:
            break
    if best is None or best[0] > 1:
        dt = _under_headline(page)
        if dt is not None:
            best = (1, dt)
    if best is None or best[0] > 2:
        for t in _root(page.tree).iter("time"):
            dt = _time_element_date(t, page)
            if dt is not None and not _other_block(t, False, False) and not _in_link(t, False):
                best = (2, dt)
                break
    if best is None or best[0] > 3:
        for p, _e, dt, i in text.after_head():
            if p >= end:
                continue
            chunk, el, is_tail = chunks[i]
            if is_tail or len(chunk) > SHORT_TEXT or p - text.starts[i] > 12 or not page.ok(dt):
                continue
            if not _time_class(el) or _NOT_PUBLISH.search(chunk) or _other_block(el, False, True):
                continue
            if _in_link(el, False):          # <a><span class="time">… in a list of other articles
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
        if len(chunk) > SHORT_TEXT or not page.ok(dt) or _NOT_PUBLISH.search(chunk) or _in_link(el, is_tail):
            return None
        if _other_block(el, is_tail, True) and not (box is not None and _under(el, box)):
            return None
        return dt
    return None


def _under(el, box) -> bool:
    for _ in range(4):
        if el is None:
            return False
        if el is box:
            return True
        el = el.getparent()
    return False


def _rule_visible(page: _Page):
    best = _visible_candidate(page)
    return best[1] if best else None


def _time_element_date(t, page: _Page):
    """Visible text first (what editors wrote), then the datetime attribute."""
    text = t.text_content().strip()
    if text and len(text) <= SHORT_TEXT and not _NOT_PUBLISH.search(text):
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
        if not line or _NOT_PUBLISH.search(line):
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
        if _NOT_PUBLISH.search(chunk) or _other_block(el, is_tail, True) or _after_list_heading(text, i):
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
    if sum(1 for _ in zip(root.iter(), range(HTMLDATE_MAX_ELEMENTS + 1))) > HTMLDATE_MAX_ELEMENTS:
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
    if same and all(p >= text.end or _other_block(*text.chunks[i][1:], True) or
                    _NOT_PUBLISH.search(text.chunks[i][0]) for p, i in same):
        return None
    return dt


# Rules in order of trust: (name, function(page) -> datetime | None).
RULES: list[tuple[str, Callable[[_Page], datetime | None]]] = [
    ("meta", _rule_meta),
    ("visible", _rule_visible),
    ("date_lines", _rule_date_lines),
    ("url", _rule_url),
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
                                rules=None) -> tuple[str | None, str | None]:
    """Like find_publish_date, and also names the rule that decided (for tests and benchmarks)."""
    page = _Page(tree, url, list(date_lines or []))
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
