"""Per-site health: what a run is flagged for next to the site's own runs, and the runs
collection that keeps them (a real MongoDB wire server)."""
from __future__ import annotations

import datetime as dt

import pymongo
import pytest

from crawler.health import HealthPolicy, assess, run_summary, site_flags
from crawler.runner import CrawlResult
from crawler.runs import crawl_settings, record_run, run_of
from storage import RunStore

T0 = dt.datetime(2024, 5, 1, 6, 0, tzinfo=dt.timezone.utc)
USUAL = {"status": "ok", "list_pages": 3, "article_links": 12, "fetched": 10, "new": 2, "records": 10, "ok": 10,
         "empty": 0, "low_confidence": 0, "blocked": 0, "share_date": 1.0, "share_title": 1.0,
         "share_source": 0.9, "median_text_length": 800}


def run(day: float = 0, **figures) -> dict:
    return {**USUAL, "started_at": T0 + dt.timedelta(days=day), **figures}


def flags(current: dict, history: list[dict], policy: HealthPolicy = HealthPolicy()) -> list[str]:
    return [f["flag"] for f in assess(current, history, policy)]


HISTORY = [run(-d) for d in range(1, 6)]       # newest first, a run a day, each with new articles


def test_a_run_like_the_previous_ones_raises_nothing():
    assert flags(run(), HISTORY) == []
    assert flags(run(share_date=0.8, median_text_length=500), HISTORY) == []     # within bounds


@pytest.mark.parametrize(("change", "expected"), [
    ({"share_date": 0.1}, ["date_coverage_drop"]),
    ({"share_title": 0.5, "share_date": 0.7}, ["date_coverage_drop", "title_coverage_drop"]),
    ({"median_text_length": 400}, ["text_length_halved"]),
    ({"empty": 7, "ok": 3}, ["mostly_empty"]),
    ({"low_confidence": 8}, ["mostly_low_confidence"]),
    ({"blocked": 6}, ["mostly_blocked"]),
    ({"article_links": 0, "records": 0, "fetched": 0, "new": 0}, ["no_article_links"]),
    ({"status": "failed", "failure": "DNS lookup failed for kjj.x.gov.cn", "records": 0, "list_pages": 0},
     ["failed"]),
])
def test_what_a_template_change_or_an_outage_looks_like(change, expected):
    assert flags(run(**change), HISTORY) == expected


def test_too_few_records_say_nothing_about_the_template():
    assert flags(run(records=2, share_date=0.0, median_text_length=10), HISTORY) == []
    assert flags(run(share_date=0.0), [run(-1, records=1)]) == []     # no measured run to compare with


def test_no_new_article_for_much_longer_than_usual():
    quiet = [run(-d, new=0) for d in range(1, 4)]
    regular = [run(-d) for d in range(4, 12)]                           # new ones every day before
    assert flags(run(new=0), quiet + regular) == []                      # 4 days: not yet over max(4 × 1, 2)
    assert flags(run(1, new=0), quiet + regular) == ["no_new_articles"]   # 5 days
    message = assess(run(1, new=0), quiet + regular)[0]["message"]
    assert message == "no new article for 5.0 days (usually one every 1.0 days)"
    assert flags(run(30, new=0), [run(-1), run(-2)]) == []              # too few runs to know the usual


def test_the_usual_value_is_the_median_of_recent_measured_runs():
    history = [run(-1, share_date=0.0), *HISTORY]                        # one odd run does not move it
    assert flags(run(share_date=0.0), history) == ["date_coverage_drop"]
    changed = [run(-d, share_date=0.0) for d in range(1, 4)] + HISTORY   # most recent runs now lack dates
    assert flags(run(share_date=0.0), changed) == []


def test_site_health_is_what_its_last_run_said():
    changed = {**run(-1), "flags": assess(run(-1, median_text_length=100), HISTORY)}
    assert [f["flag"] for f in site_flags([changed, {**run(-2), "flags": []}])] == ["text_length_halved"]
    assert site_flags([{**run(), "flags": []}, changed]) == []
    assert site_flags([]) == []


@pytest.fixture
def database(mongo_server, mongo_db):
    client = pymongo.MongoClient(mongo_server, tz_aware=True)
    yield client[mongo_db]
    client.close()


def test_runs_are_kept_and_judged_against_the_stored_ones(database):
    runs = RunStore(database)
    for day in range(5, 0, -1):
        record_run(runs, run(-day, site="a"), 50)
    record_run(runs, run(-1, site="b", new=0), 50)
    stored = record_run(runs, run(site="a", median_text_length=300), 50)
    assert [f["flag"] for f in stored["flags"]] == ["text_length_halved"]
    assert runs.get(stored["_id"])["flags"] == stored["flags"]
    assert [r["started_at"] for r in runs.recent("a", 3)] == [T0 - dt.timedelta(days=d) for d in (0, 1, 2)]
    assert [r["started_at"] for r in runs.recent("a", 10, before=T0 - dt.timedelta(days=3))] == \
        [T0 - dt.timedelta(days=d) for d in (4, 5)]
    latest = runs.latest(2)
    assert list(latest) == ["a", "b"] and len(latest["a"]) == 2 and latest["b"][0]["new"] == 0


def test_a_crawl_that_died_still_leaves_a_run(database):
    settings = crawl_settings({"GOVNEWS_MONGO_DB": database.name})
    died = CrawlResult("c", -9, 3.0, {})
    recorded = run_of(died, database, settings)
    assert recorded["status"] == "failed" and recorded["failure"].startswith("crawl exited with -9")
    assert [f["flag"] for f in recorded["flags"]] == ["failed"]
    finished = CrawlResult("c", 0, 3.0, {"govnews/run/id": recorded["_id"]})
    assert run_of(finished, database, settings) == RunStore(database).get(recorded["_id"])
    assert run_of(died, database, crawl_settings({"GOVNEWS_RUNS_ENABLED": "0"})) is None


def test_run_summary_counts_from_crawl_stats():
    stats = {"govnews/spider/list_pages": 2, "govnews/spider/article_links": 7, "govnews/spider/article_pages": 6,
             "govnews/blocks/article_pages": 1, "govnews/mongo/inserted": 4, "govnews/mongo/updated": 1,
             "govnews/mongo/unchanged": 1, "govnews/refresh/not_modified": 3, "govnews/blocked/a": 1,
             "govnews/download_error/timeout": 2, "govnews/clean/status/error": 1, "govnews/clean/status/ok": 5,
             "govnews/clean/status/empty": 1, "govnews/clean/low_confidence": 2, "govnews/quality/records": 6,
             "govnews/quality/with_date": 6, "govnews/quality/with_source": 3, "govnews/quality/with_title": 5,
             "govnews/quality/median_text_length": 640}
    summary = run_summary(stats, site="a", failure=None, started_at=T0, finished_at=T0 + dt.timedelta(seconds=42))
    assert {k: summary[k] for k in ("fetched", "new", "changed", "unchanged", "not_modified", "blocked", "errors",
                                     "empty", "low_confidence", "records", "share_date", "share_source",
                                     "share_title", "median_text_length", "duration_s", "article_links")} == {
        "fetched": 7, "new": 4, "changed": 1, "unchanged": 1, "not_modified": 3, "blocked": 1, "errors": 3,
        "empty": 1, "low_confidence": 2, "records": 6, "share_date": 1.0, "share_source": 0.5,
        "share_title": 0.8333, "median_text_length": 640, "duration_s": 42.0, "article_links": 7}
