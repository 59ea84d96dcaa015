"""A corpus of republished copies made from the fixtures' article texts, for dedupe tests and
bench/dedupe.py.

Base articles: the text of every page in fixtures/pages/ (cleaned) and the two notices of the
republishing fixture sites. Each base is published by one origin site, all in one template
(same header, sidebar and footer: same-template different articles), and republished by
other sites in their own templates:

* ``template`` — the text as it is, another site's template;
* ``note`` — an added 编者按 paragraph;
* ``source`` — a 来源 line added at the top and a （来源：…） line at the end;
* ``cut`` — the last paragraph cut;
* ``traditional`` — the whole page in traditional script;
* ``punct`` — full-width punctuation made half-width;
* ``note_cut`` — a note added and the last paragraph cut.

Plus short notices (< 100 characters): two exact copies and a near one that must not match.
Every page is cleaned by the real cleaner; :func:`truth_pairs` says which records are copies.
"""
from __future__ import annotations

import importlib.util
import itertools
from dataclasses import dataclass

from opencc import OpenCC

from cleaners import clean
from tests.support.paths import FIXTURES, PAGES

VARIANTS = ("template", "note", "source", "cut", "traditional", "punct", "note_cut")
HALF = str.maketrans({"，": ",", "。": ".", "：": ":", "；": ";", "（": "(", "）": ")", "！": "!", "？": "?"})
SHORT = [("关于2024年清明节放假安排的通知", "根据国务院办公厅通知精神，2024年清明节放假安排如下：4月4日至6日放假调休，共3天。"),
         ("关于召开科技特派员工作座谈会的通知", "定于2024年5月8日上午9时在局三楼会议室召开科技特派员工作座谈会，请准时参加。")]
SHORT_NEAR = ("关于2024年清明节放假安排的通知", "根据国务院办公厅通知精神，2024年清明节放假安排如下：4月4日至7日放假调休，共4天。")


@dataclass
class Page:
    url: str
    site: str
    html: str
    base: str | None      # the article it is a copy of (None: belongs to no group)
    variant: str


TEMPLATES = {
    # name: (site name, header, body open, body close, sidebar/footer)
    "origin": ("湖北省科学技术厅",
               '<div class="head"><a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a href="/kjdt/">科技动态</a></div>'
               '<div class="CurrChnlCls">当前位置：首页 &gt; 通知公告</div>',
               '<div class="TRS_Editor">', "</div>",
               '<div class="relate"><h3>相关阅读</h3><ul><li><a href="/a1.html">全省科技工作会议在武汉召开</a></li>'
               '<li><a href="/a2.html">省科技厅召开党组理论学习中心组学习会</a></li></ul></div>'
               '<div class="footer">主办：湖北省科学技术厅 版权所有 网站标识码：4200000012 鄂ICP备05000012号</div>'),
    "city_trs": ("武汉市科学技术局",
                 '<div class="top">武汉市科学技术局 <a href="/">首页</a> <a href="/xxgk/">信息公开</a></div>',
                 '<div class="TRS_UEDITOR trs_paper_default">', "</div>",
                 '<div class="share">分享到：微信 微博 QQ空间 【打印本页】【关闭窗口】</div>'
                 '<div class="footer">武汉市科学技术局 版权所有 鄂ICP备06000034号</div>'),
    "city_hanweb": ("宜昌市科学技术局",
                    '<table width="100%"><tr><td class="nav"><a href="/">网站首页</a> &gt; 工作动态</td></tr></table>',
                    '<table><tr><td id="zoom" class="bt_content">', "</td></tr></table>",
                    '<div class="sx">上一篇：宜昌市科技局召开年度工作会 下一篇：没有了</div>'
                    '<div class="foot">宜昌市科学技术局主办 网站标识码4205000001</div>'),
    "portal_vsb": ("恩施州科学技术局",
                   '<div class="banner">恩施州科学技术局欢迎您</div><div class="menu"><a href="/">首页</a></div>',
                   '<div class="v_news_content">', "</div>",
                   '<div class="rank"><h4>点击排行</h4><ul><li>恩施州召开科技创新大会</li></ul></div>'
                   '<div class="copyright">Copyright 恩施州科学技术局 鄂ICP备07000056号</div>'),
}
COPY_TEMPLATES = ["city_trs", "city_hanweb", "portal_vsb"]


def page_html(template: str, title: str, date: str, source: str, paras: list[str]) -> str:
    site_name, head, body_open, body_close, tail = TEMPLATES[template]
    body = "\n".join(f"<p>{p}</p>" for p in paras)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_{site_name}</title>'
            f'<meta name="SiteName" content="{site_name}"><meta name="ArticleTitle" content="{title}">'
            f'<meta name="PubDate" content="{date} 10:00"><meta name="ContentSource" content="{source}"></head>'
            f'<body>{head}<div class="article"><h1>{title}</h1>'
            f'<div class="info">发布时间：{date} 来源：{source}</div>{body_open}\n{body}\n{body_close}</div>'
            f"{tail}</body></html>")


