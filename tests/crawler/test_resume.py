"""The crawl process is SIGKILLed mid-run and started again with the same JOBDIR: at the end
no article is missing and none is stored twice.

What a kill would otherwise lose: records cleaned but still in the Mongo pipeline's batch
(they are in its fsynced spool, and the restart writes them first), and Scrapy's JOBDIR
frontier, whose queue index is written only on a clean close (the restart sees the
``govnews-running`` marker, sets the frontier aside and crawls from the start URLs; stored
articles answer 304 and are not stored again).
"""
from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
import uuid

import pymongo

from crawler.runner import LOCAL_FAST, REPO, crawl_command

SITE = "zhangye-kjj"


def spooled_lines(spool_dir) -> int:
    return sum(len(p.read_bytes().splitlines()) for p in spool_dir.glob("*.jsonl")) if spool_dir.exists() else 0


def test_sigkill_then_restart_nothing_missing_nothing_twice(fixture_server, crawl_mongo_uri, manifests, tmp_path):
    db = "resume_" + uuid.uuid4().hex[:8]
    jobdir, data_dir = tmp_path / "job", tmp_path / "data"
    env = {**os.environ, "http_proxy": fixture_server.proxy_url, "HTTP_PROXY": fixture_server.proxy_url,
           "no_proxy": "", "NO_PROXY": "", "GOVNEWS_MONGO_URI": crawl_mongo_uri, "GOVNEWS_DATA_DIR": str(data_dir)}

    def command(tag):
        settings = {**LOCAL_FAST, "DOWNLOAD_DELAY": 0.3, "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
                    "GOVNEWS_MONGO_BATCH": 3, "GOVNEWS_MONGO_DB": db, "JOBDIR": str(jobdir),
                    "LOG_FILE": str(tmp_path / f"crawl-{tag}.log"), "GOVNEWS_STATS_FILE": str(tmp_path / f"{tag}.json")}
        return crawl_command(SITE, settings=settings)

    client = pymongo.MongoClient(crawl_mongo_uri)
    coll = client[db]["articles"]
    try:
        first = subprocess.Popen(command("first"), cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 60
        try:
            # Kill once some records are stored and some others are cleaned but only spooled.
            while not (coll.count_documents({}) >= 3 and spooled_lines(data_dir / "spool") >= 1):
                assert first.poll() is None, "the crawl ended before it could be killed"
                assert time.monotonic() < deadline, "never reached the kill point"
                time.sleep(0.02)
            os.killpg(first.pid, signal.SIGKILL)      # the crawler and its cleaning workers
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(first.pid, signal.SIGKILL)
            first.wait()
        stored_at_kill = coll.count_documents({})
        spooled_at_kill = spooled_lines(data_dir / "spool")
        assert not (tmp_path / "first.json").exists()           # it really died, no clean close
        assert (jobdir / "govnews-running").exists()

        second = subprocess.run(command("second"), cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True, timeout=120)
        assert second.returncode == 0, second.stderr[-2000:]
        stats = json.loads((tmp_path / "second.json").read_text("utf-8"))

        expected = manifests[SITE]["articles"]
        urls = [d["url"] for d in coll.find({}, {"url": 1})]
        missing = set(expected) - set(urls)
        duplicated = len(urls) - len(set(urls))
        print(f"\nSIGKILL: {stored_at_kill} stored + {spooled_at_kill} spooled at the kill; after restart "
              f"{len(urls)} of {len(expected)} stored, {len(missing)} missing, {duplicated} duplicated; "
              f"restart adopted {stats.get('govnews/mongo/adopted', 0)}, inserted {stats.get('govnews/mongo/inserted', 0)}, "
              f"304s {stats.get('govnews/refresh/not_modified', 0)}")
        assert not missing and duplicated == 0 and sorted(urls) == sorted(expected)
        assert stats["govnews/jobdir/unclean_restarts"] == 1
        assert stats.get("govnews/mongo/adopted", 0) == spooled_at_kill
        # each article stored once: the restart inserts exactly what the first run had not stored
        assert stats.get("govnews/mongo/inserted", 0) == len(expected) - stored_at_kill
        assert stats.get("govnews/mongo/updated", 0) == 0
        assert not (jobdir / "govnews-running").exists()          # the second run closed cleanly
        assert spooled_lines(data_dir / "spool") == 0
    finally:
        client.drop_database(db)
        client.close()
