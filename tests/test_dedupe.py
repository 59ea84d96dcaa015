"""Republished copies found and clustered in a real MongoDB wire server (SecantusDB).

The corpus (tests/support/copies.py) is made from the fixtures' article texts: copies in
other sites' templates, with an editor's note, a 来源 line, the last paragraph cut, in
traditional script, with half-width punctuation; same-template different articles; short
notices. Every page goes through the real cleaner and the real store.
"""
from __future__ import annotations

import json
import random

import jsonschema
import pytest

from cleaners.record import load_schema
from cleaners.signature import signature
from govnews import clean_cmd, cli
from storage import ArticleStore
from storage.dedupe import Dedupe
from storage.queries import copies_of
from tests.support import copies


@pytest.fixture(scope="module")
def corpus():
    pages = copies.corpus()
    return pages, copies.records(pages)


def store_for(uri, db, threshold=0.8):
    return ArticleStore.from_uri(uri, db=db, dedupe=Dedupe(signature, threshold))


@pytest.fixture
def stored(corpus, mongo_server, mongo_db):
    pages, records = corpus
    with store_for(mongo_server, mongo_db) as store:
        # copies before their originals, in small batches: the original must not need to come first
        ordered = list(reversed(records))
        for i in range(0, len(ordered), 7):
            store.upsert_many(ordered[i:i + 7])
        yield pages, store


def clusters_by_url(store) -> dict[str, str]:
    return {d["url"]: d["cluster"]["id"] for d in store.collection.find({}, {"url": 1, "cluster": 1})}


def test_copies_found_and_different_articles_never_merged(stored):
    pages, store = stored
    clusters = clusters_by_url(store)
    assert len(clusters) == len(pages)
    truth = copies.truth_pairs(pages)
    found = copies.found_pairs(clusters)
    wrong = found - truth
    assert not wrong, sorted(tuple(sorted(p)) for p in wrong)[:5]       # same-template articles stay apart
    precision, recall = copies.precision_recall(found, truth)
    missed = sorted(tuple(sorted(p)) for p in truth - found)
    assert recall >= 0.95, (recall, missed[:5])


def test_every_variant_joins_its_original(stored):
    pages, store = stored
    by_url = {d["url"]: d for d in store.collection.find({}, {"url": 1, "cluster": 1})}
    originals = {p.base: by_url[p.url] for p in pages if p.variant == "original"}
    for page in pages:
        if page.variant in copies.VARIANTS:
            assert by_url[page.url]["cluster"]["id"] == originals[page.base]["cluster"]["id"], (page.variant, page.url)


def test_the_original_is_the_first_published(stored):
    pages, store = stored
    for page in pages:
        if page.variant == "original":
            doc = store.collection.find_one({"url": page.url})
            assert doc["cluster"]["role"] == "original", page.url
            assert doc["cluster"]["original"] == doc["_id"]
            assert doc["cluster"]["size"] == 1 + len(copies.VARIANTS)


def test_exact_and_edited_copies_told_apart(stored):
    pages, store = stored
    sims = {}
    for page in pages:
        doc = store.collection.find_one({"url": page.url})
        sims.setdefault(page.variant, []).append(doc["cluster"]["similarity"])
    assert set(sims["template"]) == {1.0} and set(sims["traditional"]) == {1.0}
    assert max(sims["note_cut"]) < 1.0 and max(sims["note"]) < 1.0


def test_short_texts_match_only_exactly(stored):
    _, store = stored
    coll = store.collection
    near = coll.find_one({"url": "http://portal-vsb.example.gov.cn/short/near.html"})
    assert near["dedupe"]["bands"] == [] and near["cluster"]["size"] == 1
    exact = coll.find_one({"url": "http://city-trs.example.gov.cn/short/0.html"})
    assert exact["cluster"]["size"] == 2


def paragraphs(n: int) -> list[str]:
    """``n`` different paragraphs of the fixtures' articles, each cut to 40 characters."""
    paras = [p[:40] for _, _, ps in copies.base_articles() for p in ps if len(p) >= 40]
    return list(dict.fromkeys(paras))[:n]