def base_articles() -> list[tuple[str, str, list[str]]]:
    """(id, title, paragraphs) of every base article."""
    out = []
    for path in sorted(PAGES.glob("*.html")):
        record = clean(path.read_bytes(), url=f"http://fixtures.example.gov.cn/{path.stem}.html")
        paras = [line for line in record["text"].split("\n") if line.strip()]
        if record["status"] == "ok" and len("".join(paras)) >= 200:
            out.append((path.stem, record["title"] or path.stem, paras))
    # fixtures/ is no package: the notices' module is loaded by its path
    spec = importlib.util.spec_from_file_location("republished_sites", FIXTURES / "republished_sites.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in ("NOTICE_A", "NOTICE_B"):
        notice = getattr(module, name)
        out.append((name.lower(), notice["title"], list(notice["paras"])))
    return out


def variant(kind: str, title: str, paras: list[str], s2t) -> tuple[str, list[str]]:
    note = f"编者按：{title[:30]}一文近日发布，现予转载，供各单位学习参考。"
    if kind == "note":
        return title, [note] + paras
    if kind == "source":
        return title, ["来源：湖北省科学技术厅"] + paras + ["（来源：湖北省科学技术厅网站）"]
    if kind == "cut":
        return title, paras[:-1] if len(paras) > 2 else paras
    if kind == "traditional":
        return s2t(title), [s2t(p) for p in paras]
    if kind == "punct":
        return title, [p.translate(HALF) for p in paras]
    if kind == "note_cut":
        return title, [note] + (paras[:-1] if len(paras) > 2 else paras)
    return title, paras


def corpus() -> list[Page]:
    s2t = OpenCC("s2t").convert
    pages = []
    for n, (base, title, paras) in enumerate(base_articles()):
        day = f"2024-{(n % 9) + 1:02d}-01"
        pages.append(Page(f"http://kjt.origin.example.gov.cn/tzgg/{base}.html", "origin",
                          page_html("origin", title, day, "湖北省科学技术厅", paras), base, "original"))
        for k, kind in enumerate(VARIANTS):
            template = COPY_TEMPLATES[k % len(COPY_TEMPLATES)]
            copy_title, copy_paras = variant(kind, title, paras, s2t)
            when = f"2024-{(n % 9) + 1:02d}-{k + 2:02d}"
            pages.append(Page(f"http://{template.replace('_', '-')}.example.gov.cn/{kind}/{base}.html", template,
                              page_html(template, copy_title, when, "湖北省科技厅", copy_paras), base, kind))
    for n, (title, text) in enumerate(SHORT):
        for k, template in enumerate(["origin", "city_trs"]):
            pages.append(Page(f"http://{template.replace('_', '-')}.example.gov.cn/short/{n}.html", template,
                              page_html(template, title, f"2024-03-0{k + 1}", "办公室", [text]), f"short{n}", "short"))
    title, text = SHORT_NEAR
    pages.append(Page("http://portal-vsb.example.gov.cn/short/near.html", "portal_vsb",
                      page_html("portal_vsb", title, "2024-03-05", "办公室", [text]), None, "short_near"))
    return pages


def records(pages: list[Page]) -> list[dict]:
    """Each page cleaned, as the crawl would store it (``site`` set)."""
    out = []
    for page in pages:
        record = clean(page.html.encode("utf-8"), url=page.url)
        record["site"] = page.site
        out.append(record)
    return out


def truth_pairs(pages: list[Page]) -> set[frozenset]:
    """The pairs of URLs that are copies of one article."""
    groups: dict[str, list[str]] = {}
    for page in pages:
        if page.base is not None:
            groups.setdefault(page.base, []).append(page.url)
    return {frozenset(pair) for urls in groups.values() for pair in itertools.combinations(urls, 2)}


def found_pairs(clusters: dict[str, str]) -> set[frozenset]:
    """The pairs of URLs in one cluster, from ``{url: cluster id}``."""
    groups: dict[str, list[str]] = {}
    for url, cluster_id in clusters.items():
        groups.setdefault(cluster_id, []).append(url)
    return {frozenset(pair) for urls in groups.values() for pair in itertools.combinations(urls, 2)}


def precision_recall(found: set, truth: set) -> tuple[float, float]:
    right = len(found & truth)
    return (right / len(found) if found else 1.0), (right / len(truth) if truth else 1.0)
