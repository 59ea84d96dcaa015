"""TRS WCM: ``createPageHTML(total, current, "index", "html")`` pagers and static "共N页" pagers."""
from __future__ import annotations

import re
from urllib.parse import urljoin

CREATE_PAGE = re.compile(r"createPageHTML\s*\(([^)]*)\)")
TOTAL_PAGES = re.compile(r"共\s*[\d,]*\s*条?\s*[，,]?\s*共?\s*(\d[\d,]*)\s*页")


def _args(call: str) -> tuple[list[int], list[str]]:
    ints, strs = [], []
    for raw in call.split(","):
        arg = raw.strip().strip("'\"").strip()
        if re.fullmatch(r"\d+", arg):
            ints.append(int(arg))
        elif arg:
            strs.append(arg)
    return ints, strs


def create_page_urls(text: str, url: str, max_pages: int = 200) -> list[str]:
    """URLs of every page announced by a createPageHTML call, the first page included.

    >>> create_page_urls('createPageHTML(3, 0, "index", "html");', "http://a.gov.cn/x/index.html")
    ['http://a.gov.cn/x/index.html', 'http://a.gov.cn/x/index_1.html', 'http://a.gov.cn/x/index_2.html']
    >>> create_page_urls("createPageHTML('page_div',2,1,'t20230221_1','html',30)", "http://a.gov.cn/x/t20230221_1.html")
    ['http://a.gov.cn/x/t20230221_1.html', 'http://a.gov.cn/x/t20230221_1_1.html']
    """
    out: list[str] = []
    for match in CREATE_PAGE.finditer(text):
        ints, strs = _args(match.group(1))
        if not ints or len(strs) < 2:
            continue
        prefix, ext = strs[-2], strs[-1]
        total = min(ints[0], max_pages)
        for i in range(total):
            name = f"{prefix}.{ext}" if i == 0 else f"{prefix}_{i}.{ext}"
            out.append(urljoin(url, name))
    return list(dict.fromkeys(out))


def static_pager_urls(text: str, url: str, max_pages: int = 200) -> list[str]:
    """index_N pages of a TRS list that only says 共N页 and pages with gotoPage()."""
    m_url = re.search(r"/(index|list)(?:_\d+)?\.(s?html?)$", url)
    m_total = TOTAL_PAGES.search(text)
    if not (m_url and m_total and "gotoPage" in text):
        return []
    total = min(int(m_total.group(1).replace(",", "")), max_pages)
    stem, ext = m_url.groups()
    return [urljoin(url, f"{stem}.{ext}" if i == 0 else f"{stem}_{i}.{ext}") for i in range(total)]
