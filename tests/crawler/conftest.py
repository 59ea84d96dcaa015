"""Crawler test fixtures: the fixture sites served on loopback (as an HTTP proxy for their
real host names), a real MongoDB wire server, and crawls run as `scrapy crawl` processes."""
from __future__ import annotations

import uuid

import pymongo
import pytest
from secantus import SecantusDBServer

from crawler.fixtureserver import FixtureServer
from tests.support.crawlenv import SITES, crawler_for, load_manifests


@pytest.fixture(scope="session")
def manifests() -> dict[str, dict]:
    return load_manifests()


@pytest.fixture(scope="session")
def fixture_server(tmp_path_factory):
    log = tmp_path_factory.mktemp("fixture-server") / "requests.jsonl"
    with FixtureServer(SITES, log_path=log) as server:
        yield server


@pytest.fixture(scope="session")
def crawl_mongo_uri(request, tmp_path_factory):
    """The session MongoDB URI: tests/conftest.py's ``mongo_server`` when there is one,
    else a SecantusDB server of our own."""
    try:
        server = request.getfixturevalue("mongo_server")
        yield getattr(server, "uri", server)
        return
    except pytest.FixtureLookupError:
        pass
    with SecantusDBServer(storage_path=str(tmp_path_factory.mktemp("secantus"))) as server:
        yield server.uri


@pytest.fixture(scope="session")
def crawl(fixture_server, crawl_mongo_uri, tmp_path_factory):
    """``crawl(site, db=..., **settings)`` → CrawlResult; a crawl of one fixture site through
    the proxy into the given database."""
    return crawler_for(fixture_server, crawl_mongo_uri, lambda: tmp_path_factory.mktemp("crawl-logs"))


@pytest.fixture
def crawl_db(crawl_mongo_uri):
    """A fresh database name and a handle on it; dropped afterwards."""
    client = pymongo.MongoClient(crawl_mongo_uri)
    name = "crawl_" + uuid.uuid4().hex[:10]
    yield name, client[name]
    client.drop_database(name)
    client.close()
