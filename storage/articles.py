"""MongoDB storage for article records: the one write path of `govnews clean` and the crawler.

One document per article, ``_id`` = :func:`record_key` (canonical URL, else URL, else
``file:`` + absolute path), the same value in the uniquely indexed field ``key``. Each
:meth:`ArticleStore.upsert_many` call reads the stored content hashes of its batch, then
writes the batch with one unordered ``bulk_write``:

* new key → the record, ``first_seen`` = ``last_seen`` = now, ``fetched_at`` from the
  record (else now);
* same ``content_hash`` → only ``last_seen`` (and the HTTP validators ``etag`` /
  ``last_modified`` when the record carries them, so the next conditional GET uses the
  current ones, and ``warc``, the archived raw copy, unless the record's copy is older);
* different ``content_hash`` → the record replaces the stored fields and the previous
  version ``{text, title, content_hash, published_at, fetched_at, cleaner_version, warc}``
  is pushed onto ``history`` (the last :data:`HISTORY_LIMIT` kept) — unless the record was fetched
  *before* the stored version (its ``fetched_at`` is earlier): then it is an old copy (an
  older save in a dump, a spool replayed after a newer crawl) and is not written
  (``UpsertResult.older``). So a dump holding two saves of one page loads the newer one,
  however often it is loaded.

Records arrive with their ``content_hash`` set (the cleaner sets it, and the merge of a
multi-page article): storage compares that field and computes none. :meth:`ArticleStore.touch`
moves ``last_seen`` of articles seen unchanged without a body (an HTTP 304), in one update.
:meth:`ArticleStore.stale` finds the articles an older cleaner made whose raw pages are
archived (``warc``), and :meth:`ArticleStore.recleaned` writes what cleaning them again gave
(``govnews reclean``).

With a :class:`storage.dedupe.Dedupe` (``dedupe=``), every record written new or changed
gets its signature (``dedupe``) and, after the batch is written, its ``cluster``
(:mod:`storage.clusters`); so does a record cleaned again with a new text.

So loading the same input twice stores nothing twice. Timestamps are BSON dates (UTC).
A record that cannot be written (no key, not BSON-encodable, too large, a server write
error) is counted in ``UpsertResult.failed`` with its reason in ``UpsertResult.errors``;
the rest of the batch is written. Connection errors propagate: the caller decides.

Two writers racing on the same key between the read and the write can lose one history
entry (the later write wins); a racing insert is retried once as an update.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, field

import bson
from bson.raw_bson import RawBSONDocument
from pymongo import ASCENDING, DESCENDING, InsertOne, MongoClient, UpdateOne
from pymongo.errors import BulkWriteError

from storage.clusters import Clusterer, ensure_indexes
from storage.dedupe import Dedupe
from storage.redact import redact_uri

logger = logging.getLogger(__name__)

HISTORY_LIMIT = 20
HISTORY_FIELDS = ("text", "title", "content_hash", "published_at", "fetched_at", "cleaner_version", "warc")
VALIDATOR_FIELDS = ("etag", "last_modified")
# Maintained by the store; values a record brings for them are ignored.
RESERVED_FIELDS = frozenset({"_id", "key", "history", "first_seen", "last_seen", "cluster", "dedupe"})
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024 - 64 * 1024   # MongoDB's 16 MiB limit, less room for operators
DUPLICATE_KEY = 11000


@dataclass
class UpsertResult:
    """What one or more :meth:`ArticleStore.upsert_many` calls did.

    >>> UpsertResult(inserted=2) + UpsertResult(unchanged=1, failed=1, errors=[{"key": "k", "reason": "r"}])
    UpsertResult(inserted=2, updated=0, unchanged=1, failed=1, errors=[{'key': 'k', 'reason': 'r'}], older=0, clustered=0, joined=0)
    """

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[dict] = field(default_factory=list)   # {"key", "reason"} per failed record
    older: int = 0      # fetched before the stored version: not written
    clustered: int = 0  # records put in a cluster (with dedupe on)
    joined: int = 0     # of which in a cluster with other records (republished copies)

    def __add__(self, other: "UpsertResult") -> "UpsertResult":
        return UpsertResult(self.inserted + other.inserted, self.updated + other.updated,
                            self.unchanged + other.unchanged, self.failed + other.failed,
                            self.errors + other.errors, self.older + other.older,
                            self.clustered + other.clustered, self.joined + other.joined)

    @property
    def written(self) -> int:
        return self.inserted + self.updated + self.unchanged


def record_key(record: dict) -> str | None:
    """The store key of a record: canonical URL, else URL, else ``file:`` + absolute path.

    >>> record_key({"canonical_url": "http://a.gov.cn/x.html", "url": "http://a.gov.cn/x.html?s=1"})
    'http://a.gov.cn/x.html'
    >>> record_key({"canonical_url": None, "url": None, "path": "/dumps/a.html"})
    'file:/dumps/a.html'
    >>> record_key({"url": None}) is None
    True
    """
    for name in ("canonical_url", "url"):
        value = record.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    path = record.get("path")
    if isinstance(path, str) and path:
        return "file:" + os.path.abspath(path)
    return None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _as_datetime(value, default: dt.datetime) -> dt.datetime:
    """A record's ``fetched_at`` (ISO 8601 string or datetime) as an aware UTC datetime."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    if isinstance(value, str) and value:
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return default
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)
    return default


