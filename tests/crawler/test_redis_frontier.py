"""``GOVNEWS_REDIS_URL``: two crawler processes share one frontier in a real redis-server.

Both crawl the same fixture site at the same time into one MongoDB: every article is fetched
by one of them and stored exactly once, and each of them fetched some.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

SITE = "zhangye-kjj"
REDIS_SERVER = shutil.which("redis-server") or (shutil.which("redis-server", path="/usr/sbin:/usr/bin") or None)

pytestmark = pytest.mark.skipif(REDIS_SERVER is None,
                                reason="redis-server not installed (Debian package redis-server; ./run installs it as root)")


@pytest.fixture
def redis_url(tmp_path):
    pytest.importorskip("scrapy_redis", reason="scrapy-redis not installed")
    import redis

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp_path),
                             "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield url
    client.close()
    proc.terminate()
    proc.wait(10)


def test_two_processes_share_one_frontier(crawl, crawl_db, redis_url, manifests):
    db_name, db = crawl_db
    job = uuid.uuid4().hex[:8]
    settings = {"GOVNEWS_REDIS_URL": redis_url, "GOVNEWS_REDIS_JOB": job,
                # one request at a time per process: a process takes no more from the shared queue
                # than it can download now, the rest stays for the other
                "DOWNLOAD_DELAY": 0.5, "CONCURRENT_REQUESTS": 1, "CONCURRENT_REQUESTS_PER_DOMAIN": 1}
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda _: crawl(SITE, db=db_name, **settings), range(2)))

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
