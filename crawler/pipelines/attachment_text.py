"""The text inside downloaded attachments (on whenever ``GOVNEWS_ATTACHMENTS_DOWNLOAD`` is,
unless ``GOVNEWS_ATTACHMENTS_TEXT_ENABLED`` is off).

Every attachment the download pipeline stored is read by :func:`cleaners.attachments.read_sandboxed`
in a process of its own within ``GOVNEWS_ATTACHMENTS_MAXSIZE`` (bytes), ``GOVNEWS_ATTACHMENTS_TIMEOUT``
(seconds) and ``GOVNEWS_ATTACHMENTS_MEMORY`` (MiB); its entry gains ``status``, ``reason``,
``text``, ``text_length``, ``pages`` and ``format``. Waiting for that process happens in a
thread pool of ``GOVNEWS_ATTACHMENTS_READERS`` threads, so the event loop goes on downloading
meanwhile. The text kept is bounded per attachment (``GOVNEWS_ATTACHMENTS_MAXCHARS``) and per
record (``GOVNEWS_ATTACHMENTS_RECORD_MAXCHARS``), so a record stays far below MongoDB's 16 MB.
"""
from __future__ import annotations

import asyncio
import os
import time
from concurrent.futures import ThreadPoolExecutor

from scrapy.exceptions import NotConfigured

from cleaners.attachments import Limits, budget_spent, read_sandboxed, within_record
from crawler.pipelines.attachments import attachments_folder


class AttachmentTextPipeline:
    def __init__(self, stats, folder: str, limits: Limits, readers: int, record_chars: int):
        self.stats, self.folder, self.limits = stats, folder, limits
        self.readers, self.record_chars = readers, record_chars
        self.pool: ThreadPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("GOVNEWS_ATTACHMENTS_DOWNLOAD"):
            raise NotConfigured("GOVNEWS_ATTACHMENTS_DOWNLOAD is off")
        if not settings.getbool("GOVNEWS_ATTACHMENTS_TEXT_ENABLED"):
            raise NotConfigured("GOVNEWS_ATTACHMENTS_TEXT_ENABLED is off")
        limits = Limits(max_bytes=settings.getint("GOVNEWS_ATTACHMENTS_MAXSIZE"),
                        seconds=settings.getfloat("GOVNEWS_ATTACHMENTS_TIMEOUT"),
                        memory_mib=settings.getint("GOVNEWS_ATTACHMENTS_MEMORY"),
                        max_chars=settings.getint("GOVNEWS_ATTACHMENTS_MAXCHARS"),
                        nice=settings.getint("GOVNEWS_CLEAN_NICE"))
        return cls(crawler.stats, attachments_folder(settings), limits,
                   max(1, settings.getint("GOVNEWS_ATTACHMENTS_READERS")),
                   settings.getint("GOVNEWS_ATTACHMENTS_RECORD_MAXCHARS"))

    def open_spider(self):
        self.pool = ThreadPoolExecutor(self.readers, thread_name_prefix="govnews-attachment")

    def close_spider(self):
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    async def process_item(self, item):
        used = 0
        for attachment in item.get("attachments") or []:
            if not attachment.get("path"):
                continue
            path = os.path.join(self.folder, attachment["path"])
            started = time.perf_counter()
            limits = within_record(self.limits, self.record_chars, used)
            if limits is None:
                result = budget_spent(self.record_chars)
            else:
                result = await asyncio.wrap_future(
                    self.pool.submit(read_sandboxed, path, attachment.get("name") or attachment.get("url"), limits))
            attachment.update(result)
            used += result["text_length"]
            self.stats.inc_value(f"govnews/attachments/status/{result['status']}")
            self.stats.inc_value("govnews/attachments/read_ms_total", int((time.perf_counter() - started) * 1000))
            self.stats.inc_value("govnews/attachments/read_bytes", os.path.getsize(path) if os.path.exists(path) else 0)
        return item
