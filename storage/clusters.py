"""Clusters of republished copies: one notice, many sites, linked in the store.

Every record written with a signature (``dedupe: {v, exact, length, minhash, bands}``, made
by the signer the store is given, :class:`Dedupe`) is put in a cluster:
``cluster: {id, size, original, role, similarity}``.

* **Candidates** are a MongoDB query, never an in-memory index: records sharing an LSH band
  key (``dedupe.bands``, a multikey index) or the exact hash of the folded text
  (``dedupe.exact``). So it works across processes and survives restarts. A candidate is a
  match when its folded text is the same, or when both have a MinHash and the estimated
  Jaccard similarity is at least the threshold, or the shorter text lies almost wholly
  (``containment``) in the longer, being not much shorter (:func:`copies`: a cut paragraph,
  an added note). Short texts have no bands: exact only.
* **Clusters** are connected groups of matches. A record matching members of two clusters
  merges them (the id of the larger one stays); a record is only ever in one cluster, its
  ``cluster.id`` being one field. A record whose new text no longer matches its cluster
  leaves it. A record matching nothing is a cluster of one (``id`` = its key).
* **Original**: the member published first (``published_at``; none = last) among those
  whose 来源 names no other member; a copy's ``original`` is the member its 来源 names
  (its site name or issuer, also abbreviated: 科技部 for 中华人民共和国科学技术部), else the
  cluster's original. ``similarity`` is the copy's to its ``original`` (1.0: the same text
  once folded; below: an edited copy).

Two processes clustering copies of one notice at the same instant may leave two clusters
that one later copy (or ``govnews dedupe --again``) joins. This module imports nothing of
the cleaner: signatures come from the signer passed in.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from pymongo import ASCENDING, DESCENDING, UpdateOne

from storage.dedupe import Dedupe

# What clustering reads of a record.
FIELDS = {"dedupe.exact": 1, "dedupe.minhash": 1, "dedupe.length": 1, "cluster": 1, "published_at": 1,
          "source": 1, "site_name": 1, "doc.issuer": 1}
_NOT_A_NAME = re.compile(r"[\s\u3000:：()（）\[\]【】<>《》\"'“”]+")
_SPLIT = re.compile(r"[\s\u3000、，,;；/|]+")
MIN_RATIO = 0.6     # a copy by containment is at least this share of the other's length
# Candidates read per record looked up, at most. Articles built on one template with only
# names and figures changed (Jaccard 0.5-0.6) share a band with most of each other: without a
# cap each lookup would read a share of the whole store. Real copies share all bands or most.
CANDIDATES_PER_RECORD = 20
LOOKUP_CHUNK = 8    # records whose bands are looked up in one query, at most (Clusterer._band_candidates)


@dataclass
class ClusterStats:
    records: int = 0        # records clustered
    joined: int = 0         # of which put in a cluster with others
    merged: int = 0         # clusters merged into another by a bridging record
    left: int = 0           # records whose new text took them out of their cluster
    lookups_ms: float = 0.0
    errors: list[str] = field(default_factory=list)

    def __add__(self, other: "ClusterStats") -> "ClusterStats":
        return ClusterStats(self.records + other.records, self.joined + other.joined, self.merged + other.merged,
                            self.left + other.left, self.lookups_ms + other.lookups_ms, self.errors + other.errors)


def ensure_indexes(collection) -> None:
    collection.create_index([("dedupe.bands", ASCENDING)], name="dedupe_bands")
    collection.create_index([("dedupe.exact", ASCENDING)], name="dedupe_exact")
    collection.create_index([("cluster.id", ASCENDING)], name="cluster_id")
    collection.create_index([("cluster.size", DESCENDING)], name="cluster_size")   # govnews clusters


def estimated(a: dict, b: dict) -> float:
    """Similarity of two records' signatures: 1.0 for the same folded text, else the share of
    equal MinHash bins (0.0 when either has none: short texts match only exactly).

    >>> estimated({"exact": "x"}, {"exact": "x"}), estimated({"exact": "x"}, {"exact": "y"})
    (1.0, 0.0)
    >>> estimated({"exact": "x", "minhash": [1, 2, 3, 4]}, {"exact": "y", "minhash": [1, 2, 3, 5]})
    0.75
    """
    if a.get("exact") and a.get("exact") == b.get("exact"):
        return 1.0
    x, y = a.get("minhash"), b.get("minhash")
    if not x or not y or len(x) != len(y):
        return 0.0
    return sum(p == q for p, q in zip(x, y)) / len(x)


def copies(a: dict, b: dict, threshold: float = 0.8, containment: float = 0.9) -> float | None:
    """The similarity of two signatures when they are copies of one text, else None.

    Copies: an estimated Jaccard similarity of at least ``threshold``; or, with
    ``containment``, the shorter text's shingles found in the longer one for at least that
    share while the shorter is at least :data:`MIN_RATIO` of the longer's length — a copy with
    its last paragraph cut or a note added, whose Jaccard similarity falls with the length of
    what was cut or added. The shared shingles are estimated from the Jaccard estimate and the
    two lengths: |A∩B| = J (|A| + |B|) / (1 + J).

    >>> a = {"exact": "a", "length": 1000, "minhash": [1] * 64}
    >>> cut = {"exact": "b", "length": 700, "minhash": [1] * 45 + [2] * 19}   # J ≈ 0.70: 70% of a
    >>> copies(a, cut), copies(a, cut, containment=0)
    (0.7031, None)
    >>> copies(a, {"exact": "c", "length": 400, "minhash": [1] * 26 + [2] * 38}) is None   # a quote, not a copy
    True
    """
    j = estimated(a, b)
    if j >= threshold:
        return round(j, 4)
    if not containment or not j:
        return None
    small, big = sorted((max(a.get("length") or 0, 1), max(b.get("length") or 0, 1)))
    if small / big < MIN_RATIO:
        return None
    shared = j * (small + big) / (1 + j)
    return round(j, 4) if shared / small >= containment * 0.999 else None


def _plain(name) -> str:
    return _NOT_A_NAME.sub("", name) if isinstance(name, str) else ""


def abbreviates(short: str, full: str) -> bool:
    """Does the 来源 ``short`` name the organisation ``full``: the same, or its characters in
    order within it ending alike (科技部 → 中华人民共和国科学技术部)?

    >>> abbreviates("科技部", "中华人民共和国科学技术部"), abbreviates("河南省科技厅", "河南省科学技术厅")
    (True, True)
    >>> abbreviates("科技部", "河南省科学技术厅"), abbreviates("部", "科技部"), abbreviates("本站", "本站")
    (False, False, True)
    """
    short, full = _plain(short), _plain(full)
    if not short or not full:
        return False
    if short == full or (len(short) >= 4 and short in full):
        return True
    if len(short) < 3 or short[-1] != full[-1] or short[0] not in full:
        return False
    rest = iter(full)
    return all(char in rest for char in short)


def names(source, member: dict) -> bool:
    """Does a 来源 line name ``member`` (its site name or its document issuer)?

    >>> names("来源：科技部", {"site_name": "中华人民共和国科学技术部"})
    True
    >>> names("河南日报、科技部网站", {"doc": {"issuer": "科技部"}}), names(None, {"site_name": "科技部"})
    (False, False)
    """
    if not isinstance(source, str) or not source.strip():
        return False
    own = [member.get("site_name"), (member.get("doc") or {}).get("issuer")]
    source = re.sub(r"^\s*(文章|信息)?来源\s*[:：]?", "", source)
    parts = [p for p in _SPLIT.split(source) if p] or [source]
    return any(abbreviates(part, name) for part in parts for name in own if name)


def _when(member: dict) -> dt.datetime:
    value = member.get("published_at")
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    if isinstance(value, str) and value:
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))
        except ValueError:
            pass
    return dt.datetime.max.replace(tzinfo=dt.timezone.utc)


def layout(cluster_id: str, members: list[dict]) -> dict[str, dict]:
    """The ``cluster`` field of every member (documents with ``_id``, ``published_at``,
    ``source``, ``site_name``, ``doc``, ``dedupe``).

    >>> docs = [{"_id": "b", "published_at": "2024-03-02T09:00:00+08:00", "source": "科技部",
    ...          "dedupe": {"exact": "1"}},
    ...         {"_id": "a", "published_at": "2024-03-01T09:00:00+08:00", "site_name": "中华人民共和国科学技术部",
    ...          "dedupe": {"exact": "1"}}]
    >>> out = layout("b", docs)
    >>> out["a"]["role"], out["b"]["role"], out["b"]["original"], out["b"]["similarity"], out["a"]["size"]
    ('original', 'copy', 'a', 1.0, 2)
    """
    by_key = {m["_id"]: m for m in members}
    named = {}
    for m in members:
        sources = [o for o in members if o["_id"] != m["_id"] and names(m.get("source"), o)]
        if sources:
            named[m["_id"]] = min(sources, key=lambda o: (_when(o), o["_id"]))["_id"]
    roots = [m for m in members if m["_id"] not in named] or members
    root = min(roots, key=lambda m: (_when(m), m["_id"]))["_id"]
    out = {}
    for key, m in by_key.items():
        if key == root:
            out[key] = {"id": cluster_id, "size": len(members), "original": key, "role": "original",
                        "similarity": 1.0}
            continue
        original = named.get(key, root)
        similarity = estimated(m.get("dedupe") or {}, by_key[original].get("dedupe") or {})
        out[key] = {"id": cluster_id, "size": len(members), "original": original, "role": "copy",
                    "similarity": round(similarity, 4)}
    return out


def singleton(key: str) -> dict:
    return {"id": key, "size": 1, "original": key, "role": "original", "similarity": 1.0}


class Clusterer:
    """Puts records of one collection in clusters (see the module's docstring).

    :meth:`plan` clusters a batch in one read per record and two more: its candidates
    (a query on each record's bands, one on the exact hashes) and the members of the
    clusters they are in; the records are then clustered one after the other in memory, each
    seeing what the earlier ones did. The store writes the new records' cluster fields with
    the records themselves and the other members' changes in the same bulk write (on
    SecantusDB a write of a document with its 16 band keys costs milliseconds: one write per
    record, not two); :meth:`assign` does the same for records already stored.
    """

    def __init__(self, collection, threshold: float = 0.8, containment: float = 0.9):
        self.collection = collection
        self.threshold = threshold
        self.containment = containment
        self._chunk = LOOKUP_CHUNK

    def candidates(self, key: str, signature: dict) -> list[dict]:
        """Stored records sharing a band or the exact hash with ``signature`` (not ``key``)."""
        return [doc for doc in self._lookup([signature]).values() if doc["_id"] != key]

    def _lookup(self, signatures: list[dict]) -> dict[str, dict]:
        found: dict[str, dict] = {}
        projection = {**FIELDS, "dedupe.bands": 1}
        exact = sorted({sig["exact"] for sig in signatures if sig.get("exact")})
        if exact:       # indexed queries apart (an $or may scan the collection), exact copies first
            cap = CANDIDATES_PER_RECORD * len(signatures)
            for doc in self.collection.find({"dedupe.exact": {"$in": exact}}, projection).limit(cap):
                found.setdefault(doc["_id"], doc)
        banded = [sig for sig in signatures if sig.get("bands")]
        i = 0
        while i < len(banded):
            chunk = banded[i:i + self._chunk]
            i += len(chunk)
            for doc in self._band_candidates(chunk, projection):
                found.setdefault(doc["_id"], doc)
        return found

    def _band_candidates(self, chunk: list[dict], projection: dict) -> list[dict]:
        """Stored records sharing a band with any signature of ``chunk``, at most
        :data:`CANDIDATES_PER_RECORD` for each.

        One query serves a chunk of records: a query costs a round trip and a fixed share of
        the server's time, and different news rarely share a band, so most chunks find
        nothing. But a server matches every candidate's 16 bands against the whole ``$in``
        list, and a site whose articles share a template shares bands: a chunk that finds
        more than its share is asked again record by record, and the chunks shrink (they grow
        back, doubling, while they stay sparse)."""
        cap = CANDIDATES_PER_RECORD * len(chunk)
        keys = sorted({band for sig in chunk for band in sig["bands"]})
        docs = list(self.collection.find({"dedupe.bands": {"$in": keys}}, projection).limit(cap + 1))
        if len(docs) <= cap:
            self._chunk = min(self._chunk * 2, LOOKUP_CHUNK)
            return docs
        self._chunk = 1
        if len(chunk) == 1:
            return docs[:cap]
        return [doc for sig in chunk for doc in self._band_candidates([sig], projection)]

    def assign(self, keys, sign: Dedupe | None = None) -> ClusterStats:
        """Cluster the stored records ``keys`` (in this order) and write every cluster field
        that changed with one bulk write. The records' stored signatures are used; with
        ``sign`` (govnews dedupe), each is signed anew from its text and its signature goes
        in the same update as its cluster (a server may rewrite a document with all its
        index keys on every update). A record without a signature or text is left."""
        keys = list(dict.fromkeys(keys))
        if not keys:
            return ClusterStats()
        projection = {**FIELDS, "text": 1} if sign else {**FIELDS, "dedupe.bands": 1}
        docs = {d["_id"]: d for d in self.collection.find({"_id": {"$in": keys}}, projection)}
        batch, signed = [], set()
        for key in keys:
            doc = docs.get(key)
            if doc is not None and sign is not None:
                doc["dedupe"] = sign.sign(doc)
                doc.pop("text", None)
                signed.add(key)
            if doc is not None and doc.get("dedupe"):
                batch.append(doc)
        changes, stats = self.plan(batch)
        ops = []
        for doc in batch:
            fields = {"dedupe": doc["dedupe"]} if doc["_id"] in signed else {}
            if doc["_id"] in changes:
                fields["cluster"] = changes.pop(doc["_id"])
            if fields:
                ops.append(UpdateOne({"_id": doc["_id"]}, {"$set": fields}))
        ops += [UpdateOne({"_id": k}, {"$set": {"cluster": c}}) for k, c in changes.items()]
        if ops:
            self.collection.bulk_write(ops, ordered=False)
        return stats

    def plan(self, batch: list[dict]) -> tuple[dict[str, dict], ClusterStats]:
        """The clusters of the records ``batch`` (documents with ``_id``, ``dedupe``, the fields
        of :data:`FIELDS`, and ``cluster`` as stored, if any), clustered in this order against
        the store and each other: ``({key: new cluster field}, stats)`` for every record,
        stored or in the batch, whose cluster field changes. Reads only; the caller writes."""
        stats = ClusterStats()
        view = {d["_id"]: d for d in batch if d.get("dedupe")}
        keys = list(view)
        if not keys:
            return {}, stats
        for key, doc in self._lookup([view[k]["dedupe"] for k in keys]).items():
            view.setdefault(key, doc)       # a batch record's stored version is not what counts
        by_band: dict[int, list[str]] = {}
        by_exact: dict[str, list[str]] = {}
        for key, doc in view.items():
            for band in doc["dedupe"].get("bands") or ():
                by_band.setdefault(band, []).append(key)
            by_exact.setdefault(doc["dedupe"].get("exact"), []).append(key)
        matches = {}
        for key in keys:
            sig = view[key]["dedupe"]
            near = {k for band in sig.get("bands") or () for k in by_band.get(band, ())}
            near.update(by_exact.get(sig.get("exact"), ()))
            near.discard(key)
            matches[key] = [k for k in sorted(near)
                            if copies(sig, view[k]["dedupe"], self.threshold, self.containment) is not None]
        # every member of every cluster involved, so that each cluster is laid out whole
        involved = {cid for key in keys for k in [key, *matches[key]] if (cid := _cluster_id(view[k]))}
        if involved:
            for doc in self.collection.find({"cluster.id": {"$in": sorted(involved)}}, FIELDS):
                view.setdefault(doc["_id"], doc)
        dirty: set[str] = set()
        for key in keys:
            try:
                self._assign_one(key, matches[key], view, dirty, stats)
            except Exception as exc:    # one record's trouble must not lose the others' clusters
                stats.errors.append(f"{key}: {type(exc).__name__}: {exc}"[:300])
            stats.records += 1
        return {k: view[k]["cluster"] for k in sorted(dirty)}, stats

    def _assign_one(self, key: str, matched: list[str], view: dict[str, dict], dirty: set[str],
                    stats: ClusterStats) -> None:
        doc = view[key]
        ids = {_cluster_id(view[k]) or k for k in matched}
        before = _cluster_id(doc)
        if before and before not in ids and doc["cluster"].get("size", 1) > 1:
            rest = [m for m in view.values() if _cluster_id(m) == before and m["_id"] != key]
            if rest:       # its text changed: it leaves its cluster
                keep = before if any(m["_id"] == before for m in rest) else min(m["_id"] for m in rest)
                self._lay(keep, rest, dirty)
            stats.left += 1
        if not matched:
            if doc.get("cluster") != singleton(key):
                doc["cluster"] = singleton(key)
                dirty.add(key)
            return
        members = {m["_id"]: m for m in view.values() if _cluster_id(m) in ids}
        members.update((k, view[k]) for k in matched)
        members[key] = doc
        sizes: dict[str, int] = {}
        for m in members.values():
            cid = _cluster_id(m) or m["_id"]
            if cid in ids:
                sizes[cid] = sizes.get(cid, 0) + 1
        keep = min(ids, key=lambda cid: (-sizes.get(cid, 0), cid))
        stats.joined += 1
        stats.merged += len(ids) - 1
        self._lay(keep, list(members.values()), dirty)

    @staticmethod
    def _lay(cluster_id: str, members: list[dict], dirty: set[str]) -> None:
        fields = layout(cluster_id, members)
        for m in members:
            if m.get("cluster") != fields[m["_id"]]:
                m["cluster"] = fields[m["_id"]]
                dirty.add(m["_id"])


def _cluster_id(doc: dict) -> str | None:
    return (doc.get("cluster") or {}).get("id")


# -- backfill (govnews dedupe) and reading (govnews clusters) -----------------------------------
def needs_work(doc: dict, version: int) -> bool:
    """Does a stored record lack a current signature or a cluster?

    >>> needs_work({"dedupe": {"v": 1}, "cluster": {"id": "a"}}, 1), needs_work({"dedupe": {"v": 1}}, 1)
    (False, True)
    """
    return (doc.get("dedupe") or {}).get("v") != version or not (doc.get("cluster") or {}).get("id")


def scan(collection, *, version: int, since: dt.datetime | None = None, after: str | None = None):
    """Yield the keys of the stored records that :func:`needs_work`, in key order after
    ``after``; ``since``: only those fetched at or after it. One pass over the key index."""
    query: dict = {}
    if since is not None:
        query["fetched_at"] = {"$gte": since}
    if after is not None:
        query["_id"] = {"$gt": after}
    for doc in collection.find(query, {"dedupe.v": 1, "cluster.id": 1}).sort("_id", ASCENDING).batch_size(2000):
        yield doc["_id"], needs_work(doc, version)


def forget(collection, since: dt.datetime | None = None) -> int:
    """Remove signatures and clusters (of the records fetched since ``since``): all are made again."""
    query = {"fetched_at": {"$gte": since}} if since is not None else {}
    return collection.update_many(query, {"$unset": {"dedupe": "", "cluster": ""}}).modified_count


MEMBER_FIELDS = {"site": 1, "site_name": 1, "url": 1, "title": 1, "published_at": 1, "source": 1, "cluster": 1}


def largest(collection, *, limit: int = 20, min_size: int = 2, site: str | None = None) -> list[dict]:
    """The largest clusters, biggest first: ``{id, size, members}``, members original first,
    then by ``published_at``. ``site``: only clusters with a member of that site."""
    query: dict = {"cluster.size": {"$gte": min_size}}
    if site:
        ids = collection.distinct("cluster.id", {**query, "site": site})
        query["cluster.id"] = {"$in": ids}
    query["cluster.role"] = "original"
    heads = list(collection.find(query, {"cluster": 1}).sort([("cluster.size", -1), ("_id", 1)]).limit(limit))
    out = []
    for head in heads:
        members = members_of(collection, head["cluster"]["id"])
        out.append({"id": head["cluster"]["id"], "size": len(members), "members": members})
    return out


def members_of(collection, cluster_id: str, *, besides: str | None = None, limit: int = 0) -> list[dict]:
    """The members of a cluster (:data:`MEMBER_FIELDS`), the original first, then by
    ``published_at``; ``besides``: without that record; ``limit``: at most that many read."""
    query: dict = {"cluster.id": cluster_id}
    if besides is not None:
        query["_id"] = {"$ne": besides}
    members = list(collection.find(query, MEMBER_FIELDS).limit(limit))
    members.sort(key=lambda m: ((m.get("cluster") or {}).get("role") != "original", _when(m), m["_id"]))
    return members
