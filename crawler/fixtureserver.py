"""A loopback HTTP server that answers for real government host names from fixture files.

It is both a web server and an HTTP proxy: a proxied request names the full URL
(``GET http://kjj.zhangye.gov.cn/kjdt/index.html``), a direct one uses the Host header, and
both map to ``<root>/<host>/<path>``. Point ``http_proxy`` at it and a spider configured for
the real sites crawls the fixtures with no network.

Per-host data files (never served, names start with ``_``):

- ``_site.json``: ``{"charset": "gbk"}`` — charset named in Content-Type (omit to send none).
- ``_routes.json``: ``{"/old.html": {"status": 301, "location": "/new.html"},
  "/x.html": {"status": 412, "file": "_challenge.html"}}``.
- ``_dataproxy/<columnid>.txt``: one Hanweb list record (an HTML fragment) per line,
  served paged by ``/module/web/jpage/dataproxy.jsp`` (``columnid``, ``startrecord``,
  ``endrecord`` in the query or a form body), as Hanweb's XML with CDATA records.
- ``_manifest.json``: what a crawl must find (read by tests and ``govnews demo``).

Files are answered with an ETag and Last-Modified and honour If-None-Match /
If-Modified-Since with 304. Every request is appended to a JSON-lines log when one is given.

Run: ``python -m crawler.fixtureserver ROOT [--log FILE]``; it prints ``PORT <n>`` once ready.
"""
from __future__ import annotations

import argparse
import email.utils
import hashlib
import json
import mimetypes
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

DATAPROXY_PATH = "/module/web/jpage/dataproxy.jsp"
FIXED_MTIME = 1700000000  # files' Last-Modified: stable across checkouts


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}


def dataproxy_xml(records: list[str], start: int, end: int) -> str:
    """Hanweb's list endpoint answer for records ``start..end`` (1-based, inclusive)."""
    chunk = records[max(start - 1, 0):end]
    body = "".join(f"<record><![CDATA[{r}]]></record>\n" for r in chunk)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n'
            f"<totalrecord>{len(records)}</totalrecord>\n<recordset>\n{body}</recordset>\n</datastore>\n")


class FixtureHandler(BaseHTTPRequestHandler):
    server_version = "govnews-fixtures/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet; the JSON log records requests
        pass

    # -- request parsing -------------------------------------------------------------
    def _target(self) -> tuple[str, str, str]:
        parts = urlsplit(self.path)
        if parts.scheme and parts.netloc:
            host = parts.netloc
        else:
            host = self.headers.get("Host", "")
        host = host.split(":")[0].lower()
        return host, parts.path or "/", parts.query

    def do_GET(self):
        self._answer(head=False)

    def do_HEAD(self):
        self._answer(head=True)

    def do_POST(self):
        self._answer(head=False)

    # -- answering ---------------------------------------------------------------------
    def _answer(self, head: bool) -> None:
        host, path, query = self._target()
        body_params = {}
        if self.command == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            body_params = parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
        root: Path = self.server.root
        site = root / host
        if not host or not site.is_dir():
            return self._send(host, path, 502, b"no fixture site for this host", "text/plain")
        routes = _read_json(site / "_routes.json")
        route = routes.get(path + ("?" + query if query else "")) or routes.get(path) or {}
        status = route.get("status", 200)
        if status in (301, 302, 303, 307, 308):
            return self._send(host, path, status, b"", "text/html", {"Location": route["location"]})
        if path == DATAPROXY_PATH:
            params = {**parse_qs(query), **body_params}
            return self._dataproxy(host, path, site, params)
        rel = route.get("file") or path.lstrip("/")
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        file = (site / rel).resolve()
        if (not str(file).startswith(str(site.resolve())) or any(p.startswith("_") for p in Path(rel).parts[:-1])
                or (Path(rel).name.startswith("_") and "file" not in route) or not file.is_file()):
            return self._send(host, path, 404, "<html><body><h1>404 页面不存在</h1></body></html>".encode(), "text/html; charset=utf-8")
        data = file.read_bytes()
        ctype = route.get("content_type") or self._content_type(file, _read_json(site / "_site.json"))
        etag = '"%s"' % hashlib.sha1(data).hexdigest()[:16]
        last_modified = email.utils.formatdate(FIXED_MTIME, usegmt=True)
        headers = {"ETag": etag, "Last-Modified": last_modified, **route.get("headers", {})}
        if status == 200 and self._not_modified(etag):
            return self._send(host, path, 304, b"", None, headers)
        self._send(host, path, status, b"" if head else data, ctype, headers)

    def _not_modified(self, etag: str) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            return etag in [t.strip() for t in inm.split(",")]
        ims = self.headers.get("If-Modified-Since")
        if ims:
            parsed = email.utils.parsedate_to_datetime(ims)
            return parsed is not None and parsed.timestamp() >= FIXED_MTIME
        return False

    @staticmethod
    def _content_type(file: Path, site_conf: dict) -> str:
        ctype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if file.suffix in (".htm", ".html", ".shtml", ".jsp"):
            ctype = "text/html"
        charset = site_conf.get("charset")
        if ctype.startswith("text/") and charset:
            ctype += f"; charset={charset}"
        return ctype

    def _dataproxy(self, host, path, site: Path, params: dict) -> None:
        def first(name, default):
            return (params.get(name) or [default])[0]
        column = first("columnid", "")
        file = site / "_dataproxy" / f"{column}.txt"
        if not column.isdigit() or not file.is_file():
            return self._send(host, path, 404, b"no such column", "text/plain")
        records = [line for line in file.read_text("utf-8").splitlines() if line.strip()]
        start, end = int(first("startrecord", "1")), int(first("endrecord", str(len(records))))
        xml = dataproxy_xml(records, start, end).encode("utf-8")
        self._send(host, path, 200, xml, "text/xml; charset=UTF-8")

    def _send(self, host, path, status, body: bytes, ctype, headers=None) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)
        log = self.server.log
        if log is not None:
            entry = {"method": self.command, "host": host, "path": path, "status": status, "bytes": len(body)}
            with self.server.log_lock:
                log.write(json.dumps(entry) + "\n")
                log.flush()


def make_server(root: Path, port: int = 0, log_path: str | None = None) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", port), FixtureHandler)
    server.daemon_threads = True
    server.root = Path(root)
    server.log = open(log_path, "a", encoding="utf-8") if log_path else None
    server.log_lock = threading.Lock()
    return server


class FixtureServer:
    """The fixture server in a subprocess, as a context manager.

    ``with FixtureServer(root) as srv: srv.proxy_url`` — use it as ``http_proxy``.
    """

    def __init__(self, root: str | os.PathLike, log_path: str | os.PathLike | None = None):
        self.root = Path(root)
        self.log_path = Path(log_path) if log_path else None
        self.proc: subprocess.Popen | None = None
        self.port: int | None = None

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "FixtureServer":
        cmd = [sys.executable, "-P", "-m", "crawler.fixtureserver", str(self.root)]
        if self.log_path:
            cmd += ["--log", str(self.log_path)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("PORT "):
            self.stop()
            raise RuntimeError(f"fixture server did not start: {line!r}")
        self.port = int(line.split()[1])
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.proc = None

    def requests(self) -> list[dict]:
        """Requests answered so far (needs ``log_path``)."""
        if not self.log_path or not self.log_path.exists():
            return []
        return [json.loads(l) for l in self.log_path.read_text("utf-8").splitlines() if l.strip()]

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--log")
    args = parser.parse_args(argv)
    server = make_server(Path(args.root), args.port, args.log)
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
