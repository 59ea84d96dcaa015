"""Validation: only ``ok`` records go on. Empty and error records are dropped with a stats
key and a log line; blocked pages (anti-bot shells, captchas, login walls) are reported per
site and never stored."""
from __future__ import annotations

import logging

from scrapy.exceptions import DropItem, NotConfigured

logger = logging.getLogger(__name__)


class ValidatePipeline:
    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("GOVNEWS_VALIDATE_ENABLED"):
            raise NotConfigured("GOVNEWS_VALIDATE_ENABLED is off")
        return cls(crawler.stats)

    def process_item(self, item):
        status = item.get("status")
        if status == "ok":
            self.stats.inc_value("govnews/validate/ok")
            return item
        site = item.get("site") or "?"
        if status == "blocked":
            self.stats.inc_value("govnews/validate/dropped_blocked")
            self.stats.inc_value(f"govnews/blocked/{site}")
            logger.warning("BLOCKED %s (site %s): %s — reported, not stored", item.get("url"), site, item.get("reason"))
            raise DropItem(f"blocked: {item.get('reason')}", log_level="INFO")
        self.stats.inc_value(f"govnews/validate/dropped_{status}")
        logger.info("dropped %s record %s: %s", status, item.get("url"), item.get("reason"))
        raise DropItem(f"{status}: {item.get('reason')}", log_level="DEBUG")
