"""Tunes the crawler's garbage collector once the spider is open (:func:`crawler.gc_tuning.tune`)
and reports what collecting cost: ``govnews/gc/threshold``, ``govnews/gc/collections``,
``govnews/gc/ms_total``.

``GOVNEWS_GC_THRESHOLD`` is the young-generation threshold; 0 leaves CPython's defaults (and
reports all the same)."""
from __future__ import annotations

from scrapy import signals

from crawler.gc_tuning import CollectionTimer, tune


class GcStats:
    def __init__(self, stats, threshold: int):
        self.stats = stats
        self.threshold = threshold
        self.timer = CollectionTimer()

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler.stats, crawler.settings.getint("GOVNEWS_GC_THRESHOLD"))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider):
        self.stats.set_value("govnews/gc/threshold", self.threshold if tune(self.threshold) else 0)
        self.timer.start()

    def spider_closed(self, spider, reason):
        self.timer.stop()
        self.stats.set_value("govnews/gc/collections", self.timer.collections)
        self.stats.set_value("govnews/gc/ms_total", int(self.timer.seconds * 1000))
