"""The WARC files storage writes and reads: a standard reader validates them, each record is
a gzip member of its own, files rotate by size, a torn last record is passed over, bodies
come back with their Content-Encoding undone and bounded."""
from __future__ import annotations

import datetime as dt
import gzip
import io
import zlib

import brotli
import pytest
from backports import zstd
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storage.warc import NOT_MODIFIED_PROFILE, HttpExchange, WarcWriter
from storage.warcread import WarcReadError, read_http, scan
from tests.support.warcfiles import article_page, html_answer, warc_files, warcio_check, write_warc

URL = "http://kjj.example.gov.cn/kjdt/202403/t20240301_{}.html"


def test_a_standard_reader_validates_the_files_and_each_record_is_its_own_gzip_member(tmp_path):
    positions = write_warc(tmp_path, [html_answer(URL.format(i), article_page(i), gzipped=i % 2 == 0)
                                      for i in range(6)])
    [path] = warc_files(tmp_path)
    check = warcio_check([path])
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count("digest pass") == 1 + 2 * 6        # warcinfo, then response + request per page

    listed = scan(path)
    assert listed.problem is None and listed.damaged == 0
    assert [r.type for r in listed.records] == ["warcinfo"] + ["response", "request"] * 6
    assert [r.offset for r in listed.records if r.type == "response"] == [p["offset"] for p in positions]
    data = path.read_bytes()
    starts = [r.offset for r in listed.records] + [len(data)]
    for start, end in zip(starts, starts[1:]):       # a member starts at each record and ends at the next
        member = zlib.decompressobj(zlib.MAX_WBITS | 16)
        member.decompress(data[start:])
        assert member.eof and len(data) - len(member.unused_data) == end


def test_the_standard_check_fails_on_a_changed_byte(tmp_path):
    """So that a passing check means something: one payload byte changed fails it."""
    [position] = write_warc(tmp_path, [html_answer(URL.format(1), article_page(1))])
    [path] = warc_files(tmp_path)
    data = path.read_bytes()
    start = position["offset"]
    member = zlib.decompressobj(zlib.MAX_WBITS | 16)
    record = member.decompress(data[start:])
    end = len(data) - len(member.unused_data)
    spoiled = record.replace("第3段".encode(), "第4段".encode())
    assert spoiled != record
    path.write_bytes(data[:start] + gzip.compress(spoiled) + data[end:])
    assert warcio_check([path]).returncode != 0
    assert scan(path).damaged == 1


def test_files_rotate_by_size_and_each_starts_with_warcinfo(tmp_path):
    positions = write_warc(tmp_path, [html_answer(URL.format(i), article_page(i)) for i in range(8)],
                           prefix="govnews-test", max_bytes=3000)
    files = warc_files(tmp_path)
    assert 3 <= len(files) <= 8
    assert {p["file"] for p in positions} == {f.name for f in files}
    for path in files:
        listed = scan(path)
        assert listed.records[0].type == "warcinfo" and listed.problem is None
        assert path.name.startswith("govnews-test-") and path.stat().st_size < 3000 + 2000
    for i, position in enumerate(positions):
        answer = read_http(tmp_path / position["file"], position["offset"])
        assert answer.uri == URL.format(i) and answer.body == article_page(i) and answer.status == 200


