"""The headline of a page, and whether the page confirms it.

Title strings (the gov ``ArticleTitle`` meta, ``og:title`` / ``twitter:title``, every
``<title>``) often carry more than the headline: a site or column name (``标题_栏目_站点``,
``站点 - 标题``), a portal's slogan instead of a headline, markup (``力量<div>——祝贺</div>``),
or a CMS's truncation (``关于开展…``). Headings on the page (h1–h4, an element whose class
or id says *title*) show the headline but also widgets (``雄安新区[编辑]``, ``标题播报文章``)
and other stories' titles. So the headline is the heading that a title string confirms:

1. ``ArticleTitle`` when it is whole and not a site name (a gov CMS writes exactly the
   headline there);
2. the best heading/title-string pair: equal; the title string is the heading plus a
   site or column part; the heading is a part of the title string plus a widget;
   or the two differ only in punctuation (``——`` written as ``-``);
3. else the headline part of a title string, site and column parts split off.

:func:`find_title` returns a :class:`Title` saying whether a heading confirmed it: the
extractor replaces an unconfirmed weak title (a site name, ``显示``, ``1``) by the heading
right above the text it chose (:mod:`cleaners.anchor`).
"""
from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from difflib import SequenceMatcher

from cleaners.survey import survey
from cleaners.spaces import squash, unspaced
from cleaners.tree import text_of

_TAG = re.compile(r"<[^<>]{1,300}>")
_CJK = re.compile(r"[\u3400-\u9fff]")
_WORDISH = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")
# Separators between a headline and a site/column name in a title string, strongest first:
# spaced ones (标题_栏目 @ 博客名 :: 站点) are used alone when present, so that an underscore
# inside a headline (新竹尖石_美树营地) survives them.
_SPACED_SEP = re.compile(r"\s*::\s*|\s+(?:[|｜_@·]|--+|[-–—]|»|›|>>?|＞|<<?|＜)\s+")
_TIGHT_SEP = re.compile(r"\s*(?:[|｜_]|--+|»|›|>>?|＞|<<?|＜)\s*")
_SEP = re.compile(_SPACED_SEP.pattern + "|" + _TIGHT_SEP.pattern + r"|\s[-–]|[-–]\s")
# A bare hyphen before a site name at the end: 标题-中国科普网, -铜雀历史网.
_SITE_TAIL = re.compile(r"\s*[-–—]\s*(?P<site>[^-–—|_]{2,16})$")
_SITE_WORDS = re.compile(
    r"(?:网|网站|官网|门户|首页|主页|频道|在线|日报|晚报|时报|早报|报社|新闻|资讯|百科|博客|论坛|社区|之家|"
    r"人民政府|政府|电视台|客户端|公众号|科学技术局|科技局|科技厅|blog|online|news|\.com|\.cn|\.net|\.org)$", re.I)
# Column names: 新闻动态, 通知公告, 政策解读 (short; a headline ending in 通知 is longer).
_COLUMN_WORDS = re.compile(r"(?:动态|要闻|新闻|公告|通知|资讯|快讯|专题|栏目|频道|中心|信息|政策|文件|法规|解读|聚焦|视点|"
                           r"综合|时政|社会|财经|科技|娱乐|体育|教育|健康|文化|评论|观点)$")
_DOMAIN = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)+$|www\.", re.I)
# Titles that name nothing: CMS defaults and placeholders.
_GENERIC = re.compile(
    r"^(?:显示|无标题(?:文档|页)?|untitled(?: document)?|document|null|none|index|home|首页|主页|正文|内容|"
    r"详细?(?:信息|内容|页)?|详情页?|文章|新闻|文章(?:详情|内容|正文)|新闻(?:详情|内容|正文)|内容页|信息详情|"
    r"查看|浏览|网页标题|标题|页面|\d{1,4}|(?:欢迎|谢谢|感谢)您?(?:光临|访问|来到|浏览|使用).{0,20})$", re.I)
# Headings that are widgets or counters, never a headline.
_WIDGET = re.compile(
    r"^(?:已有\s*\d+\s*(?:件|条|个)?评论|\d+\s*条评论|评论\s*\(\d+\)|欢迎(?:加入|订阅|访问|光临)|请(?:输入|填写|登录)|"
    r"导航|全部导航|网站导航|搜索|热门|热点|最新|推荐|相关|排行|友情链接|栏目|分类|标签|归档|统计|Blog统计|"
    r"日历|公告|联系我们|关于我们|版权|登录|注册|用户登录|会员登录|订阅|分享|打印|关闭|"
    r"首页\s*[-–>»›/|]|当前位置|您(?:现在)?的位置|所在位置)", re.I)
