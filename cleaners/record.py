"""The record schema shared by `govnews clean`, the crawler and storage.

The JSON Schema lives in ``cleaners/schema/record.schema.json``; :func:`new_record`
builds a record with every required key so that every producer writes the same shape.
"""
from __future__ import annotations

import hashlib
import json
from importlib import resources

SCHEMA_VERSION = 1
# The cleaner's own version: raise it when a change alters what records say, so that stored
# records cleaned by an older cleaner can be found and cleaned again from their raw pages.
CLEANER_VERSION = "2026.12.2.1"
STATUSES = ("ok", "empty", "error", "blocked")


def load_schema() -> dict:
    """Return the record JSON Schema as a dict."""
    text = resources.files("cleaners").joinpath("schema/record.schema.json").read_text("utf-8")
    return json.loads(text)


def new_record(url: str | None = None) -> dict:
    """A record with every schema field present and empty.

    >>> r = new_record("http://example.gov.cn/a.html")
    >>> r["status"], r["text"], r["attachments"]
    ('empty', '', [])
    """
    return {
        "schema_version": SCHEMA_VERSION,
        "cleaner_version": CLEANER_VERSION,
        "url": url,
        "canonical_url": url,
        "title": None,
        "text": "",
        "published_at": None,
        "source": None,
        "author": None,
        "editor": None,
        "site_name": None,
        "column": None,
        "keywords": [],
        "description": None,
        "doc_info": {},
        "doc": {},
        "attachments": [],
        "images": [],
        "script": {"detected": "none", "converted": False, "pinyin_removed": 0},
        "encoding": {"used": None, "reason": "not decoded"},
        "content_hash": None,
        "text_length": 0,
        "status": "empty",
        "reason": "no main text found",
        "warnings": [],
        "extraction": {"confidence": None, "signals": {}},
    }


def content_hash(title: str | None, text: str) -> str:
    """sha256 of the title and text with white space collapsed, so layout-only changes
    (re-wrapped lines, trailing spaces) do not count as a new version.

    >>> content_hash("标题", "正文 一\\n\\n正文二") == content_hash("标题", "正文 一\\n正文二 ")
    True
    """
    norm = " ".join((title or "").split()) + "\n" + " ".join(text.split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def low_confidence(record: dict) -> bool:
    """Does an ok record carry the low_confidence warning (its text may not be the article)?

    >>> low_confidence({"status": "ok", "warnings": ["low_confidence: 0.52 < 0.7"]})
    True
    >>> low_confidence({"status": "ok", "warnings": []})
    False
    """
    return record.get("status") == "ok" and any(
        str(w).startswith("low_confidence") for w in record.get("warnings") or ())


def fail(record: dict, status: str, reason: str) -> dict:
    """Mark ``record`` as not ok, dropping any partial text."""
    assert status in STATUSES and status != "ok"
    record.update(status=status, reason=reason, text="", text_length=0, content_hash=None)
    return record
