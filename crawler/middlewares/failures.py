"""Count every failed download attempt by what went wrong: ``govnews/download_error/<reason>``.

Scrapy's own ``downloader/exception_type_count/<class>`` names the exception class only, and
one class (``twisted.web._newclient.ResponseFailed``) covers a truncated body, broken chunked
encoding and a connection dropped mid-body alike. This middleware sits between
RetryMiddleware and the downloader, so it sees each attempt (retried or not), and reads the
reasons Twisted wraps inside: ``timeout``, ``connection_refused``, ``connection_reset``,
``connection_lost``, ``data_loss`` (body shorter than its Content-Length), ``bad_chunked``,
``maxsize`` (DOWNLOAD_MAXSIZE), ``unsupported_scheme`` (a disabled download handler),
``dns``, ``tls``, else the exception class name. IgnoreRequest (robots.txt, blocks) is a
decision, not a failure, and is counted where it is made. It changes nothing about the request.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest, NotConfigured

# (reason, class-name fragments), first match wins; checked against the exception and the
# failures it wraps (ResponseFailed / ResponseNeverReceived keep a list of them).
REASONS = (
    ("maxsize", ("DownloadCancelledError", "CancelledError")),
    ("unsupported_scheme", ("NotSupported", "UnsupportedURLScheme", "SchemeNotSupported")),
    ("timeout", ("TimeoutError", "DownloadTimeoutError", "TCPTimedOut")),
    ("connection_refused", ("ConnectionRefused",)),
    ("dns", ("DNSLookupError", "CannotResolveHost")),
    ("tls", ("SSLError", "TLSError", "SSL.Error")),
    ("bad_chunked", ("Chunk", "chunk")),
    ("connection_reset", ("ConnectionReset", "ECONNRESET", "reset by peer", "non-clean fashion")),
    ("data_loss", ("DataLoss",)),
    ("connection_lost", ("ConnectionLost", "ConnectionDone", "ConnectionAborted")),
)


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and what it wraps: ``__cause__`` (Scrapy 2.19 wraps Twisted errors in its own
    ``Download*Error``) and the failures a ResponseFailed keeps in ``reasons``; innermost first."""
    out: list[BaseException] = []
    todo = [exc]
    while todo and len(out) < 20:
        current = todo.pop()
        out.append(current)
        todo += [getattr(f, "value", f) for f in getattr(current, "reasons", None) or []
                 if isinstance(getattr(f, "value", f), BaseException)]
        if current.__cause__ is not None:
            todo.append(current.__cause__)
    return out[::-1]


def failure_reason(exc: BaseException) -> str:
    """A short reason for a download exception.

    >>> from twisted.internet.error import TimeoutError, ConnectionRefusedError
    >>> failure_reason(TimeoutError()), failure_reason(ConnectionRefusedError())
    ('timeout', 'connection_refused')
    >>> from twisted.web._newclient import ResponseFailed, _DataLoss
    >>> from twisted.python.failure import Failure
    >>> from scrapy.exceptions import DownloadFailedError
    >>> wrapped = DownloadFailedError("failed"); wrapped.__cause__ = ResponseFailed([Failure(_DataLoss())])
    >>> failure_reason(wrapped)
    'data_loss'
    >>> failure_reason(KeyError("x"))
    'KeyError'
    """
    chain = _chain(exc)
    wrappers = [e for e in chain if getattr(e, "reasons", None) or e.__cause__ is not None]
    leaves = [e for e in chain if e not in wrappers]
    for level in (leaves, wrappers):        # what actually happened before how it was wrapped
        names = [n for e in level for n in (type(e).__name__, repr(e)[:300], str(e)[:300])]
        for reason, fragments in REASONS:
            if any(f in name for name in names for f in fragments):
                return reason
    return type(leaves[0] if leaves else exc).__name__


def failure_cause(exc: BaseException, url: str, robots_unreachable: str | None = None) -> str:
    """What a person reading ``govnews refresh`` needs to know about a request that failed.
    ``robots_unreachable`` is why robots.txt could not be read (``HTTP 503``, or a reason of
    :func:`failure_reason`), when that is the case.

    >>> from twisted.internet.error import DNSLookupError
    >>> failure_cause(DNSLookupError("no such host"), "http://kjj.nowhere.invalid/index.html")
    'DNS lookup failed for kjj.nowhere.invalid'
    >>> failure_cause(IgnoreRequest("Forbidden by robots.txt"), "http://a.gov.cn/", robots_unreachable="HTTP 503")
    'robots.txt unreachable (HTTP 503): the whole site is disallowed for this run (RFC 9309)'
    >>> failure_cause(IgnoreRequest("Forbidden by robots.txt"), "http://x.invalid/", robots_unreachable="dns")
    'DNS lookup failed for x.invalid'
    >>> failure_cause(IgnoreRequest("Forbidden by robots.txt"), "http://a.gov.cn/x/")
    'forbidden by robots.txt: http://a.gov.cn/x/'
    """
    response = getattr(exc, "response", None)
    if response is not None and getattr(response, "status", None):
        return f"HTTP {response.status} on {url}"
    if isinstance(exc, IgnoreRequest):
        message = str(exc) or type(exc).__name__
        if "robots.txt" in message:
            if robots_unreachable == "dns":       # the site's host name itself does not resolve
                return f"DNS lookup failed for {urlsplit(url).hostname}"
            if robots_unreachable:
                return (f"robots.txt unreachable ({robots_unreachable.replace('_', ' ')}): the whole site is "
                        "disallowed for this run (RFC 9309)")
            return f"forbidden by robots.txt: {url}"
        return f"{message}: {url}"
    reason = failure_reason(exc)
    if reason == "dns":
        return f"DNS lookup failed for {urlsplit(url).hostname}"
    return f"{reason.replace('_', ' ')} on {url}: {exc}"[:300]


class DownloadFailureStatsMiddleware:
    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("GOVNEWS_FAILURE_STATS_ENABLED"):
            raise NotConfigured("GOVNEWS_FAILURE_STATS_ENABLED is off")
        return cls(crawler.stats)

    def process_exception(self, request, exception):
        if isinstance(exception, IgnoreRequest):     # a decision (robots.txt, block), counted where made
            return None
        self.stats.inc_value(f"govnews/download_error/{failure_reason(exception)}")
        return None
