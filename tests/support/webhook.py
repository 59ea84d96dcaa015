"""A webhook receiver on loopback: a real HTTP server that keeps every POST it is sent."""
from __future__ import annotations

import contextlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace


class _Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.received.append(SimpleNamespace(path=self.path, headers=dict(self.headers), body=body,
                                                    json=json.loads(body.decode("utf-8"))))
        self.send_response(self.server.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def webhook_receiver(status: int = 204):
    """Yields ``.url`` (with a token in its path, as real webhooks have) and ``.received`` (the
    POSTs: ``path``, ``headers``, ``body``, ``json``); answers each with ``status``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    server.received, server.status = [], status
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_address[1]}/hooks/s3cr3t-token",
                              received=server.received)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
