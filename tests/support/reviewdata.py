"""A store to review: fixture-site articles cleaned by the real cleaner (with their saved pages
as the raw page), an article with an earlier version, a republished copy, runs judged by the
real health logic (one site flagged), and hostile records whose title, text, fields and raw
page carry script payloads.

Used by the web page's tests and by ``python -m tests.support.screenshots``.
"""
from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path
from urllib.parse import urlsplit

from cleaners import clean
from cleaners.record import content_hash
from cleaners.signature import signature
from crawler.health import run_summary
from crawler.runs import record_run
from storage import ArticleStore, RunStore
from storage.dedupe import Dedupe
from tests.support.paths import SITES

# Each payload, if it ever ran, would mark the page (data-pwned on <html>) or open an alert.
MARK = "document.documentElement.setAttribute('data-pwned', '{where}')"
HOSTILE_TITLE = f"<script>{MARK.format(where='title')}</script>攻击<img src=x onerror=\"{MARK.format(where='title-img')}\">"
HOSTILE_TEXT = (f"</div></pre><script>alert('text')</script>正文<svg onload=\"{MARK.format(where='svg')}\"></svg>\n"
                f"<iframe srcdoc=\"<script>parent.{MARK.format(where='srcdoc')}</script>\"></iframe>")
HOSTILE_RAW = (f"<html><head><title>raw</title></head><body><h1 id='rawh'>hostile raw page</h1>"
               f"<script>parent.{MARK.format(where='raw-parent')};{MARK.format(where='raw')};alert('raw')</script>"
               f"<img src=x onerror=\"alert('raw-img')\"><a href=\"javascript:alert('link')\">link</a></body></html>")
HOSTILE_URL = "http://evil.example.gov.cn/2024/t20240501_1.html"
HOSTILE_WARC_URL = "http://evil.example.gov.cn/2024/t20240502_2.html"
T0 = dt.datetime(2024, 9, 1, 8, 0, tzinfo=dt.timezone.utc)


def fixture_records(host: str, site: str, fetched_at: dt.datetime) -> list[dict]:
    """The articles of a fixture site, cleaned from their files, with ``path`` to the file."""
    root = SITES / host
    charset = json.loads((root / "_site.json").read_text("utf-8")).get("charset") if (root / "_site.json").exists() \
        else None
    headers = {"Content-Type": f"text/html; charset={charset}"} if charset else {}
    records = []
    for url in json.loads((root / "_manifest.json").read_text("utf-8"))["articles"]:
        path = root / urlsplit(url).path.lstrip("/")
        if path.is_file():
            record = clean(path.read_bytes(), url=url, headers=headers)
            record.update(site=site, path=str(path), fetched_at=fetched_at.isoformat())
            records.append(record)
    return records


def warc_member(url: str, html: bytes, date: str = "2024-09-01T08:00:00Z") -> bytes:
    """One WARC/1.1 response record as one gzip member, the HTTP body gzip-encoded as sent."""
    body = gzip.compress(html)
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Encoding: gzip\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    head = (f"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\nWARC-Date: {date}\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n").encode()
    return gzip.compress(head + http + b"\r\n\r\n")


