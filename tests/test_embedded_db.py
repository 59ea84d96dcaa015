"""storage.embedded: the embedded default database, shared by govnews processes, and its
data directory."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from storage import data_dir, mongo_uri


# -- the embedded default database ----------------------------------------------------------
EMBEDDED_WRITE = textwrap.dedent("""
    import sys, time
    import pymongo
    from storage import mongo_uri
    with mongo_uri(None) as uri:
        client = pymongo.MongoClient(uri)
        client.govnews.t.insert_one({"run": sys.argv[1]})
        print(client.govnews.t.count_documents({}), flush=True)
        client.close()
        if len(sys.argv) > 2:
            time.sleep(float(sys.argv[2]))
""")


def _run_embedded(env, *args, **kwargs):
    return subprocess.run([sys.executable, "-c", EMBEDDED_WRITE, *args], env=env, capture_output=True,
                          text=True, timeout=120, **kwargs)


def test_embedded_data_dir_persists_across_runs(tmp_path):
    env = {**os.environ, "GOVNEWS_DATA_DIR": str(tmp_path / "data")}
    env.pop("GOVNEWS_MONGO_URI", None)
    assert _run_embedded(env, "one").stdout.strip() == "1"
    assert _run_embedded(env, "two").stdout.strip() == "2"
    assert (tmp_path / "data" / "mongo" / "WiredTiger").exists()
    assert not (tmp_path / "data" / "mongo" / "govnews-server.json").exists()   # removed at a clean stop


def test_embedded_second_process_shares_the_running_server(tmp_path):
    env = {**os.environ, "GOVNEWS_DATA_DIR": str(tmp_path / "data")}
    env.pop("GOVNEWS_MONGO_URI", None)
    owner = subprocess.Popen([sys.executable, "-c", EMBEDDED_WRITE, "owner", "4"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert owner.stdout.readline().strip() == "1"        # the owner's server is up
        info = json.loads((tmp_path / "data" / "mongo" / "govnews-server.json").read_text())
        assert info["pid"] == owner.pid
        guest = _run_embedded(env, "guest")
        assert guest.returncode == 0, guest.stderr
        assert guest.stdout.strip() == "2"                   # wrote through the owner's server
    finally:
        owner.wait(timeout=60)
    assert owner.returncode == 0, owner.stderr
    assert _run_embedded(env, "after").stdout.strip() == "3"


def test_mongo_uri_passes_a_real_uri_through(monkeypatch):
    with mongo_uri("mongodb://db.example:27017/") as uri:
        assert uri == "mongodb://db.example:27017/"
    monkeypatch.setenv("GOVNEWS_MONGO_URI", "mongodb://from-env:27017/")
    with mongo_uri(None) as uri:
        assert uri == "mongodb://from-env:27017/"
    monkeypatch.delenv("GOVNEWS_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", "/xdg")
    assert str(data_dir()) == "/xdg/govnews"
    monkeypatch.setenv("GOVNEWS_DATA_DIR", "/srv/govnews")
    assert str(data_dir()) == "/srv/govnews"
