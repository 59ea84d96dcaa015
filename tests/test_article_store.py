"""storage.ArticleStore against a real MongoDB wire server."""
from __future__ import annotations

import datetime as dt
import os

import pymongo
import pytest

from cleaners.record import content_hash, new_record
from storage import ArticleStore, UpsertResult, record_key, redact_uri
from storage.articles import HISTORY_LIMIT


def article(url: str | None, text: str, title: str = "市科技局召开科技创新工作会议", **extra) -> dict:
    record = new_record(url)
    record.update(title=title, text=text, status="ok", reason=None, text_length=len(text),
                  published_at="2024-03-07T09:30:00+08:00", content_hash=content_hash(title, text), **extra)
    return record


URL = "http://kjj.example.gov.cn/kjdt/202403/t20240307_1100002.html"
TEXT = "3月7日，市科技局召开全市科技创新工作会议，总结2023年工作，部署2024年重点任务。"


@pytest.fixture
def store(mongo_server, mongo_db):
    with ArticleStore.from_uri(mongo_server, db=mongo_db) as opened:
        yield opened


def test_insert_then_unchanged_only_touches_last_seen(store):
    first = store.upsert_many([article(URL, TEXT, etag='"v1"')])
    assert first == UpsertResult(inserted=1)
    doc = store.get(URL)
    assert doc["key"] == URL and doc["text"] == TEXT and doc["etag"] == '"v1"'
    assert doc["first_seen"] == doc["last_seen"]
    assert isinstance(doc["fetched_at"], dt.datetime)

    again = store.upsert_many([article(URL, TEXT + "  \n", etag='"v2"')])   # white space only: same hash
    assert again == UpsertResult(unchanged=1)
    doc2 = store.get(URL)
    assert doc2["last_seen"] > doc["last_seen"]
    assert doc2["first_seen"] == doc["first_seen"] and doc2["fetched_at"] == doc["fetched_at"]
    assert doc2["etag"] == '"v2"'            # validators follow the server for the next conditional GET
    assert "history" not in doc2
    assert store.count() == 1


def test_changed_content_keeps_previous_version_in_history(store):
    store.upsert_many([article(URL, TEXT, fetched_at="2024-03-07T02:00:00Z")])
    new_text = TEXT + "会议强调，要加快建设区域科技创新中心。"
    result = store.upsert_many([article(URL, new_text, fetched_at="2024-03-08T02:00:00+00:00", editor="王五")])
    assert result == UpsertResult(updated=1)
    doc = store.get(URL)
    assert doc["text"] == new_text and doc["editor"] == "王五"
    assert doc["fetched_at"] == dt.datetime(2024, 3, 8, 2, tzinfo=dt.timezone.utc)
    assert [h["text"] for h in doc["history"]] == [TEXT]
    old = doc["history"][0]
    assert old["content_hash"] == content_hash(article(URL, TEXT)["title"], TEXT)
    assert old["fetched_at"] == dt.datetime(2024, 3, 7, 2, tzinfo=dt.timezone.utc)
    assert set(old) == {"text", "title", "content_hash", "published_at", "fetched_at", "cleaner_version", "warc"}


def test_an_older_copy_never_replaces_a_newer_one(store):
    newer = TEXT + "会议强调，要加快建设区域科技创新中心。"
    store.upsert_many([article(URL, newer, fetched_at="2024-03-08T02:00:00Z")])
    result = store.upsert_many([article(URL, TEXT, fetched_at="2024-03-07T02:00:00Z")])   # e.g. a late spool replay
    assert result == UpsertResult(older=1)
    doc = store.get(URL)
    assert doc["text"] == newer and "history" not in doc
    assert store.upsert_many([article(URL, TEXT, fetched_at="2024-03-09T02:00:00Z")]) == UpsertResult(updated=1)
    assert store.upsert_many([article(URL, TEXT + "。")]) == UpsertResult(updated=1)   # no fetched_at: now


def test_history_is_capped(store):
    for i in range(HISTORY_LIMIT + 5):
        store.upsert_many([article(URL, f"{TEXT}第{i}版。")])
    history = store.get(URL)["history"]
    assert len(history) == HISTORY_LIMIT
    assert history[-1]["text"].endswith(f"第{HISTORY_LIMIT + 3}版。")


