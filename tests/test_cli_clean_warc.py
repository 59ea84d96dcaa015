"""`govnews clean` on WARC files (the installed console script): HTML answers become records
with the URL and date of their record, the later pages of an archived multi-page article are
merged, revisits resolve to their original, the rest is counted and skipped, a torn file is
read up to the tear; directories and globs find WARC files beside HTML files."""
from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pymongo
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storage.warc import HttpExchange, WarcWriter
from tests.support.warcfiles import article_page, html_answer
from tests.test_cli_clean import read_jsonl, run_clean, write

GOVNEWS = shutil.which("govnews", path=str(Path(sys.executable).parent)) or "govnews"
SITE = "http://kjj.example.gov.cn/kjdt/202403/"
DAY = dt.datetime(2024, 3, 20, 2, 0, tzinfo=dt.timezone.utc)


def at(minutes: int) -> dt.datetime:
    return DAY + dt.timedelta(minutes=minutes)


def crawl_archive(directory: Path) -> dict:
    """Two WARC files as a crawl writes them: articles (one gzipped, one in GBK, one on three
    pages), a list page, a PDF, a 404; in the second file revisits (one of an article of the
    first file, one of a page never archived) and a record torn by a kill."""
    with WarcWriter(directory, prefix="crawl-a") as writer:
        one = writer.write_response(html_answer(SITE + "t1.html", article_page(1), gzipped=True, date=at(1)),
                                    extra={"GovNews-Kind": "article"})
        gbk = writer.write_response(html_answer(SITE + "t2.html", article_page(2).decode().replace(
            "charset='utf-8'", "charset='gbk'").encode("gbk"), content_type="text/html; charset=GBK", date=at(2)))
        first = writer.write_response(html_answer(SITE + "t3.html", article_page(3), date=at(3)),
                                      extra={"GovNews-Kind": "article"})
        writer.write_response(html_answer(SITE + "index.html", b"<html><body><a href='t1.html'>1</a></body></html>"),
                              extra={"GovNews-Kind": "list"})
        parts = [writer.write_response(html_answer(SITE + f"t3_{n}.html", article_page(30 + n), date=at(3)),
                                       extra={"GovNews-Kind": "article_part", "GovNews-Part-Of": first["id"]})
                 for n in (1, 2)]
        writer.write_response(html_answer(SITE + "P020240301.pdf", b"%PDF-1.4\n", content_type="application/pdf"))
        writer.write_response(html_answer(SITE + "gone.html", b"<html><body>404</body></html>", status=404))
    with WarcWriter(directory, prefix="crawl-b") as writer:
        revisit = writer.write_revisit(HttpExchange(SITE + "t1.html", 304, [("ETag", '"1"')], date=at(60)),
                                       refers_to=one)
        writer.write_revisit(HttpExchange(SITE + "t9.html", 304, [], date=at(61)),
                             refers_to={"id": "<urn:uuid:00000000-0000-0000-0000-000000000000>", "date": "2020-01-01T00:00:00Z"})
        torn = writer.write_response(html_answer(SITE + "t4.html", article_page(4), date=at(62)))
    path = directory / torn["file"]
    path.write_bytes(path.read_bytes()[:torn["offset"] + 300])      # the crawl was killed writing t4
    return {"one": one, "gbk": gbk, "first": first, "parts": parts, "revisit": revisit}


def by_url_and_date(records: list[dict]) -> dict[tuple, dict]:
    return {(r["url"], r["fetched_at"]): r for r in records}


def test_clean_reads_a_crawl_archive(tmp_path):
    archive = crawl_archive(tmp_path / "warc")
    out = tmp_path / "out.jsonl"
    proc = run_clean(tmp_path / "warc", "-o", out)
    assert proc.returncode == 0, proc.stderr
    records = by_url_and_date(read_jsonl(out))
    assert set(records) == {(SITE + "t1.html", "2024-03-20T02:01:00+00:00"), (SITE + "t2.html", "2024-03-20T02:02:00+00:00"),
                            (SITE + "t3.html", "2024-03-20T02:03:00+00:00"), (SITE + "t1.html", "2024-03-20T03:00:00+00:00")}
    assert all(r["status"] == "ok" for r in records.values())

    one = records[(SITE + "t1.html", "2024-03-20T02:01:00+00:00")]
    assert one["title"] == "测试市科学技术局科技工作动态第1期" and "第1号通知第6段" in one["text"]
    assert one["warc"] == {**archive["one"], "file": str((tmp_path / "warc" / archive["one"]["file"]).resolve())}
    assert Path(one["path"]).name == archive["one"]["file"]

    assert "第2号通知" in records[(SITE + "t2.html", "2024-03-20T02:02:00+00:00")]["text"]      # GBK by its header

    merged = records[(SITE + "t3.html", "2024-03-20T02:03:00+00:00")]
    assert merged["pages"] == 3 and all(f"第{n}号通知" in merged["text"] for n in (3, 31, 32))
    assert [p["offset"] for p in merged["warc"]["parts"]] == [p["offset"] for p in archive["parts"]]

    again = records[(SITE + "t1.html", "2024-03-20T03:00:00+00:00")]                 # the revisit
    assert again["text"] == one["text"] and again["warc"] == one["warc"]
    assert Path(again["path"]).name == archive["revisit"]["file"]

    assert "is cut short" in proc.stderr or "ends early" in proc.stderr or "no whole record" in proc.stderr
    assert ("WARC input: 10 records in 2 file(s) → 4 articles; skipped: 1 list pages, 1 not HTML, 1 not 2xx, "
            "1 revisits whose original is not in the input") in proc.stderr
    assert "4 pages in" in proc.stderr and "4 ok" in proc.stderr


