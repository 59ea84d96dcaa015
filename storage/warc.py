"""Writing WARC/1.1 files: the HTTP exchanges of a crawl, kept so that its pages can be
cleaned again without fetching them again.

:class:`WarcWriter` appends records to size-rotated ``.warc.gz`` files in one folder:

- A page is a ``response`` record (the status line and headers as received, the body as
  received, still content-encoded) followed by the ``request`` record that asked for it;
  an answer 304 to a conditional request is a ``revisit`` record (profile
  *server-not-modified*) that points at the stored copy's response record.
- Every record is its own gzip member, and a page's members go to the file with one
  ``os.write`` before the call returns. A process killed at any moment (SIGKILL included)
  leaves every earlier record whole; at worst a torn last member, which readers
  (:mod:`storage.warcread`) pass over.
- A file is written by one process only and never reopened: its name carries the time, a
  serial number, the process id and the host name. Each file starts with a ``warcinfo``
  record; a new file is started when the current one has reached ``max_bytes``.
- Each write returns the record's position, ``{"file", "offset", "id", "date"}``: the file
  name (relative to the folder), the byte offset of its gzip member, its ``WARC-Record-ID``
  and ``WARC-Date``. Stored records keep it (``warc``) to find their raw pages again.

Files are fsynced when they are closed (rotation, end of crawl), not per record: a killed
process loses nothing the operating system has, a power cut may lose the last records.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d, WarcWriter(d, prefix="doc") as writer:
...     page = HttpExchange("http://kjj.example.gov.cn/a.html", 200,
...                         [("Content-Type", "text/html; charset=utf-8")], "<html>…</html>".encode())
...     position = writer.write_response(page)
...     sorted(position), position["offset"] > 0, [p.suffixes for p in pathlib.Path(d).iterdir()]
(['date', 'file', 'id', 'offset'], True, [['.warc', '.gz']])
"""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import socket
import threading
import time
import zlib
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

DEFAULT_MAX_BYTES = 1_000_000_000
# zlib level of each member. On government pages (../shared/evalset, 150 KB on average)
# level 4 takes 1.4 ms a page and makes 35 KB; level 6 2.2 ms / 34 KB; 9 (the WARC
# library's own) 4.3 ms / 34 KB.
COMPRESSLEVEL = 4
NOT_MODIFIED_PROFILE = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"


def warc_date(when: dt.datetime) -> str:
    """A WARC-Date in whole seconds, UTC.

    >>> warc_date(dt.datetime(2024, 5, 1, 8, 30, 15, 999, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    '2024-05-01T00:30:15Z'
    """
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_warc_date(value: str) -> dt.datetime:
    """A WARC-Date (any precision the format allows) as an aware UTC datetime.

    >>> parse_warc_date("2024-05-01T00:30:15Z").isoformat()
    '2024-05-01T00:30:15+00:00'
    >>> parse_warc_date("2024-05-01T00:30:15.123456789Z").isoformat()
    '2024-05-01T00:30:15.123456+00:00'
    >>> parse_warc_date("2024-05-01").isoformat()
    '2024-05-01T00:00:00+00:00'
    """
    text = value.strip().rstrip("Z")
    if "." in text:
        whole, fraction = text.split(".", 1)
        text = f"{whole}.{fraction[:6].ljust(6, '0')}"
    parsed = dt.datetime.fromisoformat(text)
    return parsed.replace(tzinfo=dt.timezone.utc) if parsed.tzinfo is None else parsed.astimezone(dt.timezone.utc)


