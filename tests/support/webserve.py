"""The review web app served on loopback in a thread, for real HTTP and a real browser."""
from __future__ import annotations

import contextlib
import threading

from werkzeug.serving import WSGIRequestHandler, make_server


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):     # no line per request in the test output
        pass


@contextlib.contextmanager
def serving(app):
    """Serve the WSGI ``app`` on a free loopback port; yields its base URL (``http://127.0.0.1:N``)."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="review-app", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
