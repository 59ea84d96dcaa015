"""Health alerts: the flagged sites of a refresh as one JSON POST to ``GOVNEWS_ALERT_WEBHOOK``.

The payload (also in the README)::

    {"event": "govnews.health", "sent_at": "2026-12-02T06:17:03+00:00", "host": "crawler-1",
     "sites": [{"site": "zhangye-kjj", "run_id": "9f1c…", "status": "ok", "failure": null,
                "started_at": "2026-12-02T06:15:40+00:00",
                "flags": [{"flag": "text_length_halved",
                           "message": "median text length 41 characters (usually 873)",
                           "value": 41, "usual": 873}],
                "figures": {"fetched": 10, "new": 0, "changed": 10, ...}}]}

Only flagged sites are listed, and nothing is sent when no site is flagged.
"""
from __future__ import annotations

import datetime as dt
import json
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import govnews
from govnews.jsonvalues import jsonable

FIGURES = ("fetched", "new", "changed", "unchanged", "not_modified", "blocked", "errors", "empty", "low_confidence",
           "records", "share_date", "share_source", "share_title", "median_text_length", "list_pages",
           "article_links", "duration_s")


def alert_payload(runs: list[dict], now: dt.datetime | None = None) -> dict | None:
    """The webhook's JSON for the runs that carry flags; None when none does.

    >>> alert_payload([{"site": "a", "flags": []}]) is None
    True
    >>> p = alert_payload([{"_id": "r1", "site": "a", "status": "ok", "new": 0,
    ...                     "flags": [{"flag": "mostly_empty", "message": "8 of 9 records cleaned to no text"}]}])
    >>> p["event"], [(s["site"], s["run_id"], s["flags"][0]["flag"], s["figures"]["new"]) for s in p["sites"]]
    ('govnews.health', [('a', 'r1', 'mostly_empty', 0)])
    """
    flagged = [run for run in runs if run and run.get("flags")]
    if not flagged:
        return None
    sites = [{"site": run.get("site"), "run_id": run.get("_id"), "status": run.get("status"),
              "failure": run.get("failure"), "started_at": run.get("started_at"), "flags": run["flags"],
              "figures": {name: run.get(name) for name in FIGURES}} for run in flagged]
    return jsonable({"event": "govnews.health", "sent_at": now or dt.datetime.now(dt.timezone.utc),
                     "host": socket.gethostname(), "sites": sites})


def post_json(url: str, payload: dict, timeout: float = 10.0) -> int:
    """POST ``payload`` as UTF-8 JSON to ``url``; returns the HTTP status (raises OSError,
    urllib.error.URLError / HTTPError when it cannot be delivered)."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "User-Agent": f"govnews/{govnews.__version__}"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status


def send_alert(url: str | None, runs: list[dict], log) -> bool | None:
    """Send the alert for ``runs`` to ``url`` if there is one to send: True when delivered,
    False when it could not be (said on ``log``), None when nothing was sent."""
    payload = alert_payload(runs)
    if not url or payload is None:
        return None
    try:
        status = post_json(url, payload)
    except (OSError, urllib.error.URLError) as exc:
        print(f"health alert to {urlsplit(url).hostname} not delivered: {exc}", file=log)   # the URL may hold a token
        return False
    print(f"health alert for {len(payload['sites'])} site(s) posted to {urlsplit(url).hostname} (HTTP {status})",
          file=log)
    return True
