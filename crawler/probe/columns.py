"""The news-bearing columns of a site, found in its home page's links by their text and
URL shape.

A link is a column when it stays on the site, looks like a list (not an article, attachment,
search or login page), and its text names news, notices or policy (:data:`NEWS_WORDS`, or the
words the user gave) without naming a page about the bureau or a service
(:data:`NOT_NEWS_WORDS`); a link whose text names nothing either way counts when its path
is a usual column slug (:data:`NEWS_SLUGS`, ``/tzgg/``) and it has no name of its own
(更多, >>, an image). A section whose own columns were
found (新闻中心 above 科技动态 and 通知公告) gives way to them. The items of a dated list on
the page (the home page's latest news) are articles, never columns, and so is a link text
longer than a column name (:data:`MAX_TITLE` characters).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html

from crawler.cms import url_kind
from crawler.cms.generic import list_region_links

NEWS_WORDS = ("动态", "新闻", "要闻", "资讯", "快讯", "头条", "通知", "公告", "公示", "通报", "政策", "文件",
              "法规", "解读", "信息公开", "工作")
NOT_NEWS_WORDS = ("领导", "机构", "职能", "职责", "联系", "地图", "办事", "服务", "互动", "留言", "信箱", "搜索",
                  "登录", "注册", "无障碍", "关怀", "长者", "首页", "概况", "简介", "关于", "下载", "咨询", "投诉",
                  "调查", "征集", "指南", "在线", "视频", "图片", "English")
NEWS_SLUGS = {"xwdt", "xwzx", "gzdt", "kjdt", "ywdt", "bmdt", "tzgg", "gsgg", "zcwj", "zcjd", "zcfg", "xxgk",
              "tpxw", "zwdt", "news", "notice", "policy"}
HOME_PATH = re.compile(r"^/(?:index\.\w+)?$")
INDEX_NAME = re.compile(r"index\.s?html?$")
MAX_TITLE = 12


@dataclass
class Link:
    title: str
    url: str
    why: str           # why it is, or is not, a column


def _text(a) -> str:
    return re.sub(r"\s+", "", a.text_content() or a.get("title") or "")


def _slugs(path: str) -> set[str]:
    return {re.sub(r"\.\w+$", "", part).lower() for part in path.split("/") if part}


def _section_stem(path: str) -> str:
    """The path below which a column's own columns live: /xwzx.htm and /xwzx/index.html → /xwzx/."""
    path = INDEX_NAME.sub("", path)
    return path if path.endswith("/") else re.sub(r"\.\w+$", "", path) + "/"


def find_columns(html: str, base: str, words=NEWS_WORDS, slugs=NEWS_SLUGS) -> tuple[list[Link], list[Link]]:
    """(columns, passed over) among the links of the page at ``base``. ``slugs`` count only for
    a link without a name of its own (更多, >>, an image).

    >>> cols, _ = find_columns('<a href="/tzgg/">通知公告</a><a href="/ldxx/">领导信息</a>'
    ...                        '<a href="http://www.gov.cn/">中国政府网新闻</a>', "http://a.gov.cn/")
    >>> [(c.title, c.url) for c in cols]
    [('通知公告', 'http://a.gov.cn/tzgg/')]
    """
    try:
        tree = lxml.html.fromstring(html) if html.strip() else None
    except (ValueError, lxml.etree.ParserError):
        tree = None
    if tree is None:
        return [], []
    slugs = set(slugs)
    host = urlsplit(base).hostname
    items = set(list_region_links(tree, base))
    found: dict[str, Link] = {}
    skipped: list[Link] = []
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        text = _text(a)
        if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
            continue
        url = urljoin(base, href).split("#")[0]
        parts = urlsplit(url)
        key = parts.scheme + "://" + parts.netloc + INDEX_NAME.sub("", parts.path) + \
            ("?" + parts.query if parts.query else "")
        if key in found:
            continue
        if parts.scheme not in ("http", "https"):
            continue
        if parts.hostname != host:
            if any(w in text for w in words):
                skipped.append(Link(text, url, "off-site link"))
            continue
        if HOME_PATH.match(parts.path) and not parts.query:
            continue
        kind = url_kind(url)
        if kind not in ("list", None) or url in items or len(text) > MAX_TITLE:
            continue
        bad = [w for w in NOT_NEWS_WORDS if w.lower() in text.lower()]
        good = [w for w in words if w in text]
        if bad:
            if good or _slugs(parts.path) & slugs:
                skipped.append(Link(text, url, f"not news ({bad[0]})"))
            continue
        slug = sorted(_slugs(parts.path) & slugs)
        if good:
            found[key] = Link(text, url, f"link text ({good[0]})")
        elif slug and not re.search(r"[\u4e00-\u9fff]", text.replace("更多", "")):
            found[key] = Link(slug[0], url, f"URL shape ({slug[0]})")
    columns = list(found.values())
    kept = []
    for col in columns:
        stem = _section_stem(urlsplit(col.url).path)
        below = [c for c in columns if c is not col and urlsplit(c.url).path.startswith(stem)]
        if below:
            skipped.append(Link(col.title, col.url, f"section above {', '.join(c.title for c in below)}"))
        else:
            kept.append(col)
    return kept, skipped
