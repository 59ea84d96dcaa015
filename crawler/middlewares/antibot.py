"""Anti-bot blocks at the HTTP level: a 412 answer or a Ruishu (瑞数) JavaScript shell
(recognised by :func:`cleaners.antibot.is_ruishu_shell`, the cleaner's own definition) is a
block, reported per site (``govnews/blocked/<site>`` + a WARNING line) and dropped. Blocks
that look like pages (captcha, login wall) are caught by the cleaner's ``blocked`` status in
ValidatePipeline.

An article page blocked here still counts as fetched: ``govnews/blocks/article_pages`` beside
the spider's ``govnews/spider/article_pages`` (see ``CrawlResult.fetched``)."""
from __future__ import annotations

import logging

from scrapy.exceptions import IgnoreRequest

from cleaners.antibot import is_ruishu_shell

logger = logging.getLogger(__name__)
BLOCK_STATUSES = (412,)
SHELL_MAX_BYTES = 64 * 1024


def site_name(spider) -> str:
    """The registry name of the crawl's site (the spider name when it has none)."""
    return getattr(getattr(spider, "site", None), "name", None) or getattr(spider, "name", "?")


class AntiBotMiddleware:
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
        if len(response.body) <= SHELL_MAX_BYTES and is_ruishu_shell(response.body):
            why = (why + ", " if why else "") + "Ruishu JavaScript challenge shell"
        if why is None:
            return response
        site = site_name(self.crawler.spider)
        self.stats.inc_value(f"govnews/blocked/{site}")
        self.stats.inc_value("govnews/blocks/total")
        if request.meta.get("govnews_kind") == "article":
            self.stats.inc_value("govnews/blocks/article_pages")
        logger.warning("BLOCKED %s (site %s): %s — anti-bot block, reported and not stored",
                       request.url, site, why)
        raise IgnoreRequest(f"blocked: {why}")