def test_same_key_twice_in_one_batch_is_applied_in_order(store):
    result = store.upsert_many([article(URL, TEXT), article(URL, TEXT + "补充。"), article(URL, TEXT + "补充。")])
    assert result == UpsertResult(inserted=1, updated=1, unchanged=1)
    doc = store.get(URL)
    assert doc["text"] == TEXT + "补充。" and [h["text"] for h in doc["history"]] == [TEXT]


def test_rerunning_a_batch_loads_nothing_twice(store):
    batch = [article(f"http://kjj.example.gov.cn/kjdt/t2024_{i}.html", f"{TEXT}编号{i}。") for i in range(250)]
    assert store.upsert_many(batch).inserted == 250
    assert store.upsert_many(batch) == UpsertResult(unchanged=250)
    assert store.count() == 250


def test_keys_canonical_then_url_then_file_path(store, tmp_path):
    canonical = article("http://kjj.example.gov.cn/a.html?from=list", TEXT, canonical_url="http://kjj.example.gov.cn/a.html")
    no_url = article(None, TEXT + "本地。", path=str(tmp_path / "dump" / "a.html"))
    assert store.upsert_many([canonical, no_url]).inserted == 2
    assert store.get("http://kjj.example.gov.cn/a.html")["url"] == "http://kjj.example.gov.cn/a.html?from=list"
    assert store.get(f"file:{tmp_path}/dump/a.html")["path"].endswith("a.html")
    # relative paths are made absolute
    assert record_key({"path": "x/y.html"}) == "file:" + os.path.join(os.getcwd(), "x/y.html")


def test_unique_index_on_key_and_idempotent_open(store, mongo_server, mongo_db):
    with ArticleStore.from_uri(mongo_server, db=mongo_db):   # indexes again: no error
        pass
    indexes = store.collection.index_information()
    assert indexes["key_unique"]["unique"] is True
    assert indexes["key_unique"]["key"] == [("key", 1)]
    store.upsert_many([article(URL, TEXT)])
    with pytest.raises(pymongo.errors.DuplicateKeyError):
        store.collection.insert_one({"_id": "other", "key": URL})


def test_known_by_key_and_by_fetch_url(store):
    store.upsert_many([article("http://kjj.example.gov.cn/a.html?x=1", TEXT, canonical_url="http://kjj.example.gov.cn/a.html",
                               etag='"abc"', last_modified="Thu, 07 Mar 2024 01:30:00 GMT")])
    known = store.known(["http://kjj.example.gov.cn/a.html", "http://kjj.example.gov.cn/a.html?x=1",
                         "http://kjj.example.gov.cn/missing.html"])
    assert set(known) == {"http://kjj.example.gov.cn/a.html", "http://kjj.example.gov.cn/a.html?x=1"}
    entry = known["http://kjj.example.gov.cn/a.html?x=1"]
    assert entry == {"etag": '"abc"', "last_modified": "Thu, 07 Mar 2024 01:30:00 GMT",
                     "content_hash": content_hash("市科技局召开科技创新工作会议", TEXT), "warc": None,
                     "key": "http://kjj.example.gov.cn/a.html"}
    assert store.known([]) == {}
    store.upsert_many([article("https://kjj.example.gov.cn/b.html", TEXT, request_url="http://kjj.example.gov.cn/b.html",
                               etag='"b"')])   # redirected http → https
    assert store.known(["http://kjj.example.gov.cn/b.html"])["http://kjj.example.gov.cn/b.html"]["etag"] == '"b"'


def test_failed_records_are_counted_with_reasons_and_the_rest_is_written(store):
    no_key = article(None, TEXT)
    not_bson = article("http://kjj.example.gov.cn/bad.html", TEXT + "坏。", site={1, 2})   # a set: not BSON
    too_big = article("http://kjj.example.gov.cn/big.html", "大" * (6 * 1024 * 1024))      # 18 MB of UTF-8
    good = article("http://kjj.example.gov.cn/good.html", TEXT + "好。")
    result = store.upsert_many([no_key, not_bson, too_big, good])
    assert (result.inserted, result.failed) == (1, 3)
    reasons = {e["key"]: e["reason"] for e in result.errors}
    assert "no canonical_url" in reasons[None]
    assert "InvalidDocument" in reasons["http://kjj.example.gov.cn/bad.html"]
    assert "exceeds" in reasons["http://kjj.example.gov.cn/big.html"]
    assert store.count() == 1