def _fetched_before(record: dict, stored: dict) -> bool:
    """Was ``record`` fetched before the stored version? (Only when both say when.)"""
    theirs = stored.get("fetched_at")
    ours = _as_datetime(record.get("fetched_at"), None)
    if ours is None or not isinstance(theirs, dt.datetime):
        return False
    if theirs.tzinfo is None:
        theirs = theirs.replace(tzinfo=dt.timezone.utc)
    return ours < theirs - dt.timedelta(milliseconds=1)     # BSON dates keep milliseconds


def stale_query(version: str, *, sites=None, since: dt.datetime | None = None) -> dict:
    """The stored articles :meth:`ArticleStore.stale` returns, as a query.

    >>> stale_query("2", sites=["hebi-kjj"])
    {'cleaner_version': {'$ne': '2'}, 'warc': {'$exists': True}, 'site': {'$in': ['hebi-kjj']}}
    """
    query: dict = {"cleaner_version": {"$ne": version}, "warc": {"$exists": True}}
    if sites:
        query["site"] = {"$in": list(sites)}
    if since is not None:
        query["fetched_at"] = {"$gte": since}
    return query


@dataclass
class _Op:
    key: str
    kind: str           # "insert" | "update" | "unchanged" | "older"
    update: dict
    record: dict

    def encoded(self) -> RawBSONDocument:
        """What is sent, BSON-encoded once: the size check reads it and the driver sends these
        bytes as they are (it would encode a dict again)."""
        if self.kind == "insert":   # a key not stored: a plain insert costs the server half an upsert
            return RawBSONDocument(bson.encode({"_id": self.key, **self.update["$set"], **self.update["$setOnInsert"]}))
        return RawBSONDocument(bson.encode(self.update))

    def request(self, encoded: RawBSONDocument) -> UpdateOne | InsertOne:
        if self.kind == "insert":
            return InsertOne(encoded)
        return UpdateOne({"_id": self.key}, encoded, upsert=self.kind != "unchanged")


