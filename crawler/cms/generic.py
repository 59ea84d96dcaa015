"""Any CMS: the list region (repeated items that each carry a link and a date) and pagers."""
from __future__ import annotations

from urllib.parse import urljoin

from crawler.cms.patterns import DATE_TEXT, PAGER_TEXT

ITEM_TAGS = {"li", "tr", "div", "dd", "dt", "p", "article", "section", "ul", "table", "tbody"}
MIN_ITEMS = 3


def _href(a, base: str) -> str | None:
    href = (a.get("href") or "").strip()
    if not href or href.startswith(("javascript:", "mailto:", "#", "tel:")):
        return None
    return urljoin(base, href).split("#")[0]


def list_region_links(tree, base: str) -> list[str]:
    """Links of the repeated dated items of the page's list region(s).

    An element qualifies when at least MIN_ITEMS of its children, and most of them, each
    hold a link and a date, and are short (list items, not paragraphs).
    """
    out: list[str] = []
    for parent in tree.iter(*ITEM_TAGS):
        children = [c for c in parent if isinstance(c.tag, str)]
        if len(children) < MIN_ITEMS:
            continue
        hits = []
        for child in children:
            anchors = child.xpath(".//a[@href]")
            text = child.text_content()
            if anchors and len(text) < 300 and DATE_TEXT.search(text):
                main = max(anchors, key=lambda a: len(a.text_content().strip()))
                link = _href(main, base)
                if link:
                    hits.append(link)
        if len(hits) >= MIN_ITEMS and len(hits) >= 0.6 * len(children):
            out += hits
    return list(dict.fromkeys(out))


def pager_links(tree, base: str) -> list[str]:
    """Links whose text is a pager word (下一页, 尾页, a page number …)."""
    out = []
    for a in tree.iter("a"):
        text = a.text_content()
        if PAGER_TEXT.match(text or "") or (a.get("title") or "").strip() in ("下一页", "下页", "尾页"):
            link = _href(a, base)
            if link:
                out.append(link)
    return list(dict.fromkeys(out))
