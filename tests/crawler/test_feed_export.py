"""Crawl outputs beside MongoDB: `scrapy crawl ... -O out.jsonl`, `-a start_url=` with the
generic rules, optional attachment download."""
from __future__ import annotations

import json


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


def test_attachment_download_is_optional(crawl, manifests, tmp_path):
    out, files = tmp_path / "out.jsonl", tmp_path / "files"
    result = crawl("zhangye-kjj", db="unused", output=str(out), GOVNEWS_MONGO_ENABLED=False,
                   GOVNEWS_ATTACHMENTS_DOWNLOAD=True, GOVNEWS_ATTACHMENTS_DIR=str(files))
    assert result.failure is None and result.stat("govnews/attachments/downloaded") == 1
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    [attachment] = [a for r in rows for a in r["attachments"]]
    assert attachment["url"] == manifests["zhangye-kjj"]["attachments"][0]
    assert (files / attachment["path"]).read_bytes().startswith(b"%PDF")
