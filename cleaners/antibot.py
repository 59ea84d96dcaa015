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

_META = r"""<[Mm][Ee][Tt][Aa]\b[^>]*\s[rR]\s*=\s*["']?m["'\s/>]"""     # (no re.I: '<' stays a fast prefix)
_TEXT_META = re.compile(_META)
_BYTES_META = re.compile(_META.encode("ascii"))
_BYTES_MARKERS = tuple(m.encode("ascii") for m in RUISHU_MARKERS)


def is_ruishu_shell(page: bytes | str, limit: int | None = None) -> bool:
    """Does ``page`` (raw bytes, or decoded text; its first ``limit`` characters) carry a
    Ruishu marker?"""
    end = len(page) if limit is None else min(limit, len(page))
    markers, meta = (RUISHU_MARKERS, _TEXT_META) if isinstance(page, str) else (_BYTES_MARKERS, _BYTES_META)
    return any(page.find(m, 0, end) >= 0 for m in markers) or meta.search(page, 0, end) is not None
