"""Writes the crawl's final stats as JSON to ``GOVNEWS_STATS_FILE`` (used by `govnews
refresh` / `govnews demo` for their per-site summary, and by the benchmark)."""
from __future__ import annotations

import json
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured


class StatsFile:
    def __init__(self, stats, path: str):
        self.stats = stats
        self.path = Path(path)

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("GOVNEWS_STATS_FILE")
        if not path:
            raise NotConfigured("GOVNEWS_STATS_FILE is not set")
        ext = cls(crawler.stats, path)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider, reason):
        stats = dict(self.stats.get_stats())
        stats["finish_reason"] = reason
        self.path.write_text(json.dumps(stats, default=str, ensure_ascii=False, indent=1), "utf-8")