# An info line glued onto a heading: 标题发布时间：2023-01-01 来源：某某 字号：大 中 小
_INFO_TAIL = re.compile(r"\s*(?:发布(?:时间|日期)|发表(?:时间|日期)|更新时间|时间|日期|来源|作者|浏览(?:次数)?|点击(?:数|率)?|"
                        r"阅读(?:数|量)?|字号|字体|【\s*字体|打印|编辑)\s*[:：].*$")
_PRIOR = {"h1": 3, "h2": 2, "h3": 1, "h4": 1}
_NOT_HEADING = frozenset(("title", "meta", "head", "html", "body", "script", "style", "a", "li", "ul", "ol",
                          "option", "select", "input", "button", "img", "link"))
_CHROME = frozenset(("nav", "footer", "aside", "header", "menu"))


@dataclass(frozen=True)
class Title:
    text: str | None
    source: str             # articletitle | heading | meta | title | none
    confirmed: bool         # a heading on the page shows it (or a gov CMS wrote it)
    strings: tuple = ()     # the title strings it was read from, for confirm()


def clean_title(value: str | None) -> str:
    """A title string without markup, entities or repeated white space.

    >>> clean_title("为现代化建设凝聚力量<div>——热烈祝贺市政协会议开幕</div>")
    '为现代化建设凝聚力量——热烈祝贺市政协会议开幕'
    >>> clean_title("  A&amp;B \\n 标题 ")
    'A&B 标题'
    """
    if not value:
        return ""
    value = html.unescape(_TAG.sub("", html.unescape(value)))
    return squash(value)


def is_generic(text: str | None) -> bool:
    """A title that names nothing (a CMS default or placeholder).

    >>> is_generic("显示"), is_generic("无标题文档"), is_generic("关于开展申报工作的通知")
    (True, True, False)
    """
    bare = text.strip(" ()（）[]【】<>《》") if text else ""
    return not bare or bool(_GENERIC.match(bare)) or not _WORDISH.search(bare)


@lru_cache(maxsize=1024)
def is_site_like(text: str, sites: tuple[str, ...] = ()) -> bool:
    """A site, portal or column name rather than a headline.

    >>> is_site_like("中国科普网"), is_site_like("blog.wenxuecity.com"), is_site_like("某市召开科技工作会议")
    (True, True, False)
    """
    t = text.strip()
    folded = t.casefold()
    for site in sites:
        s = site.casefold()
        if s and (folded == s or (s in folded and len(folded) <= len(s) + 4)):
            return True
    if _DOMAIN.search(t):
        return True
    return (len(t) <= 12 and bool(_SITE_WORDS.search(t))) or (len(t) <= 6 and bool(_COLUMN_WORDS.search(t)))


def split_parts(text: str) -> list[str]:
    return list(_split_parts(text))


@lru_cache(maxsize=1024)
def _split_parts(text: str) -> tuple[str, ...]:
    """A title string cut at its strong separators, with a trailing -站点 split off too.

    >>> split_parts("标题_科技动态_某某市科学技术局")
    ['标题', '科技动态', '某某市科学技术局']
    >>> split_parts("习近平主持召开座谈会-中国科普网")
    ['习近平主持召开座谈会', '中国科普网']
    """
    parts = [p.strip() for p in _SPACED_SEP.split(text) if p and p.strip()]
    if len(parts) < 2:
        parts = [p.strip() for p in _TIGHT_SEP.split(text) if p and p.strip()]
    if parts:
        m = _SITE_TAIL.search(parts[-1])
        if m and m.start() > 0 and is_site_like(m["site"]):
            parts[-1:] = [parts[-1][:m.start()].strip(), m["site"].strip()]
    return tuple(p for p in parts if p)


def _similar(a: str, b: str, floor: float = 0.0) -> float:
    """Share of the shorter string's characters that the longer matches in order; 0.0 without
    matching when even the characters the two have in common (each as often as in both, which
    bounds the share from above) are fewer than ``floor`` of the shorter.

    >>> _similar("全市科技工作会议召开", "全市科技工作会议在兰州召开"), _similar("全市科技工作会议", "甘肃省人民政府网站", 0.85)
    (1.0, 0.0)
    """
    a, b = unspaced(a), unspaced(b)
    if not a or not b:
        return 0.0
    short = min(len(a), len(b))
    if floor:
        # a's characters that occur in b at all bound the shared count from above, and most
        # pairs fall short already on that cheaper count
        need, in_b = floor * short, set(b)
        if sum(c in in_b for c in a) < need or sum((Counter(a) & Counter(b)).values()) < need:
            return 0.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / short


def _starts_with_sep(rest: str) -> bool:
    return bool(rest) and (_SEP.match(rest) is not None or rest.lstrip()[:1] in "-–—_|｜:：·")


