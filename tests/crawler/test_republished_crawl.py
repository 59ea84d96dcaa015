"""A crawl of fixture sites that carry the same notices: each notice's records end in one
cluster with the right original, and no other record is with them.

The copies are crawled before the original, so the original is recognised by its date and
by the copies' 来源, not by arriving first.
"""
from __future__ import annotations

import uuid

import pymongo
import pytest

COPYING = ["wuhan-kjj", "yichang-kjj"]
ORIGINAL = "hubei-kjt"


@pytest.fixture(scope="module")
def crawled(crawl, crawl_mongo_uri, manifests):
    db_name = "republished_" + uuid.uuid4().hex[:8]
    results = {site: crawl(site, db=db_name) for site in COPYING + [ORIGINAL]}
    client = pymongo.MongoClient(crawl_mongo_uri)
    yield results, client[db_name]["articles"]
    client.drop_database(db_name)
    client.close()


def notice_docs(coll, manifests, notice: str) -> dict[str, dict]:
    return {site: coll.find_one({"url": manifests[site]["notices"][notice]}) for site in [ORIGINAL] + COPYING}


@pytest.mark.parametrize("notice", ["A", "B"])
def test_copies_of_a_notice_are_one_cluster_with_the_original(crawled, manifests, notice):
    results, coll = crawled
    for site, result in results.items():
        assert result.failure is None, (site, result.failure, result.log_path)
    docs = notice_docs(coll, manifests, notice)
    assert all(docs.values()), {site: bool(doc) for site, doc in docs.items()}
    ids = {doc["cluster"]["id"] for doc in docs.values()}
    assert len(ids) == 1, {site: doc["cluster"] for site, doc in docs.items()}
    [cluster_id] = ids
    members = {d["_id"] for d in coll.find({"cluster.id": cluster_id}, {"_id": 1})}
    assert members == {doc["_id"] for doc in docs.values()}        # nothing else with them
    original = docs[ORIGINAL]
    assert original["cluster"]["role"] == "original" and original["cluster"]["original"] == original["_id"]
    for site in COPYING:
        assert docs[site]["cluster"]["role"] == "copy"
        assert docs[site]["cluster"]["size"] == 3


def test_a_copy_points_at_the_member_its_source_names(crawled, manifests):
    _, coll = crawled
    a, b = notice_docs(coll, manifests, "A"), notice_docs(coll, manifests, "B")
    assert a["wuhan-kjj"]["cluster"]["original"] == a[ORIGINAL]["_id"]        # 来源：湖北省科技厅
    assert b["yichang-kjj"]["cluster"]["original"] == b["wuhan-kjj"]["_id"]   # 来源：武汉市科技局


def test_edited_copies_are_told_from_exact_ones(crawled, manifests):
    _, coll = crawled
    a, b = notice_docs(coll, manifests, "A"), notice_docs(coll, manifests, "B")
    assert a["wuhan-kjj"]["cluster"]["similarity"] < 1.0     # an editor's note added
    assert b["wuhan-kjj"]["cluster"]["similarity"] < 1.0     # the last paragraph cut
    assert a["yichang-kjj"]["cluster"]["similarity"] > a["wuhan-kjj"]["cluster"]["similarity"]  # script only


def test_the_sites_own_articles_are_not_with_the_notices(crawled, manifests):
    results, coll = crawled
    notices = {url for site in [ORIGINAL] + COPYING for url in manifests[site]["notices"].values()}
    for site in [ORIGINAL] + COPYING:
        for url in set(manifests[site]["articles"]) - notices:
            doc = coll.find_one({"url": url})
            assert doc is not None, url
            notice_clusters = {coll.find_one({"url": u})["cluster"]["id"] for u in notices}
            assert doc["cluster"]["id"] not in notice_clusters
    assert sum(r.stat("govnews/dedupe/joined") for r in results.values()) >= 4
