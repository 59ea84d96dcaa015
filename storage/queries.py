"""Reading the article store: filters, streaming, one record, its copies, per-site figures.

Used by ``govnews export`` / ``show`` / ``sites`` and the review web page. Everything here
reads; a reader opens the database with :func:`reader` (no index is created, nothing
written).

Dates: ``published_at`` is stored as the cleaner wrote it, an ISO 8601 string with its
offset (``2023-02-21T09:30:00+08:00``), so a day range compares the strings: ``since`` is
the first day included, ``until`` the last.

>>> ArticleFilter(site="hebi-kjj", since="2024-01-01", until="2024-01-31").mongo()
{'site': 'hebi-kjj', 'published_at': {'$gte': '2024-01-01', '$lt': '2024-02-01'}}
>>> ArticleFilter(query="科技+", title_only=True).mongo()
{'title': {'$regex': '科技\\\\+', '$options': 'i'}}
"""
from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass

from pymongo import DESCENDING, MongoClient
from pymongo.collection import Collection

from storage.clusters import members_of

LOW_CONFIDENCE = "^low_confidence"     # the warning the cleaner gives a doubtful text
NEWEST_FIRST = [("published_at", DESCENDING), ("first_seen", DESCENDING), ("_id", DESCENDING)]


@contextlib.contextmanager
def connect(uri: str, db: str = "govnews"):
    """Yield the database ``db`` at ``uri`` (dates come back as aware UTC datetimes); creates
    nothing."""
    client = MongoClient(uri, tz_aware=True, serverSelectionTimeoutMS=15000, appname="govnews")
    try:
        yield client[db]
    finally:
        client.close()


def day_after(day: str) -> str:
    """The day after ``day`` (``YYYY-MM-DD``), for an inclusive upper bound.

    >>> day_after("2024-02-29"), day_after("2023-12-31")
    ('2024-03-01', '2024-01-01')
    """
    return (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()


def check_day(value: str) -> str:
    """``value`` if it is a day ``YYYY-MM-DD``, else ValueError.

    >>> check_day("2024-1-5")
    Traceback (most recent call last):
    ...
    ValueError: not a day (YYYY-MM-DD): '2024-1-5'
    """
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value or ""):
        raise ValueError(f"not a day (YYYY-MM-DD): {value!r}")
    dt.date.fromisoformat(value)
    return value


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles: a site, a day range of ``published_at``, a status, the low-confidence
    ones only, a text searched case-insensitively in the title (and the text unless
    ``title_only``)."""

    site: str | None = None
    since: str | None = None
    until: str | None = None
    query: str | None = None
    status: str | None = None
    low_confidence: bool = False
    title_only: bool = False

    def mongo(self) -> dict:
        out: dict = {}
        if self.site:
            out["site"] = self.site
        if self.since or self.until:
            out["published_at"] = {**({"$gte": check_day(self.since)} if self.since else {}),
                                   **({"$lt": day_after(check_day(self.until))} if self.until else {})}
        if self.status:
            out["status"] = self.status
        if self.low_confidence:
            out["warnings"] = {"$regex": LOW_CONFIDENCE}
        if self.query:
            pattern = {"$regex": re.escape(self.query), "$options": "i"}
            fields = ("title",) if self.title_only else ("title", "text")
            out.update({"title": pattern} if len(fields) == 1 else {"$or": [{f: pattern} for f in fields]})
        return out


def iter_articles(coll: Collection, flt: ArticleFilter, fields: list[str] | None = None, *,
                  batch_size: int = 200):
    """Every matching article, one at a time from a server cursor (in store-key order, which
    needs no sort in memory): a million records cost one batch of memory."""
    projection = {name: 1 for name in fields} if fields else {"history": 0}
    with coll.find(flt.mongo(), projection, batch_size=batch_size).sort("_id", 1) as cursor:
        yield from cursor


def page_of_articles(coll: Collection, flt: ArticleFilter, page: int, per_page: int,
                     fields: tuple[str, ...]) -> tuple[list[dict], int]:
    """Page ``page`` (from 1) of the matching articles, newest published first, and how many match."""
    query = flt.mongo()
    total = coll.count_documents(query)
    skip = max(page - 1, 0) * per_page
    docs = list(coll.find(query, {name: 1 for name in fields}).sort(NEWEST_FIRST).skip(skip).limit(per_page))
    return docs, total


def find_article(coll: Collection, url: str) -> dict | None:
    """The article stored under ``url``: its key, final URL, canonical URL or requested URL."""
    for name in ("_id", "url", "canonical_url", "request_url"):
        doc = coll.find_one({name: url})
        if doc is not None:
            return doc
    return None


def copies_of(coll: Collection, doc: dict, limit: int = 20) -> list[dict]:
    """Republished copies of an article: the other members of its cluster (original first,
    each with its ``cluster`` role and similarity), edited copies included; for a record
    never clustered (dedupe off), the other articles with the same content hash."""
    cluster = doc.get("cluster") or {}
    if cluster.get("id"):
        return members_of(coll, cluster["id"], besides=doc["_id"], limit=limit) if cluster.get("size", 1) > 1 else []
    if not doc.get("content_hash"):
        return []
    query = {"content_hash": doc["content_hash"], "_id": {"$ne": doc["_id"]}}
    return list(coll.find(query, {"url": 1, "title": 1, "site": 1, "published_at": 1}).limit(limit))


def site_figures(coll: Collection) -> dict[str, dict]:
    """``{site: {"articles", "low_confidence", "last_new"}}``: how many articles each site has,
    how many carry the low-confidence warning, and when its newest one was first seen."""
    pipeline = [{"$group": {"_id": "$site", "articles": {"$sum": 1}, "last_new": {"$max": "$first_seen"}}}]
    out = {d["_id"]: {"articles": d["articles"], "last_new": d["last_new"], "low_confidence": 0}
           for d in coll.aggregate(pipeline)}
    low = [{"$match": {"warnings": {"$regex": LOW_CONFIDENCE}}}, {"$group": {"_id": "$site", "n": {"$sum": 1}}}]
    for d in coll.aggregate(low):
        out.setdefault(d["_id"], {"articles": 0, "last_new": None, "low_confidence": 0})["low_confidence"] = d["n"]
    return out
