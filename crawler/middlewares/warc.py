"""The crawl's WARC archive: every article page fetched is written, as it came, to
size-rotated ``.warc.gz`` files (:class:`storage.warc.WarcWriter`), so a later cleaner can
clean it again (``govnews reclean``) and anyone can read it (``govnews clean``, WARC tools).

On with ``GOVNEWS_WARC`` (``govnews refresh`` turns it on; a bare ``scrapy crawl`` only when
set). Files go to ``GOVNEWS_WARC_DIR`` (default ``$GOVNEWS_WARC_DIR``, else
``<data dir>/warc``), a new one every ``GOVNEWS_WARC_MAX_BYTES``; list pages too with
``GOVNEWS_WARC_LISTS``.

The middleware sits between the redirect middleware (600) and decompression (590), so it
sees each final answer with its headers and body as received (Twisted keeps the connection
headers Content-Length and Transfer-Encoding to itself; the body is whole, de-chunked):

- a 2xx answer becomes a response record + request record; its position ``{file, offset,
  id, date}`` goes into ``request.meta["govnews_warc"]``, from where the spider puts it in
  the item (``warc``; the later pages of a multi-page article under ``warc.parts``) and the
  item's ``fetched_at`` is the record's date;
- a 304 to a conditional request becomes a revisit record pointing at the stored copy (the
  ``warc`` position the store returned with the article's validators).

Records carry ``GovNews-Kind`` (``article``, ``article_part``, ``list``) and, for the later
pages of an article, ``GovNews-Part-Of`` (the record id of its first page), so ``govnews
clean`` merges them as the crawl did. A write that fails (a full disk) is logged and counted
(``govnews/warc/failed``); the page is still cleaned and stored, without a position.
Stats: ``govnews/warc/{responses,revisits,bytes,files}`` and ``govnews/warc/cpu_us`` (CPU time of
the writer's thread: digests, gzip, writes).
"""
from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.middlewares.antibot import site_name
from storage.paths import warc_dir
from storage.warc import HttpExchange, WarcWriter

logger = logging.getLogger(__name__)
META_KEY = "govnews_warc"


def _pairs(headers) -> list[tuple[str, str]]:
    """Scrapy Headers as (name, value) pairs, one per value, as received (latin-1)."""
    return [(name.decode("latin-1"), value.decode("latin-1")) for name, values in headers.items() for value in values]


def exchange(request, response) -> HttpExchange:
    """The HTTP exchange of a Scrapy request and its answer, as plain values."""
    return HttpExchange(response.url, response.status, _pairs(response.headers), response.body,
                        protocol=getattr(response, "protocol", None) or "HTTP/1.1", method=request.method,
                        request_headers=_pairs(request.headers), request_body=request.body or b"")


class WarcMiddleware:
    def __init__(self, crawler, directory: Path, max_bytes: int, lists: bool):
        self.crawler = crawler
        self.stats = crawler.stats
        self.directory = directory
        self.max_bytes = max_bytes
        self.kinds = {"article", "article_part"} | ({"list"} if lists else set())
        self.writer: WarcWriter | None = None
        self.thread: ThreadPoolExecutor | None = None
        self.failed_at = 0.0

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("GOVNEWS_WARC"):
            raise NotConfigured("GOVNEWS_WARC is off")
        directory = Path(settings.get("GOVNEWS_WARC_DIR") or warc_dir()).expanduser()
        middleware = cls(crawler, directory, settings.getint("GOVNEWS_WARC_MAX_BYTES"),
                         settings.getbool("GOVNEWS_WARC_LISTS"))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider):
        user_agent = self.crawler.settings.get("USER_AGENT")
        self.writer = WarcWriter(self.directory, prefix=f"govnews-{site_name(spider)}", max_bytes=self.max_bytes,
                                 info={"software": "govnews (Scrapy)", "http-header-user-agent": user_agent,
                                       "robots": "obey" if self.crawler.settings.getbool("ROBOTSTXT_OBEY") else "ignore",
                                       "isPartOf": site_name(spider)}).open()
        # Records are digested, gzipped and written in a thread of their own (zlib and hashlib
        # let go of the GIL): ~1.5 ms of a 150 KB page that the event loop does not wait on.
        self.thread = ThreadPoolExecutor(1, thread_name_prefix="govnews-warc")
        logger.info("WARC archive: %s", self.directory)

    def spider_closed(self, spider):
        if self.writer is not None:
            self.thread.shutdown(wait=True)
            self.writer.close()
            self.writer = self.thread = None

    async def process_response(self, request, response):
        kind = request.meta.get("govnews_kind")
        if self.writer is None or kind not in self.kinds:
            return response
        if 200 <= response.status < 300:
            position = await self._write(self.writer.write_response, exchange(request, response),
                                         extra=self._marks(request, kind))
            if position is not None:
                request.meta[META_KEY] = position
                self.stats.inc_value("govnews/warc/responses")
        elif response.status == 304 and request.meta.get("govnews_conditional"):
            stored = (request.meta.get("govnews_known") or {}).get("warc")
            if await self._write(self.writer.write_revisit, exchange(request, response), refers_to=stored,
                                 extra={"GovNews-Kind": kind}) is not None:
                self.stats.inc_value("govnews/warc/revisits")
        return response

    @staticmethod
    def _marks(request, kind: str) -> dict:
        marks = {"GovNews-Kind": kind}
        if kind == "article_part":
            first = (request.meta.get("govnews_item") or {}).get("warc")
            if first and first.get("id"):
                marks["GovNews-Part-Of"] = first["id"]
        return marks

    async def _write(self, write, page: HttpExchange, **kwargs) -> dict | None:
        try:
            position, size, new_file, cpu = await asyncio.wrap_future(
                self.thread.submit(self._counted, write, page, kwargs))
        except OSError as exc:
            self.stats.inc_value("govnews/warc/failed")
            if time.monotonic() - self.failed_at > 60:     # once a minute at most
                self.failed_at = time.monotonic()
                logger.error("WARC write to %s failed (%s); pages are stored without their raw copy",
                             self.directory, exc)
            return None
        self.stats.inc_value("govnews/warc/bytes", size)
        self.stats.inc_value("govnews/warc/cpu_us", cpu)
        if new_file:
            self.stats.inc_value("govnews/warc/files")
        return position

    def _counted(self, write, page: HttpExchange, kwargs: dict) -> tuple[dict, int, bool, int]:
        """In the writer's thread: the position, the bytes written, whether a file was begun and
        the microseconds of CPU the write took."""
        size, files, started = self.writer.bytes_written, len(self.writer.files), time.thread_time()
        position = write(page, **kwargs)
        cpu = int((time.thread_time() - started) * 1e6)
        return position, self.writer.bytes_written - size, len(self.writer.files) > files, cpu