def record(url, paras, when="2024-05-01T09:00:00+08:00", **fields):
    return {"url": url, "canonical_url": url, "text": "\n".join(paras), "title": url, "status": "ok",
            "content_hash": str(hash("".join(paras))), "published_at": when, **fields}


def test_a_bridging_record_merges_two_clusters(mongo_server, mongo_db):
    p = paragraphs(15)
    with store_for(mongo_server, mongo_db, threshold=0.5) as store:   # X, Z and Y, Z: J ≈ 2/3; X, Y: 1/3
        store.upsert_many([record("http://a.gov.cn/x", p[:10]), record("http://b.gov.cn/x", p[:10] + ["另加一段。"])])
        store.upsert_many([record("http://c.gov.cn/y", p[5:15], when="2024-05-03T09:00:00+08:00")])
        coll = store.collection
        before = {d["_id"]: d["cluster"]["id"] for d in coll.find({}, {"cluster": 1})}
        assert before["http://c.gov.cn/y"] != before["http://a.gov.cn/x"]       # a third apart: two clusters
        store.upsert_many([record("http://d.gov.cn/z", p, when="2024-05-02T09:00:00+08:00")])   # shares 2/3 with each
        after = {d["_id"]: d["cluster"] for d in coll.find({}, {"cluster": 1})}
    assert len({c["id"] for c in after.values()}) == 1
    assert {c["size"] for c in after.values()} == {4}
    assert after["http://a.gov.cn/x"]["role"] == "original"
    assert after["http://c.gov.cn/y"]["original"] == "http://a.gov.cn/x"


def test_a_record_whose_text_changes_leaves_its_cluster(mongo_server, mongo_db):
    p, q = paragraphs(12)[:6], paragraphs(12)[6:]
    with store_for(mongo_server, mongo_db) as store:
        store.upsert_many([record("http://a.gov.cn/1", p), record("http://b.gov.cn/1", p),
                           record("http://c.gov.cn/1", p)])
        assert store.get("http://b.gov.cn/1")["cluster"]["size"] == 3
        store.upsert_many([record("http://b.gov.cn/1", q)])      # the page now holds another text
        b, a = store.get("http://b.gov.cn/1"), store.get("http://a.gov.cn/1")
    assert b["cluster"]["size"] == 1 and b["cluster"]["id"] != a["cluster"]["id"]
    assert a["cluster"]["size"] == 2


