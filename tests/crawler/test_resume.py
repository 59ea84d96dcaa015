"""The crawl process is SIGKILLed mid-run and started again with the same JOBDIR: at the end
no article is missing and none is stored twice.

What a kill would otherwise lose: records cleaned but still in the Mongo pipeline's batch
(they are in its fsynced spool, and the restart writes them first), and Scrapy's JOBDIR
frontier, whose queue index is written only on a clean close (the restart sees the
``govnews-running`` marker, sets the frontier aside and crawls from the start URLs; stored
articles answer 304 and are not stored again).
"""
from __future__ import annotations

import json
import subprocess
import uuid

import pymongo

from crawler.runner import LOCAL_FAST, crawl_command
from tests.support.crawlenv import proxy_env, sigkill_when, spooled_lines, standalone

SITE = "zhangye-kjj"


def kill_and_restart(fixture_server, mongo_uri, work) -> dict:
    """Crawl, SIGKILL the crawler (and its cleaning workers) once some records are stored and
    others only spooled, crawl again with the same JOBDIR; what was seen, as a dict."""
    db = "resume_" + uuid.uuid4().hex[:8]
    jobdir, data_dir = work / "job", work / "data"
    env = proxy_env(fixture_server.proxy_url, GOVNEWS_MONGO_URI=mongo_uri, GOVNEWS_DATA_DIR=str(data_dir))

    def command(tag):
        settings = {**LOCAL_FAST, "DOWNLOAD_DELAY": 0.3, "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
                    "GOVNEWS_MONGO_BATCH": 3, "GOVNEWS_MONGO_DB": db, "JOBDIR": str(jobdir),
                    "LOG_FILE": str(work / f"crawl-{tag}.log"), "GOVNEWS_STATS_FILE": str(work / f"{tag}.json")}
        return crawl_command(SITE, settings=settings)

    client = pymongo.MongoClient(mongo_uri)
    coll = client[db]["articles"]
    try:
        first = subprocess.Popen(command("first"), env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
        sigkill_when(first, lambda: coll.count_documents({}) >= 3 and spooled_lines(data_dir / "spool") >= 1)
        seen = {"stored_at_kill": coll.count_documents({}), "spooled_at_kill": spooled_lines(data_dir / "spool"),
                "closed_cleanly": (work / "first.json").exists(),
                "running_marker_after_kill": (jobdir / "govnews-running").exists()}
        second = subprocess.run(command("second"), env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True, timeout=120)
        stats_path = work / "second.json"
        return {**seen, "returncode": second.returncode, "stderr": second.stderr,
                "stats": json.loads(stats_path.read_text("utf-8")) if stats_path.exists() else {},
                "urls": [d["url"] for d in coll.find({}, {"url": 1})],
                "running_marker_at_end": (jobdir / "govnews-running").exists(),
                "spooled_at_end": spooled_lines(data_dir / "spool")}
    finally:
        client.drop_database(db)
        client.close()


def test_sigkill_then_restart_nothing_missing_nothing_twice(fixture_server, crawl_mongo_uri, manifests, tmp_path):
    run = kill_and_restart(fixture_server, crawl_mongo_uri, tmp_path)
    assert not run["closed_cleanly"]                   # it really died, no clean close
    assert run["running_marker_after_kill"]
    assert run["returncode"] == 0, run["stderr"][-2000:]
    stats, urls = run["stats"], run["urls"]
    expected = manifests[SITE]["articles"]
    missing = set(expected) - set(urls)
    duplicated = len(urls) - len(set(urls))
    print(f"\nSIGKILL: {run['stored_at_kill']} stored + {run['spooled_at_kill']} spooled at the kill; after restart "
          f"{len(urls)} of {len(expected)} stored, {len(missing)} missing, {duplicated} duplicated; "
          f"restart adopted {stats.get('govnews/mongo/adopted', 0)}, inserted {stats.get('govnews/mongo/inserted', 0)}, "
          f"304s {stats.get('govnews/refresh/not_modified', 0)}")
    assert not missing and duplicated == 0 and sorted(urls) == sorted(expected)
    assert stats["govnews/jobdir/unclean_restarts"] == 1
    assert stats.get("govnews/mongo/adopted", 0) == run["spooled_at_kill"]
    # each article stored once: the restart inserts exactly what the first run had not stored
    assert stats.get("govnews/mongo/inserted", 0) == len(expected) - run["stored_at_kill"]
    assert stats.get("govnews/mongo/updated", 0) == 0
    assert not run["running_marker_at_end"]            # the second run closed cleanly
    assert run["spooled_at_end"] == 0


def test_a_finished_crawl_leaves_its_jobdir_ready_for_the_next_run(crawl, crawl_db, manifests, tmp_path):
    """The same ``-s JOBDIR`` in a crontab line: a run that finished must not make the next
    one skip every URL it has seen."""
    db_name, db = crawl_db
    jobdir = tmp_path / "job"
    first = crawl(SITE, db=db_name, JOBDIR=str(jobdir))
    second = crawl(SITE, db=db_name, JOBDIR=str(jobdir))
    articles = len(manifests[SITE]["articles"])
    assert first.failure is None and second.failure is None, (first.log_path, second.log_path)
    assert first.stat("govnews/mongo/inserted") == articles == db["articles"].count_documents({})
    # the second run asked for every article again (and was told 304), skipping none as "seen"
    assert second.stat("govnews/refresh/not_modified") == articles, second.log_path
    assert not (jobdir / "requests.seen").exists() and not (jobdir / "govnews-running").exists()


def reliability_sigkill_resume():
    """The same kill and restart outside pytest: the row for bench/reliability.py."""
    with standalone() as env:
        run = kill_and_restart(env.fixture_server, env.mongo_uri, env.tmp)
        expected = env.manifests[SITE]["articles"]
    stats, urls = run["stats"], run["urls"]
    failures = ["the first crawl was not killed"] * run["closed_cleanly"]
    failures += [f"{run['spooled_at_end']} records left in the spool"] * bool(run["spooled_at_end"])
    failures += [f"{stats.get('govnews/mongo/updated')} records rewritten"] * bool(stats.get("govnews/mongo/updated"))
    return {"scenario": "SIGKILL mid-crawl, restart with the same JOBDIR", "tried": len(expected),
            "crashes": int(run["returncode"] != 0), "hangs": int(stats.get("finish_reason") != "finished"),
            "lost": len(set(expected) - set(urls)), "duplicated": len(urls) - len(set(urls)), "failures": failures,
            "notes": f"killed with {run['stored_at_kill']} stored + {run['spooled_at_kill']} spooled; restart "
                     f"adopted {stats.get('govnews/mongo/adopted', 0)}, inserted {stats.get('govnews/mongo/inserted', 0)}, "
                     f"{stats.get('govnews/refresh/not_modified', 0)} answered 304"}
