"""The crawl's cleaning pool takes items in batches: while its workers are busy, items gather
and go as one task; every item still gets its own record, the same one cleaning it alone
gives (with its near-duplicate signature, made in the pool when dedupe and the store are
on), and an item that cannot be cleaned fails alone."""
from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from cleaners.pages import clean_pages
from cleaners.signature import signature
from crawler.pipelines.clean import CleanPipeline
from tests.support.crawlenv import project_crawler
from tests.support.paths import SITES

PAGES = sorted(SITES.glob("*/art/**/art_*.html"))[:12]   # Hanweb-style article pages


def _item(path) -> dict:
    url = "http://" + path.relative_to(SITES).as_posix()
    return {"pages": [{"url": url, "body": path.read_bytes(), "headers": {}}], "site": "fixture"}


async def _crawl_items(pipeline, items):
    await pipeline.open_spider()
    try:
        return await asyncio.gather(*(pipeline.process_item(item) for item in items), return_exceptions=True)
    finally:
        await pipeline.close_spider()


def _without_timing(record: dict) -> dict:
    return {k: v for k, v in record.items() if k != "clean_ms"}


@pytest.mark.skipif(len(PAGES) < 6, reason="needs the fixture sites' article pages")
def test_items_arriving_together_share_tasks_and_each_gets_its_own_record():
    crawler = project_crawler(GOVNEWS_CLEAN_WORKERS=1, GOVNEWS_CLEAN_BATCH=4, GOVNEWS_CLEAN_NICE=0)
    crawler.stats.open_spider()
    pipeline = CleanPipeline.from_crawler(crawler)
    items = [_item(p) for p in PAGES]
    broken = {"pages": [{"url": "http://kjj.hebi.gov.cn/broken.html"}], "site": "fixture"}   # no body
    items.insert(3, broken)
    results = asyncio.run(_crawl_items(pipeline, items))

    assert isinstance(results[3], KeyError)                  # the broken item fails alone
    records = [r for r in results if not isinstance(r, BaseException)]
    assert len(records) == len(PAGES)
    for item, record in zip([i for i in items if i is not broken], records):
        assert record["url"] == item["pages"][0]["url"] and record["site"] == "fixture"
        alone = clean_pages(item["pages"])
        assert record["dedupe"] == signature(alone["text"])
        assert _without_timing(record) == _without_timing({**alone, "site": "fixture", "dedupe": record["dedupe"]})
    batches = crawler.stats.get_value("govnews/clean/batches")
    assert batches < len(items)                              # the first goes alone, the rest gather
    assert batches >= len(items) / 4                         # never more than GOVNEWS_CLEAN_BATCH a task
    assert crawler.stats.get_value("govnews/clean/items") == len(PAGES)


def test_a_pool_that_cannot_take_work_fails_the_items_and_leaves_none_waiting():
    crawler = project_crawler(GOVNEWS_CLEAN_WORKERS=1, GOVNEWS_CLEAN_BATCH=4, GOVNEWS_CLEAN_NICE=0)
    crawler.stats.open_spider()
    pipeline = CleanPipeline.from_crawler(crawler)

    async def run():
        await pipeline.open_spider()
        pipeline.pool.shutdown(wait=True)      # as after a worker died: submit raises
        try:
            return await asyncio.wait_for(asyncio.gather(*(pipeline.process_item(_item(p)) for p in PAGES[:6]),
                                                         return_exceptions=True), timeout=30)
        finally:
            await pipeline.close_spider()
    results = asyncio.run(run())
    assert len(results) == 6 and all(isinstance(r, RuntimeError) for r in results)
    assert pipeline.waiting == []


@pytest.mark.skipif(len(PAGES) < 2, reason="needs the fixture sites' article pages")
@pytest.mark.parametrize("off", [{"GOVNEWS_DEDUPE_ENABLED": False}, {"GOVNEWS_MONGO_ENABLED": False}])
def test_records_are_not_signed_when_dedupe_or_the_store_is_off(off):
    crawler = project_crawler(GOVNEWS_CLEAN_WORKERS=1, GOVNEWS_CLEAN_NICE=0, **off)
    crawler.stats.open_spider()
    records = asyncio.run(_crawl_items(CleanPipeline.from_crawler(crawler), [_item(p) for p in PAGES[:2]]))
    assert [r["status"] for r in records] == ["ok", "ok"]
    assert not any("dedupe" in r for r in records)


def test_a_cleaning_worker_starts_without_importing_scrapy_or_pymongo():
    """A worker is a fresh process: what it imports to unpickle its task (the store's dedupe
    options, with their signer, among its arguments) is its start-up time and its memory
    before the first page."""
    made = ("import pickle, sys, crawler.clean_worker; from crawler.dedupe import dedupe_options; "
            "sys.stdout.buffer.write(pickle.dumps((crawler.clean_worker.clean_batch, dedupe_options({"
            "'GOVNEWS_DEDUPE_ENABLED': '1', 'GOVNEWS_DEDUPE_THRESHOLD': '0.8', 'GOVNEWS_DEDUPE_CONTAINMENT': '0.9'}))))")
    task = subprocess.run([sys.executable, "-c", made], capture_output=True, check=True).stdout
    probe = ("import pickle, sys; pickle.loads(sys.stdin.buffer.read()); "
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'scrapy', 'twisted', 'pymongo', 'bson'}))")
    out = subprocess.run([sys.executable, "-c", probe], input=task, capture_output=True, check=True).stdout
    assert out.decode().strip() == "[]"
