"""MongoDB goes away in the middle of a crawl: nothing is lost, nothing is stored twice.

A SecantusDB server of this test's own runs in a subprocess on a fixed free port, so it can
be stopped mid-crawl and started again on the same port and data directory. The crawl
(a real ``scrapy crawl`` process through the fixture proxy, slowed by a download delay)
keeps going while MongoDB is away; the records cleaned meanwhile go to the spool
(``govnews/mongo/spooled``) and are written when MongoDB answers again
(``govnews/mongo/replayed``), or, when it comes back only after the crawl, by the next crawl
on the same data directory (``govnews/mongo/adopted``).
"""
from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pymongo
import pytest

from crawler.runner import LOCAL_FAST, crawl_command
from tests.support.crawlenv import proxy_env, spooled_lines, standalone

SITE = "zhangye-kjj"       # 10 articles behind 3 list pages
OTHER_SITE = "henan-kjt"

SERVER_SCRIPT = """
import signal, sys, threading
from secantus import SecantusDBServer
server = SecantusDBServer(host="127.0.0.1", port=int(sys.argv[1]), storage_path=sys.argv[2],
                          replica_set_name=None, enable_test_commands=False)
server.start()
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: done.set())
print("READY", flush=True)
done.wait()
server.stop()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MongoProcess:
    """SecantusDB in a subprocess on a fixed port and data directory: stop() and start()
    again as often as needed."""

    def __init__(self, storage: Path, port: int):
        self.storage, self.port = storage, port
        self.uri = f"mongodb://127.0.0.1:{port}/"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while True:   # the port can stay busy for a moment after the last stop
            self.proc = subprocess.Popen([sys.executable, "-c", SERVER_SCRIPT, str(self.port), str(self.storage)],
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            line = self.proc.stdout.readline()
            if line.startswith("READY"):
                return
            self.proc.wait()
            if time.monotonic() > deadline:
                raise RuntimeError(f"SecantusDB did not start: {self.proc.stderr.read()[-500:]}")
            time.sleep(0.3)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


@pytest.fixture
def mongo(tmp_path):
    server = MongoProcess(tmp_path / "mongo", free_port())
    server.start()
    yield server
    server.stop()


def start_crawl(site, *, fixture_server, mongo_uri, db, data_dir: Path, tag: str, **settings):
    stats = data_dir / f"stats-{tag}.json"
    log = data_dir / f"crawl-{tag}.log"
    all_settings = {**LOCAL_FAST, "GOVNEWS_MONGO_DB": db, "LOG_LEVEL": "INFO", "LOG_FILE": str(log),
                    "GOVNEWS_STATS_FILE": str(stats), **settings}
    env = proxy_env(fixture_server.proxy_url, GOVNEWS_MONGO_URI=mongo_uri, GOVNEWS_DATA_DIR=str(data_dir))
    proc = subprocess.Popen(crawl_command(site, settings=all_settings), env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return proc, stats, log


def count(uri: str, db: str) -> int:
    client = pymongo.MongoClient(uri, serverSelectionTimeoutMS=2000)
    try:
        return client[db]["articles"].count_documents({})
    except pymongo.errors.PyMongoError:
        return -1
    finally:
        client.close()


def wait_for_count(uri, db, at_least, proc, timeout=60) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        n = count(uri, db)
        if n >= at_least:
            return n
        time.sleep(0.1)
    raise AssertionError(f"never saw {at_least} stored records (crawl exit {proc.poll()})")


def stored(uri, db) -> list[str]:
    with contextlib.closing(pymongo.MongoClient(uri, serverSelectionTimeoutMS=5000)) as client:
        return [d["url"] for d in client[db]["articles"].find({}, {"url": 1})]


SLOW = {"DOWNLOAD_DELAY": 0.4, "CONCURRENT_REQUESTS_PER_DOMAIN": 1, "GOVNEWS_MONGO_BATCH": 1,
        "GOVNEWS_MONGO_WRITE_TIMEOUT": 1.0, "GOVNEWS_MONGO_RETRY_MAX": 1.0}


def crawl_through_outage(mongo, fixture_server, data_dir, outage, **settings):
    """Crawl SITE (SLOW, ``settings`` on top) while ``outage(proc, db, log)`` stops and starts
    MongoDB → (exit code, stderr, stats, stored urls, what ``outage`` returned)."""
    db = "outage_" + uuid.uuid4().hex[:8]
    proc, stats_path, log = start_crawl(SITE, fixture_server=fixture_server, mongo_uri=mongo.uri, db=db,
                                        data_dir=data_dir, tag="a", **{**SLOW, **settings})
    try:
        seen = outage(proc, db, log)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    stats = json.loads(stats_path.read_text("utf-8")) if stats_path.exists() else {}
    return proc.returncode, err, stats, stored(mongo.uri, db), seen


def outage_mid_crawl(mongo, fixture_server, data_dir):
    """MongoDB stops for 3 s (longer, up to 60 s, until records wait in the spool: a loaded
    machine may crawl nothing in 3 s) while the crawl goes on; the last value is how many
    records were stored before the stop. A second between downloads leaves the 8 articles
    after the first 2 to come after the stop even when stopping the server takes seconds
    (it serves its open connections until it is down)."""
    def outage(proc, db, log):
        before = wait_for_count(mongo.uri, db, 2, proc)
        mongo.stop()
        time.sleep(3)                          # the crawl goes on without MongoDB
        deadline = time.monotonic() + 60
        while spooled_lines(data_dir / "spool") < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        mongo.start()
        return before
    return crawl_through_outage(mongo, fixture_server, data_dir, outage, DOWNLOAD_DELAY=1.0)


def test_outage_mid_crawl_spooled_and_written_when_back(mongo, fixture_server, manifests, tmp_path):
    returncode, err, stats, urls, before = outage_mid_crawl(mongo, fixture_server, tmp_path)
    assert returncode == 0, err[-2000:]
    expected = manifests[SITE]["articles"]
    print(f"\nOUTAGE mid-crawl: {before} stored before the stop; crawled {stats.get('item_scraped_count')}, "
          f"spooled {stats.get('govnews/mongo/spooled')}, replayed {stats.get('govnews/mongo/replayed')}, "
          f"stored {len(urls)} of {len(expected)}")
    assert stats.get("govnews/mongo/spooled", 0) >= 1, "the outage spooled nothing"
    assert stats["govnews/mongo/replayed"] == stats["govnews/mongo/spooled"]
    assert "govnews/mongo/left_in_spool" not in stats
    assert sorted(urls) == sorted(expected)              # none missing, none twice
    assert len(urls) == stats["item_scraped_count"]
    assert list((tmp_path / "spool").glob("*.jsonl")) == []   # the spool is gone once written


def outage_to_the_end(mongo, fixture_server, data_dir):
    """MongoDB stops mid-crawl and comes back only after it; the next crawl (of another site)
    writes the spool. A second between downloads, as in outage_mid_crawl: articles still come
    after a slow server stop → (first crawl's stats, count after the first crawl, second crawl's
    stats, stored urls, [exit codes], stderr)."""
    db = "outage_" + uuid.uuid4().hex[:8]
    proc, stats_path, _ = start_crawl(SITE, fixture_server=fixture_server, mongo_uri=mongo.uri, db=db,
                                      data_dir=data_dir, tag="a", GOVNEWS_MONGO_OUTAGE_WAIT=1,
                                      **{**SLOW, "DOWNLOAD_DELAY": 1.0})
    try:
        wait_for_count(mongo.uri, db, 2, proc)
        mongo.stop()
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    stats = json.loads(stats_path.read_text("utf-8")) if stats_path.exists() else {}
    mongo.start()
    after_first = count(mongo.uri, db)
    proc2, stats2_path, _ = start_crawl(OTHER_SITE, fixture_server=fixture_server, mongo_uri=mongo.uri, db=db,
                                        data_dir=data_dir, tag="b")
    _, err2 = proc2.communicate(timeout=120)
    stats2 = json.loads(stats2_path.read_text("utf-8")) if stats2_path.exists() else {}
    return stats, after_first, stats2, stored(mongo.uri, db), [proc.returncode, proc2.returncode], err + err2


def test_outage_to_the_end_replayed_by_next_crawl(mongo, fixture_server, manifests, tmp_path):
    stats, after_first, stats2, urls, returncodes, err = outage_to_the_end(mongo, fixture_server, tmp_path)
    assert returncodes == [0, 0], err[-2000:]
    left = stats.get("govnews/mongo/left_in_spool", 0)
    assert left >= 1, stats
    assert after_first == stats["item_scraped_count"] - left
    expected = manifests[SITE]["articles"] + manifests[OTHER_SITE]["articles"]
    print(f"\nOUTAGE to the end: crawled {stats.get('item_scraped_count')}, left in spool {left}, "
          f"adopted by next crawl {stats2.get('govnews/mongo/adopted')}, stored {len(urls)} of {len(expected)}")
    assert stats2["govnews/mongo/adopted"] == left       # the next crawl wrote the first one's spool first
    assert sorted(urls) == sorted(expected)
    assert list((tmp_path / "spool").glob("*.jsonl")) == []


def outage_at_start(mongo, fixture_server, data_dir):
    """MongoDB is down when the crawl starts and comes up once the crawl has spooled 3 records."""
    def outage(proc, db, log):
        deadline = time.monotonic() + 60
        while spooled_lines(data_dir / "spool") < 3:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the crawl never spooled 3 records (exit {proc.poll()}, log {log})")
            time.sleep(0.1)
        mongo.start()
    mongo.stop()
    return crawl_through_outage(mongo, fixture_server, data_dir, outage)


def test_mongodb_down_at_the_start_is_an_outage_too(mongo, fixture_server, manifests, tmp_path):
    returncode, err, stats, urls, _ = outage_at_start(mongo, fixture_server, tmp_path)
    assert returncode == 0, err[-2000:]
    print(f"\nOUTAGE at start: crawled {stats.get('item_scraped_count')}, spooled {stats.get('govnews/mongo/spooled')}, "
          f"replayed {stats.get('govnews/mongo/replayed')}, stored {len(urls)}")
    assert stats.get("govnews/mongo/outages", 0) >= 1
    assert stats.get("govnews/mongo/spooled", 0) >= 3          # every record that waited is counted
    assert stats["govnews/mongo/replayed"] == stats["govnews/mongo/spooled"]
    assert sorted(urls) == sorted(manifests[SITE]["articles"])
    assert list((tmp_path / "spool").glob("*.jsonl")) == []


def reliability_mongo_outage():
    """Both outage scenarios outside pytest: the rows for bench/reliability.py."""
    rows = []
    with standalone() as env:
        for name, run in (("MongoDB stopped 3 s mid-crawl", outage_mid_crawl),
                          ("MongoDB down at the start, up once 3 records wait", outage_at_start),
                          ("MongoDB down until after the crawl, next crawl replays", outage_to_the_end)):
            mongo = MongoProcess(env.mktemp("mongo"), free_port())
            data_dir = env.mktemp("data")
            mongo.start()
            try:
                result = run(mongo, env.fixture_server, data_dir)
            finally:
                mongo.stop()
            if run is not outage_to_the_end:
                returncodes, stats, urls = [result[0]], result[2], result[3]
                expected = env.manifests[SITE]["articles"]
                notes = (f"{result[4]} stored before the stop; " if run is outage_mid_crawl else "") + (
                    f"spooled {stats.get('govnews/mongo/spooled', 0)}, replayed {stats.get('govnews/mongo/replayed', 0)}")
            else:
                stats, _, stats2, urls, returncodes, _ = result
                expected = env.manifests[SITE]["articles"] + env.manifests[OTHER_SITE]["articles"]
                notes = (f"left in spool {stats.get('govnews/mongo/left_in_spool', 0)}, adopted by the next crawl "
                         f"{stats2.get('govnews/mongo/adopted', 0)}")
            left = list(data_dir.glob("spool/*.jsonl"))
            rows.append({"scenario": name, "tried": len(expected), "crashes": sum(rc != 0 for rc in returncodes),
                         "hangs": int(stats.get("finish_reason") != "finished"),
                         "lost": len(set(expected) - set(urls)), "duplicated": len(urls) - len(set(urls)),
                         "failures": [f"{len(left)} spool files left"] if left else [],
                         "notes": f"{len(set(urls))}/{len(expected)} stored; " + notes})
    return rows
