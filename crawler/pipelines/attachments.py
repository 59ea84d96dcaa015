"""Optional attachment download (off by default: ``GOVNEWS_ATTACHMENTS_DOWNLOAD``).

Attachments are always *recorded* by the cleaner (name + absolute URL). With downloading on,
each one is fetched through Scrapy's FilesPipeline (same politeness, robots.txt and
proxy as the crawl) into ``GOVNEWS_ATTACHMENTS_DIR`` (default ``<data dir>/files``), and
its record entry gains ``path`` (relative to that folder) and ``checksum``.
"""
from __future__ import annotations

from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.pipelines.files import FilesPipeline

from storage.paths import files_dir


class AttachmentsPipeline(FilesPipeline):
    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("GOVNEWS_ATTACHMENTS_DOWNLOAD"):
            raise NotConfigured("GOVNEWS_ATTACHMENTS_DOWNLOAD is off")
        folder = settings.get("GOVNEWS_ATTACHMENTS_DIR") or str(files_dir())
        cls._update_stores(settings)
        return cls(folder, crawler=crawler)

    def get_media_requests(self, item, info):
        return [Request(a["url"], meta={"govnews_kind": "attachment"})
                for a in item.get("attachments") or [] if a.get("url", "").startswith(("http://", "https://"))]

    def item_completed(self, results, item, info):
        done = {r["url"]: r for ok, r in results if ok}
        for attachment in item.get("attachments") or []:
            got = done.get(attachment.get("url"))
            if got:
                attachment["path"] = got["path"]
                attachment["checksum"] = got["checksum"]
                self.crawler.stats.inc_value("govnews/attachments/downloaded")
        return item
