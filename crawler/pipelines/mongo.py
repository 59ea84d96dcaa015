"""MongoDB storage through :class:`storage.ArticleStore`, with nothing lost on the way.

Every record is first appended to this crawl's spool (:mod:`storage.spool`, a JSON-lines
write-ahead log under ``GOVNEWS_SPOOL_DIR``, fsynced; the records that arrive while one
append runs go together in the next, one write and one fsync) and only then buffered; the buffer is
written with one bulk upsert per ``GOVNEWS_MONGO_BATCH`` records (and on close), after which
the spool forgets those records. So:

- MongoDB unreachable (``ConnectionFailure``: ``AutoReconnect``, ``ServerSelectionTimeoutError``,
  network timeouts): records stay in the spool and the buffer; the write is retried with
  exponential backoff (``GOVNEWS_MONGO_RETRY_MAX`` seconds at most between tries) while the
  crawl goes on, and everything is written when MongoDB answers again. Each write runs in a
  thread under ``pymongo.timeout(GOVNEWS_MONGO_WRITE_TIMEOUT)``, so an outage costs the
  reactor nothing and a try no more than that.
- MongoDB unreachable when the crawl opens is the same outage: the store is opened on the
  first write that succeeds.
- On close the pipeline waits up to ``GOVNEWS_MONGO_OUTAGE_WAIT`` seconds for MongoDB; records
  still unwritten stay in the spool file (``govnews/mongo/left_in_spool``).
- On open, spools left by earlier processes (killed, or closed during an outage) for the same
  database are adopted and written first. Upserts are keyed on the canonical URL, so a record
  written twice is stored once.

Stats: ``govnews/mongo/{inserted,updated,unchanged,failed,older,batches,ms_total}`` as before, plus
``govnews/mongo/spooled`` (records held back by an outage), ``govnews/mongo/replayed`` (held
or adopted records written later), ``govnews/mongo/adopted`` (records taken over from earlier
processes' spools) and ``govnews/mongo/outages``; with ``GOVNEWS_DEDUPE_ENABLED`` the store signs
and clusters what it writes (:mod:`storage.clusters`): ``govnews/dedupe/clustered`` records,
``govnews/dedupe/joined`` of them put with republished copies.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from pathlib import Path

import pymongo
from pymongo.errors import ConnectionFailure, PyMongoError
from scrapy.exceptions import NotConfigured

from crawler.database import shared_store
from storage.paths import spool_dir
from storage.redact import redact_uri
from storage.spool import Spool

logger = logging.getLogger(__name__)


def is_unreachable(exc: BaseException) -> bool:
    """True for errors that mean "MongoDB is not there right now" (retry later), as opposed
    to errors about the records themselves."""
    return isinstance(exc, ConnectionFailure) or (isinstance(exc, PyMongoError) and bool(getattr(exc, "timeout", False)))


def spool_target(uri: str, db: str, collection: str) -> str:
    """Where spooled records are bound: the configured URI (password redacted; ``embedded``
    for the embedded server, whose port changes between runs), database and collection."""
    return f"{redact_uri(uri) if uri else 'embedded'}/{db}/{collection}"


class MongoPipeline:
    def __init__(self, crawler, batch: int, spool_dir: Path, write_timeout: float, outage_wait: float,
                 retry_max: float):
        self.crawler = crawler
        self.stats = crawler.stats
        self.batch = max(1, batch)
        self.spool_dir = spool_dir
        self.write_timeout = write_timeout
        self.outage_wait = outage_wait
        self.retry_max = retry_max
        self.buffer: list[dict] = []     # the records in the spool, in the same order
        self.held = 0                    # leading buffer records already counted as spooled / adopted
        self.store = None
        self.spool: Spool | None = None
        self.spool_lock = asyncio.Lock()     # spool file + buffer change together
        self.write_lock = asyncio.Lock()     # one bulk write at a time
        self.down = False
        self.closing = False
        self.retry_task: asyncio.Task | None = None
        self.retry_sleeping = False
        self.unspooled: list[tuple[dict, asyncio.Future]] = []   # records waiting for the spool write
        self.spool_task: asyncio.Task | None = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("GOVNEWS_MONGO_ENABLED"):
            raise NotConfigured("GOVNEWS_MONGO_ENABLED is off")
        spool = settings.get("GOVNEWS_SPOOL_DIR") or spool_dir()
        return cls(crawler, settings.getint("GOVNEWS_MONGO_BATCH"), Path(spool).expanduser(),
                   write_timeout=settings.getfloat("GOVNEWS_MONGO_WRITE_TIMEOUT"),
                   outage_wait=settings.getfloat("GOVNEWS_MONGO_OUTAGE_WAIT"),
                   retry_max=settings.getfloat("GOVNEWS_MONGO_RETRY_MAX"))

    async def open_spider(self):
        settings, spider = self.crawler.settings, self.crawler.spider
        site = getattr(getattr(spider, "site", None), "name", None)
        target = spool_target(settings.get("GOVNEWS_MONGO_URI") or "", settings.get("GOVNEWS_MONGO_DB"),
                              settings.get("GOVNEWS_MONGO_COLLECTION"))
        self.spool = Spool(self.spool_dir, f"{spider.name}-{site}" if site else spider.name, target=target)
        await asyncio.to_thread(self.spool.open)
        self.buffer = await asyncio.to_thread(self.spool.adopt_orphans)
        self.held = len(self.buffer)
        try:   # MongoDB away at the start is an outage like any other: records wait in the spool
            await asyncio.to_thread(self._open_store)
        except Exception as exc:
            if not is_unreachable(exc):
                raise
            self._note_outage(exc, len(self.buffer))
        if self.buffer:
            logger.info("replaying %d records spooled by earlier crawls", len(self.buffer))
            self.stats.inc_value("govnews/mongo/adopted", len(self.buffer))
            if not await self.flush():
                self._start_retrying()

    async def process_item(self, item):
        record = dict(item)
        future = asyncio.get_running_loop().create_future()
        self.unspooled.append((record, future))
        if self.spool_task is None:
            self.spool_task = asyncio.ensure_future(self._spool_waiting())
        await future
        if len(self.buffer) >= self.batch and self.retry_task is None:
            if not await self.flush():
                self._start_retrying()
        return item

    async def close_spider(self):
        self.closing = True
        task = self.retry_task
        if task is not None:
            if self.retry_sleeping:
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        deadline = time.monotonic() + self.outage_wait
        delay = 0.5
        while not await self.flush():
            if time.monotonic() + delay > deadline:
                break
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.retry_max)
        if self.buffer:
            self.stats.set_value("govnews/mongo/left_in_spool", len(self.buffer))
            logger.error("MongoDB still unreachable after %.0fs: %d records left in %s; the next crawl "
                         "writes them", self.outage_wait, len(self.buffer), self.spool.path)
        await asyncio.to_thread(self.spool.release)

    # -- writing -------------------------------------------------------------------------
    async def _spool_waiting(self) -> None:
        """Append the records waiting for the spool, all that have gathered in one write and
        one fsync (a group commit: records arriving during a write go in the next), then
        let their items go on."""
        try:
            while self.unspooled:
                group, self.unspooled = self.unspooled, []
                try:
                    async with self.spool_lock:
                        await asyncio.to_thread(self.spool.append, [record for record, _ in group])
                        self.buffer.extend(record for record, _ in group)
                        if self.down:           # they wait for MongoDB with the others
                            self._hold(len(self.buffer))
                except Exception as exc:
                    for _, future in group:
                        if not future.done():
                            future.set_exception(exc)
                    continue
                for _, future in group:
                    if not future.done():
                        future.set_result(None)
        finally:
            self.spool_task = None

    def _open_store(self) -> None:
        if self.store is None:
            with pymongo.timeout(self.write_timeout):
                self.store = shared_store(self.crawler)

    def _upsert(self, records: list[dict]):
        self._open_store()
        with pymongo.timeout(self.write_timeout):
            return self.store.upsert_many(records)

    async def flush(self) -> bool:
        """Write every buffered record. False when MongoDB is unreachable (the records stay
        spooled and buffered)."""
        async with self.write_lock:
            count = len(self.buffer)
            if not count:
                return True
            records = self.buffer[:count]
            started = time.perf_counter()
            try:
                result = await asyncio.to_thread(self._upsert, records)
            except Exception as exc:
                if is_unreachable(exc):
                    self._note_outage(exc, count)
                    return False
                logger.exception("bulk upsert of %d records failed", count)
                self.stats.inc_value("govnews/mongo/failed", count)
                result = None
            else:
                self.stats.inc_value("govnews/mongo/ms_total", int((time.perf_counter() - started) * 1000))
            replayed = min(self.held, count)
            self.held -= replayed
            async with self.spool_lock:
                del self.buffer[:count]
                await asyncio.to_thread(self.spool.keep_last, len(self.buffer))
            if replayed:
                self.stats.inc_value("govnews/mongo/replayed", replayed)
            if self.down:
                self.down = False
                logger.warning("MongoDB reachable again: %d spooled records written", replayed)
            if result is not None:
                for name in ("inserted", "updated", "unchanged", "failed", "older"):
                    self.stats.inc_value(f"govnews/mongo/{name}", getattr(result, name, 0) or 0)
                for name in ("clustered", "joined"):    # with GOVNEWS_DEDUPE_ENABLED
                    if getattr(result, name, 0):
                        self.stats.inc_value(f"govnews/dedupe/{name}", getattr(result, name))
                self.stats.inc_value("govnews/mongo/batches")
            return True

    def _hold(self, count: int) -> None:
        """The first ``count`` buffered records wait for MongoDB (counted once each)."""
        if count > self.held:
            self.stats.inc_value("govnews/mongo/spooled", count - self.held)
            self.held = count

    def _note_outage(self, exc: Exception, count: int) -> None:
        self._hold(count)
        if not self.down:
            self.down = True
            self.stats.inc_value("govnews/mongo/outages")
            logger.warning("MongoDB unreachable (%s: %s); %d records kept in %s, retrying",
                           type(exc).__name__, str(exc).split(",")[0][:200], count, self.spool.path)

    def _start_retrying(self) -> None:
        if self.retry_task is None and not self.closing:
            self.retry_task = asyncio.ensure_future(self._retry_until_written())

    async def _retry_until_written(self):
        delay = 0.5
        try:
            while not self.closing and self.buffer:
                self.retry_sleeping = True
                try:
                    await asyncio.sleep(delay)
                finally:
                    self.retry_sleeping = False
                if self.closing:
                    return
                if await self.flush():
                    if len(self.buffer) < self.batch:
                        return
                    delay = 0
                else:
                    delay = min(max(delay, 0.5) * 2, self.retry_max)
        finally:
            self.retry_task = None
