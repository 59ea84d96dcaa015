"""The page as fetched, found from what a stored record says about where its bytes are.

- ``path``: a saved page cleaned by ``govnews clean`` — read from that file (``.gz`` too)
  while it is still there and named like an HTML page;
- ``warc``: ``{"file", "offset"}`` — the crawl's WARC response record at that offset (one
  gzip member per record, or an uncompressed file); a relative file name is looked up in the
  WARC folder given to :func:`raw_page`.

What comes back is the HTTP body (de-chunked, gzip/deflate content decoding undone), at most
:data:`MAX_BYTES`; None when the record names no source or it cannot be read. The bytes are
the site's: show them only as text or in a sandboxed frame.
"""
from __future__ import annotations

import gzip
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

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
        with open(path, "rb") as handle:
            handle.seek(offset)
            data = _read_record(handle)
        body = http_body(warc_block(data))
    except (OSError, ValueError, zlib.error):
        return None
    return RawPage(body, f"{path}@{offset}")


def _read_record(handle) -> bytes:
    """The bytes of the record at the handle's position: one gzip member, or plain WARC."""
    head = handle.read(2)
    handle.seek(-len(head), os.SEEK_CUR)
    if head != b"\x1f\x8b":
        return handle.read(MAX_BYTES + 64 * 1024)
    inflate = zlib.decompressobj(wbits=31)
    out = bytearray()
    while not inflate.eof and len(out) <= MAX_BYTES:
        chunk = handle.read(64 * 1024)
        if not chunk:
            break
        out += inflate.decompress(chunk, MAX_BYTES + 64 * 1024 - len(out))
    return bytes(out)


def _message(data: bytes, start: bytes) -> tuple[dict[str, str], bytes]:
    """The header fields (lower-case names) and the rest of a WARC record or an HTTP response
    whose first line starts with ``start``."""
    head, sep, rest = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    if not sep or not lines[0].startswith(start):
        raise ValueError(f"not a {start.decode()} message")
    headers = {}
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if colon:
            headers[name.strip().decode("latin-1").lower()] = value.strip().decode("latin-1")
    return headers, rest


def warc_block(data: bytes) -> bytes:
    """The content block of a WARC response record.

    >>> warc_block(b"WARC/1.1\\r\\nWARC-Type: response\\r\\nContent-Length: 5\\r\\n\\r\\nhello\\r\\n\\r\\n")
    b'hello'
    """
    headers, rest = _message(data, b"WARC/")
    if headers.get("warc-type", "response") != "response":
        raise ValueError(f"a {headers['warc-type']} record, not a response")
    return rest[: int(headers.get("content-length", len(rest)))]


def http_body(block: bytes) -> bytes:
    """The body of an HTTP response as recorded, transfer and content coding undone.

    >>> http_body(b"HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n3\\r\\nabc\\r\\n2\\r\\nde\\r\\n0\\r\\n\\r\\n")
    b'abcde'
    """
    headers, body = _message(block, b"HTTP/")
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    coding = headers.get("content-encoding", "").lower().strip()
    if coding in ("gzip", "x-gzip", "deflate"):
        wbits = 31 if "gzip" in coding else 15
        body = zlib.decompressobj(wbits=wbits).decompress(body, MAX_BYTES)
    return body[:MAX_BYTES]


def _dechunk(data: bytes) -> bytes:
    out, pos = bytearray(), 0
    while pos < len(data):
        end = data.find(b"\r\n", pos)
        if end < 0:
            break
        size = int(data[pos:end].split(b";")[0].strip() or b"0", 16)
        if size == 0:
            break
        out += data[end + 2: end + 2 + size]
        pos = end + 2 + size + 2
    return bytes(out)
