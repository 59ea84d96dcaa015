"""Crawl every fixture site twice through the loopback proxy into a real MongoDB wire server.

First run: every manifest article stored, no list/search/404/blocked page stored, the
multi-page article merged, attachments recorded, GBK and traditional pages right, the 412
challenge reported. Second run: nothing stored twice and no unchanged article body
downloaded again (every stored article answers 304), yet every article marked seen again.
"""
from __future__ import annotations

import uuid

import pymongo
import pytest

SITES = ["zhangye-kjj", "hebi-kjj", "henan-kjt", "lanzhou-kjj", "most", "gansu-kjt", "guangxi-kjt",
         "hubei-kjt", "wuhan-kjj", "yichang-kjj"]


@pytest.fixture(scope="module")
def runs(crawl, crawl_mongo_uri, fixture_server, manifests):
    """Two crawls of every site into one fresh database; returns (first, second, db, requests)."""
    assert set(SITES) <= set(manifests)
    db_name = "crawltest_" + uuid.uuid4().hex[:8]
    first = {site: crawl(site, db=db_name) for site in SITES}
    mark = len(fixture_server.requests())
    second = {site: crawl(site, db=db_name) for site in SITES}
    second_requests = fixture_server.requests()[mark:]
    client = pymongo.MongoClient(crawl_mongo_uri)
    yield first, second, client[db_name]["articles"], second_requests
    client.drop_database(db_name)
    client.close()


def stored_urls(coll) -> set[str]:
    return {d["url"] for d in coll.find({}, {"url": 1})} | {d.get("canonical_url") for d in coll.find({}, {"canonical_url": 1})}


@pytest.mark.parametrize("site", SITES)
def test_every_article_found_and_stored(runs, manifests, site):
    first, _, coll, _ = runs
    result = first[site]
    assert result.failure is None, (result.failure, result.log_path)
    missing = set(manifests[site]["articles"]) - stored_urls(coll)
    assert not missing, f"{site}: not stored {sorted(missing)} (log {result.log_path})"


def test_nothing_but_articles_stored(runs, manifests):
    _, _, coll, _ = runs
    expected = {u for m in manifests.values() for u in m["articles"]}
    never = {u for m in manifests.values() for u in m["lists"] + m["blocked"] + m["not_found"]}
    urls = {d["url"] for d in coll.find({}, {"url": 1})}
    assert urls == expected
    assert not urls & never
    assert coll.count_documents({}) == len(expected)
    assert coll.count_documents({"status": {"$ne": "ok"}}) == 0


def test_multi_page_article_is_one_whole_record(runs, manifests):
    _, _, coll, _ = runs
    for m in manifests.values():
        for url, spec in m["multi_page"].items():
            doc = coll.find_one({"url": url})
            assert doc["pages"] == spec["pages"]
            for snippet in spec["must_contain"]:
                assert snippet in doc["text"]
            assert coll.count_documents({"url": {"$regex": url.rsplit('.', 1)[0] + "_\\d"}}) == 0


def test_attachments_recorded_not_stored_as_articles(runs, manifests):
    _, _, coll, _ = runs
    attachments = [u for m in manifests.values() for u in m["attachments"]]
    assert attachments
    recorded = {a["url"] for d in coll.find({}, {"attachments": 1}) for a in d.get("attachments") or []}
    assert set(attachments) <= recorded
    assert coll.count_documents({"url": {"$in": attachments}}) == 0


def test_gbk_and_traditional_pages(runs, manifests):
    _, _, coll, _ = runs
    hebi = coll.find_one({"url": manifests["hebi-kjj"]["articles"][0]})
    assert hebi["title"].startswith("鹤壁市科技局") and "\ufffd" not in hebi["text"]
    for m in manifests.values():
        for url in m.get("traditional", []):
            doc = coll.find_one({"url": url})
            assert doc["script"]["converted"] is True
            assert "科技创新" in doc["text"] + doc["title"]


def test_412_challenge_reported_not_stored(runs, manifests):
    first, _, coll, _ = runs
    assert first["most"].stat("govnews/blocked/most") == len(manifests["most"]["blocked"]) == 1
    assert coll.count_documents({"url": {"$in": manifests["most"]["blocked"]}}) == 0
    assert "BLOCKED" in first["most"].log_path.read_text("utf-8")


def test_login_wall_reported_not_stored(runs, manifests):
    first, _, coll, _ = runs
    assert first["gansu-kjt"].stat("govnews/blocked/gansu-kjt") == len(manifests["gansu-kjt"]["blocked"]) == 1
    assert coll.count_documents({"url": {"$in": manifests["gansu-kjt"]["blocked"]}}) == 0


def test_second_run_stores_nothing_twice_and_refetches_no_body(runs, manifests):
    _, second, coll, requests = runs
    expected = {u for m in manifests.values() for u in m["articles"]}
    assert coll.count_documents({}) == len(expected)
    assert sum(r.stat("govnews/mongo/inserted") for r in second.values()) == 0
    assert sum(r.stat("govnews/mongo/updated") for r in second.values()) == 0
    assert sum(r.stat("govnews/refresh/not_modified") for r in second.values()) == len(expected)
    bodies = [r for r in requests if r["status"] == 200 and f"http://{r['host']}{r['path']}" in expected]
    assert bodies == []


def test_304_marks_every_article_seen_again_in_bulk(runs, manifests):
    first, second, coll, _ = runs
    expected = {u for m in manifests.values() for u in m["articles"]}
    assert sum(r.stat("govnews/refresh/seen_unchanged") for r in second.values()) == len(expected)
    for doc in coll.find({}, {"first_seen": 1, "last_seen": 1, "url": 1}):
        assert doc["last_seen"] > doc["first_seen"], doc["url"]


def test_fetched_counts_blocked_article_pages_alike_on_every_site(runs, manifests):
    """most answers a 412 shell (dropped before the spider), gansu-kjt a login wall (dropped
    after cleaning): both are fetched pages that were blocked."""
    first, *_ = runs
    for site in ("most", "gansu-kjt"):
        result = first[site]
        assert result.blocked == 1
        assert result.fetched == len(manifests[site]["articles"]) + result.blocked, site


def test_crawls_log_no_deprecation_warning(runs):
    first, second, *_ = runs
    for result in [*first.values(), *second.values()]:
        log = result.log_path.read_text("utf-8")
        assert "DeprecationWarning" not in log, (result.site, result.log_path)


def test_reactor_not_stalled_by_cleaning(runs):
    first, _, _, _ = runs
    for result in first.values():
        assert result.stat("govnews/clean/workers") >= 1
        assert result.stat("govnews/reactor/max_lag_ms") < 2000   # seconds-long stalls = inline cleaning


def test_crawler_and_cleaning_workers_are_tuned_and_reported(runs):
    first, *_ = runs
    stats = first["zhangye-kjj"].stats
    assert stats["govnews/gc/threshold"] == 20000
    assert stats["govnews/gc/collections"] >= 0 and stats["govnews/gc/ms_total"] >= 0
    # the cleaning workers: same collector settings, and they yield the cores to the reactor
    assert stats["govnews/clean/worker_gc_threshold"] == 20000
    assert stats["govnews/clean/worker_nice"] >= 5