def test_server_side_write_errors_are_counted_not_raised(store):
    store.collection.insert_one({"_id": "http://kjj.example.gov.cn/clash.html", "key": "taken"})
    store.collection.insert_one({"_id": "elsewhere", "key": "http://kjj.example.gov.cn/clash2.html"})
    result = store.upsert_many([article("http://kjj.example.gov.cn/clash2.html", TEXT),
                                article("http://kjj.example.gov.cn/ok.html", TEXT)])
    assert result.inserted == 1 and result.failed == 1
    assert result.errors[0]["key"] == "http://kjj.example.gov.cn/clash2.html"
    assert "write error 11000" in result.errors[0]["reason"]


class _WriteAfterLookup(pymongo.monitoring.CommandListener):
    """Another writer stores ``record`` right after ``store``'s lookup of the batch's keys and
    before its bulk write: a real race on a real server."""

    def __init__(self, uri: str, db: str, record: dict):
        self.uri, self.db, self.record, self.done = uri, db, record, False

    def started(self, event):
        pass

    def failed(self, event):
        pass

    def succeeded(self, event):
        if event.command_name == "find" and not self.done:
            self.done = True
            with ArticleStore.from_uri(self.uri, db=self.db) as other:
                other.upsert_many([self.record])


def test_insert_raced_by_another_writer_becomes_an_update(mongo_server, mongo_db):
    theirs = article(URL, TEXT)
    race = _WriteAfterLookup(mongo_server, mongo_db, theirs)
    with ArticleStore.from_uri(mongo_server, db=mongo_db, client_options={"event_listeners": [race]}) as store:
        result = store.upsert_many([article(URL, TEXT + "会议强调，要加快建设区域科技创新中心。"),
                                    article(URL.replace("1100002", "1100003"), TEXT)])
        assert race.done
        assert result == UpsertResult(inserted=1, updated=1)     # ours was not lost, nor stored twice
        assert store.count() == 2
        doc = store.get(URL)
        assert doc["text"].endswith("区域科技创新中心。")
        assert [h["text"] for h in doc["history"]] == [TEXT]     # theirs became the previous version


def test_redact_uri_and_repr_never_show_the_password():
    uri = "mongodb://crawler:p%40ss:w0rd@db.example.gov.cn:27017/govnews?authSource=admin"
    assert redact_uri(uri) == "mongodb://crawler:***@db.example.gov.cn:27017/govnews?authSource=admin"
    assert "w0rd" not in repr(ArticleStore.from_uri(uri))
    assert redact_uri("mongodb://user@host/") == "mongodb://user@host/"


def test_store_must_be_opened(mongo_server):
    with pytest.raises(RuntimeError, match="not open"):
        ArticleStore.from_uri(mongo_server).count()


def test_storage_takes_the_records_content_hash_and_computes_none(store):
    record = article(URL, TEXT)
    record["content_hash"] = "given-by-the-cleaner"
    store.upsert_many([record])
    assert store.get(URL)["content_hash"] == "given-by-the-cleaner"


def test_touch_sets_last_seen_of_many_in_one_update(store):
    other = URL.replace("1100002", "1100003")
    store.upsert_many([article(URL, TEXT), article(other, TEXT + "另一篇")])
    before = {d["_id"]: d["last_seen"] for d in store.collection.find({})}
    assert store.touch([URL, other, "http://kjj.example.gov.cn/not-stored.html", None]) == 2
    for doc in store.collection.find({}):
        assert doc["last_seen"] > before[doc["_id"]] and doc["first_seen"] == before[doc["_id"]]
    assert store.touch([]) == 0


def test_documents_are_found_by_number_and_issuer_through_indexes(store):
    record = article(URL, TEXT, doc={"number": "甘科发〔2023〕12号", "issuer": "某某市科学技术局"})
    store.upsert_many([record, article("http://kjj.example.gov.cn/b.html", TEXT + "另一篇。")])
    indexes = store.collection.index_information()
    assert indexes["doc_number"]["key"] == [("doc.number", 1)] and indexes["doc_issuer"]["key"] == [("doc.issuer", 1)]
    found = list(store.collection.find({"doc.number": "甘科发〔2023〕12号"}, {"key": 1}))
    assert [d["key"] for d in found] == [URL]
    assert store.collection.count_documents({"doc.issuer": "某某市科学技术局"}) == 1
