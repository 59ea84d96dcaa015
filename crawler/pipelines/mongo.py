"""MongoDB storage through ``govnews.storage.ArticleStore``: records are buffered and written
with one bulk upsert per ``GOVNEWS_MONGO_BATCH`` records (and on close). The store keeps the
unique index, first_seen / last_seen / fetched_at, content_hash and the history of changed
articles; this pipeline only batches and counts."""
from __future__ import annotations

import asyncio
import logging
import time

from scrapy.exceptions import NotConfigured

from crawler.store import shared_store

logger = logging.getLogger(__name__)


class MongoPipeline:
    def __init__(self, crawler, batch: int):
        self.crawler = crawler
        self.stats = crawler.stats
        self.batch = max(1, batch)
        self.buffer: list[dict] = []
        self.store = None
        self.lock = asyncio.Lock()

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("GOVNEWS_MONGO_ENABLED", True):
            raise NotConfigured("GOVNEWS_MONGO_ENABLED is off")
        return cls(crawler, crawler.settings.getint("GOVNEWS_MONGO_BATCH", 100))

    def open_spider(self):
        self.store = shared_store(self.crawler)

    async def process_item(self, item):
        self.buffer.append(dict(item))
        if len(self.buffer) >= self.batch:
            await self.flush()
        return item

    async def close_spider(self):
        await self.flush()

    async def flush(self):
        async with self.lock:
            records, self.buffer = self.buffer, []
            if not records:
                return
            started = time.perf_counter()
            try:
                result = await asyncio.to_thread(self.store.upsert_many, records)
                self.stats.inc_value("govnews/mongo/ms_total", int((time.perf_counter() - started) * 1000))
            except Exception:
                logger.exception("bulk upsert of %d records failed", len(records))
                self.stats.inc_value("govnews/mongo/failed", len(records))
                return
            for name in ("inserted", "updated", "unchanged", "failed"):
                self.stats.inc_value(f"govnews/mongo/{name}", getattr(result, name, 0) or 0)
            self.stats.inc_value("govnews/mongo/batches")
