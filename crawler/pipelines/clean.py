"""Cleaning: ArticlePages → record, through ``cleaners.pages.clean_pages`` (which calls
``cleaners.clean`` on each page and merges the pages of a multi-page article).

Cleaning is CPU work (≈5–40 ms a page): run inline it holds up the event loop, so
downloads stall while a page is cleaned (``govnews/reactor/max_lag_ms`` shows it). With
``GOVNEWS_CLEAN_WORKERS`` > 0 (default −1: one per core) it runs in a process pool and the
reactor only awaits the result. The workers run at ``GOVNEWS_CLEAN_NICE`` (default +5): when
the cores are short, the reactor, which paces every download, goes first, and the cleaning
backlog it builds is worked off in the gaps (about +5% pages/s on bench/crawl.py, 2 cores).

Items go to the pool in batches, not one task each: every task costs the reactor a wake-up
of the pool's threads and a callback per result, and on two cores those hand-offs of the
interpreter lock are what the reactor waits on. An item is sent at once while a worker is
idle (a lone item waits for nothing); while every worker is busy, items gather and go as one
task (at most ``GOVNEWS_CLEAN_BATCH``) when a worker frees up. So batches grow only when they
would wait anyway, and the last ones go when the running ones finish (and on close).
Stats: ``govnews/clean/batches`` beside ``govnews/clean/items``.

With dedupe and the store on, a record's near-duplicate signature is made here too, in the
pool, with the store's own Dedupe (crawler.dedupe), so that the store's writer thread, which
shares the interpreter lock with the reactor, does not make it. What the workers run is in
crawler.clean_worker, which does not import Scrapy.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor

from scrapy.exceptions import NotConfigured

from cleaners.pages import clean_pages
from cleaners.record import low_confidence
from crawler.clean_worker import clean_batch, init_worker, sign, worker_state
from crawler.dedupe import dedupe_options
from storage.dedupe import Dedupe

BOOKKEEPING = ("site", "fetched_at", "etag", "last_modified", "request_url", "warc")


class CleanPipeline:
    def __init__(self, stats, workers: int, gc_threshold: int, nice: int = 0, batch: int = 16,
                 dedupe: Dedupe | None = None):
        self.stats = stats
        self.dedupe = dedupe
        self.workers = workers
        self.gc_threshold = gc_threshold
        self.nice = nice
        self.batch = max(1, batch)
        self.pool: ProcessPoolExecutor | None = None
        self.waiting: list[tuple[list[dict], asyncio.Future]] = []   # items not yet sent to the pool
        self.running = 0                                              # batches in the pool

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("GOVNEWS_CLEAN_ENABLED"):
            raise NotConfigured("GOVNEWS_CLEAN_ENABLED is off")
        workers = settings.getint("GOVNEWS_CLEAN_WORKERS")
        if workers < 0:
            workers = os.cpu_count() or 1
        dedupe = dedupe_options(settings) if settings.getbool("GOVNEWS_MONGO_ENABLED") else None
        return cls(crawler.stats, workers, settings.getint("GOVNEWS_GC_THRESHOLD"),
                   settings.getint("GOVNEWS_CLEAN_NICE"), settings.getint("GOVNEWS_CLEAN_BATCH"), dedupe)

    async def open_spider(self):
        if self.workers > 0:
            self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=init_worker, initargs=(self.gc_threshold, self.nice))
            # start the workers (and their imports) now, not on the first article
            states = await asyncio.gather(*(asyncio.wrap_future(self.pool.submit(worker_state))
                                            for _ in range(self.workers)))
            self.stats.set_value("govnews/clean/worker_nice", min(n for n, _ in states))
            self.stats.set_value("govnews/clean/worker_gc_threshold", min(t for _, t in states))
        self.stats.set_value("govnews/clean/workers", self.workers)

    async def close_spider(self):
        if self.pool is not None:
            while self.waiting:     # nothing should be left; if it is, it is cleaned, not dropped
                self._send()
            self.pool.shutdown(wait=True, cancel_futures=False)
            self.pool = None

    async def process_item(self, item):
        started = time.perf_counter()
        pages = item["pages"]
        if self.pool is not None:
            future = asyncio.get_running_loop().create_future()
            self.waiting.append((pages, future))
            if self.running < self.workers or len(self.waiting) >= self.batch:
                self._send()
            record = await future
        else:
            record = clean_pages(pages)
            if self.dedupe:
                sign(record, self.dedupe)
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

    def _send(self) -> None:
        """Send up to ``batch`` waiting items to the pool as one task."""
        sent, self.waiting = self.waiting[:self.batch], self.waiting[self.batch:]
        futures = [future for _, future in sent]
        try:
            task = asyncio.wrap_future(self.pool.submit(clean_batch, [pages for pages, _ in sent], self.dedupe))
        except Exception as exc:     # a broken pool: these items fail, none is left waiting
            for future in futures:
                if not future.done():
                    future.set_exception(exc)
            return
        self.running += 1
        self.stats.inc_value("govnews/clean/batches")
        task.add_done_callback(lambda done: self._done(done, futures))

    def _done(self, task: asyncio.Future, futures: list[asyncio.Future]) -> None:
        self.running -= 1
        if task.cancelled() or task.exception() is not None:
            error = task.exception() if not task.cancelled() else asyncio.CancelledError()
            results = [(None, error)] * len(futures)
        else:
            results = task.result()
        for future, (record, error) in zip(futures, results):
            if future.done():
                continue
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(record)
        if self.waiting and self.pool is not None and self.running < self.workers:
            self._send()
