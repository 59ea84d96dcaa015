"""Republished copies: quality and cost of the signatures and the clusters, side by side.

1. Pairs: precision and recall of "these two records are copies" over the corpus of
   tests/support/copies.py (fixture articles republished in other templates with notes,
   来源 lines, cut paragraphs, traditional script, half-width punctuation; same-template
   different articles; short notices), each page cleaned and stored in the embedded default
   store with dedupe on: Jaccard + containment (the default) beside Jaccard alone.
2. Signatures per second on one core: cleaners.signature beside datasketch's MinHash
   (64 permutations, the same folded shingles) when datasketch can be imported, on the
   corpus texts, on 2,000-character texts and on the evaluation set's texts when present.
3. The store: candidate lookup + cluster update per record written, against 10,000 and
   100,000 synthetic stored records (5% of them copies) in the embedded default store
   (SecantusDB, standalone, as govnews runs it), side by side: ms per record written (a
   batch write with dedupe on, minus the same with it off: the signature, the candidate
   lookup and the cluster updates), ms per record of the backfill (govnews dedupe: records
   stored unsigned, signed and clustered), one record's candidate lookup, the collection's
   data and index sizes and this process's RSS (the server is a thread of it).

    python -m bench.dedupe [--sizes 10000 100000] [--new 400] [--skip-store]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import pymongo

try:
    from datasketch import MinHash      # only measured beside ours: not a dependency (numpy + scipy)
except ImportError:
    MinHash = None

from cleaners.signature import fold, shingles, signature
from storage import ArticleStore
from storage.embedded import embedded_server
from storage.clusters import Clusterer, ClusterStats as Stats, singleton
from storage.dedupe import Dedupe
from tests.support import copies
from tests.support.paths import EVALSET


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- 1. pairs ---------------------------------------------------------------------------------
def pairs(uri: str) -> None:
    pages = copies.corpus()
    records = copies.records(pages)
    truth = copies.truth_pairs(pages)
    print(f"corpus: {len(pages)} pages ({sum(p.base is not None for p in pages)} in {len({p.base for p in pages} - {None})} "
          f"groups of copies), {len(truth)} copy pairs, the rest different articles")
    print(f"{'rule':<34} {'precision':>9} {'recall':>7} {'found':>6} {'wrong':>6} {'missed':>6}")
    for label, containment in (("Jaccard ≥ 0.8 or containment ≥ 0.9", 0.9), ("Jaccard ≥ 0.8 only", 0.0)):
        db = f"pairs_{int(containment * 10)}"
        with ArticleStore.from_uri(uri, db=db, dedupe=Dedupe(signature, 0.8, containment)) as store:
            ordered = list(reversed(records))
            for i in range(0, len(ordered), 50):
                store.upsert_many(ordered[i:i + 50])
            clusters = {d["url"]: d["cluster"]["id"] for d in store.collection.find({}, {"url": 1, "cluster": 1})}
            store.client.drop_database(db)
        found = copies.found_pairs(clusters)
        precision, recall = copies.precision_recall(found, truth)
        print(f"{label:<34} {precision:>9.3f} {recall:>7.3f} {len(found):>6} {len(found - truth):>6} {len(truth - found):>6}")


# -- 2. signatures per second -----------------------------------------------------------------
def evalset_texts(limit: int = 300) -> list[str]:
    texts = []
    for path in sorted(EVALSET.glob("*.json"))[:limit * 2] if EVALSET.exists() else []:
        try:
            text = (json.loads(path.read_text("utf-8")) or {}).get("text") or ""
        except (ValueError, OSError, AttributeError):
            continue
        if len(text) >= 100:
            texts.append(text)
    return texts[:limit]


def rate(fn, texts: list[str], seconds: float = 3.0) -> float:
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for text in texts:
            fn(text)
        done += len(texts)
    return done / (time.perf_counter() - started)


def speed() -> None:
    def with_datasketch(text: str):
        m = MinHash(num_perm=64)
        m.update_batch([g.encode("utf-8") for g in shingles(fold(text))])
        return m.hashvalues
    records = copies.records(copies.corpus())
    corpus_texts = [r["text"] for r in records if len(r["text"]) >= 100]
    paras = [p for r in records for p in r["text"].split("\n") if len(p) > 20]
    rnd = random.Random(7)
    long_texts = []
    for _ in range(200):
        text = ""
        while len(text) < 2000:
            text += rnd.choice(paras) + "\n"
        long_texts.append(text[:2000])
    sets = [("corpus", corpus_texts), ("2,000 chars", long_texts)]
    real = evalset_texts()
    if real:
        sets.append(("evalset", real))
    print(f"\n{'texts':<12} {'count':>5} {'mean chars':>10} {'ours rec/s':>11} {'datasketch rec/s':>17}  (one core)")
    for label, texts in sets:
        ours = rate(signature, texts)
        theirs = f"{rate(with_datasketch, texts):>17.0f}" if MinHash else f"{'not installed':>17}"
        print(f"{label:<12} {len(texts):>5} {sum(map(len, texts)) / len(texts):>10.0f} {ours:>11.0f} {theirs}")


# -- 3. the store at two sizes ------------------------------------------------------------------
CHARS = [chr(c) for c in range(0x4E00, 0x4E00 + 2500)]


def synthetic(rnd: random.Random, n: int) -> list[str]:
    """``n`` texts of 300–900 characters; 5% are copies of an earlier one with a paragraph cut."""
    weights = [1 / (k + 1) for k in range(len(CHARS))]      # Zipf-like, as characters are
    texts = []
    for i in range(n):
        if i > 20 and rnd.random() < 0.05:
            base = texts[rnd.randrange(len(texts))]
            texts.append(base[: int(len(base) * 0.92)])
        else:
            texts.append("".join(rnd.choices(CHARS, weights, k=rnd.randrange(300, 900))))
    return texts


def fill(coll, texts: list[str]) -> None:
    """Stored records as a crawl with dedupe would leave them (clusters of one; the copies are
    clustered by the writes measured afterwards, or not at all: the lookup cost is the same)."""
    batch = []
    for i, text in enumerate(texts):
        key = f"http://s{i % 300}.example.gov.cn/art/{i}.html"
        batch.append({"_id": key, "key": key, "url": key, "text": text, "status": "ok", "content_hash": str(i),
                      "published_at": "2024-01-01T00:00:00+08:00", "dedupe": signature(text), "cluster": singleton(key)})
        if len(batch) == 2000:
            coll.insert_many(batch, ordered=False)
            batch = []
    if batch:
        coll.insert_many(batch, ordered=False)


def new_records(rnd: random.Random, stored: list[str], n: int, tag: str, copies_share: float = 0.5) -> list[dict]:
    """``n`` records to write: a ``copies_share`` of them copies of stored texts (a note added)."""
    out = []
    for i in range(n):
        copy = (i * copies_share) % 1 + copies_share >= 1 if copies_share < 1 else True
        text = stored[rnd.randrange(len(stored))] + "编者按" if copy else synthetic(rnd, 1)[0]
        url = f"http://new.example.gov.cn/{tag}/{i}.html"
        out.append({"url": url, "canonical_url": url, "text": text, "status": "ok", "content_hash": f"{tag}{i}",
                    "published_at": "2024-02-01T00:00:00+08:00", "title": "t"})
    return out


def store_at(uri: str, size: int, new: int) -> dict:
    rnd = random.Random(size)
    db = f"scale_{size}"
    client = pymongo.MongoClient(uri)
    started = time.perf_counter()
    texts = synthetic(rnd, size)
    fill(client[db]["articles"], texts)       # then the indexes, built once over the filled collection
    with ArticleStore.from_uri(uri, db=db, dedupe=Dedupe(signature)) as store:
        fill_s = time.perf_counter() - started
        timings = {}
        for label, dedupe, share in (("off", None, 0.5), ("on", Dedupe(signature), 0.5),
                                     ("new", Dedupe(signature), 0.0), ("copies", Dedupe(signature), 1.0)):
            with ArticleStore.from_uri(uri, db=db, dedupe=dedupe) as writer:
                records = new_records(rnd, texts, new, label, share)
                t0 = time.perf_counter()
                for i in range(0, new, 100):
                    writer.upsert_many(records[i:i + 100])
                timings[label] = (time.perf_counter() - t0) * 1000 / new
        # govnews dedupe's way: records stored without a signature, then signed and clustered
        extra = new_records(rnd, texts, new, "alone")
        store.collection.insert_many([{**r, "_id": r["url"], "key": r["url"]} for r in extra])
        clusterer = Clusterer(store.collection)
        t0 = time.perf_counter()
        stats = Stats()
        for i in range(0, new, 100):
            stats += clusterer.assign([r["url"] for r in extra[i:i + 100]], sign=Dedupe(signature))
        alone = (time.perf_counter() - t0) * 1000 / new
        signed = {d["_id"]: d["dedupe"] for d in store.collection.find({"_id": {"$in": [r["url"] for r in extra[:100]]}},
                                                                       {"dedupe": 1})}
        t0 = time.perf_counter()
        for key, signature_ in signed.items():
            clusterer.candidates(key, signature_)
        lookup = (time.perf_counter() - t0) * 1000 / len(signed)
        coll_stats = client[db].command("collStats", "articles")
    client.drop_database(db)
    client.close()
    return {"size": size, "fill_s": fill_s, "write_off": timings["off"], "write_on": timings["on"],
            "per_record": timings["on"] - timings["off"], "clusterer": alone,
            "new_only": timings["new"] - timings["off"], "copies_only": timings["copies"] - timings["off"], "lookup": lookup,
            "joined": stats.joined, "data_mb": coll_stats.get("size", 0) / 1e6,
            "index_mb": coll_stats.get("totalIndexSize", 0) / 1e6,
            "bands_index_mb": (coll_stats.get("indexSizes") or {}).get("dedupe_bands", 0) / 1e6, "rss_mb": rss_mb()}


def store_scale(uri: str, sizes: list[int], new: int) -> None:
    rows = [store_at(uri, size, new) for size in sizes]
    print(f"\nstore (SecantusDB), {new} records written in batches of 100, half of them copies of stored ones "
          f"(new only / copies only: none / all of them; dedupe = minus the same write with dedupe off):")
    print(f"{'stored':>8} {'fill s':>7} {'write ms/rec off':>16} {'on':>6} {'dedupe ms/rec':>13} {'new only':>8} {'copies only':>11} "
          f"{'backfill ms/rec':>16} {'lookup ms':>9} {'joined':>6} {'data MB':>8} {'index MB':>8} {'bands idx MB':>12} {'RSS MB':>7}")
    for r in rows:
        print(f"{r['size']:>8} {r['fill_s']:>7.0f} {r['write_off']:>16.2f} {r['write_on']:>6.2f} {r['per_record']:>13.2f} "
              f"{r['new_only']:>8.2f} {r['copies_only']:>11.2f} "
              f"{r['clusterer']:>16.2f} {r['lookup']:>9.2f} {r['joined']:>6} {r['data_mb']:>8.1f} {r['index_mb']:>8.1f} "
              f"{r['bands_index_mb']:>12.1f} {r['rss_mb']:>7.0f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--new", type=int, default=400, help="records written and timed at each size")
    parser.add_argument("--skip-store", action="store_true", help="only pairs and signature speed")
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args(argv)
    print(f"{os.cpu_count()} cores; Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="govnews-dedupe-") as tmp, \
            embedded_server(Path(tmp)) as uri:
        pairs(uri)
        if not args.skip_speed:
            speed()
        if not args.skip_store:
            store_scale(uri, sorted(args.sizes), args.new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
