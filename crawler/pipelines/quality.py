"""What the crawl's records look like, for the site's health (:mod:`crawler.health`).

Sits after cleaning and before validation, so it sees every cleaned record, empty ones
included; blocked pages are not records of the site's template and are left out. Stats:
``govnews/quality/records`` (records seen), ``govnews/quality/with_date`` / ``with_source``
/ ``with_title`` (records carrying a publish date / source / title) and, on close,
``govnews/quality/median_text_length`` (over the ok records). A template change that moves
the body or the date shows here on the first crawl after it, even when the stored text does
not change.
"""
from __future__ import annotations

import statistics

from scrapy.exceptions import NotConfigured

FIELDS = (("published_at", "with_date"), ("source", "with_source"), ("title", "with_title"))


class QualityStatsPipeline:
    def __init__(self, stats):
        self.stats = stats
        self.lengths: list[int] = []

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("GOVNEWS_QUALITY_ENABLED"):
            raise NotConfigured("GOVNEWS_QUALITY_ENABLED is off")
        return cls(crawler.stats)

    def process_item(self, item):
        status = item.get("status")
        if status == "blocked":
            return item
        self.stats.inc_value("govnews/quality/records")
        for field, key in FIELDS:
            if item.get(field):
                self.stats.inc_value(f"govnews/quality/{key}")
        if status == "ok":
            self.lengths.append(int(item.get("text_length") or 0))
        return item

    def close_spider(self):
        if self.lengths:
            self.stats.set_value("govnews/quality/median_text_length", int(statistics.median(self.lengths)))
