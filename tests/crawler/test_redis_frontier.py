"""``GOVNEWS_REDIS_URL``: two crawler processes share one frontier in a real redis-server.

Both crawl the same fixture site at the same time into one MongoDB: every article is fetched
by one of them and stored exactly once, and each of them fetched some.
"""
from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.crawlenv import REDIS_SERVER, Unavailable, redis_server, standalone

SITE = "zhangye-kjj"

pytestmark = pytest.mark.skipif(REDIS_SERVER is None,
                                reason="redis-server not installed (Debian package redis-server; ./run installs it as root)")


@pytest.fixture
def redis_url(tmp_path):
    try:
        with redis_server(tmp_path) as url:
            yield url
    except Unavailable as why:
        pytest.skip(str(why))


def two_workers(crawl, db_name: str, redis_url: str) -> list:
    """Two crawler processes at once over one site, one Redis frontier → their CrawlResults."""
    job = uuid.uuid4().hex[:8]
    settings = {"GOVNEWS_REDIS_URL": redis_url, "GOVNEWS_REDIS_JOB": job,
                # one request at a time per process: a process takes no more from the shared queue
                # than it can download now, the rest stays for the other
                "DOWNLOAD_DELAY": 0.5, "CONCURRENT_REQUESTS": 1, "CONCURRENT_REQUESTS_PER_DOMAIN": 1}
    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(lambda _: crawl(SITE, db=db_name, **settings), range(2)))


def test_two_processes_share_one_frontier(crawl, crawl_db, redis_url, manifests):
    db_name, db = crawl_db
    runs = two_workers(crawl, db_name, redis_url)

    expected = manifests[SITE]["articles"]
    urls = [d["url"] for d in db["articles"].find({}, {"url": 1})]
    fetched = [r.stat("govnews/spider/article_pages") for r in runs]
    for r in runs:
        print(f"\nREDIS worker: {r.stat('govnews/spider/article_pages')} articles, "
              f"{r.stat('downloader/response_count')} responses in {r.seconds:.1f}s, "
              f"{r.stat('govnews/mongo/inserted')} inserted, {r.stat('govnews/frontier/idle_waits')} idle waits")
    for r in runs:
        assert r.failure is None or r.failure.startswith("no list page"), (r.failure, r.log_path)
        assert r.returncode == 0 and r.stats.get("finish_reason") == "finished", r.log_path
        assert "scheduler/enqueued/redis" in r.stats or "scheduler/dequeued/redis" in r.stats, r.log_path
    assert sorted(urls) == sorted(expected)                  # every article, each once
    assert sum(fetched) == len(expected)                     # fetched once across both processes
    assert sum(r.stat("govnews/mongo/inserted") for r in runs) == len(expected)
    assert all(n > 0 for n in fetched), f"one process fetched nothing: {fetched}"


def reliability_redis_frontier():
    """The same two workers outside pytest: the row for bench/reliability.py."""
    import pymongo

    with standalone() as env, redis_server(env.mktemp("redis")) as url:
        db_name = "redis_" + uuid.uuid4().hex[:8]
        runs = two_workers(env.crawl, db_name, url)
        with pymongo.MongoClient(env.mongo_uri) as client:
            urls = [d["url"] for d in client[db_name]["articles"].find({}, {"url": 1})]
        expected = env.manifests[SITE]["articles"]
    fetched = [r.stat("govnews/spider/article_pages") for r in runs]
    failures = [f"articles fetched {sum(fetched)} times for {len(expected)}"] * (sum(fetched) != len(expected))
    failures += [f"one worker fetched nothing: {fetched}"] * (0 in fetched)
    return {"scenario": "2 crawler processes, one Redis frontier", "tried": len(expected),
            "crashes": sum(r.returncode != 0 for r in runs),
            "hangs": sum(r.stats.get("finish_reason") != "finished" for r in runs),
            "lost": len(set(expected) - set(urls)), "duplicated": len(urls) - len(set(urls)), "failures": failures,
            "notes": "per worker: " + "; ".join(
                f"{r.stat('govnews/spider/article_pages')} articles, {r.stat('downloader/response_count')} responses, "
                f"{r.seconds:.1f}s" for r in runs)}
