"""Reading WARC files (``.warc`` and ``.warc.gz``, ours or anyone's): an index of a file's
records, and the HTTP answer held by one record.

- :func:`scan` lists a file's records with their offsets, reading every record to its end
  and checking its digest. A record that ends early — the torn last member a killed writer
  leaves — and whatever follows a record that cannot be parsed is not listed;
  ``Scan.problem`` says where reading stopped. A record whose digest is wrong is counted
  (``Scan.damaged``) and not listed.
- :func:`read_http` reads the record at an offset: target URI, date, HTTP status, headers
  and the body with its Content-Encoding (gzip, deflate, br, zstd) undone, never more than
  ``limit`` bytes in memory. Raises :class:`WarcReadError`.
"""
from __future__ import annotations

import os
import zlib
from dataclasses import dataclass, field

import brotli
from backports import zstd
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader

MAX_BODY_BYTES = 64 * 1024 * 1024
CHUNK = 64 * 1024
# WARC header fields an index entry keeps (revisit resolution, govnews' own marks).
KEPT_FIELDS = ("WARC-Refers-To", "WARC-Refers-To-Target-URI", "WARC-Refers-To-Date", "WARC-Profile",
               "WARC-Payload-Digest", "GovNews-Kind", "GovNews-Part-Of")


class WarcReadError(Exception):
    """A record that cannot be read; the message says why."""


@dataclass
class RecordInfo:
    """One record of a WARC file, as listed by :func:`scan`."""

    offset: int
    type: str
    id: str | None
    uri: str | None
    date: str | None
    status: int | None = None            # HTTP status (response, revisit)
    content_type: str | None = None      # HTTP Content-Type (response, revisit)
    fields: dict = field(default_factory=dict)   # the KEPT_FIELDS the record has

    @property
    def mime(self) -> str:
        """The media type of the HTTP payload, lower case, without parameters ('' when none)."""
        return (self.content_type or "").split(";", 1)[0].strip().lower()


@dataclass
class Scan:
    path: str
    records: list[RecordInfo] = field(default_factory=list)
    damaged: int = 0                     # records whose digest did not match
    problem: str | None = None           # why reading stopped before the end of the file


@dataclass
class HttpAnswer:
    uri: str
    date: str
    status: int | None
    headers: dict[str, str]
    body: bytes


def _status(record) -> int | None:
    if record.http_headers is None:
        return None
    try:
        return int(record.http_headers.get_statuscode())
    except (TypeError, ValueError):
        return None


def scan(path: str | os.PathLike) -> Scan:
    """Every whole record of the WARC file at ``path``, in file order."""
    result = Scan(str(path))
    with open(path, "rb") as handle:
        gzipped = handle.read(2) == b"\x1f\x8b"
        handle.seek(0)
        iterator = ArchiveIterator(handle, check_digests=True)
        end = last = 0
        try:
            for record in iterator:
                stream = record.raw_stream
                while stream.read(CHUNK):
                    pass
                offset = last = iterator.get_record_offset()
                if stream.limit > 0:
                    result.problem = f"record at offset {offset} ends early (a write cut short)"
                    break
                checker = record.digest_checker
                if checker is not None and checker.passed is False:
                    result.damaged += 1
                else:
                    headers = record.rec_headers
                    result.records.append(RecordInfo(
                        offset, record.rec_type, headers.get_header("WARC-Record-ID"),
                        headers.get_header("WARC-Target-URI"), headers.get_header("WARC-Date"),
                        _status(record),
                        record.http_headers.get_header("Content-Type") if record.http_headers else None,
                        {name: value for name in KEPT_FIELDS if (value := headers.get_header(name))}))
                end = iterator.offset     # where the next record begins
        except Exception as exc:     # a torn member's header, or not a WARC file at all
            result.problem = f"unreadable from offset {end}: {type(exc).__name__}: {str(exc).strip()[:200]}"
        size = os.fstat(handle.fileno()).st_size
        if result.problem is None and end < size:   # a member torn inside its WARC header reads as the end
            result.problem = f"{size - end} bytes from offset {end} are no whole record (a write cut short)"
        elif result.problem is None and gzipped and size and not _member_ends(handle, last):
            result.problem = f"the gzip member at offset {last} is cut short (its record's content is whole)"
    return result


def _member_ends(handle, offset: int) -> bool:
    """Does the gzip member at ``offset`` end (its trailer is there)?"""
    handle.seek(offset)
    member = zlib.decompressobj(zlib.MAX_WBITS | 16)
    pending = b""
    while not member.eof:
        pending = pending or handle.read(CHUNK)
        if not pending:
            return False
        member.decompress(pending, CHUNK)
        pending = member.unconsumed_tail
    return True


