"""A durable local spool (write-ahead log) for records on their way to MongoDB.

Each crawl process owns one spool: ``<dir>/<name>.<pid>-<random>.jsonl`` holding, one JSON line each,
every record it has cleaned but MongoDB has not yet acknowledged, and ``<name>.<pid>-<random>.lock``,
held with ``flock`` while the process lives. A record is appended (and fsynced) before the
pipeline lets go of it, and the file is rewritten without it once MongoDB has stored it. So a
MongoDB outage, a full buffer or a SIGKILL leaves every unstored record on disk.

A spool whose lock nobody holds belongs to a process that died or gave up waiting for
MongoDB: :meth:`Spool.adopt_orphans` moves its records (those bound for the same target
database) into the current process' spool, which writes them with its own. Writes are keyed
upserts, so a record written twice is stored once.

Not thread-safe: the caller serialises calls (the Mongo pipeline runs them one at a time in
a worker thread).

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     first = Spool(d, "site-x", target="db/articles")
...     first.open()
...     first.append([{"url": "http://a.gov.cn/1.html"}, {"url": "http://a.gov.cn/2.html"}])
...     first.keep_last(1)      # the first record is stored; the second is not
...     first.release()         # the process goes away without storing the second
...     second = Spool(d, "site-x", target="db/articles")
...     second.open()
...     [r["url"] for r in second.adopt_orphans()]
['http://a.gov.cn/2.html']
"""
from __future__ import annotations

import base64
import contextlib
import datetime as dt
import fcntl
import json
import logging
import os
import secrets
from pathlib import Path

logger = logging.getLogger(__name__)


def _default(value):
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _hook(obj: dict):
    if len(obj) == 1:
        if "$datetime" in obj:
            return dt.datetime.fromisoformat(obj["$datetime"])
        if "$bytes" in obj:
            return base64.b64decode(obj["$bytes"])
    return obj


def encode(record: dict, target: str) -> bytes:
    """One spool line.

    >>> decode(encode({"t": dt.datetime(2024, 1, 2, tzinfo=dt.timezone.utc)}, "db/c"))
    ('db/c', {'t': datetime.datetime(2024, 1, 2, 0, 0, tzinfo=datetime.timezone.utc)})
    """
    line = json.dumps({"target": target, "record": record}, ensure_ascii=False, default=_default)
    return line.encode("utf-8") + b"\n"


def decode(line: bytes) -> tuple[str, dict]:
    entry = json.loads(line, object_hook=_hook)
    return entry["target"], entry["record"]


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Spool:
    def __init__(self, directory: str | os.PathLike, name: str, *, target: str):
        self.directory = Path(directory)
        self.name = "".join(c if c.isalnum() or c in "-_" else "_" for c in name) or "spool"
        self.target = target
        self.base = f"{self.name}.{os.getpid()}-{secrets.token_hex(3)}"
        self.path = self.directory / f"{self.base}.jsonl"
        self._lock = None
        self._fd: int | None = None
        self.lines: list[bytes] = []      # what the file holds, in order

    def __repr__(self) -> str:
        return f"Spool({str(self.path)!r}, {len(self.lines)} records)"

    def open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.directory / f"{self.base}.lock", "a+")
        fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self.lines = []

    def append(self, records: list[dict]) -> None:
        """Write ``records`` durably (write + fsync) before returning."""
        lines = [encode(r, self.target) for r in records]
        os.write(self._fd, b"".join(lines))
        os.fsync(self._fd)
        self.lines.extend(lines)

    def keep_last(self, count: int) -> None:
        """Forget all but the last ``count`` records (the others are stored)."""
        keep = self.lines[len(self.lines) - count:] if count > 0 else []
        if len(keep) == len(self.lines):
            return
        if not keep:
            os.ftruncate(self._fd, 0)
            os.fsync(self._fd)
        else:
            # Written beside, then renamed over: a crash leaves either the old or the new file.
            tmp = self.path.with_suffix(".tmp")
            with open(tmp, "wb") as f:
                f.write(b"".join(keep))
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
            _fsync_dir(self.directory)
            os.close(self._fd)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        self.lines = keep

    def records(self) -> list[dict]:
        """The records in this spool bound for our target."""
        out = []
        for line in self.lines:
            target, record = decode(line)
            if target == self.target:
                out.append(record)
        return out

    def adopt_orphans(self) -> list[dict]:
        """Move the records of dead processes' spools (for our target) into ours and return
        every record now waiting in it."""
        for lock_path in sorted(self.directory.glob("*.lock")):
            base = lock_path.name[: -len(".lock")]
            if base == self.base:
                continue
            with open(lock_path, "a+") as lock:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue                      # a live process owns it
                if os.fstat(lock.fileno()).st_nlink == 0:
                    continue                      # adopted by another process meanwhile
                self._adopt(self.directory / f"{base}.jsonl", lock_path)
        return self.records()

    def _adopt(self, data: Path, lock_path: Path) -> None:
        try:
            raw = data.read_bytes()
        except FileNotFoundError:
            raw = b""
        mine, others = [], []
        for line in raw.splitlines(keepends=True):
            if not line.strip():
                continue
            if not line.endswith(b"\n"):
                logger.warning("spool %s: dropping a torn last line (%d bytes)", data, len(line))
                continue
            try:
                target, _ = decode(line)
            except ValueError:
                logger.warning("spool %s: dropping an unreadable line", data)
                continue
            (mine if target == self.target else others).append(line)
        if mine:
            os.write(self._fd, b"".join(mine))
            os.fsync(self._fd)
            self.lines.extend(mine)
            logger.info("adopted %d spooled records from %s", len(mine), data)
        if others:                                # bound elsewhere: left for a crawl with that target
            if mine:
                tmp = data.with_suffix(".tmp")
                tmp.write_bytes(b"".join(others))
                with open(tmp, "rb+") as f:
                    os.fsync(f.fileno())
                os.replace(tmp, data)
            return
        with contextlib.suppress(FileNotFoundError):
            data.unlink()
        lock_path.unlink()
        _fsync_dir(self.directory)

    def release(self, *, remove_if_empty: bool = True) -> None:
        """Close the spool; its file is removed when empty, else left for the next crawl."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._lock is not None:
            if remove_if_empty and not self.lines:
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()
                with contextlib.suppress(FileNotFoundError):
                    Path(self._lock.name).unlink()
            self._lock.close()
            self._lock = None