@dataclass
class HttpExchange:
    """One HTTP request and its answer, as plain values (no crawler types)."""

    url: str
    status: int
    headers: list[tuple[str, str]]               # response headers as received, in order
    body: bytes = b""                            # as received (still content-encoded)
    protocol: str = "HTTP/1.1"
    method: str = "GET"
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    request_body: bytes = b""
    date: dt.datetime | None = None              # when the answer came; default now

    def status_line(self) -> str:
        try:
            reason = HTTPStatus(self.status).phrase
        except ValueError:
            reason = ""
        return f"{self.status} {reason}".rstrip()

    def request_line(self) -> tuple[str, list[tuple[str, str]]]:
        """The request line and headers, with a Host header when the crawler did not send one."""
        parts = urlsplit(self.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = list(self.request_headers)
        if not any(name.lower() == "host" for name, _ in headers):
            headers.insert(0, ("Host", parts.netloc))
        return f"{self.method} {target} {self.protocol}", headers


class WarcWriter:
    """Size-rotated ``.warc.gz`` files in ``directory``, one gzip member per record."""

    def __init__(self, directory: str | os.PathLike, *, prefix: str = "govnews",
                 max_bytes: int = DEFAULT_MAX_BYTES, info: dict | None = None, compresslevel: int = COMPRESSLEVEL):
        self.directory = Path(directory)
        self.prefix = "".join(c if c.isalnum() or c in "-_" else "_" for c in prefix) or "govnews"
        self.max_bytes = max(1, max_bytes)
        self.info = {"software": "govnews", "format": "WARC File Format 1.1",
                     "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
                     "hostname": socket.gethostname(), **(info or {})}
        self.files: list[str] = []          # names of the files this writer made, in order
        self.bytes_written = 0
        self.compresslevel = compresslevel
        self._builder = WARCWriter(None, gzip=False, warc_version="1.1")     # builds records; we gzip each
        self._lock = threading.Lock()
        self._fd: int | None = None
        self._size = 0
        self._warcinfo_id: str | None = None

    def __repr__(self) -> str:
        return f"WarcWriter({str(self.directory)!r}, {len(self.files)} files)"

    def open(self) -> "WarcWriter":
        self.directory.mkdir(parents=True, exist_ok=True)
        return self

    def close(self) -> None:
        with self._lock:
            self._close_file()

    def __enter__(self) -> "WarcWriter":
        return self.open()

    def __exit__(self, *exc) -> None:
        self.close()

    # -- records ---------------------------------------------------------------------------
    def write_response(self, exchange: HttpExchange, extra: dict | None = None) -> dict:
        """Write ``exchange`` as a response record and its request record; the response's position.
        ``extra`` adds WARC header fields to the response record."""
        date = warc_date(exchange.date or dt.datetime.now(dt.timezone.utc))
        response = self._builder.create_warc_record(
            exchange.url, "response", payload=io.BytesIO(exchange.body), length=len(exchange.body),
            http_headers=StatusAndHeaders(exchange.status_line(), exchange.headers, protocol=exchange.protocol),
            warc_headers_dict={"WARC-Date": date, **(extra or {})})
        return self._write_pair(response, exchange, date)

    def write_revisit(self, exchange: HttpExchange, refers_to: dict | None = None,
                      refers_to_uri: str | None = None, extra: dict | None = None) -> dict:
        """Write an answer 304 as a revisit record pointing at ``refers_to`` (a position this
        writer returned earlier: its ``id`` and ``date``), and its request record."""
        date = warc_date(exchange.date or dt.datetime.now(dt.timezone.utc))
        headers = {"WARC-Date": date, "WARC-Profile": NOT_MODIFIED_PROFILE,
                   "WARC-Refers-To-Target-URI": refers_to_uri or exchange.url}
        if refers_to and refers_to.get("date"):
            headers["WARC-Refers-To-Date"] = refers_to["date"]
        if refers_to and refers_to.get("id"):
            headers["WARC-Refers-To"] = refers_to["id"]
        revisit = self._builder.create_warc_record(
            exchange.url, "revisit",
            http_headers=StatusAndHeaders(exchange.status_line(), exchange.headers, protocol=exchange.protocol),
            warc_headers_dict={**headers, **(extra or {})})
        return self._write_pair(revisit, exchange, date)

    def _write_pair(self, record, exchange: HttpExchange, date: str) -> dict:
        line, headers = exchange.request_line()
        body = exchange.request_body or b""
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        request = self._builder.create_warc_record(
            exchange.url, "request", payload=io.BytesIO(body), length=len(body),
            http_headers=StatusAndHeaders(line, headers, is_http_request=True),
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": record_id})
        with self._lock:
            self._ready()
            for rec in (record, request):
                rec.rec_headers.add_header("WARC-Warcinfo-ID", self._warcinfo_id)
            offset = self._append(self._member(record) + self._member(request))   # answer first, as is usual
            return {"file": self.files[-1], "offset": offset, "id": record_id, "date": date}

    def _member(self, record) -> bytes:
        """``record`` as one gzip member."""
        buffer = io.BytesIO()
        self._builder.out = buffer
        self._builder.write_record(record)
        self._builder.out = None
        packer = zlib.compressobj(self.compresslevel, zlib.DEFLATED, zlib.MAX_WBITS | 16)
        return packer.compress(buffer.getvalue()) + packer.flush()

    # -- files -----------------------------------------------------------------------------
    def _ready(self) -> None:
        if self._fd is None or self._size >= self.max_bytes:
            self._close_file()
            self._new_file()

    def _new_file(self) -> None:
        stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime())
        serial = len(self.files)
        while self._fd is None:
            serial += 1
            name = f"{self.prefix}-{stamp}-{serial:05d}-{os.getpid()}-{self.info['hostname']}.warc.gz"
            try:    # never append to a file someone else began (another writer in this process)
                self._fd = os.open(self.directory / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o644)
            except FileExistsError:
                continue
        self._size = 0
        self.files.append(name)
        warcinfo = self._builder.create_warcinfo_record(name, self.info)
        self._warcinfo_id = warcinfo.rec_headers.get_header("WARC-Record-ID")
        self._append(self._member(warcinfo))

    def _append(self, data: bytes) -> int:
        offset = self._size
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(self._fd, view):]
        except OSError:     # e.g. a full disk: what is torn stays at the end of this file
            with contextlib.suppress(OSError):
                self._close_file()
            self._fd = None
            raise
        self._size += len(data)
        self.bytes_written += len(data)
        return offset

    def _close_file(self) -> None:
        if self._fd is not None:
            try:
                os.fsync(self._fd)
            finally:
                os.close(self._fd)
                self._fd = None
