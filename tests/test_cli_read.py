"""`govnews export`, `govnews show` and `govnews sites` on a real MongoDB wire server, run as the
command is; and export streaming a large store in constant memory."""
from __future__ import annotations

import csv
import gzip
import io
import json
import os
import subprocess
import sys

import pymongo
import pytest

from tests.support.paths import REPO
from tests.support.reviewdata import load_review_store


@pytest.fixture(scope="module")
def store(mongo_server, tmp_path_factory):
    db = "cli_read"
    info = load_review_store(mongo_server, db, tmp_path_factory.mktemp("raw"))
    yield {**info, "uri": mongo_server, "db": db}
    pymongo.MongoClient(mongo_server).drop_database(db)


def govnews(store, *args, env=None) -> subprocess.CompletedProcess:
    child = {**os.environ, **(env or {}), "GOVNEWS_MONGO_URI": store["uri"]}
    return subprocess.run([sys.executable, "-m", "govnews.cli", *args, "--db", store["db"]], cwd=REPO, env=child,
                          capture_output=True, text=True, timeout=120)


def test_export_json_lines_of_one_site(store):
    proc = govnews(store, "export", "--site", "hebi-kjj")
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(records) == 8 and proc.stderr.strip() == "8 record(s) exported"
    assert all(r["site"] == "hebi-kjj" and r["text"] and "_id" not in r and "history" not in r for r in records)
    assert all("dedupe" not in r and r["cluster"]["id"] for r in records)     # the signature is the store's own
    assert {r["url"] for r in records} == {json.loads(line)["url"] for line in govnews(
        store, "export", "--site", "hebi-kjj", "--fields", "url").stdout.splitlines()}
    picked = json.loads(govnews(store, "export", "--site", "hebi-kjj", "--fields", "title,first_seen").stdout
                        .splitlines()[0])
    assert list(picked) == ["title", "first_seen"] and picked["first_seen"].startswith("20")


def test_export_csv_gz_with_filters(store, tmp_path):
    out = tmp_path / "hebi.csv.gz"
    proc = govnews(store, "export", "--since", "2024-03-01", "--until", "2024-05-13", "--query", "鹤壁",
                   "-o", str(out))
    assert proc.returncode == 0 and "3 record(s) exported to" in proc.stderr, proc.stderr
    rows = list(csv.DictReader(io.StringIO(gzip.decompress(out.read_bytes()).decode("utf-8"))))
    assert sorted(r["published_at"][:10] for r in rows) == ["2024-03-07", "2024-04-10", "2024-05-13"]
    assert list(rows[0])[:3] == ["url", "title", "published_at"] and rows[0]["text"]
    in_text = govnews(store, "export", "--query", "第203号稿件", "--fields", "title")   # found in the text only
    assert [json.loads(line)["title"] for line in in_text.stdout.splitlines()] == ["鹤壁市科技局召开科技创新专题会议（4）"]
    assert govnews(store, "export", "--since", "2024-3-1").returncode == 2


def test_show_one_record_with_its_versions(store):
    proc = govnews(store, "show", store["changed"])
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "title            鹤壁市科技局召开科技创新专题会议（1）" in out and "earlier versions: 1" in out
    assert "    - 会议强调" in out and "    + 会议指出" in out and "    + 新增的一段：补充说明会议的后续安排。" in out
    as_json = json.loads(govnews(store, "show", store["changed"], "--json").stdout)
    assert len(as_json["history"]) == 1 and as_json["url"] == store["changed"]
    missing = govnews(store, "show", "http://nowhere.gov.cn/x.html")
    assert missing.returncode == 1 and "no stored article" in missing.stderr


def test_sites_lists_last_run_and_health(store):
    for args in (("sites",), ("sites", "health")):
        proc = govnews(store, *args)
        assert proc.returncode == 0, proc.stderr
        rows = {line.split()[0]: line for line in proc.stdout.splitlines() if line and not line.startswith(" ")}
        assert rows["hebi-kjj"].split()[1] == "8" and rows["hebi-kjj"].endswith("ok")
        assert rows["lanzhou-kjj"].endswith("FLAGGED") and rows["zhangye-kjj"].split()[3] == "never"
        assert "  lanzhou-kjj: date_coverage_drop: 0% of records have a publish date (usually 100%)" in proc.stdout
        assert "hostile<b>site</b>*" in rows and "* not in the registry" in proc.stdout


# the command's heap, its modules imported first
MEASURED = ("import sys, tracemalloc; from govnews.cli import build_parser, main; build_parser(); tracemalloc.start(); "
            "code = main(sys.argv[1:]); print(tracemalloc.get_traced_memory()[1], file=sys.stderr); sys.exit(code)")


def test_export_streams_a_large_store_in_constant_memory(mongo_server, mongo_db):
    """36 MB of records exported by a process whose Python heap never holds more than a few."""
    client = pymongo.MongoClient(mongo_server)
    text = "科技创新" * 1000                                     # 4,000 characters, 12 KB in UTF-8
    try:
        for start in range(0, 3000, 500):
            client[mongo_db]["articles"].insert_many(
                [{"_id": f"http://a.gov.cn/{i}.html", "url": f"http://a.gov.cn/{i}.html", "site": "a", "text": text}
                 for i in range(start, start + 500)])
    finally:
        client.close()
    proc = subprocess.run([sys.executable, "-c", MEASURED, "export", "--site", "a", "-o", os.devnull,
                           "--mongo-uri", mongo_server, "--db", mongo_db], cwd=REPO, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[0] == f"3000 record(s) exported to {os.devnull}"
    peak = int(lines[-1])
    assert peak < 12 * 1024 * 1024, f"{peak / 2**20:.1f} MiB for 36 MB of records"


def test_sites_list_shows_the_registry_with_last_runs(store):
    proc = govnews(store, "sites", "list")
    assert proc.returncode == 0, proc.stderr
    rows = {line.split()[0]: line.split() for line in proc.stdout.splitlines()[2:] if line and not line.startswith(" ")}
    assert rows["hebi-kjj"][1:4] == ["shipped", "hanweb", "never"]      # never checked
    assert rows["hebi-kjj"][4] != "never" and rows["zhangye-kjj"][4] == "never"   # last run
    assert rows["most"][-1] == "/kjbgz/index.html"                      # its column, by path
