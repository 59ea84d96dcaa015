"""Hanweb (大汉): list records in XML CDATA, inline or from ``/module/web/jpage/dataproxy.jsp``."""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

DATAPROXY = "/module/web/jpage/dataproxy.jsp"
RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>", re.S | re.I)
HREF = re.compile(r"""href\s*=\s*["']([^"'#]+)["']""", re.I)
TOTAL = re.compile(r"(?:totalRecord\s*[:=]\s*['\"]?|<totalrecord>\s*)(\d+)", re.I)
PER_PAGE = re.compile(r"perPage\s*[:=]\s*['\"]?(\d+)", re.I)
GROUP = 45  # records asked per dataproxy call (Hanweb's default: 3 pages of 15)


def record_links(text: str, url: str) -> list[str]:
    """Links inside the CDATA records of a list page or a dataproxy answer.

    >>> record_links('<record><![CDATA[<li><a href="/art/2024/1/2/art_1_2.html">t</a></li>]]></record>', "http://h.gov.cn/col/col1/index.html")
    ['http://h.gov.cn/art/2024/1/2/art_1_2.html']
    """
    out = []
    for rec in RECORD.findall(text):
        out += [urljoin(url, h.strip()) for h in HREF.findall(rec)]
    return list(dict.fromkeys(out))


def total_records(text: str) -> int | None:
    m = TOTAL.search(text)
    return int(m.group(1)) if m else None


def dataproxy_params(text: str, url: str) -> dict | None:
    """The column parameters of a Hanweb list page (from its nextgroup link or a jpage call)."""
    m = NEXTGROUP.search(text)
    href = HREF.search(m.group(1)).group(1) if m and HREF.search(m.group(1)) else None
    if href is None:
        m = re.search(r"""['"]([^'"]*dataproxy\.jsp\?[^'"]+)['"]""", text)
        href = m.group(1) if m else None
    if href is None:
        return None
    params = dict(parse_qsl(urlsplit(href.replace("&amp;", "&")).query))
    if "columnid" not in params:
        return None
    params.pop("page", None)
    params.setdefault("col", "1")
    return params


def dataproxy_request(page_url: str, params: dict, start: int, per_page: int = 15,
                      group: int = GROUP) -> tuple[str, dict]:
    """(url, form data) of the dataproxy call for records start..start+group-1."""
    query = urlencode({"startrecord": start, "endrecord": start + group - 1, "perpage": per_page})
    return urljoin(page_url, f"{DATAPROXY}?{query}"), params


def per_page(text: str) -> int:
    m = PER_PAGE.search(text)
    return int(m.group(1)) if m else 15
