"""Plain text (TXT, CSV): decoded like a page (:func:`cleaners.encoding.decode`: byte-order
mark, UTF-8, GB18030 or Big5 chosen by what reads as Chinese, chardet last)."""
from __future__ import annotations

from cleaners.attachments.result import Read
from cleaners.encoding import decode


def read(path: str, limits, workdir: str) -> Read:
    with open(path, "rb") as handle:
        raw = handle.read(limits.max_bytes + 1)
    return Read(decode(raw[:limits.max_bytes]).text)
