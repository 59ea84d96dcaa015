"""Health alerts posted as JSON to a real HTTP server on loopback."""
from __future__ import annotations

import datetime as dt
import io
import socket

from govnews.alerts import send_alert
from tests.support.webhook import webhook_receiver

T0 = dt.datetime(2024, 5, 1, 6, 0, tzinfo=dt.timezone.utc)
FLAG = {"flag": "text_length_halved", "message": "median text length 41 characters (usually 873)", "value": 41,
        "usual": 873}
RUNS = [{"_id": "r1", "site": "zhangye-kjj", "status": "ok", "failure": None, "started_at": T0, "new": 0,
         "changed": 10, "median_text_length": 41, "flags": [FLAG]},
        {"_id": "r2", "site": "hebi-kjj", "status": "ok", "started_at": T0, "flags": []},
        None]                                   # a crawl whose run could not be read


def test_flagged_sites_are_posted_as_json():
    log = io.StringIO()
    with webhook_receiver() as hook:
        assert send_alert(hook.url, RUNS, log) is True
    [post] = hook.received
    assert post.path == "/hooks/s3cr3t-token" and post.headers["Content-Type"] == "application/json; charset=utf-8"
    payload = post.json
    assert payload["event"] == "govnews.health" and payload["host"] == socket.gethostname()
    assert dt.datetime.fromisoformat(payload["sent_at"]).tzinfo is not None
    [site] = payload["sites"]                   # only the flagged one
    assert site == {"site": "zhangye-kjj", "run_id": "r1", "status": "ok", "failure": None,
                    "started_at": "2024-05-01T06:00:00+00:00", "flags": [FLAG],
                    "figures": {**dict.fromkeys(site["figures"]), "new": 0, "changed": 10, "median_text_length": 41}}
    assert "posted to 127.0.0.1 (HTTP 204)" in log.getvalue()


def test_nothing_is_sent_without_a_flag_or_a_webhook():
    with webhook_receiver() as hook:
        assert send_alert(hook.url, RUNS[1:], io.StringIO()) is None
        assert send_alert(None, RUNS, io.StringIO()) is None
    assert hook.received == []


def test_an_unreachable_webhook_is_reported_without_its_token():
    with socket.socket() as s:          # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = io.StringIO()
    assert send_alert(f"http://127.0.0.1:{port}/hooks/s3cr3t-token", RUNS, log) is False
    assert "not delivered" in log.getvalue() and "s3cr3t" not in log.getvalue()
    with webhook_receiver(status=500) as hook:
        assert send_alert(hook.url, RUNS, log) is False
    assert len(hook.received) == 1 and "s3cr3t" not in log.getvalue()
