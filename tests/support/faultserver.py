"""A loopback HTTP server (and HTTP proxy) that misbehaves on purpose, for crawl tests.

Like :mod:`crawler.fixtureserver` it answers both direct requests (Host header) and proxied
ones (absolute URL in the request line), so a crawl run with ``http_proxy`` pointing here can
use made-up government host names. It runs in a thread of the test process, on 127.0.0.1
port 0, as a context manager; every wait inside it is bounded (a hang ends by itself after
``hang_seconds``, a drip after its last byte, a stream when the client goes away or after
``stream_seconds``) and :meth:`FaultServer.stop` ends them all at once.

Pages, the same on every host (``PAGES`` maps a path to its behaviour):

- ``/kjdt/index.html`` lists every fault page (:data:`FAULT_PAGES`);
  ``/safety/index.html`` lists the safety pages (:data:`SAFETY_PAGES`), links that must
  never be followed (:data:`FORBIDDEN_LINKS`: off-site, look-alike host, ``file:``,
  ``data:``) and, on ``SAFETY_HOST`` only, the two 40 MiB pages (:data:`BIG_PAGES`).
- ``ok``: a small Chinese article (its headline names the path, so records are traceable);
  ``flaky``: 503 on the first request, then the article; ``retry_after``: 429 with
  ``Retry-After: 2`` on the first request, then the article; ``drip``: the article in pieces
  over about a second (fetchable with a few seconds' timeout).
- ``500``, ``503``, ``429_long`` (``Retry-After: 3600``) every time; ``reset`` (TCP RST via
  ``SO_LINGER 0`` right after reading the request); ``hang`` (headers, then nothing for
  ``hang_seconds``); ``truncated`` (Content-Length larger than the body sent);
  ``bad_chunked`` (one good chunk, then a chunk size that is not hex); ``drip_slow`` (a
  byte-run every 0.5 s, 30 s in total); ``big`` / ``big_chunked`` (40 MiB streamed with /
  without a Content-Length, generated on the fly); ``redirect_offsite`` /
  ``redirect_file`` / ``redirect_data`` (302 to another host, ``file:///etc/passwd``, a
  ``data:`` URL); ``refresh_offsite`` (a ``<meta http-equiv=refresh>`` to another host).

``/robots.txt`` depends on the host's first label (:data:`ROBOTS`): ``robots-5xx`` answers
503, ``robots-garbage`` an HTML page and binary junk, ``robots-mixed`` junk around a valid
``Disallow: /private/`` group, ``robots-404`` 404, ``robots-reset`` a TCP reset; any other
host ``User-agent: *`` / ``Disallow: /private/``.

Every request is recorded (:meth:`FaultServer.requests`): time, host, path, behaviour and,
for bodies, the bytes actually written before the client went away.
"""
from __future__ import annotations

import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

MiB = 1024 * 1024
FAULT_HOST = "kjj.faults.example.gov.cn"
SAFETY_HOST = "kjj.safety.example.gov.cn"
OFFSITE_HOST = "offsite.example.com"
LOOKALIKE_HOST = "kjj.safety.example.gov.cn.evil.example.com"


def _article_path(section: str, n: int) -> str:
    return f"/{section}/202302/t20230221_{n}.html"


# path → behaviour. Article-shaped URLs so the real spider requests them from a list page.
FAULT_PAGES = {
    _article_path("kjdt", 1): "ok",
    _article_path("kjdt", 2): "ok",
    _article_path("kjdt", 3): "ok",
    _article_path("kjdt", 4): "flaky",
    _article_path("kjdt", 5): "retry_after",
    _article_path("kjdt", 6): "drip",
    _article_path("kjdt", 50): "500",
    _article_path("kjdt", 51): "503",
    _article_path("kjdt", 52): "429_long",
    _article_path("kjdt", 53): "reset",
    _article_path("kjdt", 54): "hang",
    _article_path("kjdt", 55): "truncated",
    _article_path("kjdt", 56): "bad_chunked",
    _article_path("kjdt", 57): "drip_slow",
}
FETCHABLE = frozenset({"ok", "flaky", "retry_after", "drip"})   # behaviours that end in an article

