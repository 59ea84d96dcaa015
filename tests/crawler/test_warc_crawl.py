"""The crawl's WARC archive, from real crawls of the fixture sites: the files pass the
standard reader's check, hold one response record per article page fetched, every stored
record points at its raw pages, `govnews clean` of the archive gives the records the crawl
stored, and a 304 is a revisit pointing at the stored copy. Off for a bare `scrapy crawl`
unless asked, on for `govnews refresh`."""
from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import Counter
from pathlib import Path

import pymongo
import pytest

from crawler.runner import LOCAL_FAST, run_crawl
from storage.warcread import read_http
from tests.crawler.test_refresh import FAST, run_refresh
from tests.support.crawlenv import proxy_env
from tests.support.warcfiles import records, warc_files, warcio_check
from tests.test_cli_clean import run_clean

SITES = ["zhangye-kjj", "hebi-kjj", "henan-kjt", "lanzhou-kjj", "most", "gansu-kjt", "guangxi-kjt"]
# What the cleaner made of a page: the same from the crawl and from its archive.
CLEANED = ("title", "text", "published_at", "source", "author", "editor", "site_name", "column", "keywords",
           "description", "doc_info", "attachments", "images", "script", "encoding", "content_hash", "text_length",
           "status", "reason", "warnings", "extraction", "canonical_url", "pages", "cleaner_version", "schema_version")


@pytest.fixture(scope="module")
def archived(crawl, crawl_mongo_uri, tmp_path_factory):
    """Every fixture site crawled twice with WARC on, each round into its own folder."""
    db = "warc_" + uuid.uuid4().hex[:8]
    first_dir, second_dir = tmp_path_factory.mktemp("warc-first"), tmp_path_factory.mktemp("warc-second")
    first = {s: crawl(s, db=db, GOVNEWS_WARC=True, GOVNEWS_WARC_DIR=str(first_dir)) for s in SITES}
    stored = {}
    client = pymongo.MongoClient(crawl_mongo_uri, tz_aware=True)
    for doc in client[db]["articles"].find():
        stored[doc["url"]] = doc
    second = {s: crawl(s, db=db, GOVNEWS_WARC=True, GOVNEWS_WARC_DIR=str(second_dir)) for s in SITES}
    after = {doc["url"]: doc for doc in client[db]["articles"].find()}
    yield {"first": first, "second": second, "first_dir": first_dir, "second_dir": second_dir,
           "stored": stored, "after": after}
    client.drop_database(db)
    client.close()


def site_records(directory: Path, site: str, rec_type: str):
    return [(path, rec) for path, rec in records(directory, rec_type) if path.name.startswith(f"govnews-{site}-")]


def test_the_files_pass_the_standard_check(archived):
    files = warc_files(archived["first_dir"]) + warc_files(archived["second_dir"])
    assert len(files) == 2 * len(SITES)
    check = warcio_check(files)
    assert check.returncode == 0, check.stdout[-3000:]
    assert "digest pass" in check.stdout


def test_one_response_record_per_article_page_fetched(archived):
    for site, result in archived["first"].items():
        assert result.failure is None, (site, result.log_path)
        kinds = Counter(rec.fields.get("GovNews-Kind") for _, rec in site_records(archived["first_dir"], site, "response"))
        assert kinds["article"] == result.stat("govnews/spider/article_pages") + result.stat("govnews/spider/not_text"), site
        assert kinds["article_part"] == result.stat("govnews/spider/article_parts"), site
        assert set(kinds) <= {"article", "article_part"}                     # no list page unless asked
        assert sum(kinds.values()) == result.stat("govnews/warc/responses")
        uris = [rec.uri for _, rec in site_records(archived["first_dir"], site, "response")]
        assert len(uris) == len(set(uris)), site
    assert sum(r.stat("govnews/spider/article_parts") for r in archived["first"].values()) == 2


def test_every_stored_record_points_at_its_raw_pages(archived):
    stored = archived["stored"]
    assert len(stored) == 47
    for url, doc in stored.items():
        positions = [doc["warc"]] + doc["warc"].get("parts", [])
        assert len(positions) == doc["pages"], url
        for position in positions:
            answer = read_http(archived["first_dir"] / position["file"], position["offset"])
            assert answer.status == 200 and answer.date == position["date"]
        assert read_http(archived["first_dir"] / doc["warc"]["file"], doc["warc"]["offset"]).uri == url
        assert doc["fetched_at"] == dt.datetime.fromisoformat(doc["warc"]["date"].replace("Z", "+00:00"))