def _site_rest(rest: str, sites: tuple[str, ...]) -> bool:
    """What follows a headline in a title string is only site/column names: ' 某某网'."""
    parts = split_parts(rest.strip())
    return bool(parts) and all(is_site_like(p, sites) for p in parts)


def _match(heading: str, title: str, sites: tuple[str, ...]) -> tuple[float, str | None]:
    """How well ``title`` (a title string) confirms ``heading``, and the headline it gives."""
    h, t = heading, title
    if h == t:
        parts = split_parts(t)
        if len(parts) > 1 and all(is_site_like(p, sites) for p in parts[1:]):
            return 0.8, parts[0]                 # the heading repeats <title> with its suffix
        return 1.0, h
    parts = split_parts(t)
    if is_site_like(h, sites) or (len(parts) > 1 and h in parts[1:] and is_site_like(h)):
        return 0.0, None                         # a logo heading naming the site
    if len(h) >= 2 and t.startswith(h) and (_starts_with_sep(t[len(h):]) or _site_rest(t[len(h):], sites)):
        return 0.95, h
    if len(h) >= 4 and t.endswith(h) and _starts_with_sep(t[:-len(h)][::-1]):
        return 0.9, h
    if len(h) >= 6 and h in t:
        return 0.6 + 0.3 * len(h) / len(t), h
    for part in parts:
        if len(part) >= 4 and part != t and part in h and not is_site_like(part, sites) \
                and len(part) >= 0.5 * len(h) and h.replace(part, "", 1).strip() not in t:
            return 0.85, part                    # 雄安新区[编辑], 《标题》已有1件评论
    if min(len(h), len(t)) >= 6 and max(len(h), len(t)) <= 1.6 * min(len(h), len(t)):
        ratio = _similar(h, t, floor=0.85)
        if ratio >= 0.85:
            return 0.75 * ratio, h
    return 0.0, None


def _headings(candidates: list):
    """(text, prior, element) of the heading-like elements among ``candidates`` (see
    cleaners.survey), in document order."""
    for el in candidates:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _NOT_HEADING:
            continue
        if len(el) > 40:
            continue                             # a wrapper of many elements, not a heading
        raw = text_of(el)
        if len(raw) > 600:
            continue
        text = squash(raw)
        if not (2 <= len(text) <= 150) or _WIDGET.match(text):
            continue
        prior = _PRIOR.get(tag, 2)
        if next(el.iterancestors(*_CHROME), None) is not None:     # (lxml tests the tags in C)
            prior -= 2
        yield text, prior, el


_INFO_EVIDENCE = re.compile(r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}|\d{1,2}:\d\d|字号|字体|浏览|点击|大\s*中\s*小|来源\s*[:：]")


class _Lazy:
    """A generator's items, computed as far as they are asked for and kept for the next pass."""

    def __init__(self, items):
        self._items, self._seen = iter(items), []

    def __iter__(self):
        yield from self._seen
        for item in self._items:
            self._seen.append(item)
            yield item


def _cut_info(text: str) -> str:
    """A headline without an info line glued onto it (发布时间：2023-… 来源：… 字号：大中小); a
    headline that merely holds a label (调整作息时间：夏季安排) is kept.

    >>> _cut_info("某市召开科技大会发布时间：2023-02-21 来源：某某网"), _cut_info("关于调整作息时间：夏季安排的通知")
    ('某市召开科技大会', '关于调整作息时间：夏季安排的通知')
    """
    m = _INFO_TAIL.search(text)
    if not m or not _INFO_EVIDENCE.search(m.group()):
        return text
    cut = text[:m.start()].strip()
    return cut if len(cut) >= 4 else text


def _headline_part(text: str, sites: tuple[str, ...]) -> str | None:
    """The headline part of a title string: site and column parts dropped; 标题_栏目_站点
    puts it first, 站点 - 标题 last (a much longer later part)."""
    parts = [p for p in split_parts(text) if not is_generic(p) and p.casefold() not in {s.casefold() for s in sites}]
    headline = [p for p in parts if not is_site_like(p, sites)]
    parts = headline or parts[:1]
    if not parts:
        return None
    longest = max(parts, key=_weight)
    return longest if _weight(longest) >= 2 * _weight(parts[0]) else parts[0]


_LATIN_WORD = re.compile(r"[A-Za-z0-9]+")


def _weight(text: str) -> int:
    """Characters of Chinese, words of Latin: how much a title part says."""
    return len(_CJK.findall(text)) + len(_LATIN_WORD.findall(text))


