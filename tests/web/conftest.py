"""The review web app over a store filled by :mod:`tests.support.reviewdata`, served on loopback."""
from __future__ import annotations

import uuid
from types import SimpleNamespace

import pymongo
import pytest

from crawler.sites import load_registry
from govnews.web import create_app
from tests.support.reviewdata import load_review_store
from tests.support.webserve import serving


@pytest.fixture(scope="module")
def review(mongo_server, tmp_path_factory):
    """``.base`` (the app's URL), ``.app`` and the keys of the stored review data."""
    db = "review_" + uuid.uuid4().hex[:10]
    info = load_review_store(mongo_server, db, tmp_path_factory.mktemp("review-raw"))
    client = pymongo.MongoClient(mongo_server, tz_aware=True)
    app = create_app(client[db], load_registry(), warc_dir=info["warc_dir"])
    try:
        with serving(app) as base:
            yield SimpleNamespace(base=base, app=app, db=client[db], **info)
    finally:
        client.drop_database(db)
        client.close()