@pytest.mark.parametrize("cut", [1, 30, 200, 0.5, -40, -9, "request"])
def test_a_torn_last_record_is_passed_over(tmp_path, cut):
    """A writer killed mid-write leaves part of its last gzip member: readers list the whole
    records before it and read them back, never a shortened one, and say where reading
    stopped. Cuts: into the last response's member (from its start, half-way, from its
    end: -9 leaves all but the gzip trailer), or into the request record after it."""
    positions = write_warc(tmp_path, [html_answer(URL.format(i), article_page(i)) for i in range(3)])
    [path] = warc_files(tmp_path)
    data = path.read_bytes()
    last = positions[-1]["offset"]
    request = next(r.offset for r in scan(path).records if r.offset > last)    # the last response ends here
    if cut == "request":
        size = request + 50
    elif isinstance(cut, float):
        size = int(last + (request - last) * cut)
    else:
        size = last + cut if cut > 0 else request + cut
    path.write_bytes(data[:size])
    listed = scan(path)
    assert listed.problem is not None
    responses = [r.offset for r in listed.records if r.type == "response"]
    assert responses[:2] == [p["offset"] for p in positions[:2]]
    assert responses[2:] in ([], [last])
    if cut in (1, 30, 200, 0.5, -40):
        assert responses[2:] == []
    if cut == "request":
        assert responses[2:] == [last]
    for i, offset in enumerate(responses):
        assert read_http(path, offset).body == article_page(i)
    if last not in responses:
        with pytest.raises(WarcReadError):
            read_http(path, last)


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "zstd", "identity"])
def test_bodies_come_back_with_their_content_encoding_undone(tmp_path, encoding):
    body = article_page(7)
    encoded = {"gzip": gzip.compress, "deflate": zlib.compress, "br": brotli.compress,
               "zstd": zstd.compress, "identity": bytes}[encoding](body)
    answer = HttpExchange(URL.format(7), 200, [("Content-Type", "text/html"), ("Content-Encoding", encoding)], encoded)
    [position] = write_warc(tmp_path, [answer])
    read = read_http(warc_files(tmp_path)[0], position["offset"])
    assert read.body == body and read.headers["Content-Encoding"] == encoding


def test_a_compression_bomb_is_refused_within_the_limit(tmp_path):
    bomb = gzip.compress(b"<html>" + b" " * (20 * 1024 * 1024))
    answer = HttpExchange(URL.format(8), 200, [("Content-Type", "text/html"), ("Content-Encoding", "gzip")], bomb)
    [position] = write_warc(tmp_path, [answer])
    with pytest.raises(WarcReadError, match="exceeds 1 MiB"):
        read_http(warc_files(tmp_path)[0], position["offset"], limit=1024 * 1024)


def test_a_304_is_a_revisit_pointing_at_the_stored_copy(tmp_path):
    with WarcWriter(tmp_path) as writer:
        original = writer.write_response(html_answer(URL.format(1), article_page(1)))
        revisit = writer.write_revisit(HttpExchange(URL.format(1), 304, [("ETag", '"x"')],
                                                    request_headers=[("If-None-Match", '"x"')]), refers_to=original)
    [path] = warc_files(tmp_path)
    assert warcio_check([path]).returncode == 0
    rec = {r.offset: r for r in scan(path).records}[revisit["offset"]]
    assert rec.type == "revisit" and rec.status == 304 and rec.uri == URL.format(1)
    assert rec.fields["WARC-Refers-To"] == original["id"]
    assert rec.fields["WARC-Refers-To-Date"] == original["date"]
    assert rec.fields["WARC-Refers-To-Target-URI"] == URL.format(1)
    assert rec.fields["WARC-Profile"] == NOT_MODIFIED_PROFILE
    with pytest.raises(WarcReadError, match="revisit record"):
        read_http(path, revisit["offset"])


def test_dates_are_whole_seconds_utc(tmp_path):
    when = dt.datetime(2024, 3, 1, 9, 30, 15, 123456, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    [position] = write_warc(tmp_path, [html_answer(URL.format(1), article_page(1), date=when)])
    assert position["date"] == "2024-03-01T01:30:15Z"
    assert read_http(warc_files(tmp_path)[0], position["offset"]).date == "2024-03-01T01:30:15Z"


def test_an_uncompressed_warc_from_another_tool_reads_too(tmp_path):
    path = tmp_path / "other.warc"
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=False)
        for i in range(3):
            body = article_page(i)
            writer.write_record(writer.create_warc_record(
                URL.format(i), "response", payload=io.BytesIO(body), length=len(body),
                http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                              protocol="HTTP/1.0")))
    listed = scan(path)
    assert listed.problem is None and [r.type for r in listed.records] == ["response"] * 3
    assert [read_http(path, r.offset).body for r in listed.records] == [article_page(i) for i in range(3)]
    path.write_bytes(path.read_bytes()[:-500])
    torn = scan(path)
    assert len(torn.records) == 2 and torn.problem