def test_clean_of_the_archive_gives_the_records_the_crawl_stored(archived, tmp_path):
    out = tmp_path / "out.jsonl"
    proc = run_clean(archived["first_dir"], "-o", out, "-j", "2")
    assert proc.returncode == 0, proc.stderr
    cleaned = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    ok = {r["url"]: r for r in cleaned if r["status"] == "ok"}
    assert set(ok) == set(archived["stored"])
    assert [r["status"] for r in cleaned if r["status"] != "ok"] == ["blocked"]     # gansu-kjt's login wall
    for url, doc in archived["stored"].items():
        record = ok[url]
        for name in CLEANED:
            assert record.get(name) == doc.get(name), (url, name)
        assert dt.datetime.fromisoformat(record["fetched_at"]) == doc["fetched_at"]
        assert (Path(record["warc"]["file"]).name, record["warc"]["offset"]) == (doc["warc"]["file"], doc["warc"]["offset"])


def test_a_304_is_a_revisit_pointing_at_the_stored_copy(archived, manifests, tmp_path):
    stored = archived["stored"]
    revisits = records(archived["second_dir"], "revisit")
    assert sum(r.stat("govnews/refresh/not_modified") for r in archived["second"].values()) == len(revisits) == 47
    fetched_again = {rec.uri for _, rec in records(archived["second_dir"], "response")}
    assert fetched_again == set(manifests["gansu-kjt"]["blocked"])       # the login wall: never stored, no 304
    for _, rec in revisits:
        assert rec.status == 304
        assert rec.fields["WARC-Refers-To"] == stored[rec.uri]["warc"]["id"]
        assert rec.fields["WARC-Refers-To-Date"] == stored[rec.uri]["warc"]["date"]
        assert archived["after"][rec.uri]["warc"] == stored[rec.uri]["warc"]        # the stored copy stays the same
    out = tmp_path / "out.jsonl"
    proc = run_clean(archived["first_dir"], archived["second_dir"], "-o", out)
    assert proc.returncode == 0, proc.stderr
    seen_again = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert Counter(r["url"] for r in seen_again if r["status"] == "ok") == Counter({u: 2 for u in stored})
    assert "revisits" not in proc.stderr.split("WARC input:")[1]          # every revisit found its original


def test_bare_crawl_writes_no_warc_unless_asked(fixture_server, crawl_mongo_uri, tmp_path):
    def bare(tag: str, settings: dict, **env):
        data = tmp_path / tag
        result = run_crawl("zhangye-kjj", settings={**LOCAL_FAST, "GOVNEWS_MONGO_DB": f"warc_bare_{tag}", **settings},
                           env=proxy_env(fixture_server.proxy_url, GOVNEWS_MONGO_URI=crawl_mongo_uri,
                                         GOVNEWS_DATA_DIR=str(data), **env), log_path=tmp_path / f"{tag}.log")
        assert result.failure is None, result.error
        return result, data / "warc"

    off, where = bare("off", {})
    assert not where.exists() and off.stat("govnews/warc/responses") == 0
    on, where = bare("env", {}, GOVNEWS_WARC="1")
    assert on.stat("govnews/warc/responses") == 12 and len(warc_files(where)) == 1
    lists, where = bare("lists", {"GOVNEWS_WARC": True, "GOVNEWS_WARC_LISTS": True})
    kinds = Counter(rec.fields.get("GovNews-Kind") for _, rec in records(where, "response"))
    assert kinds["list"] == lists.stat("govnews/spider/list_pages") >= 2
    out = tmp_path / "lists.jsonl"
    proc = run_clean(where, "-o", out)
    assert f"{kinds['list']} list pages" in proc.stderr and len(out.read_text().splitlines()) == 10


def test_refresh_archives_by_default(fixture_server, crawl_mongo_uri, tmp_path):
    proc = run_refresh(["--sites", "henan-kjt", *FAST, "-s", "GOVNEWS_MONGO_DB=warc_refresh"],
                       fixture_server.proxy_url, crawl_mongo_uri, tmp_path / "on")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [rec.uri for _, rec in records(tmp_path / "on" / "warc", "response")]
    proc = run_refresh(["--sites", "henan-kjt", *FAST, "-s", "GOVNEWS_MONGO_DB=warc_refresh_off"],
                       fixture_server.proxy_url, crawl_mongo_uri, tmp_path / "off", env={"GOVNEWS_WARC": "0"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not (tmp_path / "off" / "warc").exists()
    client = pymongo.MongoClient(crawl_mongo_uri)
    try:
        assert client.warc_refresh.articles.count_documents({"warc.file": {"$exists": True}}) == 4
    finally:
        client.drop_database("warc_refresh")
        client.drop_database("warc_refresh_off")
        client.close()