class ArticleStore:
    """Article documents in one MongoDB collection.

    >>> store = ArticleStore.from_uri("mongodb://u:pw@localhost:27017/")
    >>> store
    ArticleStore('mongodb://u:***@localhost:27017/', db='govnews', collection='articles')
    """

    def __init__(self, uri: str, db: str = "govnews", collection: str = "articles", *,
                 history_limit: int = HISTORY_LIMIT, client_options: dict | None = None,
                 dedupe: Dedupe | None = None):
        self.uri = uri
        self.dedupe = dedupe
        self.db_name = db
        self.collection_name = collection
        self.history_limit = history_limit
        self.client_options = {"serverSelectionTimeoutMS": 15000, "appname": "govnews", "tz_aware": True,
                               **(client_options or {})}
        self.client: MongoClient | None = None
        self.collection = None

    @classmethod
    def from_uri(cls, uri: str, db: str = "govnews", collection: str = "articles", **kwargs) -> "ArticleStore":
        return cls(uri, db, collection, **kwargs)

    def __repr__(self) -> str:
        return f"ArticleStore({redact_uri(self.uri)!r}, db={self.db_name!r}, collection={self.collection_name!r})"

    # -- lifecycle -----------------------------------------------------------------------
    def open(self) -> "ArticleStore":
        """Connect and create the indexes (idempotent). Returns self."""
        if self.client is not None:
            return self
        client = MongoClient(self.uri, **self.client_options)
        try:
            collection = client[self.db_name][self.collection_name]
            collection.create_index([("key", ASCENDING)], unique=True, name="key_unique")
            collection.create_index([("url", ASCENDING)], name="url")
            collection.create_index([("request_url", ASCENDING)], name="request_url")
            collection.create_index([("doc.number", ASCENDING)], name="doc_number", sparse=True)
            collection.create_index([("doc.issuer", ASCENDING)], name="doc_issuer", sparse=True)
            # for readers: a site's articles newest first, copies of one text
            collection.create_index([("site", ASCENDING), ("published_at", DESCENDING)], name="site_published")
            collection.create_index([("content_hash", ASCENDING)], name="content_hash")
            ensure_indexes(collection)      # dedupe.bands, dedupe.exact, cluster.id
        except Exception:
            client.close()
            raise
        self.client, self.collection = client, collection
        self.clusterer = Clusterer(collection, self.dedupe.threshold, self.dedupe.containment) if self.dedupe else None
        logger.debug("opened %r", self)
        return self

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        self.client = self.collection = self.clusterer = None

    def __enter__(self) -> "ArticleStore":
        return self.open()

    def __exit__(self, *exc) -> None:
        self.close()

    def _coll(self):
        if self.collection is None:
            raise RuntimeError(f"{self!r} is not open")
        return self.collection

    # -- reads ---------------------------------------------------------------------------
    def get(self, key: str) -> dict | None:
        return self._coll().find_one({"_id": key})

    def count(self, query: dict | None = None) -> int:
        return self._coll().count_documents(query or {})

    def known(self, keys) -> dict[str, dict]:
        """``{key: {"etag", "last_modified", "content_hash", "warc", "key"}}`` for the keys already
        stored, looked up by store key, then by final URL (``url``), then by the URL the crawler
        requested before redirects (``request_url``); ``"key"`` is the stored document's key."""
        keys = list(dict.fromkeys(k for k in keys if k))
        if not keys:
            return {}
        wanted = ("etag", "last_modified", "content_hash", "warc")
        out: dict[str, dict] = {}
        for field_name in ("_id", "url", "request_url"):   # one query each: an $or would scan the collection
            rest = [k for k in keys if k not in out]
            if not rest:
                break
            projection = {name: 1 for name in (*wanted, field_name)}
            for doc in self._coll().find({field_name: {"$in": rest}}, projection):
                out.setdefault(doc[field_name], {**{name: doc.get(name) for name in wanted}, "key": doc["_id"]})
        return out

    def touch(self, keys) -> int:
        """Set ``last_seen`` to now on the stored articles ``keys`` (seen again, unchanged, e.g.
        answered 304), with one update; returns how many were found."""
        keys = list(dict.fromkeys(k for k in keys if k))
        if not keys:
            return 0
        return self._coll().update_many({"_id": {"$in": keys}}, {"$set": {"last_seen": _now()}}).matched_count

    # -- re-cleaning (govnews reclean) -----------------------------------------------------
    def stale(self, version: str, *, sites=None, since: dt.datetime | None = None, after: str | None = None,
              limit: int = 100) -> list[dict]:
        """Up to ``limit`` stored articles whose raw pages are archived (``warc``) and that a
        cleaner other than ``version`` made, in key order after the key ``after``; without
        their history. ``sites`` keeps those of these registry sites, ``since`` those fetched
        at or after it."""
        query = stale_query(version, sites=sites, since=since)
        if after is not None:
            query["_id"] = {"$gt": after}
        return list(self._coll().find(query, {"history": 0}).sort("_id", ASCENDING).limit(limit))

    def recleaned(self, version: str, results: list[tuple[dict, dict | None]]) -> set[str]:
        """Write what cleaning again found, as ``(stored document as read, new fields or None)``:
        new fields replace the stored ones and the previous version goes to ``history``; None
        (the same output) only sets ``cleaner_version``. ``last_seen`` and ``fetched_at`` stay.
        A document changed since it was read (a crawl stored a new version meanwhile) is left
        alone: returns the keys of those."""
        changed, same, resign = [], [], []
        for doc, fields in results:
            match = {"_id": doc["_id"], "content_hash": doc.get("content_hash"),
                     "cleaner_version": doc.get("cleaner_version")}
            if fields is None:
                same.append(UpdateOne(match, {"$set": {"cleaner_version": version}}))
                continue
            old = {name: doc.get(name) for name in HISTORY_FIELDS}
            fields = {name: value for name, value in fields.items() if name not in RESERVED_FIELDS}
            signature = self.dedupe.sign(fields) if self.dedupe and "text" in fields else None
            if signature is not None:
                fields["dedupe"] = signature
                resign.append(doc["_id"])
            changed.append(UpdateOne(match, {"$set": {**fields, "cleaner_version": version},
                                             "$push": {"history": {"$each": [old], "$slice": -self.history_limit}}}))
        for requests in (changed, same):
            if requests:
                self._coll().bulk_write(requests, ordered=False)
        keys = [doc["_id"] for doc, _ in results]
        left = {doc["_id"] for doc in self._coll().find({"_id": {"$in": keys}, "cleaner_version": {"$ne": version}},
                                                        {"_id": 1})}
        if self.clusterer is not None and resign:
            self.clusterer.assign([key for key in resign if key not in left])
        return left

    # -- writes --------------------------------------------------------------------------
    def upsert_many(self, records: list[dict]) -> UpsertResult:
        """Insert new records, update changed ones (keeping history), touch unchanged ones."""
        result = UpsertResult()
        pending: list[tuple[str, dict]] = []
        for record in records:
            key = record_key(record)
            if key is None:
                result.failed += 1
                result.errors.append({"key": None, "reason": "no canonical_url, url or path to key the record by"})
            else:
                pending.append((key, record))
        retried: set[str] = set()
        while pending:
            # One round writes each key at most once; a key repeated in the batch goes to
            # the next round so that its versions are applied in order.
            seen, this_round, later = set(), [], []
            for key, record in pending:
                (later if key in seen else this_round).append((key, record))
                seen.add(key)
            round_result, retry = self._write_round(this_round, retried)
            result += round_result
            retried.update(k for k, _ in retry)
            pending = retry + later
        return result

    def _clusters(self, ops: list[_Op], stored: dict[str, dict], result: UpsertResult) -> list[UpdateOne]:
        """Put the batch's new and changed records in clusters: their ``cluster`` goes into their
        own write; returns the writes of the other members whose cluster changes. Clustering
        never stops a batch from being stored: a failure leaves the records without a cluster,
        for ``govnews dedupe``."""
        batch = []
        for op in ops:
            fields = op.update.get("$set", {})
            if op.kind in ("insert", "update") and fields.get("dedupe"):
                batch.append({"_id": op.key, **{name: fields.get(name) for name in
                                                ("dedupe", "published_at", "source", "site_name", "doc")},
                              "cluster": (stored.get(op.key) or {}).get("cluster")})
        if not batch:
            return []
        try:
            changes, stats = self.clusterer.plan(batch)
        except Exception as exc:
            logger.warning("%d records stored without a cluster (govnews dedupe will cluster them): %s: %s",
                           len(batch), type(exc).__name__, exc)
            return []
        for error in stats.errors:
            logger.warning("not clustered: %s", error)
        result.clustered, result.joined = stats.records, stats.joined
        for op in ops:
            if op.key in changes:
                op.update["$set"]["cluster"] = changes.pop(op.key)
        return [UpdateOne({"_id": key}, {"$set": {"cluster": cluster}}) for key, cluster in changes.items()]

    def _write_round(self, batch: list[tuple[str, dict]], retried: set[str]):
        coll = self._coll()
        result = UpsertResult()
        keys = [key for key, _ in batch]
        stored = {doc["_id"]: doc for doc in coll.find({"_id": {"$in": keys}},
                                                       {"content_hash": 1, "fetched_at": 1, "cluster": 1})}
        changed = [k for k, rec in batch if k in stored and stored[k].get("content_hash") != rec.get("content_hash")
                   and not _fetched_before(rec, stored[k])]    # an older copy is not written: no history needed
        previous = {}
        if changed:
            projection = {name: 1 for name in HISTORY_FIELDS}
            previous = {doc.pop("_id"): doc for doc in coll.find({"_id": {"$in": changed}}, projection)}

        now = _now()
        ops: list[_Op] = []
        encoded: dict[int, RawBSONDocument] = {}
        for key, record in batch:
            try:
                op = self._operation(key, record, stored.get(key), previous.get(key), now)
                if op.kind == "older":
                    result.older += 1
                    continue
                document = op.encoded()   # also catches values BSON cannot hold
                size = len(document.raw)
                if size > MAX_DOCUMENT_BYTES:
                    raise ValueError(f"document of {size} bytes exceeds the MongoDB limit")
            except Exception as exc:
                result.failed += 1
                result.errors.append({"key": key, "reason": f"{type(exc).__name__}: {exc}"[:500]})
                continue
            encoded[len(ops)] = document
            ops.append(op)
        if not ops:
            return result, []
        others = []
        if self.clusterer is not None:
            others = self._clusters(ops, stored, result)
            for i, op in enumerate(ops):      # a record given its cluster is encoded again, with it
                if "cluster" in op.update.get("$set", {}):
                    encoded[i] = op.encoded()
        requests = [op.request(encoded[i]) for i, op in enumerate(ops)] + others   # the records first: errors index them

        write_errors: dict[int, dict] = {}
        try:
            coll.bulk_write(requests, ordered=False)
        except BulkWriteError as exc:
            details = exc.details or {}
            write_errors = {err["index"]: err for err in details.get("writeErrors", [])}
            for concern in details.get("writeConcernErrors", []):
                logger.warning("write concern error: %s", concern.get("errmsg"))

        retry = []
        for i, op in enumerate(ops):
            err = write_errors.get(i)
            if err is not None:
                if err.get("code") == DUPLICATE_KEY and op.kind == "insert" and op.key not in retried:
                    retry.append((op.key, op.record))   # inserted meanwhile by another writer
                    continue
                result.failed += 1
                result.errors.append({"key": op.key, "reason": f"write error {err.get('code')}: {err.get('errmsg')}"[:500]})
            elif op.kind == "insert":
                result.inserted += 1
            elif op.kind == "update":
                result.updated += 1
            else:
                result.unchanged += 1
        if result.errors:
            logger.warning("%d of %d records not stored; first: %s", result.failed, len(batch), result.errors[0])
        return result, retry

    def _operation(self, key: str, record: dict, stored: dict | None, previous: dict | None, now) -> _Op:
        new_hash = record.get("content_hash")
        if stored is not None and stored.get("content_hash") == new_hash:
            touch = {"last_seen": now}
            touch.update({name: record[name] for name in VALIDATOR_FIELDS if record.get(name)})
            if record.get("warc") and not _fetched_before(record, stored):
                touch["warc"] = record["warc"]      # the newest raw copy of the same article
            return _Op(key, "unchanged", {"$set": touch}, record)

        if stored is not None and _fetched_before(record, stored):
            return _Op(key, "older", {}, record)
        doc = {name: value for name, value in record.items() if name not in RESERVED_FIELDS}
        doc.update(key=key, content_hash=new_hash, last_seen=now,
                   fetched_at=_as_datetime(record.get("fetched_at"), now))
        signature = self.dedupe.sign(record) if self.dedupe else None
        if signature is not None:
            doc["dedupe"] = signature
        if stored is None:
            return _Op(key, "insert", {"$set": doc, "$setOnInsert": {"first_seen": now}}, record)
        update = {"$set": doc}
        if previous and any(previous.get(name) is not None for name in HISTORY_FIELDS):
            old = {name: previous.get(name) for name in HISTORY_FIELDS}
            update["$push"] = {"history": {"$each": [old], "$slice": -self.history_limit}}
        update["$setOnInsert"] = {"first_seen": now}   # in case it was deleted meanwhile
        return _Op(key, "update", update, record)
