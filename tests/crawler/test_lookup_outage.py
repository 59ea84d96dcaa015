"""Conditional-GET lookups while MongoDB is away cost the crawl seconds, not a
server-selection timeout (15 s) per list page: each lookup is bounded, and after a failure
lookups pause. A real client against a port where nothing listens."""
from __future__ import annotations

import asyncio
import socket
import time

from crawler.middlewares.conditional import StoreLookups
from storage import ArticleStore
from tests.support.crawlenv import project_crawler


def closed_port_uri() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"mongodb://127.0.0.1:{s.getsockname()[1]}/"


def test_lookups_fail_fast_then_pause(crawl_mongo_uri):
    crawler = project_crawler(GOVNEWS_MONGO_URI=closed_port_uri(), GOVNEWS_LOOKUP_TIMEOUT=1.0,
                              GOVNEWS_LOOKUP_BACKOFF=60)
    lookups = StoreLookups.of(crawler)
    assert StoreLookups.of(crawler) is lookups
    urls = ["http://kjj.example.gov.cn/202302/t20230221_1.html"]

    async def twice():
        started = time.monotonic()
        first = await lookups(urls)
        failed_after = time.monotonic() - started
        second = await lookups(urls)
        return first, failed_after, second, time.monotonic() - started - failed_after

    first, failed_after, second, skipped_after = asyncio.run(twice())
    assert first == {} and second == {}
    assert failed_after < 5, failed_after            # bounded by the 1 s timeout, not the 15 s selection
    assert skipped_after < 0.1, skipped_after        # paused: not tried again
    assert crawler.stats.get_value("govnews/refresh/lookups_failed") == 1
    assert crawler.stats.get_value("govnews/refresh/lookups_skipped") == 1


def test_lookups_answer_when_the_store_is_up(crawl_mongo_uri, crawl_db):
    db_name, _ = crawl_db
    url = "http://kjj.example.gov.cn/202302/t20230221_2.html"
    with ArticleStore.from_uri(crawl_mongo_uri, db=db_name) as store:
        store.upsert_many([{"url": url, "canonical_url": url, "title": "t", "text": "科技创新", "status": "ok",
                            "etag": '"v1"'}])
    crawler = project_crawler(GOVNEWS_MONGO_URI=crawl_mongo_uri, GOVNEWS_MONGO_DB=db_name)
    try:
        known = asyncio.run(StoreLookups.of(crawler)([url]))
    finally:
        crawler._govnews_store.close()
    assert known[url]["etag"] == '"v1"'
    assert crawler.stats.get_value("govnews/refresh/lookups_failed") is None
