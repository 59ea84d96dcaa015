"""Fixtures shared by every test directory: a real MongoDB wire server (SecantusDB).

Sub-directories add their own fixtures in their own conftest.py. Helpers shared by tests and
benchmarks are the package ``tests.support``.
"""
from __future__ import annotations

import uuid

import pymongo
import pytest
from secantus import SecantusDBServer


@pytest.fixture(scope="session")
def mongo_server(tmp_path_factory):
    """The URI of a SecantusDB server (WiredTiger on a temp dir, a free loopback port)
    running for the whole session."""
    with SecantusDBServer(port=0, storage_path=str(tmp_path_factory.mktemp("secantus"))) as server:
        yield server.uri


@pytest.fixture
def mongo_db(mongo_server):
    """A database name no other test uses; dropped afterwards."""
    name = "test_" + uuid.uuid4().hex[:12]
    yield name
    client = pymongo.MongoClient(mongo_server, serverSelectionTimeoutMS=5000)
    try:
        client.drop_database(name)
    finally:
        client.close()
