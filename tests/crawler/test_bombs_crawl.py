"""Decompression bombs through the crawl (issue 4 §2).

A loopback site (tests/support/bombserver.py on crawler.fixtureserver) answers one article
per scenario with a bomb: ``Content-Encoding`` gzip, deflate, br, zstd and "gzip, gzip",
each 1 GiB of zeros in at most ~1 MB on the wire. Beside it on the same list page: a plain
article and a properly gzip-encoded one. Each scenario is one real ``scrapy crawl`` process
with the project settings (DOWNLOAD_MAXSIZE 32 MiB); its peak RSS is read by the kernel
(``os.wait4``). What this proves about Scrapy 2.19's HttpCompressionMiddleware with our
settings:

- memory stays bounded: peak RSS < 500 MB (≈125 MB measured; the same crawl with
  DOWNLOAD_MAXSIZE=0 peaks at ≈3.2 GB, so the bound is the setting, not luck);
- each bomb is dropped during decompression, at the cap, with a WARNING naming the URL and
  DOWNLOAD_MAXSIZE, and no record is stored for it; no error, no traceback;
- the normal pages of the same site (plain and gzip-encoded) are stored.
"""
from __future__ import annotations

import re
import uuid

import pymongo
import pytest

from crawler.fixtureserver import FixtureServer
from tests.support import bombs, bombserver

MAX_RSS_MB = 500
MAXSIZE = 32 * 1024 * 1024           # crawler/settings.py DOWNLOAD_MAXSIZE
SCENARIOS = list(bombserver.SCENARIOS)


@pytest.fixture(scope="module")
def bomb_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("bomb-site")
    bombserver.build_site(root)
    with FixtureServer(root, log_path=root / "requests.jsonl") as server:
        yield server


@pytest.fixture(scope="module")
def bomb_crawls(bomb_site, crawl_mongo_uri, tmp_path_factory):
    """One crawl per scenario into its own database: {scenario: (RusageCrawl, stored urls)}."""
    client = pymongo.MongoClient(crawl_mongo_uri)
    work = tmp_path_factory.mktemp("bomb-crawls")
    out = {}
    for scenario in SCENARIOS:
        db = f"bombs_{scenario.replace('-', '_')}_{uuid.uuid4().hex[:6]}"
        result = bombserver.crawl_with_rusage(bombserver.urls(scenario)["list"], proxy_url=bomb_site.proxy_url,
                                              mongo_uri=crawl_mongo_uri, db=db, workdir=work, scenario=scenario)
        out[scenario] = (result, {d["url"] for d in client[db]["articles"].find({}, {"url": 1})})
        client.drop_database(db)
    client.close()
    return out


def test_bombs_are_real(bomb_site):
    """The payloads are small on the wire and really expand to 1 GiB (checked streaming)."""
    for scenario in SCENARIOS:
        data = bombs.bomb(scenario).read_bytes()
        assert len(data) < 2 * 1024 * 1024
        assert bombs.expanded_size(scenario, data, stop=MAXSIZE * 2) >= MAXSIZE * 2


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_memory_bounded(bomb_crawls, scenario):
    result, _ = bomb_crawls[scenario]
    assert result.returncode == 0, result.log[-3000:]
    assert result.stats.get("finish_reason") == "finished"
    assert result.peak_rss_mb < MAX_RSS_MB, f"{scenario}: peak RSS {result.peak_rss_mb:.0f} MB"


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_bomb_dropped_with_clear_message(bomb_crawls, scenario):
    result, stored = bomb_crawls[scenario]
    bomb_url = bombserver.urls(scenario)["bomb"]
    pattern = (rf"WARNING: Ignored response <200 {re.escape(bomb_url)}> because its body "
               rf"\(\d+ B compressed, (\d+) B decompressed so far\) exceeded DOWNLOAD_MAXSIZE \({MAXSIZE} B\) "
               rf"during decompression")
    found = re.findall(pattern, result.log)
    assert len(found) == 1, result.log[-3000:]
    assert MAXSIZE < int(found[0]) <= MAXSIZE + 1024 * 1024    # stopped right at the cap, not after
    assert bomb_url not in stored
    # fetched, but never handed to the spider
    assert result.stats["downloader/response_count"] - result.stats["response_received_count"] == 1
    assert "Traceback" not in result.log and " ERROR: " not in result.log


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_normal_pages_on_the_same_site_stored(bomb_crawls, scenario):
    result, stored = bomb_crawls[scenario]
    u = bombserver.urls(scenario)
    assert stored == {u["plain"], u["gzipped"]}
    assert result.stats.get("govnews/mongo/inserted") == 2
    assert result.stats.get("httpcompression/response_count") == 1     # the gzip-encoded page, decoded
