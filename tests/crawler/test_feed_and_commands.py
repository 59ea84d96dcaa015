"""`scrapy crawl ... -O out.jsonl`, `-a start_url=`, `govnews refresh` (lock, failures, summary)
and `govnews demo`."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from crawler.runner import REPO
from govnews import refresh_cmd


def test_feed_export_beside_mongo(crawl, manifests, crawl_db, tmp_path):
    db_name, db = crawl_db
    out = tmp_path / "out.jsonl"
    result = crawl("gansu-kjt", db=db_name, output=str(out))
    assert result.failure is None
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert sorted(r["url"] for r in rows) == sorted(manifests["gansu-kjt"]["articles"])
    assert all(r["status"] == "ok" and r["title"] and r["published_at"] and r["text"] for r in rows)
    assert db["articles"].count_documents({}) == len(rows)


def test_unregistered_start_url_with_generic_rules(crawl, manifests, tmp_path):
    out = tmp_path / "out.jsonl"
    result = crawl(start_url="http://kjt.gxzf.gov.cn/dtxx_59277/kjdt/index.html", db="unused",
                   output=str(out), GOVNEWS_MONGO_ENABLED=False)
    assert result.returncode == 0
    urls = {json.loads(line)["url"] for line in out.read_text("utf-8").splitlines()}
    assert urls == set(manifests["guangxi-kjt"]["articles"])


def run_refresh(args, fixture_server, crawl_mongo_uri, tmp_path, **popen):
    env = {**os.environ, "http_proxy": fixture_server.proxy_url, "no_proxy": "",
           "GOVNEWS_MONGO_URI": crawl_mongo_uri, "GOVNEWS_DATA_DIR": str(tmp_path)}
    cmd = [sys.executable, "-m", "govnews.refresh_cmd", *args]
    return subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=300, **popen)


def test_refresh_summary_and_failed_site(fixture_server, crawl_mongo_uri, tmp_path):
    registry = json.loads((REPO / "crawler/sites/registry.json").read_text("utf-8"))
    sites = [s for s in registry["sites"] if s["name"] == "henan-kjt"]
    sites.append({"name": "gone", "cms": "trs", "allowed_domains": ["kjj.nowhere.gov.cn"],
                  "start_urls": ["http://kjj.nowhere.gov.cn/index.html"]})
    reg = tmp_path / "registry.json"
    reg.write_text(json.dumps({"sites": sites}), "utf-8")
    proc = run_refresh(["--registry", str(reg), "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
                        "-s", "RETRY_TIMES=0", "-s", "GOVNEWS_MONGO_DB=refresh_test"],
                       fixture_server, crawl_mongo_uri, tmp_path)
    assert proc.returncode == 1, proc.stderr
    lines = {line.split()[0]: line.split() for line in proc.stdout.splitlines() if line.split()}
    assert lines["henan-kjt"][1] == "ok" and lines["gone"][1] == "FAILED"
    assert "gone" in proc.stderr


def test_refresh_lock_prevents_overlap(tmp_path):
    lock = tmp_path / "refresh.lock"
    with refresh_cmd.exclusive_lock(lock):
        with pytest.raises(BlockingIOError):
            with refresh_cmd.exclusive_lock(lock):
                pass
        proc = subprocess.run([sys.executable, "-m", "govnews.refresh_cmd", "--lock", str(lock), "--sites", "most"],
                              cwd=REPO, capture_output=True, text=True, timeout=60)
        assert proc.returncode == refresh_cmd.EXIT_LOCKED and "holds" in proc.stderr


def test_demo_crawls_bundled_sites(crawl_mongo_uri, tmp_path):
    env = {**os.environ, "GOVNEWS_DATA_DIR": str(tmp_path), "GOVNEWS_MONGO_URI": crawl_mongo_uri}
    env.pop("http_proxy", None)
    proc = subprocess.run([sys.executable, "-m", "govnews.demo_cmd", "--sites", "zhangye-kjj", "lanzhou-kjj", "--db", "demo_test"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "zhangye-kjj    10/10 manifest articles in the store (100%)" in proc.stdout
    assert "lanzhou-kjj    9/9 manifest articles in the store (100%)" in proc.stdout


def test_attachment_download_is_optional(crawl, manifests, tmp_path):
    out, files = tmp_path / "out.jsonl", tmp_path / "files"
    result = crawl("zhangye-kjj", db="unused", output=str(out), GOVNEWS_MONGO_ENABLED=False,
                   GOVNEWS_ATTACHMENTS_DOWNLOAD=True, GOVNEWS_ATTACHMENTS_DIR=str(files))
    assert result.failure is None and result.stat("govnews/attachments/downloaded") == 1
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    [attachment] = [a for r in rows for a in r["attachments"]]
    assert attachment["url"] == manifests["zhangye-kjj"]["attachments"][0]
    assert (files / attachment["path"]).read_bytes().startswith(b"%PDF")
