"""The page as fetched, found from what a stored record says about where its bytes are.

- ``path``: a saved page cleaned by ``govnews clean`` — read from that file (``.gz`` too)
  while it is still there and named like an HTML page;
- ``warc``: ``{"file", "offset"}`` — the crawl's WARC response record at that offset, read by
  :func:`storage.warcread.read_http`; a relative file name is looked up in the WARC folder
  given to :func:`raw_page`.

What comes back is the HTTP body (de-chunked, content coding undone), at most
:data:`MAX_BYTES`; None when the record names no source or it cannot be read. The bytes are
the site's: show them only as text or in a sandboxed frame.
"""
from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass
from pathlib import Path

from storage.warcread import WarcReadError, read_http

MAX_BYTES = 32 * 1024 * 1024          # the crawl's DOWNLOAD_MAXSIZE
PAGE_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")


@dataclass(frozen=True)
class RawPage:
    body: bytes
    source: str           # where it was read, for the reviewer

    def text(self, encoding: str | None) -> str:
        """The page decoded as the cleaner decoded it (else UTF-8), bad bytes replaced.

        >>> RawPage("标题".encode("gbk"), "x").text("gb18030")
        '标题'
        """
        try:
            return self.body.decode(encoding or "utf-8", "replace")
        except LookupError:
            return self.body.decode("utf-8", "replace")


def raw_page(record: dict, warc_dir: Path | None = None) -> RawPage | None:
    """The raw page of ``record``, or None."""
    pointer = record.get("warc")
    if isinstance(pointer, dict) and pointer.get("file") is not None:
        found = _from_warc(pointer, warc_dir)
        if found is not None:
            return found
    path = record.get("path")
    if isinstance(path, str) and path:
        return _from_file(Path(path))
    return None


def _from_file(path: Path) -> RawPage | None:
    name = path.name.lower().removesuffix(".gz")
    if not name.endswith(PAGE_SUFFIXES) or not path.is_file():
        return None
    try:
        with (gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")) as handle:
            return RawPage(handle.read(MAX_BYTES), str(path))
    except (OSError, EOFError, zlib.error):
        return None


def _from_warc(pointer: dict, warc_dir: Path | None) -> RawPage | None:
    path = Path(str(pointer["file"]))
    if not path.is_absolute() and warc_dir is not None:
        path = warc_dir / path
    try:
        offset = int(pointer.get("offset") or 0)
        answer = read_http(path, offset, MAX_BYTES)
    except (WarcReadError, ValueError, TypeError):
        return None
    return RawPage(answer.body, f"{path}@{offset}")
