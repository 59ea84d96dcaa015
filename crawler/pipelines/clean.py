"""Cleaning: ArticlePages → record, through ``cleaners.pages.clean_pages`` (which calls
``cleaners.clean`` on each page and merges the pages of a multi-page article).

Cleaning is CPU work (≈20–40 ms a page): run inline it holds up the event loop, so
downloads stall while a page is cleaned (``govnews/reactor/max_lag_ms`` shows it). With
``GOVNEWS_CLEAN_WORKERS`` > 0 (default −1: one per core) it runs in a process pool and the
reactor only awaits the result. The workers run at ``GOVNEWS_CLEAN_NICE`` (default +5): when
the cores are short, the reactor, which paces every download, goes first, and the cleaning
backlog it builds is worked off in the gaps (about +5% pages/s on bench/crawl.py, 2 cores).
"""
from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor

from scrapy.exceptions import NotConfigured

from cleaners.pages import clean_pages
from cleaners.record import low_confidence
from crawler.gc_tuning import tune

BOOKKEEPING = ("site", "fetched_at", "etag", "last_modified", "request_url", "warc")


def _init_worker(gc_threshold: int, nice: int) -> None:
    """Runs once in every worker process, before its first page."""
    if nice:
        os.setpriority(os.PRIO_PROCESS, 0, max(nice, os.getpriority(os.PRIO_PROCESS, 0)))
    tune(gc_threshold)


def _worker_state() -> tuple[int, int]:
    return os.getpriority(os.PRIO_PROCESS, 0), gc.get_threshold()[0]


class CleanPipeline:
    def __init__(self, stats, workers: int, gc_threshold: int, nice: int = 0):
        self.stats = stats
        self.workers = workers
        self.gc_threshold = gc_threshold
        self.nice = nice
        self.pool: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("GOVNEWS_CLEAN_ENABLED"):
            raise NotConfigured("GOVNEWS_CLEAN_ENABLED is off")
        workers = crawler.settings.getint("GOVNEWS_CLEAN_WORKERS")
        if workers < 0:
            workers = os.cpu_count() or 1
        return cls(crawler.stats, workers, crawler.settings.getint("GOVNEWS_GC_THRESHOLD"),
                   crawler.settings.getint("GOVNEWS_CLEAN_NICE"))

    async def open_spider(self):
        if self.workers > 0:
            self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_init_worker, initargs=(self.gc_threshold, self.nice))
            # start the workers (and their imports) now, not on the first article
            states = await asyncio.gather(*(asyncio.wrap_future(self.pool.submit(_worker_state))
                                            for _ in range(self.workers)))
            self.stats.set_value("govnews/clean/worker_nice", min(n for n, _ in states))
            self.stats.set_value("govnews/clean/worker_gc_threshold", min(t for _, t in states))
        self.stats.set_value("govnews/clean/workers", self.workers)

    async def close_spider(self):
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    async def process_item(self, item):
        started = time.perf_counter()
        pages = item["pages"]
        if self.pool is not None:
            record = await asyncio.wrap_future(self.pool.submit(clean_pages, pages))
        else:
            record = clean_pages(pages)
        self.stats.inc_value("govnews/clean/items")
        self.stats.inc_value("govnews/clean/pages", len(pages))
        self.stats.inc_value("govnews/clean/ms_total", int((time.perf_counter() - started) * 1000))
        self.stats.inc_value(f"govnews/clean/status/{record['status']}")
        for key in BOOKKEEPING:
            if item.get(key) is not None:
                record[key] = item[key]
        if low_confidence(record):
            self.stats.inc_value("govnews/clean/low_confidence")
            self.stats.inc_value(f"govnews/low_confidence/{record.get('site') or 'unknown'}")
        return record