def hostile_records(tmp: Path) -> list[dict]:
    """Two records from a hostile site: one with its raw page in a saved file, one in a WARC."""
    tmp.mkdir(parents=True, exist_ok=True)
    page = tmp / "hostile.html"
    page.write_text(HOSTILE_RAW, "utf-8")
    warc = tmp / "crawl-00001.warc.gz"
    before = warc_member("http://evil.example.gov.cn/other.html", b"<html>another page</html>")
    warc.write_bytes(before + warc_member(HOSTILE_WARC_URL, HOSTILE_RAW.encode("utf-8")))
    base = {"title": HOSTILE_TITLE, "text": HOSTILE_TEXT, "site": "hostile<b>site</b>", "status": "ok",
            "source": "<script>alert('source')</script>", "author": "\"><img src=x onerror=alert('author')>",
            "published_at": "2024-05-01T09:30:00+08:00", "text_length": len(HOSTILE_TEXT),
            "warnings": ["low_confidence: 0.31 < 0.7", "<script>alert('warning')</script>"],
            "extraction": {"confidence": 0.31, "signals": {"note": "<script>alert('signal')</script>"}},
            "attachments": [{"name": "<script>alert('att')</script>", "url": "javascript:alert('att-link')"}],
            "encoding": {"used": "utf-8"}, "fetched_at": T0.isoformat()}
    return [{**base, "url": HOSTILE_URL, "canonical_url": HOSTILE_URL, "path": str(page),
             "content_hash": content_hash(HOSTILE_TITLE, HOSTILE_TEXT)},
            {**base, "url": HOSTILE_WARC_URL, "canonical_url": HOSTILE_WARC_URL, "title": "WARC " + HOSTILE_TITLE,
             "content_hash": content_hash("WARC " + HOSTILE_TITLE, HOSTILE_TEXT),
             "warc": {"file": warc.name, "offset": len(before)}}]


def _runs(runs: RunStore, site: str, figures: list[dict]) -> None:
    for i, extra in enumerate(figures):
        started = T0 + dt.timedelta(days=i)
        stats = {"govnews/spider/list_pages": 3, "govnews/spider/article_links": 10,
                 "govnews/spider/article_pages": 9, "govnews/mongo/inserted": 9 if i == 0 else 1,
                 "govnews/quality/records": 9, "govnews/quality/with_date": 9, "govnews/quality/with_source": 9,
                 "govnews/quality/with_title": 9, "govnews/clean/status/ok": 9,
                 "govnews/quality/median_text_length": 270, **extra}
        record_run(runs, run_summary(stats, site=site, failure=None, started_at=started,
                                     finished_at=started + dt.timedelta(seconds=12)), 50)


def load_review_store(uri: str, db: str, tmp: Path) -> dict:
    """Fill database ``db`` at ``uri``; returns the keys the tests look at."""
    hebi = fixture_records("kjj.hebi.gov.cn", "hebi-kjj", T0)
    lanzhou = fixture_records("kjj.lanzhou.gov.cn", "lanzhou-kjj", T0)
    changed = dict(hebi[0])
    changed.update(text=hebi[0]["text"].replace("会议强调", "会议指出") + "\n新增的一段：补充说明会议的后续安排。",
                   fetched_at=(T0 + dt.timedelta(days=3)).isoformat())
    changed["content_hash"] = content_hash(changed["title"], changed["text"])
    copy = {**hebi[1], "url": "http://www.example.gov.cn/zt/copy.html", "canonical_url": None, "site": "most",
            "path": None}
    note = "编者按：本文转载自鹤壁市科技局网站，转载时有删节。\n"
    edited = {**copy, "url": "http://www.example.gov.cn/zt/edited.html", "text": note + hebi[1]["text"],
              "content_hash": content_hash(hebi[1]["title"], note + hebi[1]["text"])}
    hostile = hostile_records(tmp)
    with ArticleStore.from_uri(uri, db=db, dedupe=Dedupe(signature)) as store:
        store.upsert_many(hebi + lanzhou + [copy, edited] + hostile)
        store.upsert_many([changed])
        runs = RunStore(store.client[db])
        _runs(runs, "hebi-kjj", [{}, {}, {}])
        # lanzhou-kjj: the template changed before its third run: the body moved, dates gone
        _runs(runs, "lanzhou-kjj", [{}, {}, {"govnews/quality/with_date": 0, "govnews/quality/median_text_length": 40}])
        RunStore(store.client[db]).add({"site": hostile[0]["site"], "started_at": T0, "status": "failed",
                                        "failure": "HTTP 500 on <script>alert('failure')</script>", "records": 0,
                                        "flags": [{"flag": "failed", "message": "<img src=x onerror=alert('flag')>"}]})
    return {"changed": hebi[0]["url"], "copy_of": hebi[1]["url"], "hostile": HOSTILE_URL,
            "hostile_warc": HOSTILE_WARC_URL, "warc_dir": tmp, "flagged_site": "lanzhou-kjj"}
