"""Records stored with low extraction confidence are counted per site: in the crawl's stats,
the `govnews clean` summary and the refresh summary. The page is a real one from the evalset
whose text only trafilatura's fallback finds (a forum thread), so its record is flagged."""
from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from cleaners import clean
from cleaners.record import low_confidence
from crawler.pipelines.clean import CleanPipeline
from crawler.runner import CrawlResult
from govnews.refresh_cmd import format_summary
from tests.support.crawlenv import project_crawler
from tests.support.paths import EVALSET

FLAGGED = EVALSET / "magichtml_forum_b5bb37137a.html"
pytestmark = pytest.mark.skipif(not FLAGGED.exists(), reason="needs ../shared/evalset")


def test_the_evalset_page_is_flagged():
    record = clean(FLAGGED.read_bytes(), url="https://bbs.example.com/t/1")
    assert record["status"] == "ok" and low_confidence(record)
    assert record["extraction"]["confidence"] < 0.7


def test_the_crawl_counts_low_confidence_records_per_site():
    crawler = project_crawler(GOVNEWS_CLEAN_WORKERS=0)
    pipeline = CleanPipeline.from_crawler(crawler)
    crawler.stats.open_spider()
    item = {"pages": [{"url": "https://bbs.example.com/t/1", "body": FLAGGED.read_bytes(), "headers": {}}],
            "site": "bbs-example"}
    record = asyncio.run(pipeline.process_item(item))
    assert low_confidence(record)
    assert crawler.stats.get_value("govnews/clean/low_confidence") == 1
    assert crawler.stats.get_value("govnews/low_confidence/bbs-example") == 1


def test_govnews_clean_summary_counts_them_by_host(tmp_path):
    page = tmp_path / "t1.html"
    page.write_bytes(FLAGGED.read_bytes())
    out = tmp_path / "out.jsonl"
    done = subprocess.run([sys.executable, "-m", "govnews.cli", "clean", str(page), "-o", str(out),
                           "--url-base", "https://bbs.example.com/", "--no-progress"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "(1 low confidence)" in done.stderr
    assert "low confidence by site: bbs.example.com 1" in done.stderr


def test_refresh_summary_has_a_column_and_a_note():
    result = CrawlResult("zhangye-kjj", 0, 1.0, stats={"finish_reason": "finished", "govnews/spider/list_pages": 2,
                                                       "govnews/clean/low_confidence": 3})
    text = format_summary([result])
    assert "lowconf" in text.splitlines()[0]
    assert "3 record(s) stored with low extraction confidence" in text
