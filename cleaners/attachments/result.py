"""What reading one attachment gives: its ``status`` and ``reason``, and its text cleaned
like a page's (NFC, traditional → simplified, no U+FFFD, no control characters).

A reader returns text or raises :class:`Unreadable` with the status that says why not;
:func:`entry` turns either into the fields an attachment entry gains.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from cleaners.script import normalize

STATUSES = ("ok", "no_text", "encrypted", "unsupported", "too_large", "error")
MAX_CHARS = 500_000          # text kept per attachment (a record must stay far below 16 MB)

# control characters (tab and newline stay), U+FFFD, zero-width space, byte-order marks
_JUNK = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd\u200b\ufeff]")
_BLANKS = re.compile(r"\n{3,}")
_LEAD = " \u3000\xa0"


class Read(NamedTuple):
    """What a reader found: the raw text, pages where the format has them, and for an
    archive the entries of its members."""
    text: str
    pages: int | None = None
    members: list | None = None


class Unreadable(Exception):
    """A file whose text cannot be had; ``status`` is one of :data:`STATUSES` but ``ok``."""

    def __init__(self, status: str, reason: str, **extra):
        assert status in STATUSES and status != "ok", status
        super().__init__(reason)
        self.status, self.reason, self.extra = status, reason, extra


def clean_text(text: str) -> str:
    """Line ends unified, junk characters out, script normalised (:func:`cleaners.script.normalize`),
    lines trimmed (tabs between cells kept), at most one blank line in a row.

    >>> clean_text("\\u3000\\u3000關於科技創新\\ufffd券\\r\\n\\r\\n\\r\\n項目\\t金額  \\x0c")
    '关于科技创新券\\n\\n项目\\t金额'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    text = _JUNK.sub("", text)
    text, _ = normalize(text)
    lines = [line.rstrip().lstrip(_LEAD) for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip("\n")


def entry(text: str | None = None, *, pages: int | None = None, error: Unreadable | None = None,
          max_chars: int = MAX_CHARS, **extra) -> dict:
    """The fields an attachment entry gains: ``status``, ``reason``, ``text``,
    ``text_length``, ``pages``, plus ``extra`` (``format``, ``members``, ``truncated``).

    >>> entry("通知\\n正文", pages=2)["status"], entry("  \\n", pages=1)["status"]
    ('ok', 'no_text')
    >>> entry(error=Unreadable("encrypted", "needs a password"))["reason"]
    'needs a password'
    """
    if error is not None:
        return {"status": error.status, "reason": error.reason, "text": "", "text_length": 0,
                "pages": pages, **extra, **error.extra}
    text = clean_text(text or "")
    if not text.strip():
        return {"status": "no_text", "reason": "the file holds no text (a scan or pictures only? no OCR is done)",
                "text": "", "text_length": 0, "pages": pages, **extra}
    out = {"status": "ok", "reason": None, "pages": pages, **extra}
    if len(text) > max_chars:
        text = text[:max_chars]
        out["truncated"] = True
        out["reason"] = f"text cut at {max_chars:,} characters"
    out.update(text=text, text_length=len(text))
    return out


def budget_spent(record_chars: int) -> dict:
    """The entry of an attachment left unread because its record holds enough text."""
    return entry(error=Unreadable("too_large", f"not read: the record already holds {record_chars:,} "
                                               "characters of attachment text"))
