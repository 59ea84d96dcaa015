"""A crawl writing WARC is SIGKILLed while it archives, then run again: every record the
killed crawl wrote whole reads back byte for byte (a torn last one is passed over), its
files are never written to again, and every stored record — those the restart replays from
the killed crawl's spool included — points at raw pages that read back."""
from __future__ import annotations

import signal
import subprocess
import uuid
from urllib.parse import urlsplit

import pymongo

from crawler.runner import LOCAL_FAST, crawl_command
from storage.warcread import read_http, scan
from tests.support.crawlenv import proxy_env, sigkill_when, spooled_lines, standalone
from tests.support.paths import SITES
from tests.support.warcfiles import records, warc_files, warcio_check

SITE = "zhangye-kjj"


def served(url: str) -> bytes:
    """The body the fixture server answers for ``url``: its fixture file."""
    parts = urlsplit(url)
    return (SITES / parts.hostname / parts.path.lstrip("/")).read_bytes()


def kill_while_archiving(fixture_server, mongo_uri, work) -> dict:
    """Crawl with WARC on (small files, so it rotates), SIGKILL the crawl and its cleaning
    workers once some pages are archived, crawl again; what was seen, as a dict."""
    db = "warckill_" + uuid.uuid4().hex[:8]
    warc, data = work / "warc", work / "data"
    env = proxy_env(fixture_server.proxy_url, GOVNEWS_MONGO_URI=mongo_uri, GOVNEWS_DATA_DIR=str(data))

    def command(tag):
        return crawl_command(SITE, settings={
            **LOCAL_FAST, "DOWNLOAD_DELAY": 0.2, "CONCURRENT_REQUESTS_PER_DOMAIN": 1, "GOVNEWS_MONGO_BATCH": 3,
            "GOVNEWS_MONGO_DB": db, "GOVNEWS_WARC": True, "GOVNEWS_WARC_DIR": str(warc),
            "GOVNEWS_WARC_MAX_BYTES": 6000, "LOG_FILE": str(work / f"crawl-{tag}.log")})

    client = pymongo.MongoClient(mongo_uri)
    try:
        first = subprocess.Popen(command("first"), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 start_new_session=True)
        sigkill_when(first, lambda: len(records(warc, "response")) >= 5, poll=0.01)
        killed_files = {path: path.stat().st_size for path in warc_files(warc)}
        seen = {"returncode_first": first.returncode, "files": killed_files,
                "scans": {path: scan(path) for path in killed_files},
                "spooled_at_kill": spooled_lines(data / "spool"),
                "check": warcio_check(list(killed_files))}
        second = subprocess.run(command("second"), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True, timeout=120)
        return {**seen, "returncode": second.returncode, "stderr": second.stderr,
                "sizes_after": {path: path.stat().st_size for path in killed_files},
                "stored": list(client[db]["articles"].find({}, {"url": 1, "warc": 1, "pages": 1})),
                "warc": warc}
    finally:
        client.drop_database(db)
        client.close()


def check(run) -> list[str]:
    """What went wrong, as messages (none = all well)."""
    problems = []
    if run["returncode_first"] != -signal.SIGKILL:
        problems.append(f"the first crawl was not killed (exit {run['returncode_first']})")
    if run["returncode"] != 0:
        problems.append(f"the second crawl failed: {run['stderr'][-500:]}")
    if run["check"].returncode != 0:
        problems.append(f"warcio check failed on the killed crawl's files: {run['check'].stdout[-500:]}")
    for path, listed in run["scans"].items():
        for rec in listed.records:
            if rec.type == "response" and read_http(path, rec.offset).body != served(rec.uri):
                problems.append(f"{path.name}@{rec.offset}: {rec.uri} does not read back as served")
    if run["sizes_after"] != run["files"]:
        problems.append("the killed crawl's files were written to again")
    for doc in run["stored"]:
        for position in [doc["warc"]] + doc["warc"].get("parts", []):
            answer = read_http(run["warc"] / position["file"], position["offset"])
            if answer.body != served(answer.uri):
                problems.append(f"stored {doc['url']}: its raw page {answer.uri} does not read back as served")
    return problems


def test_sigkill_while_archiving_leaves_every_whole_record_readable(fixture_server, crawl_mongo_uri, manifests,
                                                                    tmp_path):
    run = kill_while_archiving(fixture_server, crawl_mongo_uri, tmp_path)
    archived = sum(1 for listed in run["scans"].values() for rec in listed.records if rec.type == "response")
    torn = [f"{path.name}: {listed.problem}" for path, listed in run["scans"].items() if listed.problem]
    print(f"\nSIGKILL while archiving: {len(run['files'])} files, {archived} whole response records, "
          f"{len(torn)} torn ({'; '.join(torn) or 'the kill fell between two writes'}), "
          f"{run['spooled_at_kill']} records spooled")
    assert archived >= 5 and len(run["files"]) >= 2
    assert check(run) == []
    assert sorted(d["url"] for d in run["stored"]) == sorted(manifests[SITE]["articles"])


def reliability_warc_sigkill():
    """The same kill outside pytest: the row for bench/reliability.py."""
    with standalone() as env:
        run = kill_while_archiving(env.fixture_server, env.mongo_uri, env.tmp)
        expected = env.manifests[SITE]["articles"]
        failures = check(run)       # reads the files: before they go with the temporary folder
    archived = [rec for listed in run["scans"].values() for rec in listed.records if rec.type == "response"]
    urls = [d["url"] for d in run["stored"]]
    return {"scenario": "SIGKILL while writing WARC, restart", "tried": len(archived),
            "crashes": int(run["returncode"] != 0), "hangs": 0,
            "lost": sum("read back" in f for f in failures) + len(set(expected) - set(urls)),
            "duplicated": len(urls) - len(set(urls)), "failures": [f for f in failures if "read back" not in f],
            "notes": f"{len(run['files'])} files at the kill; "
                     f"{sum(bool(s.problem) for s in run['scans'].values())} with a torn last record"}