def read_http(path: str | os.PathLike, offset: int, limit: int = MAX_BODY_BYTES) -> HttpAnswer:
    """The HTTP answer held by the response (or resource) record at ``offset`` of ``path``."""
    try:
        with open(path, "rb") as handle:
            handle.seek(offset)
            record = next(iter(ArchiveIterator(handle)), None)
            if record is None:
                raise WarcReadError(f"no record at offset {offset}")
            if record.rec_type not in ("response", "resource"):
                raise WarcReadError(f"the record at offset {offset} is a {record.rec_type} record, not a response")
            body = _body(record, limit)
            if record.raw_stream.limit > 0:
                raise WarcReadError(f"the record at offset {offset} ends early (a write cut short)")
            headers = {}
            if record.http_headers is not None:
                for name, value in record.http_headers.headers:
                    headers[name] = value
            rec = record.rec_headers
            return HttpAnswer(rec.get_header("WARC-Target-URI"), rec.get_header("WARC-Date"), _status(record),
                              headers, body)
    except WarcReadError:
        raise
    except OSError as exc:
        raise WarcReadError(f"cannot read {path}: {exc.strerror or exc}") from None
    except Exception as exc:
        raise WarcReadError(f"unreadable record at offset {offset}: {type(exc).__name__}: {exc}"[:300]) from None


def _read_bounded(stream, limit: int) -> bytes:
    parts, size = [], 0
    while size <= limit:
        chunk = stream.read(min(CHUNK, limit + 1 - size))
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    if size > limit:
        raise WarcReadError(f"body exceeds {limit // (1024 * 1024)} MiB")
    return b"".join(parts)


def _body(record, limit: int) -> bytes:
    """The payload as the server meant it: de-chunked (some tools archive the chunks) and with
    each Content-Encoding undone, at most ``limit`` bytes at every step."""
    http = record.http_headers
    chunked = http is not None and "chunked" in (http.get_header("Transfer-Encoding") or "").lower()
    raw = _read_bounded(ChunkedDataReader(record.raw_stream) if chunked else record.raw_stream, limit)
    while record.raw_stream.read(CHUNK):     # a chunked body's trailer
        pass
    codings = (http.get_header("Content-Encoding") or "") if http is not None else ""
    for coding in reversed([c.strip().lower() for c in codings.split(",") if c.strip()]):
        raw = _decode(raw, coding, limit)
    return raw


def _decode(data: bytes, coding: str, limit: int) -> bytes:
    """
    >>> import gzip, zlib; _decode(gzip.compress(b"a") + gzip.compress(b"b"), "gzip", 10)
    b'ab'
    >>> _decode(zlib.compress(b"abc")[2:-4], "deflate", 10)      # raw deflate, as some servers send it
    b'abc'
    """
    if coding in ("identity", "none"):
        return data
    if coding in ("gzip", "x-gzip"):
        return _inflate(data, zlib.MAX_WBITS | 32, limit)          # a gzip or zlib header
    if coding == "deflate":
        try:
            return _inflate(data, zlib.MAX_WBITS, limit)
        except zlib.error:
            return _inflate(data, -zlib.MAX_WBITS, limit)
    if coding == "br":
        return _unbrotli(brotli.Decompressor(), data, limit)
    if coding == "zstd":
        try:
            out = zstd.ZstdDecompressor().decompress(data, max_length=limit + 1)
        except zstd.ZstdError as exc:
            raise WarcReadError(f"broken zstd body: {exc}") from None
        return _within(out, limit)
    raise WarcReadError(f"unsupported Content-Encoding {coding!r}")


def _within(data: bytes, limit: int) -> bytes:
    if len(data) > limit:
        raise WarcReadError(f"decompressed body exceeds {limit // (1024 * 1024)} MiB")
    return data


def _inflate(data: bytes, wbits: int, limit: int) -> bytes:
    """zlib-inflate ``data`` (gzip members one after the other too); a cut-off stream gives
    what it holds, as a browser shows it."""
    out = bytearray()
    decompressor = zlib.decompressobj(wbits)
    pending = data
    while pending:
        out += decompressor.decompress(pending, CHUNK)
        _within(out, limit)
        if not decompressor.eof:
            pending = decompressor.unconsumed_tail
        elif decompressor.unused_data.startswith(b"\x1f\x8b"):      # another gzip member
            pending, decompressor = decompressor.unused_data, zlib.decompressobj(wbits)
        else:
            break
    return bytes(out)


def _unbrotli(decompressor, data: bytes, limit: int) -> bytes:
    """A brotli body, decompressed a chunk at a time up to ``limit``."""
    out = bytearray(decompressor.process(data, output_buffer_limit=CHUNK))
    while not decompressor.is_finished():
        _within(out, limit)
        more = decompressor.process(b"", output_buffer_limit=CHUNK)
        if not more:
            break
        out += more
    return _within(bytes(out), limit)