def test_workers_give_the_same_records(tmp_path):
    crawl_archive(tmp_path / "warc")
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.jsonl"
        assert run_clean(tmp_path / "warc", "-o", out, "-j", jobs).returncode == 0
        outs.append([{k: v for k, v in r.items() if k != "clean_ms"} for r in read_jsonl(out)])
    assert outs[0] == outs[1] and len(outs[0]) == 4


def test_directories_and_globs_find_warc_files_beside_html(tmp_path):
    warc = tmp_path / "mixed" / "warc"
    crawl_archive(warc)
    write(tmp_path / "mixed" / "saved" / "t20240301_7.html", article_page(7))
    write(tmp_path / "mixed" / "saved" / "notes.txt", b"x")
    out = tmp_path / "out.jsonl"
    assert run_clean(tmp_path / "mixed", "-o", out).returncode == 0
    assert len(read_jsonl(out)) == 5
    assert run_clean(f"{tmp_path}/mixed/**/crawl-a-*.warc.gz", "-o", out).returncode == 0
    assert {r["url"] for r in read_jsonl(out)} == {SITE + "t1.html", SITE + "t2.html", SITE + "t3.html"}


def test_a_warc_of_another_tool_with_digest_revisits(tmp_path):
    """An uncompressed WARC as other archivers write it: chunked bodies kept as sent, a revisit
    known only by its payload digest (profile identical-payload-digest)."""
    path = tmp_path / "other.warc"
    body = article_page(5)
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 700]), body[i:i + 700]) for i in range(0, len(body), 700))
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=False, warc_version="1.0")
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                              ("Transfer-Encoding", "chunked")], protocol="HTTP/1.1")
        response = writer.create_warc_record(SITE + "t5.html", "response", payload=io.BytesIO(chunked),
                                             length=len(chunked), http_headers=headers,
                                             warc_headers_dict={"WARC-Date": "2024-03-01T00:00:00Z"})
        writer.write_record(response)
        digest = response.rec_headers.get_header("WARC-Payload-Digest")
        writer.write_record(writer.create_revisit_record(
            SITE + "t5.html", digest, SITE + "t5.html", "2024-03-01T00:00:00Z",
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"),
            warc_headers_dict={"WARC-Date": "2024-04-01T00:00:00Z"}))
    out = tmp_path / "out.jsonl"
    proc = run_clean(path, "-o", out)
    assert proc.returncode == 0, proc.stderr
    records = read_jsonl(out)
    assert [(r["url"], r["fetched_at"], r["status"]) for r in records] == [
        (SITE + "t5.html", "2024-03-01T00:00:00+00:00", "ok"), (SITE + "t5.html", "2024-04-01T00:00:00+00:00", "ok")]
    assert records[0]["title"] == "测试市科学技术局科技工作动态第5期" and records[0]["text"] == records[1]["text"]


def test_stored_from_warc_once_with_where_the_pages_are(tmp_path, mongo_server, mongo_db):
    crawl_archive(tmp_path / "warc")
    env = {"GOVNEWS_DATA_DIR": str(tmp_path / "data")}
    for _ in range(2):
        proc = run_clean(tmp_path / "warc", "--mongo-uri", mongo_server, "--db", mongo_db, env=env)
        assert proc.returncode == 0, proc.stderr
    assert "0 new, 0 updated, 4 unchanged" in proc.stderr
    client = pymongo.MongoClient(mongo_server, tz_aware=True)
    try:
        docs = list(client[mongo_db]["articles"].find())
    finally:
        client.close()
    assert len(docs) == 3 and all(os.path.isabs(d["warc"]["file"]) for d in docs)
    t1 = next(d for d in docs if d["url"] == SITE + "t1.html")
    assert t1["fetched_at"] == dt.datetime(2024, 3, 20, 2, 1, tzinfo=dt.timezone.utc)   # the first copy; seen again later
    assert t1["last_seen"] > t1["fetched_at"]


def test_only_non_html_in_a_warc_is_no_error(tmp_path):
    with WarcWriter(tmp_path) as writer:
        writer.write_response(html_answer(SITE + "a.pdf", b"%PDF-1.4\n", content_type="application/pdf"))
    proc = subprocess.run([GOVNEWS, "clean", str(tmp_path), "-o", str(tmp_path / "o.jsonl")], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0 and "nothing cleaned; WARC input: 1 records in 1 file(s) → 0 articles" in proc.stderr