SAFETY_PAGES = {
    _article_path("safety", 1): "ok",
    _article_path("safety", 2): "ok",
    _article_path("private", 3): "ok",              # Disallow: /private/ on most hosts
    _article_path("safety", 4): "redirect_offsite",
    _article_path("safety", 5): "redirect_file",
    _article_path("safety", 6): "redirect_data",
    _article_path("safety", 7): "refresh_offsite",
}
BIG_PAGES = {   # listed on SAFETY_HOST only
    _article_path("safety", 8): "big",
    _article_path("safety", 9): "big_chunked",
}
# Linked from the safety list, never to be fetched.
FORBIDDEN_LINKS = [
    f"http://{OFFSITE_HOST}{_article_path('kjdt', 1)}",
    f"http://{LOOKALIKE_HOST}{_article_path('kjdt', 2)}",
    "file:///etc/passwd",
    "file:///work/t20230221_1.html",
    "data:text/html;charset=utf-8,%3Ch1%3E%E7%A7%91%E6%8A%80%3C%2Fh1%3E",
]

PAGES = {**FAULT_PAGES, **SAFETY_PAGES, **BIG_PAGES,
         "/kjdt/index.html": "fault_list", "/safety/index.html": "safety_list"}

ROBOTS_DEFAULT = b"User-agent: *\nDisallow: /private/\n"
ROBOTS_GARBAGE = (b"<!DOCTYPE html><html><head><title>\xe7\xbd\x91\xe7\xab\x99\xe7\xbb\xb4\xe6\x8a\xa4</title>"
                  b"</head><body><p>\xff\xfe\x00\x01 Allow-ish: maybe\n\x00\x00\xc3\x28</p>\n"
                  + bytes(range(256)) + b"\n</body></html>\n")
ROBOTS_MIXED = (b"\xef\xbb\xbf\x00\xff garbage line\n<html>\n" + bytes(range(1, 32)) + b"\n"
                b"User-agent: *\nDisallow: /private/\n\xc3\x28\xa0\xa1 more junk\n")
ROBOTS = {  # host's first label → (status, body); "reset" closes with an RST
    "robots-5xx": (503, b"<html><body>503 Service Unavailable</body></html>"),
    "robots-garbage": (200, ROBOTS_GARBAGE),
    "robots-mixed": (200, ROBOTS_MIXED),
    "robots-404": (404, b"<html><body>404</body></html>"),
    "robots-reset": ("reset", b""),
}

BIG_SIZE = 40 * MiB
STREAM_CHUNK = 64 * 1024


def article_html(path: str) -> bytes:
    """A small Chinese government article whose headline carries ``path``'s number."""
    n = path.rsplit("_", 1)[-1].split(".")[0]
    section = path.strip("/").split("/")[0]
    title = f"市科技局召开科技创新工作推进会（{section}第{n}号）"
    paras = "".join(
        f"<p>会议强调，要深入实施创新驱动发展战略，加快建设科技强市，第{n}号稿件第{i}段记录了"
        f"市科技局在科技创新工作中的具体举措与成效，推动科技成果加快转化为现实生产力。</p>\n"
        for i in range(1, 5))
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{title}_市科学技术局</title>\n'
            f'<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="2023-02-21 09:30">\n'
            f'<meta name="ContentSource" content="市科技局"></head><body>\n'
            f'<div class="nav"><a href="/">首页</a> <a href="/kjdt/">科技动态</a></div>\n'
            f'<div class="article"><h1>{title}</h1>\n<div class="info">发布时间：2023-02-21 来源：市科技局</div>\n'
            f'<div class="TRS_Editor">\n{paras}</div></div>\n'
            f'<div class="footer">主办单位：市科学技术局 版权所有</div></body></html>\n').encode("utf-8")


def list_html(title: str, links: list[str]) -> bytes:
    items = "".join(f'<li><a href="{u}">科技动态第{i}条</a><span>2023-02-21</span></li>\n'
                    for i, u in enumerate(links, 1))
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{title}</title></head>'
            f'<body><h2>{title}</h2><ul class="list">\n{items}</ul></body></html>\n').encode("utf-8")


class _Reset(Exception):
    """Raised inside the handler to drop the connection with an RST."""


