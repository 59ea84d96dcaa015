"""Honour ``Retry-After`` on 429 and 503 answers before RetryMiddleware retries them.

Scrapy's RetryMiddleware (2.19) retries 429/503 at once, whatever the server asked for. This
middleware sits just before it (a higher order number, so it sees the response first) and,
when a retry is still to come:

- ``Retry-After`` within ``GOVNEWS_RETRY_AFTER_MAX`` seconds: waits that long, then hands
  the response on, so the retry goes out no earlier than the server asked
  (``govnews/retry_after/waited``, ``govnews/retry_after/seconds``);
- longer than the cap: gives the URL up for this crawl (``dont_retry``) instead of hammering
  a server that asked for an hour's rest; the next scheduled run fetches it
  (``govnews/retry_after/too_long`` and a WARNING line).

Only the request that got the answer waits (it keeps one of the crawl's
``CONCURRENT_REQUESTS`` slots meanwhile); other URLs of the site go on at the normal pace.
"""
from __future__ import annotations

import asyncio
import email.utils
import logging
import time

from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)
STATUSES = (429, 503)


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or an HTTP date), or None.

    >>> retry_after_seconds(b"120"), retry_after_seconds("0"), retry_after_seconds(" 7 ")
    (120.0, 0.0, 7.0)
    >>> retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0)
    10.0
    >>> retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412490.0)
    0.0
    >>> retry_after_seconds("soon") is None, retry_after_seconds(None) is None, retry_after_seconds("-5") is None
    (True, True, True)
    """
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class RetryAfterMiddleware:
    def __init__(self, stats, max_delay: float, retry_times: int):
        self.stats = stats
        self.max_delay = max_delay
        self.retry_times = retry_times

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("GOVNEWS_RETRY_AFTER_ENABLED"):
            raise NotConfigured("GOVNEWS_RETRY_AFTER_ENABLED is off")
        if not settings.getbool("RETRY_ENABLED"):
            raise NotConfigured("RETRY_ENABLED is off: nothing to delay")
        return cls(crawler.stats, settings.getfloat("GOVNEWS_RETRY_AFTER_MAX"),
                   settings.getint("RETRY_TIMES"))

    async def process_response(self, request, response):
        if response.status not in STATUSES or request.meta.get("dont_retry"):
            return response
        delay = retry_after_seconds(response.headers.get("Retry-After"))
        if delay is None:
            return response
        if request.meta.get("retry_times", 0) >= request.meta.get("max_retry_times", self.retry_times):
            return response                       # no retry will follow: nothing to wait for
        if delay > self.max_delay:
            self.stats.inc_value("govnews/retry_after/too_long")
            logger.warning("%s answered %d with Retry-After %.0f s (over GOVNEWS_RETRY_AFTER_MAX %.0f s): "
                           "not retried in this crawl", request.url, response.status, delay, self.max_delay)
            request.meta["dont_retry"] = True
            return response
        self.stats.inc_value("govnews/retry_after/waited")
        self.stats.inc_value("govnews/retry_after/seconds", delay)
        logger.info("%s answered %d with Retry-After %.1f s: waiting before the retry",
                    request.url, response.status, delay)
        await asyncio.sleep(delay)
        return response
