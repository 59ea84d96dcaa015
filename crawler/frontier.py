"""The crawl frontier: in this process (resumable from ``JOBDIR``) or shared through Redis.

``SCHEDULER = "crawler.frontier.FrontierScheduler"`` picks one per crawl:

- ``GOVNEWS_REDIS_URL`` set (setting or environment): :class:`RedisScheduler`, scrapy-redis'
  scheduler with its request queue and duplicate filter in Redis, so several crawler
  processes, on one machine or many, share one frontier per site and each request is fetched
  by one of them.
- otherwise Scrapy's own through :class:`crawler.jobdir.ResumableScheduler` (Scrapy's, safe to resume after a kill).

Redis keys: ``govnews:<GOVNEWS_REDIS_JOB>:<site>:requests`` (a sorted set of pickled
requests) and ``...:dupefilter`` (a set of fingerprints). They are kept when a process
closes (another may still be working on the site) and expire ``GOVNEWS_REDIS_TTL`` seconds
after the last process opened them. A new crawl round that should fetch everything again
needs a new ``GOVNEWS_REDIS_JOB`` (``-s GOVNEWS_REDIS_JOB=$(date -u +%Y%m%dT%H)`` in cron).

A process whose own work is done does not close while the shared queue is empty but another
process is busy (``...:busy:<host>:<pid>``, set when it takes a request, removed when it is
idle, expiring after :data:`BUSY_TTL` seconds if it dies): that one may still add requests.
Idle processes look again on Scrapy's 5-second heartbeat.

scrapy-redis 0.9.1 works with Scrapy 2.19 and its asyncio reactor as is (blocking redis-py
calls of well under a millisecond on the reactor thread; only its ``stats.inc_value(...,
spider=)`` calls warn). What it lacks, and the subclass adds: a key per site (its keys use the
spider name, and every govnews crawl is the spider ``site``), the URL from a govnews setting,
keys that outlive one process but expire, and no early close while another process works.
"""
from __future__ import annotations

import logging
import os
import socket

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.misc import load_object

from crawler.jobdir import ResumableScheduler
from storage.redact import redact_uri

logger = logging.getLogger(__name__)
BUSY_TTL = 300      # seconds a process that died while busy keeps the others waiting


class FrontierScheduler(ResumableScheduler):
    """The resumable scheduler, unless ``GOVNEWS_REDIS_URL`` asks for the shared one (then
    ``from_crawler`` builds a :class:`RedisScheduler` instead)."""

    @classmethod
    def from_crawler(cls, crawler):
        if crawler.settings.get("GOVNEWS_REDIS_URL"):
            return RedisScheduler.from_crawler(crawler)
        return super().from_crawler(crawler)


def frontier_key(job: str, site: str) -> str:
    """
    >>> frontier_key("20240601T06", "zhangye-kjj")
    'govnews:20240601T06:zhangye-kjj'
    >>> frontier_key("100%", "x")     # scrapy-redis %-formats keys
    'govnews:100%%:x'
    """
    return f"govnews:{job}:{site}".replace("%", "%%")


try:
    from scrapy_redis.scheduler import Scheduler as _RedisBase
except ImportError:        # scrapy-redis missing: only an error when GOVNEWS_REDIS_URL asks for it
    _RedisBase = object


class RedisScheduler(_RedisBase):
    @classmethod
    def from_crawler(cls, crawler):
        if _RedisBase is object:
            raise RuntimeError("GOVNEWS_REDIS_URL is set but scrapy-redis is not installed")
        import redis
        from scrapy_redis import picklecompat

        settings = crawler.settings
        url = settings.get("GOVNEWS_REDIS_URL")
        server = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10, retry_on_timeout=True)
        server.ping()
        instance = cls(server=server, persist=True,
                       queue_cls=settings.get("SCHEDULER_QUEUE_CLASS") or "scrapy_redis.queue.PriorityQueue",
                       idle_before_close=0, serializer=picklecompat)
        instance.stats = crawler.stats
        instance.job = settings.get("GOVNEWS_REDIS_JOB") or "default"
        instance.ttl = settings.getint("GOVNEWS_REDIS_TTL")
        instance.redacted_url = redact_uri(url)
        instance.worker = f"{socket.gethostname()}:{os.getpid()}"
        crawler.signals.connect(instance.spider_idle, signal=signals.spider_idle)
        return instance

    def open(self, spider):
        from scrapy_redis.dupefilter import RFPDupeFilter

        self.spider = spider
        site = getattr(getattr(spider, "site", None), "name", None) or spider.name
        base = frontier_key(self.job, site)
        self.queue = load_object(self.queue_cls)(server=self.server, spider=spider, key=f"{base}:requests",
                                                 serializer=self.serializer)
        self.df = RFPDupeFilter(self.server, key=f"{base}:dupefilter".replace("%%", "%"))
        self.busy_prefix = f"{base}:busy:".replace("%%", "%")
        self.keys = (self.queue.key, self.df.key)
        for key in self.keys:
            self.server.expire(key, self.ttl)
        pending = len(self.queue)
        logger.info("shared frontier %s at %s (%d requests pending)", base.replace("%%", "%"),
                    self.redacted_url, pending)

    # enqueue_request / next_request as scrapy-redis', minus the ``spider=`` argument to the
    # stats that Scrapy 2.19 deprecates, plus the key expiry and the busy mark.
    def enqueue_request(self, request):
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        if self.ttl:
            self.server.expire(self.queue.key, self.ttl)   # the keys may not have existed at open
            self.server.expire(self.df.key, self.ttl)
        return True

    def next_request(self):
        request = self.queue.pop(0)
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
            # Busy until idle: this process may still add requests to the shared queue.
            self.server.set(self.busy_prefix + self.worker, 1, ex=BUSY_TTL)
        return request

    def spider_idle(self, spider):
        """Our part is done, but the queue may refill: stay while another process is busy."""
        self.server.delete(self.busy_prefix + self.worker)
        others = [k for k in self.server.scan_iter(match=_glob_escape(self.busy_prefix) + "*", count=100)]
        if others or len(self.queue):
            self.stats.inc_value("govnews/frontier/idle_waits")
            raise DontCloseSpider("other processes are still crawling this frontier")

    def close(self, reason):
        self.server.delete(self.busy_prefix + self.worker)
        return super().close(reason)


def _glob_escape(text: str) -> str:
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)
