"""The ``runs`` collection: one summary per crawl of a site, with its health flags.

A run document (written by the crawl, :mod:`crawler.extensions.runs`, or by ``govnews
refresh`` for a crawl that died before it could) holds the crawl's figures — ``fetched``,
``new``, ``changed``, ``unchanged``, ``not_modified``, ``blocked``, ``errors``, ``empty``,
``low_confidence``, ``records``, ``share_date`` / ``share_source`` / ``share_title``,
``median_text_length``, ``list_pages``, ``article_links``, ``duration_s`` — its ``status``
(``ok`` / ``failed``) and ``failure``, ``started_at`` / ``finished_at`` (UTC dates), and
``flags``: a list of ``{"flag", "message", ...}`` saying what looked wrong compared with the
site's own earlier runs. What is judged wrong is decided elsewhere
(:mod:`crawler.health`); here runs are only kept and read.

>>> RunStore.new_id() != RunStore.new_id()
True
"""
from __future__ import annotations

import uuid

from pymongo import DESCENDING
from pymongo.collection import Collection
from pymongo.database import Database

RUNS_COLLECTION = "runs"


class RunStore:
    """Runs in ``database[collection]``; the caller owns the client."""

    def __init__(self, database: Database, collection: str = RUNS_COLLECTION):
        self.collection: Collection = database[collection]

    @staticmethod
    def new_id() -> str:
        return uuid.uuid4().hex

    def ensure_indexes(self) -> None:
        """The index that :meth:`recent` and :meth:`latest` read (idempotent; a writer's job)."""
        self.collection.create_index([("site", 1), ("started_at", DESCENDING)], name="site_started")

    def add(self, run: dict) -> str:
        """Store ``run`` (``_id`` given or made) and return its id."""
        doc = {"_id": run.get("_id") or self.new_id(), **{k: v for k, v in run.items() if k != "_id"}}
        self.collection.insert_one(doc)
        return doc["_id"]

    def get(self, run_id: str) -> dict | None:
        return self.collection.find_one({"_id": run_id})

    def recent(self, site: str, limit: int = 50, *, before=None) -> list[dict]:
        """The site's last ``limit`` runs, newest first (only those started before ``before``)."""
        query: dict = {"site": site}
        if before is not None:
            query["started_at"] = {"$lt": before}
        return list(self.collection.find(query).sort("started_at", DESCENDING).limit(limit))

    def latest(self, limit: int = 20) -> dict[str, list[dict]]:
        """``{site: its last runs, newest first}`` for every site that has runs."""
        return {site: self.recent(site, limit) for site in sorted(self.collection.distinct("site"))}
