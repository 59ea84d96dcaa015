"""Conditional GET for articles already stored.

Two halves in one module:

- :class:`KnownArticlesMiddleware` (spider middleware) looks up, with one ``store.known()``
  call per list page, the stored ETag / Last-Modified of the article requests that page
  yields, and puts them in ``request.meta["govnews_known"]`` — no per-request round trip.
- :class:`ConditionalGetMiddleware` (downloader middleware) turns them into If-None-Match /
  If-Modified-Since headers and ends a request answered 304 as unchanged
  (``govnews/refresh/not_modified``). Redirected requests (new URL) are looked up one by one.
  An article answered 304 is still there: :class:`SeenUnchanged` sets its ``last_seen`` with
  one update per ``GOVNEWS_SEEN_BATCH`` articles and one when the spider has no request left
  (``govnews/refresh/seen_unchanged``; ``govnews/refresh/seen_failed`` when MongoDB was away,
  which costs nothing but that date).

Bodies that do come back are compared by content hash in storage (``govnews/mongo/unchanged``).
"""
from __future__ import annotations

import asyncio
import logging
import time

import pymongo

from scrapy import Request, signals
from scrapy.exceptions import IgnoreRequest, NotConfigured

from crawler.database import shared_store

logger = logging.getLogger(__name__)


def _enabled(crawler) -> None:
    settings = crawler.settings
    if not settings.getbool("GOVNEWS_CONDITIONAL_ENABLED"):
        raise NotConfigured("GOVNEWS_CONDITIONAL_ENABLED is off")
    if not settings.getbool("GOVNEWS_MONGO_ENABLED"):
        raise NotConfigured("no store to read ETag / Last-Modified from (GOVNEWS_MONGO_ENABLED is off)")


class StoreLookups:
    """The crawl's ``store.known()`` calls, bounded: each may take ``GOVNEWS_LOOKUP_TIMEOUT``
    seconds (default 2), and after a failure (MongoDB away) none is tried for
    ``GOVNEWS_LOOKUP_BACKOFF`` seconds (default 30) — requests go out unconditional meanwhile,
    and storage's content hash still keeps an unchanged article from being stored again. So
    an outage costs the crawl seconds, not a server-selection timeout per list page."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.timeout = crawler.settings.getfloat("GOVNEWS_LOOKUP_TIMEOUT")
        self.backoff = crawler.settings.getfloat("GOVNEWS_LOOKUP_BACKOFF")
        self.paused_until = 0.0

    @classmethod
    def of(cls, crawler) -> "StoreLookups":
        lookups = getattr(crawler, "_govnews_lookups", None)
        if lookups is None:
            lookups = cls(crawler)
            crawler._govnews_lookups = lookups
        return lookups

    def _known(self, urls: list[str]) -> dict:
        with pymongo.timeout(self.timeout):
            return shared_store(self.crawler).known(urls)

    async def __call__(self, urls: list[str]) -> dict:
        if time.monotonic() < self.paused_until:
            self.stats.inc_value("govnews/refresh/lookups_skipped")
            return {}
        try:
            return await asyncio.to_thread(self._known, urls)
        except Exception as exc:  # a store hiccup must not stop the crawl: fetch in full
            self.paused_until = time.monotonic() + self.backoff
            self.stats.inc_value("govnews/refresh/lookups_failed")
            logger.warning("store lookup of %d URLs failed (%s: %s); fetching without conditional GET for "
                           "%.0fs", len(urls), type(exc).__name__, str(exc).split(",")[0][:200], self.backoff)
            return {}


async def _lookup(crawler, urls: list[str]) -> dict:
    return await StoreLookups.of(crawler)(urls)


class KnownArticlesMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        _enabled(crawler)
        return cls(crawler)

    async def process_spider_output_async(self, response, result):
        out = [r async for r in result]
        articles = [r for r in out if isinstance(r, Request) and r.meta.get("govnews_kind") == "article"
                    and "govnews_known" not in r.meta]
        if articles:
            known = await _lookup(self.crawler, [r.url for r in articles])
            for request in articles:
                request.meta["govnews_known"] = known.get(request.url) or {}
        for r in out:
            yield r

    def process_spider_output(self, response, result):  # sync fallback: no lookup
        yield from result

    async def process_start(self, start):
        async for r in start:
            yield r


class SeenUnchanged:
    """Store keys of articles answered 304, whose ``last_seen`` is set in bulk."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.batch = max(1, crawler.settings.getint("GOVNEWS_SEEN_BATCH"))
        self.timeout = crawler.settings.getfloat("GOVNEWS_LOOKUP_TIMEOUT")
        self.keys: list[str] = []
        # The rest is written when the spider runs out of requests (before the crawl's final
        # stats are taken), else when it closes: this handler is connected before the shared
        # store's own (connected when the store opens), so it runs while the store is open.
        crawler.signals.connect(self.flush, signal=signals.spider_idle)
        crawler.signals.connect(self.flush, signal=signals.spider_closed)

    def add(self, key: str | None) -> list[str]:
        """Note ``key``; returns the keys to write now (a full batch), else []."""
        if key:
            self.keys.append(key)
        if len(self.keys) < self.batch:
            return []
        keys, self.keys = self.keys, []
        return keys

    def write(self, keys: list[str]) -> None:
        if not keys:
            return
        try:
            with pymongo.timeout(self.timeout):
                shared_store(self.crawler).touch(keys)
        except Exception as exc:   # only last_seen is lost: never stop the crawl for it
            self.stats.inc_value("govnews/refresh/seen_failed", len(keys))
            logger.warning("could not mark %d unchanged articles as seen (%s: %s)", len(keys),
                           type(exc).__name__, str(exc).split(",")[0][:200])
            return
        self.stats.inc_value("govnews/refresh/seen_unchanged", len(keys))

    def flush(self, *_args, **_kwargs) -> None:
        keys, self.keys = self.keys, []
        self.write(keys)


class ConditionalGetMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.seen = SeenUnchanged(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        _enabled(crawler)
        return cls(crawler)

    async def process_request(self, request):
        if request.meta.get("govnews_kind") != "article" or request.method != "GET":
            return None
        entry = request.meta.get("govnews_known")
        if entry is None or request.meta.get("redirect_urls"):
            entry = (await _lookup(self.crawler, [request.url])).get(request.url) or {}
            request.meta["govnews_known"] = entry     # the WARC revisit of a 304 points at its stored copy
            self.stats.inc_value("govnews/refresh/single_lookups")
        added = False
        if entry.get("etag"):
            request.headers.setdefault("If-None-Match", entry["etag"])
            added = True
        if entry.get("last_modified"):
            request.headers.setdefault("If-Modified-Since", entry["last_modified"])
            added = True
        if added:
            request.meta["govnews_conditional"] = entry.get("key") or True
            self.stats.inc_value("govnews/refresh/conditional_requests")
        return None

    async def process_response(self, request, response):
        if response.status == 304 and request.meta.get("govnews_conditional"):
            self.stats.inc_value("govnews/refresh/not_modified")
            key = request.meta["govnews_conditional"]
            batch = self.seen.add(key if isinstance(key, str) else None)
            if batch:
                await asyncio.to_thread(self.seen.write, batch)
            raise IgnoreRequest(f"not modified: {request.url}")
        return response
