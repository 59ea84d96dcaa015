"""The HTTP download handler: Scrapy's, without Twisted's hidden retry.

Twisted's connection pool silently sends an idempotent request a second time when it fails
before any answer on a reused keep-alive connection (``HTTPConnectionPool.retryAutomatically``).
Scrapy never hears of that first failure: it is in no stats, no log line, and a server that
resets connections gets up to twice ``RETRY_TIMES + 1`` requests per URL. With this handler
every attempt goes through RetryMiddleware, so retries stay bounded by ``RETRY_TIMES`` and
each failure is counted (``retry/reason_count/...``, ``govnews/download_error/...``). A stale
keep-alive connection closed by the server then costs one visible retry instead.
"""
from __future__ import annotations

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler


class CountedHTTP11DownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler):
        super().__init__(crawler)
        self._pool.retryAutomatically = False
