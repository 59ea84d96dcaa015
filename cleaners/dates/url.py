"""The publication day a URL carries: TRS ``t20230221_…``, ``/2024/10/14/``, ``/2022/08-11/``,
``content_2023-02-21``, a ``?date=`` parameter …; the inner URL of an archived copy."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import unquote

from cleaners.dates.parse import CST, build_date, parse_date


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
            dt = build_date(int(mm["y"]), int(mm["m"]), int(mm["d"]))
            if dt is not None and dt <= limit:
                return dt
    if query:
        for mm in _URL_QUERY.finditer("?" + query):
            dt = parse_date(mm.group(1))
            if dt is not None and dt <= limit:
                return dt
    return None
