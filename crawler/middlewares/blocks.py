"""Block detection at the HTTP level: a 412 answer or a Ruishu (瑞数) JavaScript shell is a
block, reported per site (``govnews/blocked/<site>`` + a WARNING line) and dropped. Blocks
that look like pages (captcha, login wall) are caught by the cleaner's ``blocked`` status in
ValidatePipeline."""
from __future__ import annotations

import logging
import re

from scrapy.exceptions import IgnoreRequest

logger = logging.getLogger(__name__)
RUISHU = re.compile(rb"\$_ts\s*=|\$_ts\.(?:nsd|cd)\b|<meta[^>]+\br=[\"']m[\"']", re.I)
BLOCK_STATUSES = (412,)
SHELL_MAX_BYTES = 64 * 1024


class BlockDetectionMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response):
        why = None
        if response.status in BLOCK_STATUSES:
            why = f"HTTP {response.status}"
        if len(response.body) <= SHELL_MAX_BYTES and RUISHU.search(response.body[:SHELL_MAX_BYTES]):
            why = (why + ", " if why else "") + "Ruishu JavaScript challenge shell"
        if why is None:
            return response
        spider = self.crawler.spider
        site = getattr(getattr(spider, "site", None), "name", None) or getattr(spider, "name", "?")
        self.stats.inc_value(f"govnews/blocked/{site}")
        self.stats.inc_value("govnews/blocks/total")
        logger.warning("BLOCKED %s (site %s): %s — anti-bot block, reported and not stored",
                       request.url, site, why)
        raise IgnoreRequest(f"blocked: {why}")
