"""Which CMS family a site runs, from a page's markup and the URLs it links to.

Each sign is data (:data:`SIGNS`): a family, a weight, a description and a regex over the
page text. Links count by their URL shape (:data:`crawler.cms.patterns.ARTICLE_URL` and the
column URLs of each family). The family with the highest score wins; none at all is
``generic``. The signs that decided are returned so the user can see why.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from crawler.cms.patterns import ARTICLE_URL

# (family, weight, what it is, regex over the page's HTML)
SIGNS = [
    ("trs", 3, "TRS editor class (TRS_Editor / TRS_UEDITOR / trs_paper_default)",
     re.compile(r"""class\s*=\s*["'][^"']*\b(?:TRS_Editor|TRS_UEDITOR|trs_paper_default)""", re.I)),
    ("trs", 3, "TRS pager script createPageHTML()", re.compile(r"createPageHTML\s*\(")),
    ("trs", 2, "TRS breadcrumb class CurrChnlCls", re.compile(r"CurrChnlCls")),
    ("hanweb", 3, "Hanweb script path /module/jslib/ or /module/web/jpage/",
     re.compile(r"""["']/module/(?:jslib|web/jpage)/""", re.I)),
    ("hanweb", 2, "Hanweb WebId meta", re.compile(r"""<meta[^>]+name\s*=\s*["']WebId["']""", re.I)),
    ("hanweb", 3, "Hanweb list data (dataproxy.jsp / <datastore>)", re.compile(r"dataproxy\.jsp|<datastore>", re.I)),
    ("vsb", 3, "VSB resource path /system/resource/", re.compile(r"""["']/system/resource/""", re.I)),
    ("vsb", 3, "VSB generator comment (Visual SiteBuilder)", re.compile(r"Visual\s*SiteBuilder", re.I)),
    ("vsb", 2, "VSB pager classes (pb_sys_common / p_next)", re.compile(r"pb_sys_common|\bp_next\b")),
]

# Column URLs by family (weight 1 each, at most 3 counted).
COLUMN_URL = {
    "hanweb": re.compile(r"/col/col\d+/index\.html$"),
    "vsb": re.compile(r"/list\.jsp$|/[a-z0-9_]+/\d{1,4}\.htm$"),
}


@dataclass
class Family:
    name: str = "generic"
    evidence: list[str] = field(default_factory=list)      # the signs of the chosen family
    scores: dict = field(default_factory=dict)


def page_signs(html: str) -> list[tuple[str, int, str]]:
    """The markup signs found in ``html``: (family, weight, what).

    >>> [s[0] for s in page_signs('<script src="/module/jslib/jquery.js"></script><div class="TRS_Editor">')]
    ['trs', 'hanweb']
    """
    return [(family, weight, what) for family, weight, what, regex in SIGNS if regex.search(html)]


def link_signs(links: list[str], where: str = "") -> list[tuple[str, int, str]]:
    """Signs from the shape of linked URLs: articles (weight 2 each, up to 3) and columns.

    >>> link_signs(["http://a.gov.cn/info/1011/2345.htm", "http://a.gov.cn/info/1011/2346.htm"])
    [('vsb', 4, '2 article links shaped like vsb (/info/1011/2345.htm)')]
    >>> link_signs(["http://a.gov.cn/col/col1/index.html"], "on the home page")
    [('hanweb', 1, '1 column link shaped like hanweb on the home page (/col/col1/index.html)')]
    """
    counts: dict[str, Counter] = {"article": Counter(), "column": Counter()}
    example: dict[tuple, str] = {}
    for link in dict.fromkeys(links):
        path = urlsplit(link).path
        for family in ("trs", "hanweb", "vsb"):
            if any(p.search(path) for p in ARTICLE_URL[family]):
                kind = "article"
            elif family in COLUMN_URL and COLUMN_URL[family].search(path):
                kind = "column"
            else:
                continue
            counts[kind][family] += 1
            example.setdefault((kind, family), path)
    out = []
    for kind, weight in (("article", 2), ("column", 1)):
        for family, n in counts[kind].items():
            out.append((family, weight * min(n, 3), f"{n} {kind} link{'s' if n > 1 else ''} shaped like "
                                                    f"{family}{' ' + where if where else ''} ({example[kind, family]})"))
    return out


def decide(signs: list[tuple[str, int, str]]) -> Family:
    """The family with the highest score (``generic`` when nothing points anywhere; a tie
    between families is ``generic`` too, since neither rule set is safer).

    >>> decide([("trs", 3, "a"), ("vsb", 1, "b")]).name, decide([]).name
    ('trs', 'generic')
    """
    scores: Counter = Counter()
    for family, weight, _ in signs:
        scores[family] += weight
    ranked = scores.most_common()
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        reason = "no CMS family sign" if not ranked else "signs of several families, none ahead"
        return Family("generic", [reason] + [w for _, _, w in signs], dict(scores))
    best = ranked[0][0]
    return Family(best, [what for family, _, what in signs if family == best], dict(scores))