class FaultHandler(BaseHTTPRequestHandler):
    server_version = "govnews-faults/1"
    protocol_version = "HTTP/1.1"
    timeout = 15            # socket timeout: a stuck client never holds a thread for long

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        parts = urlsplit(self.path)
        host = (parts.netloc if parts.scheme and parts.netloc else self.headers.get("Host", ""))
        host = host.split(":")[0].lower()
        path = parts.path or "/"
        behaviour = self._behaviour(host, path)
        entry = self.server.record(host, path, behaviour)
        try:
            self._answer(host, path, behaviour, entry)
        except _Reset:
            self._reset()
        except (BrokenPipeError, ConnectionResetError, socket.timeout, OSError) as exc:
            entry["client_gone"] = type(exc).__name__
            self.close_connection = True

    do_HEAD = do_GET

    def _behaviour(self, host: str, path: str) -> str:
        if path == "/robots.txt":
            return "robots"
        return PAGES.get(path, "not_found")

    # -- answers ------------------------------------------------------------------------------
    def _answer(self, host: str, path: str, behaviour: str, entry: dict) -> None:
        srv = self.server
        if behaviour == "robots":
            status, body = ROBOTS.get(host.split(".")[0], (200, ROBOTS_DEFAULT))
            if status == "reset":
                raise _Reset
            return self._send(status, body, "text/plain", entry)
        if behaviour == "fault_list":
            return self._send(200, list_html("科技动态", list(FAULT_PAGES)), "text/html; charset=utf-8", entry)
        if behaviour == "safety_list":
            links = list(SAFETY_PAGES) + FORBIDDEN_LINKS + (list(BIG_PAGES) if host == SAFETY_HOST else [])
            return self._send(200, list_html("工作动态", links), "text/html; charset=utf-8", entry)
        if behaviour == "not_found":
            return self._send(404, "<html><body>404 页面不存在</body></html>".encode(), "text/html; charset=utf-8", entry)
        article = article_html(path)
        html = "text/html; charset=utf-8"
        nth = srv.count(host, path)
        if behaviour == "ok":
            return self._send(200, article, html, entry)
        if behaviour == "flaky":
            return self._send(503 if nth == 1 else 200, b"busy" if nth == 1 else article, html, entry)
        if behaviour == "retry_after":
            if nth == 1:
                return self._send(429, b"slow down", "text/plain", entry, {"Retry-After": str(srv.retry_after)})
            return self._send(200, article, html, entry)
        if behaviour == "500":
            return self._send(500, b"<html><body>Internal Server Error</body></html>", html, entry)
        if behaviour == "503":
            return self._send(503, b"<html><body>Service Unavailable</body></html>", html, entry)
        if behaviour == "429_long":
            return self._send(429, b"too many requests", "text/plain", entry, {"Retry-After": "3600"})
        if behaviour == "reset":
            raise _Reset
        if behaviour == "hang":
            self._headers(200, html, {"Content-Length": str(len(article))})
            srv.stopping.wait(srv.hang_seconds)
            self.close_connection = True
            return
        if behaviour == "truncated":
            self._headers(200, html, {"Content-Length": str(len(article) + 5000)})
            self._write(article, entry)
            self.close_connection = True
            return
        if behaviour == "bad_chunked":
            self._headers(200, html, {"Transfer-Encoding": "chunked"})
            half = article[: len(article) // 2]
            self._write(b"%x\r\n%s\r\n" % (len(half), half), entry)
            self._write(b"zz-not-hex\r\n" + article[len(half):] + b"\r\n0\r\n\r\n", entry)
            self.close_connection = True
            return
        if behaviour in ("drip", "drip_slow"):
            pieces, interval = (10, 0.1) if behaviour == "drip" else (60, 0.5)
            self._headers(200, html, {"Content-Length": str(len(article))})
            step = -(-len(article) // pieces)
            for i in range(0, len(article), step):
                self._write(article[i:i + step], entry)
                if srv.stopping.wait(interval):
                    break
            return
        if behaviour in ("big", "big_chunked"):
            return self._stream(behaviour == "big_chunked", entry)
        if behaviour in ("redirect_offsite", "redirect_file", "redirect_data"):
            location = {"redirect_offsite": FORBIDDEN_LINKS[0], "redirect_file": "file:///etc/passwd",
                        "redirect_data": FORBIDDEN_LINKS[-1]}[behaviour]
            return self._send(302, b"", html, entry, {"Location": location})
        if behaviour == "refresh_offsite":
            body = (f'<html><head><meta http-equiv="refresh" content="0; url={FORBIDDEN_LINKS[0]}">'
                    f'</head><body>页面跳转中</body></html>').encode("utf-8")
            return self._send(200, body, html, entry)
        raise AssertionError(behaviour)

    def _stream(self, chunked: bool, entry: dict) -> None:
        """BIG_SIZE bytes of an HTML-ish page generated on the fly (never held in memory)."""
        html = "text/html; charset=utf-8"
        self._headers(200, html, {"Transfer-Encoding": "chunked"} if chunked else {"Content-Length": str(BIG_SIZE)})
        block = ("<p>" + "科技创新" * 5 + "</p>\n").encode("utf-8")
        chunk = (block * (STREAM_CHUNK // len(block) + 1))[:STREAM_CHUNK]
        deadline = time.monotonic() + self.server.stream_seconds
        sent = 0
        self.close_connection = True
        while sent < BIG_SIZE and time.monotonic() < deadline and not self.server.stopping.is_set():
            piece = chunk[: BIG_SIZE - sent]
            self._write(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece, entry)
            sent += len(piece)
            entry["body_sent"] = sent
        if chunked and sent >= BIG_SIZE:
            self._write(b"0\r\n\r\n", entry)

    # -- low level ----------------------------------------------------------------------------
    def _headers(self, status: int, ctype: str | None, headers: dict) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.flush()

    def _write(self, data: bytes, entry: dict) -> None:
        self.wfile.write(data)
        entry["sent"] = entry.get("sent", 0) + len(data)

    def _send(self, status: int, body: bytes, ctype: str | None, entry: dict, headers: dict | None = None) -> None:
        entry["status"] = status
        self._headers(status, ctype, {**(headers or {}), "Content-Length": str(len(body))})
        if self.command != "HEAD":
            self._write(body, entry)

    def _reset(self) -> None:
        """Close the socket so the kernel sends RST instead of FIN."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, *, hang_seconds: float, stream_seconds: float, retry_after: int):
        super().__init__(("127.0.0.1", 0), FaultHandler)
        self.hang_seconds = hang_seconds
        self.stream_seconds = stream_seconds
        self.retry_after = retry_after
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.log: list[dict] = []
        self.started = time.monotonic()

    def record(self, host: str, path: str, behaviour: str) -> dict:
        entry = {"t": round(time.monotonic() - self.started, 3), "host": host, "path": path,
                 "behaviour": behaviour}
        with self.lock:
            self.log.append(entry)
        return entry

    def count(self, host: str, path: str) -> int:
        with self.lock:
            return sum(1 for e in self.log if e["host"] == host and e["path"] == path)


class FaultServer:
    """``with FaultServer() as srv:`` — a misbehaving server on 127.0.0.1 (port 0) in a thread.

    ``srv.proxy_url`` goes into ``http_proxy``; ``srv.url(host, path)`` builds page URLs.
    """

    def __init__(self, *, hang_seconds: float = 10.0, stream_seconds: float = 30.0, retry_after: int = 2):
        self._options = {"hang_seconds": hang_seconds, "stream_seconds": stream_seconds,
                         "retry_after": retry_after}
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @staticmethod
    def url(host: str, path: str) -> str:
        return f"http://{host}{path}"

    def start(self) -> "FaultServer":
        self._server = _Server(**self._options)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="faultserver", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.stopping.set()          # ends hangs, drips and streams
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        self._server = None

    def requests(self, host: str | None = None, path: str | None = None) -> list[dict]:
        """Requests received so far (optionally for one host and/or path), in arrival order."""
        with self._server.lock:
            log = [dict(e) for e in self._server.log]
        return [e for e in log if (host is None or e["host"] == host) and (path is None or e["path"] == path)]

    def __enter__(self) -> "FaultServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
