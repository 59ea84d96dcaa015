"""The real ``site`` spider crawls a server that fails in every way a flaky government server
does (tests/support/faultserver.py): 500, 503, 429 with Retry-After, TCP resets, a hang after the
headers, a truncated body, broken chunked encoding, a slow drip. The crawl finishes, every
page that can be fetched is stored in MongoDB, every failure is in the stats with its
reason, and no URL is requested more than RETRY_TIMES + 1 times (counted by the server).
"""
from __future__ import annotations

import contextlib
import uuid
from collections import Counter

import pymongo
import pytest

from tests.support.crawlenv import standalone
from tests.support.faultcrawl import crawl_through
from tests.support.faultserver import FAULT_HOST, FAULT_PAGES, FETCHABLE, FaultServer

RETRY_TIMES = 2
TIMEOUT = 3
SETTINGS = {"DOWNLOAD_TIMEOUT": TIMEOUT, "RETRY_TIMES": RETRY_TIMES, "GOVNEWS_RETRY_AFTER_MAX": 10}
RETRY_AFTER = 2          # seconds the fault server asks for on its first 429


def url(path: str) -> str:
    return f"http://{FAULT_HOST}{path}"


def paths(*behaviours: str) -> list[str]:
    return [p for p, b in FAULT_PAGES.items() if b in behaviours]


def run_faults(mongo_uri: str, workdir):
    """One crawl of the fault site → (crawl, stored docs, per-path request counts, server log);
    the database is dropped."""
    db = "faults_" + uuid.uuid4().hex[:8]
    with FaultServer(hang_seconds=3 * TIMEOUT, retry_after=RETRY_AFTER) as server:
        crawl = crawl_through(server.proxy_url, mongo_uri=mongo_uri, db=db, workdir=workdir,
                              start_url=url("/kjdt/index.html"), settings=SETTINGS)
        log = server.requests(host=FAULT_HOST)
    with contextlib.closing(pymongo.MongoClient(mongo_uri)) as client:
        docs = list(client[db]["articles"].find({}, {"url": 1, "status": 1, "title": 1}))
        client.drop_database(db)
    return crawl, docs, Counter(e["path"] for e in log), log


@pytest.fixture(scope="module")
def faults_run(crawl_mongo_uri, tmp_path_factory):
    return run_faults(crawl_mongo_uri, tmp_path_factory.mktemp("faults"))


def test_crawl_finishes_in_bounded_time(faults_run):
    crawl, *_ = faults_run
    assert crawl.result.returncode == 0, crawl.stderr[-2000:]
    assert crawl.result.failure is None, (crawl.result.failure, crawl.result.log_path)
    assert crawl.stat("finish_reason") == "finished"
    # the hang (9 s on the server) and the 30 s drip are cut by the 3 s timeout, 3 attempts each
    assert crawl.result.seconds < 60


def test_every_fetchable_page_is_stored(faults_run):
    _, docs, _, _ = faults_run
    fetchable = {url(p) for p, b in FAULT_PAGES.items() if b in FETCHABLE}
    stored = {d["url"] for d in docs}
    assert stored == fetchable                       # 6 of 6: ok ×3, flaky 503→200, 429→200, drip
    assert len(docs) == len(fetchable) == 6
    assert all(d["status"] == "ok" for d in docs)
    assert all("科技创新工作推进会" in d["title"] for d in docs)


