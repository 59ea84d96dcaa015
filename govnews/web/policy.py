"""What keeps a hostile page harmless in the browser: the Content-Security-Policy of the
review pages and of a raw page, and which stored URLs may become links."""
from __future__ import annotations

from urllib.parse import urlsplit

# The review pages run no script at all; they load their style sheet and frame /raw.
PAGE_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self'; frame-src 'self'; form-action 'self'; "
               "base-uri 'none'; frame-ancestors 'self'")
# A raw page is the site's HTML: sandboxed even when opened on its own, nothing loaded from anywhere.
RAW_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"


def http_url(value) -> str | None:
    """``value`` if it is an http(s) URL, to link to; else None (shown as text only).

    >>> http_url("http://kjj.hebi.gov.cn/a.html"), http_url("javascript:alert(1)"), http_url(" JavaScript:x")
    ('http://kjj.hebi.gov.cn/a.html', None, None)
    """
    if not isinstance(value, str) or value != value.strip():
        return None
    return value if urlsplit(value).scheme.lower() in ("http", "https") else None
