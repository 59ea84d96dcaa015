"""Finding the page as fetched from a stored record: a saved file (plain or gzip) or a WARC
response record at its offset (one gzip member per record, or an uncompressed file)."""
from __future__ import annotations

import gzip

from govnews.web.rawpage import raw_page
from tests.support.reviewdata import warc_member

PAGE = "<html><body><h1>标题</h1><p>正文</p></body></html>".encode("gbk")


def test_saved_pages_plain_and_gzip(tmp_path):
    (tmp_path / "a.html").write_bytes(PAGE)
    (tmp_path / "b.shtml.gz").write_bytes(gzip.compress(PAGE))
    for name in ("a.html", "b.shtml.gz"):
        found = raw_page({"path": str(tmp_path / name)})
        assert found.body == PAGE and found.text("gb18030").startswith("<html><body><h1>标题</h1>")
    assert raw_page({"path": str(tmp_path / "gone.html")}) is None
    (tmp_path / "notes.txt").write_bytes(b"secret")
    assert raw_page({"path": str(tmp_path / "notes.txt")}) is None        # only pages, never any file
    assert raw_page({"path": "/etc/passwd"}) is None
    assert raw_page({"url": "http://a.gov.cn/x.html"}) is None


def test_warc_records_at_their_offset(tmp_path):
    first = warc_member("http://a.gov.cn/1.html", b"<html>first</html>")
    second = warc_member("http://a.gov.cn/2.html", PAGE)
    (tmp_path / "crawl.warc.gz").write_bytes(first + second)
    found = raw_page({"warc": {"file": "crawl.warc.gz", "offset": len(first)}}, tmp_path)
    assert found.body == PAGE and found.source.endswith(f"crawl.warc.gz@{len(first)}")
    assert raw_page({"warc": {"file": str(tmp_path / "crawl.warc.gz"), "offset": 0}}).body == b"<html>first</html>"
    plain = gzip.decompress(first) + gzip.decompress(second)                # an uncompressed .warc
    (tmp_path / "crawl.warc").write_bytes(plain)
    assert raw_page({"warc": {"file": "crawl.warc", "offset": len(gzip.decompress(first))}}, tmp_path).body == PAGE
    assert raw_page({"warc": {"file": "crawl.warc.gz", "offset": 5}}, tmp_path) is None     # not a record start
    assert raw_page({"warc": {"file": "missing.warc.gz", "offset": 0}}, tmp_path) is None


def test_chunked_bodies_and_non_response_records(tmp_path):
    http = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<html\r\n8\r\n>ok</htm\r\n2\r\nl>\r\n0\r\n\r\n"
    head = (f"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: http://a.gov.cn/c.html\r\n"   # required in a response
            f"Content-Length: {len(http)}\r\n\r\n").encode()
    request = b"WARC/1.1\r\nWARC-Type: request\r\nContent-Length: 4\r\n\r\nGET \r\n\r\n"
    (tmp_path / "c.warc.gz").write_bytes(gzip.compress(head + http + b"\r\n\r\n") + gzip.compress(request))
    assert raw_page({"warc": {"file": "c.warc.gz", "offset": 0}}, tmp_path).body == b"<html>ok</html>"
    offset = len(gzip.compress(head + http + b"\r\n\r\n"))
    assert raw_page({"warc": {"file": "c.warc.gz", "offset": offset}}, tmp_path) is None