def test_backfill_command_is_resumable_and_lists_clusters(corpus, mongo_server, mongo_db, capsys):
    _, records = corpus
    with ArticleStore.from_uri(mongo_server, db=mongo_db) as store:      # stored with dedupe off
        store.upsert_many(records)
        assert store.count({"cluster": {"$exists": True}}) == 0
    args = ["--mongo-uri", mongo_server, "--db", mongo_db, "--no-progress"]
    assert cli.main(["dedupe", *args, "--batch", "10"]) == 0
    first = capsys.readouterr().out
    assert f"{len(records)} signed" in first
    assert cli.main(["dedupe", *args]) == 0
    assert " 0 signed" in capsys.readouterr().out              # nothing left to do
    assert cli.main(["dedupe", *args, "--again", "--since", "2999-01-01"]) == 0
    assert "0 records looked at" in capsys.readouterr().out    # --since: none fetched so late
    assert cli.main(["clusters", "--mongo-uri", mongo_server, "--db", mongo_db, "--jsonl", "--limit", "3"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == 3 and lines[0]["size"] == 1 + len(copies.VARIANTS)
    assert lines[0]["members"][0]["cluster"]["role"] == "original"
    assert {"site", "url", "published_at"} <= set(lines[0]["members"][1])


def test_clean_command_clusters_what_it_stores(corpus, mongo_server, mongo_db, tmp_path):
    pages, _ = corpus
    group = [p for p in pages if p.base == "notice_a"]
    for n, page in enumerate(group):
        (tmp_path / f"{n}.html").write_text(page.html, encoding="utf-8")
    assert clean_cmd.main([str(tmp_path), "--mongo-uri", mongo_server, "--db", mongo_db, "--no-progress"]) == 0
    with ArticleStore.from_uri(mongo_server, db=mongo_db) as store:
        ids = {d["cluster"]["id"] for d in store.collection.find({}, {"cluster": 1})}
        assert store.count() == len(group)
    assert len(ids) == 1


def test_stored_fields_follow_the_record_schema(stored):
    _, store = stored
    schema = load_schema()["properties"]
    for doc in store.collection.find({}, {"dedupe": 1, "cluster": 1}):
        jsonschema.validate(doc["dedupe"], schema["dedupe"])
        jsonschema.validate(doc["cluster"], schema["cluster"])


def random_paragraphs(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    return ["".join(rng.choices(chars, k=40)) + "。" for _ in range(n)]


def test_copies_are_found_beside_a_crowd_of_same_template_articles(mongo_server, mongo_db):
    # 600 stored notices of one template (6 paragraphs shared, 4 their own: Jaccard ≈ 0.43
    # with each other, so they share LSH bands but are not copies), and one other article.
    # A batch of template notices then crowds the band lookup of its batch-mate, a copy of
    # that article: the copy must still find its original, and no notice may join another.
    shared, own = random_paragraphs(6, 1), random_paragraphs(4 * 610, 2)
    notices = [record(f"http://t.gov.cn/{i}", shared + own[4 * i:4 * i + 4]) for i in range(610)]
    article = random_paragraphs(10, 3)
    with store_for(mongo_server, mongo_db) as store:
        for i in range(0, 600, 100):
            store.upsert_many(notices[i:i + 100])
        store.upsert_many([record("http://a.gov.cn/original", article, when="2024-04-01T09:00:00+08:00")])
    with store_for(mongo_server, mongo_db) as store:        # a new writer: its lookups start a chunk at a time
        store.upsert_many(notices[600:607] + [record("http://b.gov.cn/copy", article + ["（来源：a）"])])
        copy, original = store.get("http://b.gov.cn/copy"), store.get("http://a.gov.cn/original")
        sizes = {d["cluster"]["size"] for d in store.collection.find({"url": {"$regex": "^http://t"}}, {"cluster": 1})}
    assert copy["cluster"]["id"] == original["cluster"]["id"] and copy["cluster"]["size"] == 2
    assert copy["cluster"]["original"] == "http://a.gov.cn/original"
    assert sizes == {1}


def test_an_articles_copies_are_its_cluster_or_without_one_its_exact_twins(mongo_server, mongo_db):
    p = paragraphs(8)
    original = record("http://a.gov.cn/o", p, when="2024-05-01T09:00:00+08:00")
    exact = record("http://b.gov.cn/e", p, when="2024-05-02T09:00:00+08:00")
    edited = record("http://c.gov.cn/n", ["编者按：转载时有删节。"] + p[:-1], when="2024-05-03T09:00:00+08:00")
    with store_for(mongo_server, mongo_db) as store:
        store.upsert_many([edited, exact, original])
        listed = copies_of(store.collection, store.get("http://b.gov.cn/e"))
        alone = copies_of(store.collection, store.get("http://a.gov.cn/o") | {"cluster": {"id": "x", "size": 1}})
    assert [c["_id"] for c in listed] == ["http://a.gov.cn/o", "http://c.gov.cn/n"]     # the original first
    assert [c["cluster"]["role"] for c in listed] == ["original", "copy"] and alone == []
    with ArticleStore.from_uri(mongo_server, db=mongo_db + "_off") as store:            # dedupe off: same text only
        store.upsert_many([edited, exact, original])
        twins = copies_of(store.collection, store.get("http://b.gov.cn/e"))
        store.client.drop_database(mongo_db + "_off")
    assert [c["_id"] for c in twins] == ["http://a.gov.cn/o"]
