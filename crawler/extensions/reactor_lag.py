"""Measures how long the event loop is held up (e.g. by CPU work in a pipeline).

A timer that should fire every 50 ms records how late it fires:
``govnews/reactor/max_lag_ms``, ``govnews/reactor/lag_over_100ms`` (count) and
``govnews/reactor/ticks``."""
from __future__ import annotations

import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task


class ReactorLag:
    interval = 0.05

    def __init__(self, stats):
        self.stats = stats
        self.loop: task.LoopingCall | None = None
        self.last = 0.0
        self.max_lag = 0.0

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("GOVNEWS_REACTOR_LAG_ENABLED"):
            raise NotConfigured("GOVNEWS_REACTOR_LAG_ENABLED is off")
        ext = cls(crawler.stats)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider):
        self.last = time.perf_counter()
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(self.interval, now=False)

    def tick(self):
        now = time.perf_counter()
        lag = max(0.0, now - self.last - self.interval)
        self.last = now
        self.stats.inc_value("govnews/reactor/ticks")
        if lag > 0.1:
            self.stats.inc_value("govnews/reactor/lag_over_100ms")
        if lag > self.max_lag:
            self.max_lag = lag
            self.stats.set_value("govnews/reactor/max_lag_ms", round(lag * 1000, 1))

    def spider_closed(self, spider, reason):
        if self.loop is not None and self.loop.running:
            self.loop.stop()