def test_every_failure_is_counted_with_its_reason(faults_run):
    crawl, _, counts, _ = faults_run
    attempts = RETRY_TIMES + 1
    # HTTP errors: Scrapy's retry and httperror keys
    assert crawl.stat("retry/reason_count/500 Internal Server Error") == RETRY_TIMES
    assert crawl.stat("httperror/response_ignored_status_count/500") == 1
    assert crawl.stat("retry/reason_count/503 Service Unavailable") == RETRY_TIMES + 1   # + the flaky page's one 503
    assert crawl.stat("httperror/response_ignored_status_count/503") == 1
    assert crawl.stat("httperror/response_ignored_status_count/429") == 1               # Retry-After: 3600
    assert crawl.stat("govnews/retry_after/too_long") == 1
    # transport failures: one govnews/download_error/<reason> per attempt
    assert crawl.stat("govnews/download_error/connection_reset") == attempts
    assert crawl.stat("govnews/download_error/timeout") == 2 * attempts                 # hang + slow drip
    assert crawl.stat("govnews/download_error/data_loss") == attempts                   # truncated body
    assert crawl.stat("govnews/download_error/bad_chunked") == attempts
    by_reason = {k: v for k, v in crawl.stats.items() if k.startswith("govnews/download_error/")}
    assert sum(by_reason.values()) == crawl.stat("downloader/exception_count") == 5 * attempts, by_reason
    # every URL that never answered with a page was given up, visibly
    failing = paths("500", "503", "reset", "hang", "truncated", "bad_chunked", "drip_slow")
    assert crawl.stat("retry/max_reached") == len(failing)
    for path in failing:
        assert f"Gave up retrying <GET {url(path)}>" in crawl.log, path
    assert f"{url(paths('429_long')[0])} answered 429 with Retry-After 3600" in crawl.log


def test_retries_are_bounded_per_url(faults_run):
    _, _, counts, _ = faults_run
    per_behaviour = {FAULT_PAGES[p]: n for p, n in counts.items() if p in FAULT_PAGES}
    assert max(per_behaviour.values()) <= RETRY_TIMES + 1, per_behaviour
    for behaviour in ("500", "503", "reset", "hang", "truncated", "bad_chunked", "drip_slow"):
        assert per_behaviour[behaviour] == RETRY_TIMES + 1, (behaviour, per_behaviour)
    assert per_behaviour["429_long"] == 1                   # asked for an hour: not retried this crawl
    assert per_behaviour["flaky"] == per_behaviour["retry_after"] == 2
    assert per_behaviour["ok"] == per_behaviour["drip"] == 1
    assert counts["/robots.txt"] == 1 and counts["/kjdt/index.html"] == 1


def test_retry_after_is_honoured(faults_run):
    crawl, _, _, log = faults_run
    times = [e["t"] for e in log if e["path"] == paths("retry_after")[0]]
    assert len(times) == 2
    assert times[1] - times[0] >= RETRY_AFTER - 0.05, times
    assert crawl.stat("govnews/retry_after/waited") == 1
    assert crawl.stat("govnews/retry_after/seconds") == RETRY_AFTER


def reliability_fault_server():
    """The row for bench/reliability.py: the same crawl, outside pytest."""
    with standalone() as env:
        crawl, docs, counts, _ = run_faults(env.mongo_uri, env.tmp)
    urls = [d["url"] for d in docs]
    fetchable = {url(p) for p, b in FAULT_PAGES.items() if b in FETCHABLE}
    over = {FAULT_PAGES[p]: n for p, n in counts.items() if p in FAULT_PAGES and n > RETRY_TIMES + 1}
    reasons = {k.rsplit("/", 1)[1]: v for k, v in crawl.stats.items() if k.startswith("govnews/download_error/")}
    uncounted = crawl.stat("downloader/exception_count") - sum(reasons.values())
    failures = [f"requested more than {RETRY_TIMES + 1} times: {over}"] if over else []
    failures += [f"{uncounted} download errors without a reason"] if uncounted else []
    failures += [f"stored a page that cannot be fetched: {u}" for u in set(urls) - fetchable]
    return {"scenario": "fault server (500/503/429/reset/hang/truncated/bad chunked/drip)",
            "tried": len(FAULT_PAGES), "crashes": int(crawl.result.returncode != 0),
            "hangs": int(crawl.stat("finish_reason") != "finished"),
            "lost": len(fetchable - set(urls)), "duplicated": len(urls) - len(set(urls)), "failures": failures,
            "notes": f"{len(set(urls))}/{len(fetchable)} fetchable stored; max {max(counts.values())} requests/URL "
                     f"(bound {RETRY_TIMES + 1}); failures by reason {reasons}, "
                     f"retry/max_reached {crawl.stat('retry/max_reached')}; {crawl.result.seconds:.0f}s"}
