"""Anti-bot challenge shells recognised from raw bytes, before any decoding or parsing.

Ruishu (瑞数) answers with a short JavaScript shell: ``$_ts`` variables (the markers are
data, :data:`cleaners.selectors.RUISHU_MARKERS`) and a ``<meta ... r="m">``. The crawler
drops such an answer before it is cleaned; the cleaner reports the same page ``blocked``.

>>> is_ruishu_shell(b'<html><head><meta content="x" r="m"><script>$_ts=window["$_ts"];</script>')
True
>>> is_ruishu_shell('<script>$_ts.nsd=1;$_ts.cd="q";</script>')
True
>>> is_ruishu_shell("<html><body><p>市科技局召开会议，部署全年重点任务。</p></body></html>".encode())
False
"""
from __future__ import annotations

import re

from cleaners.selectors import RUISHU_MARKERS

_MARKERS = re.compile("|".join(re.escape(m) for m in RUISHU_MARKERS).encode("ascii"))
_META = re.compile(rb"""<meta\b[^>]*\sr\s*=\s*["']?m["'\s/>]""", re.I)


def is_ruishu_shell(page: bytes | str) -> bool:
    """Does ``page`` (raw bytes, or decoded text) carry a Ruishu marker?"""
    raw = page.encode("utf-8", "replace") if isinstance(page, str) else page
    return bool(_MARKERS.search(raw) or _META.search(raw))
