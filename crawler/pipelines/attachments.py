"""Optional attachment download (off by default: ``GOVNEWS_ATTACHMENTS_DOWNLOAD``).

Attachments are always *recorded* by the cleaner (name + absolute URL). With downloading on,
each one is fetched through Scrapy's FilesPipeline (same politeness, robots.txt and
proxy as the crawl) into ``GOVNEWS_ATTACHMENTS_DIR`` (default ``<data dir>/files``), and
its record entry gains ``path`` (relative to that folder) and ``checksum``; one that could
not be fetched gains ``status`` (``too_large`` past ``DOWNLOAD_MAXSIZE``, else ``error``) and
a ``reason``. Its text is read next (:mod:`crawler.pipelines.attachment_text`).
"""
from __future__ import annotations

from scrapy import Request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.pipelines.files import FilesPipeline
from scrapy.pipelines.media import FileException

from storage.paths import files_dir


def attachments_folder(settings) -> str:
    return settings.get("GOVNEWS_ATTACHMENTS_DIR") or str(files_dir())


def not_downloaded(message: str) -> dict:
    """The status of an attachment whose download failed.

    >>> not_downloaded("Cancelling download of http://x/a.pdf: expected response size (9) larger than "
    ...                "download max size (4).")["status"]
    'too_large'
    """
    status = "too_large" if "max size" in message else "error"
    return {"status": status, "reason": f"not downloaded: {message}"[:300], "text": "", "text_length": 0}


def _downloadable(item) -> list[dict]:
    return [a for a in item.get("attachments") or [] if a.get("url", "").startswith(("http://", "https://"))]


class AttachmentsPipeline(FilesPipeline):
    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("GOVNEWS_ATTACHMENTS_DOWNLOAD"):
            raise NotConfigured("GOVNEWS_ATTACHMENTS_DOWNLOAD is off")
        cls._update_stores(settings)
        return cls(attachments_folder(settings), crawler=crawler)

    def get_media_requests(self, item, info):
        return [Request(a["url"], meta={"govnews_kind": "attachment"}) for a in _downloadable(item)]

    def media_failed(self, failure, request, info):
        if not isinstance(failure.value, IgnoreRequest):   # filtered requests keep Scrapy's own handling
            try:
                super().media_failed(failure, request, info)
            except FileException as exc:    # keep why it failed: the record says it
                raise FileException(str(failure.value) or type(failure.value).__name__) from exc
        super().media_failed(failure, request, info)

    def item_completed(self, results, item, info):
        for attachment, (ok, outcome) in zip(_downloadable(item), results):    # results come in request order
            if ok:
                attachment["path"] = outcome["path"]
                attachment["checksum"] = outcome["checksum"]
                self.crawler.stats.inc_value("govnews/attachments/downloaded")
            else:
                attachment.update(not_downloaded(str(outcome.value) or type(outcome.value).__name__))
                self.crawler.stats.inc_value("govnews/attachments/not_downloaded")
        return item
