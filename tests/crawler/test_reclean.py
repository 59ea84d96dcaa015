"""`govnews reclean` on the store of a real crawl with WARC on: after a change of cleaner
version it updates exactly the records whose cleaned output changed (their previous version
to history) and marks the rest; a second run changes nothing; a run killed half-way goes on
where it stopped; --site and --since narrow it; unreadable pages and records that would no
longer be ok are counted and left for the next run."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pymongo
import pytest

from cleaners.record import CLEANER_VERSION
from tests.support.crawlenv import sigkill_when
from tests.support.warcfiles import records

GOVNEWS = shutil.which("govnews", path=str(Path(sys.executable).parent)) or "govnews"
SITES = ["zhangye-kjj", "hebi-kjj", "henan-kjt", "lanzhou-kjj", "most", "gansu-kjt", "guangxi-kjt"]
MULTI_PAGE = "http://kjj.zhangye.gov.cn/kjdt/gzdt/202303/t20230305_1003.html"
NEXT = "next-version"


@pytest.fixture(scope="module")
def crawled(crawl, crawl_mongo_uri, tmp_path_factory):
    """Every fixture site crawled once with WARC on: (database name, WARC folder)."""
    db = "reclean_" + uuid.uuid4().hex[:8]
    warc = tmp_path_factory.mktemp("reclean-warc")
    for site in SITES:
        assert crawl(site, db=db, GOVNEWS_WARC=True, GOVNEWS_WARC_DIR=str(warc)).failure is None
    yield db, warc
    client = pymongo.MongoClient(crawl_mongo_uri)
    client.drop_database(db)
    client.close()


@pytest.fixture
def store(crawled, crawl_mongo_uri):
    """A copy of the crawled store for one test: (collection, database name, WARC folder)."""
    source, warc = crawled
    name = "reclean_t_" + uuid.uuid4().hex[:8]
    client = pymongo.MongoClient(crawl_mongo_uri, tz_aware=True)
    coll = client[name]["articles"]
    coll.insert_many(list(client[source]["articles"].find()))
    yield coll, name, warc
    client.drop_database(name)
    client.close()


def reclean(uri: str, db: str, warc, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([GOVNEWS, "reclean", "--mongo-uri", uri, "--db", db, "--warc-dir", str(warc), "--no-progress",
                           *args], capture_output=True, text=True, timeout=timeout)


def snapshot(coll) -> dict[str, dict]:
    return {doc["_id"]: doc for doc in coll.find()}


def as_an_older_cleaner_left_them(coll) -> dict[str, dict]:
    """Change four stored records the way an older cleaner could have made them: a wrong
    title, a shorter text, an author too many, a multi-page article with its first page only.
    Returns the four as they were."""
    multi = coll.find_one({"url": MULTI_PAGE})
    keys = sorted(key for key in snapshot(coll) if key != multi["_id"])
    chosen = {keys[3]: {"title": "旧的标题"}, keys[20]: {"text": "旧的正文。", "content_hash": "old-hash", "text_length": 5},
              keys[33]: {"author": "某记者"}}
    chosen[multi["_id"]] = {"text": multi["text"].split("（第2页）")[0], "content_hash": "first-page-only", "pages": 1}
    before = {key: coll.find_one({"_id": key}) for key in chosen}
    for key, change in chosen.items():
        coll.update_one({"_id": key}, {"$set": change})
    return before


def test_reclean_updates_exactly_the_records_whose_output_changed(store, crawl_mongo_uri):
    coll, db, warc = store
    right = as_an_older_cleaner_left_them(coll)
    wrong = snapshot(coll)
    proc = reclean(crawl_mongo_uri, db, warc, "--cleaner-version", NEXT, "-j", "2")
    assert proc.returncode == 0, proc.stderr
    assert "47 records checked" in proc.stdout and "4 changed, 43 the same, 0 kept, 0 unreadable" in proc.stdout
    assert "zhangye-kjj changed:" in proc.stdout
    after = snapshot(coll)
    for key, doc in after.items():
        assert doc["cleaner_version"] == NEXT
        for name in ("first_seen", "last_seen", "fetched_at", "warc", "url", "key"):
            assert doc[name] == wrong[key][name], (key, name)
        if key in right:        # the cleaned fields as the crawl made them; the changed version in history
            assert [doc[n] for n in ("title", "text", "author", "content_hash", "pages")] == \
                   [right[key][n] for n in ("title", "text", "author", "content_hash", "pages")]
            [old] = doc["history"]
            assert (old["text"], old["title"], old["content_hash"]) == \
                   (wrong[key]["text"], wrong[key]["title"], wrong[key]["content_hash"])
            assert old["cleaner_version"] == CLEANER_VERSION
        else:                   # untouched but for the version
            assert {**doc, "cleaner_version": None} == {**wrong[key], "cleaner_version": None}
            assert "history" not in doc

    again = reclean(crawl_mongo_uri, db, warc, "--cleaner-version", NEXT)
    assert again.returncode == 0 and "0 records checked" in again.stdout
    assert snapshot(coll) == after


def test_by_default_the_cleaners_own_version_is_used(store, crawl_mongo_uri):
    coll, db, warc = store
    proc = reclean(crawl_mongo_uri, db, warc)
    assert proc.returncode == 0 and "0 records checked" in proc.stdout      # the crawl's cleaner is this one
    assert f"cleaner {CLEANER_VERSION}" in proc.stdout
    coll.update_many({"site": "hebi-kjj"}, {"$set": {"cleaner_version": "2000.1.1"}})
    proc = reclean(crawl_mongo_uri, db, warc)
    assert "8 records checked" in proc.stdout and "0 changed, 8 the same" in proc.stdout
    assert coll.count_documents({"cleaner_version": CLEANER_VERSION}) == 47


def settled(count, pause: float = 0.3) -> int:
    """``count()`` once it no longer moves: a write the killed process sent just before the
    kill may still be carried out by the server after it."""
    before = count()
    while True:
        time.sleep(pause)
        now = count()
        if now == before:
            return now
        before = now


def test_a_killed_reclean_goes_on_where_it_stopped(store, crawl_mongo_uri):
    coll, db, warc = store
    right = as_an_older_cleaner_left_them(coll)
    first = subprocess.Popen([GOVNEWS, "reclean", "--mongo-uri", crawl_mongo_uri, "--db", db, "--warc-dir", str(warc),
                              "--cleaner-version", NEXT, "--batch", "1", "--no-progress"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    sigkill_when(first, lambda: coll.count_documents({"cleaner_version": NEXT}) >= 5, poll=0.005)
    done = settled(lambda: coll.count_documents({"cleaner_version": NEXT}))
    assert 5 <= done < 47
    proc = reclean(crawl_mongo_uri, db, warc, "--cleaner-version", NEXT)
    assert proc.returncode == 0, proc.stderr
    checked = int(proc.stdout.split(" records checked")[0].rsplit(" ", 1)[1])
    assert checked == 47 - done
    assert coll.count_documents({"cleaner_version": NEXT}) == 47
    for key, doc in snapshot(coll).items():     # each changed once, whichever run did it
        assert len(doc.get("history", [])) == (1 if key in right else 0), key
        if key in right:
            assert doc["text"] == right[key]["text"] and doc["title"] == right[key]["title"]


def test_site_and_since_narrow_it(store, crawl_mongo_uri):
    coll, db, warc = store
    proc = reclean(crawl_mongo_uri, db, warc, "--cleaner-version", NEXT, "--site", "hebi-kjj", "most")
    assert "13 records checked" in proc.stdout and coll.count_documents({"cleaner_version": NEXT}) == 13
    tomorrow = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)).date().isoformat()
    proc = reclean(crawl_mongo_uri, db, warc, "--cleaner-version", NEXT, "--since", tomorrow)
    assert "0 records checked" in proc.stdout
    proc = reclean(crawl_mongo_uri, db, warc, "--cleaner-version", NEXT, "--since", "2020-01-01")
    assert "34 records checked" in proc.stdout


def test_unreadable_pages_are_counted_and_tried_again(store, crawl_mongo_uri, tmp_path):
    coll, db, warc = store
    [(path, _)] = {(p, None) for p, rec in records(warc, "response") if p.name.startswith("govnews-most-")}
    moved = tmp_path / path.name
    shutil.move(path, moved)
    try:
        proc = reclean(crawl_mongo_uri, db, warc, "--cleaner-version", NEXT)
    finally:
        shutil.move(moved, path)
    assert "47 records checked" in proc.stdout and "5 unreadable" in proc.stdout
    assert coll.count_documents({"cleaner_version": {"$ne": NEXT}}) == 5
    proc = reclean(crawl_mongo_uri, db, warc, "--cleaner-version", NEXT)
    assert "5 records checked" in proc.stdout and "5 the same" in proc.stdout


def test_a_record_that_would_no_longer_be_ok_is_kept(store, crawl_mongo_uri, manifests):
    """Its pages now clean as a login wall (say the cleaner learned to see one): the stored
    record stays as it was, counted as kept, and is looked at again next time."""
    coll, db, warc = store
    [wall] = manifests["gansu-kjt"]["blocked"]
    [(path, rec)] = [(p, r) for p, r in records(warc, "response") if r.uri == wall]
    doc = coll.find_one({"site": "gansu-kjt"})
    coll.update_one({"_id": doc["_id"]}, {"$set": {"warc": {"file": path.name, "offset": rec.offset}}})
    proc = reclean(crawl_mongo_uri, db, warc, "--cleaner-version", NEXT)
    assert "1 kept" in proc.stdout
    kept = coll.find_one({"_id": doc["_id"]})
    assert kept["cleaner_version"] == CLEANER_VERSION and kept["text"] == doc["text"] and "history" not in kept
