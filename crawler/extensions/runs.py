"""Writes one summary per crawl into the ``runs`` collection (:mod:`storage.runs`), with the
health flags of :func:`crawler.health.assess` against the site's earlier runs.

Every crawl of a site writes its run, a bare ``scrapy crawl site -a site=NAME`` as well as
``govnews refresh``. The run goes to the crawl's store (``GOVNEWS_MONGO_URI`` /
``GOVNEWS_MONGO_DB``), collection ``GOVNEWS_RUNS_COLLECTION``; the flags are logged as
``HEALTH`` lines, and ``govnews/run/id`` and ``govnews/health/flags`` are set in the stats
(before ``GOVNEWS_STATS_FILE`` is written) so that ``govnews refresh`` finds the run. A
store that cannot be reached costs the run only (``govnews/runs/write_failed``).
"""
from __future__ import annotations

import datetime as dt
import logging

import pymongo
from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.database import shared_store
from crawler.health import run_summary
from crawler.runner import CrawlResult
from crawler.runs import record_run
from storage.runs import RunStore

logger = logging.getLogger(__name__)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class RunRecorder:
    def __init__(self, crawler, collection: str, history: int, timeout: float):
        self.crawler = crawler
        self.stats = crawler.stats
        self.collection = collection
        self.history = history
        self.timeout = timeout
        self.started = _now()

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("GOVNEWS_RUNS_ENABLED"):
            raise NotConfigured("GOVNEWS_RUNS_ENABLED is off")
        if not settings.getbool("GOVNEWS_MONGO_ENABLED"):
            raise NotConfigured("no store to write runs to (GOVNEWS_MONGO_ENABLED is off)")
        ext = cls(crawler, settings.get("GOVNEWS_RUNS_COLLECTION"), settings.getint("GOVNEWS_RUNS_HISTORY"),
                  settings.getfloat("GOVNEWS_MONGO_WRITE_TIMEOUT"))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider):
        self.started = _now()

    def spider_closed(self, spider, reason):
        site = getattr(getattr(spider, "site", None), "name", None) or spider.name
        stats = {**self.stats.get_stats(), "finish_reason": reason}
        finished = _now()
        failure = CrawlResult(site, 0, (finished - self.started).total_seconds(), stats).failure
        run = run_summary(stats, site=site, failure=failure, started_at=self.started, finished_at=finished)
        try:
            with pymongo.timeout(self.timeout):
                store = shared_store(self.crawler)
                run = record_run(RunStore(store.client[store.db_name], self.collection), run, self.history)
        except Exception as exc:
            self.stats.inc_value("govnews/runs/write_failed")
            logger.warning("the run summary of %s was not stored (%s: %s)", site, type(exc).__name__,
                           str(exc).split(",")[0][:200])
            return
        self.stats.set_value("govnews/run/id", run["_id"])
        self.stats.set_value("govnews/health/flags", [f["flag"] for f in run["flags"]])
        for flag in run["flags"]:
            logger.warning("HEALTH %s %s: %s", site, flag["flag"], flag["message"])