def _cut_short(explicit: str, page_titles: list[str]) -> bool:
    """A meta title the CMS cut short: it ends in …, or <title> runs on past it."""
    stem = explicit.rstrip(".…").rstrip()
    if stem != explicit:
        return True
    for page_title in page_titles:
        rest = page_title[len(stem):] if page_title.startswith(stem) and page_title != stem else ""
        if rest and not _SEP.match(rest) and rest[0] not in "-_|":
            return True
    return False


def site_names(meta: dict) -> tuple[str, ...]:
    """Site names the meta tags give (gov SiteName, og:site_name, application-name)."""
    return tuple(v for v in (meta.get("sitename"), meta.get("og:site_name"), meta.get("application-name")) if v)


def find_title(tree, meta: dict, candidates: list | None = None, title_elements: list | None = None) -> Title:
    """The page's headline (see the module docstring); ``candidates``, ``title_elements``: the
    page's heading candidates and <title> elements when the caller has surveyed it (cleaners.survey)."""
    sites = site_names(meta)
    elements = tree.iter("title") if title_elements is None else title_elements
    page_titles = [t for t in (clean_title(text_of(el)) for el in elements) if t and not is_generic(t)]
    article_title = clean_title(meta.get("articletitle"))
    others = [clean_title(meta.get(k)) for k in ("og:title", "twitter:title", "headline", "title")]
    strings = list(dict.fromkeys(s for s in [article_title, *others, *page_titles] if s and not is_generic(s)))
    headings = _Lazy(_headings(survey(tree).headings if candidates is None else candidates))

    if article_title and not is_generic(article_title) and not is_site_like(article_title, sites):
        if _cut_short(article_title, page_titles):
            stem = article_title.rstrip(".…").rstrip()
            longer = [h for h, _p, _e in headings if len(h) > len(stem) and h.startswith(stem)]
            if longer:
                return Title(min(longer, key=len), "heading", True, tuple(strings))
        return Title(_cut_info(article_title), "articletitle", True, tuple(strings))

    best = None
    for order, (text, prior, _el) in enumerate(headings):
        for t in strings:
            score, value = _match(text, t, sites)
            if score >= 0.6 and value:
                key = (round(score, 2), prior, -order)
                if best is None or key > best[0]:
                    best = (key, value)
        if best is not None and best[0][:2] == (1.0, 3):
            break                                # an h1 equal to a title string: nothing beats it
    if best is not None:
        return Title(_cut_info(best[1]), "heading", True, tuple(strings))

    for t in strings:
        if t == article_title:
            continue
        part = _headline_part(t, sites)
        if part:
            source = "title" if t in page_titles else "meta"
            return Title(_cut_info(part), source, False, tuple(strings))
    for text, prior, _el in headings:
        if prior >= 2 and len(text) >= 4 and _CJK.search(text) and not is_site_like(text, sites):
            return Title(_cut_info(text), "heading", False, tuple(strings))
    return Title(None, "none", False, tuple(strings))


def confirm(line: str, strings: tuple) -> str | None:
    """The headline a title string gives when ``line`` (a line printed near the text) shows
    it, else None: the same test as for headings.

    >>> confirm("中华人民共和国监察法", ("中华人民共和国监察法-纪检",))
    '中华人民共和国监察法'
    >>> confirm("各有关单位：", ("关于开展申报工作的通知_某某市科学技术局",)) is None
    True
    """
    text = squash(line)
    if not (2 <= len(text) <= 150) or _WIDGET.match(text):
        return None
    best = max((_match(text, t, ()) for t in strings), default=(0.0, None), key=lambda m: m[0])
    return _cut_info(best[1]) if best[0] >= 0.6 and best[1] else None


_DIGIT = re.compile(r"\d")


def site_from_title(tree, title: str | None, title_elements: list | None = None) -> str | None:
    """The site name that <title> carries beside the headline: 标题_栏目_鹤壁市科学技术局.
    ``title_elements``: the page's <title> elements in document order when the caller has
    surveyed it (cleaners.survey), so that the first is not looked for by a walk of the tree."""
    if title_elements is None:
        page_title = clean_title(tree.findtext(".//title"))
    else:
        page_title = clean_title((title_elements[0].text or "") if title_elements else None)
    parts = split_parts(page_title)
    if len(parts) < 2 and "-" in page_title:   # 标题-站点名 without spaces
        head, _, tail = page_title.rpartition("-")
        parts = [head, tail] if 2 <= len(tail) <= 20 and not _DIGIT.search(tail) else parts
    if len(parts) < 2 or not title:
        return None
    others = [p for p in parts if p not in title and title not in p]
    if not others or len(others) == len(parts):
        return None
    # the site is the outermost part away from the headline (usually the last)
    return others[-1] if parts[0] in title or title in parts[0] else others[0]
