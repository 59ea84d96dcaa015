"""The embedded default database: a SecantusDB server (MongoDB wire protocol, WiredTiger
storage) run inside the govnews process when no MongoDB URI is configured.

Where the data lives: :func:`storage.paths.mongo_dir` (``$GOVNEWS_DATA_DIR/mongo``; without
``GOVNEWS_DATA_DIR``, ``$XDG_DATA_HOME/govnews/mongo``, else ``~/.local/share/govnews/mongo``). The data
persists across runs (WiredTiger journal + checkpoint on a clean stop).

One directory can be opened by one process only (WiredTiger locks it). So the first
govnews process to need it starts the server and publishes its address in
``<dir>/govnews-server.json``; a second govnews process (``govnews clean`` while a
``govnews refresh`` runs) connects to that server instead of failing. The owner, when it
is done, stops accepting newcomers and waits (up to ``GOVNEWS_EMBEDDED_WAIT`` seconds,
default 600) for the other processes' connections to close before it stops the server.

Writes acknowledged in the last fraction of a second before a SIGKILL can be lost (the
journal is flushed without fsync, like mongod's default ``j: false``); SIGTERM and Ctrl-C
stop the server cleanly.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path

import pymongo

from storage.paths import mongo_dir

INFO_FILE = "govnews-server.json"
LOCK_FILE = "govnews-server.lock"


@contextlib.contextmanager
def mongo_uri(uri: str | None = None, *, storage_path: str | os.PathLike | None = None,
              log=sys.stderr):
    """Yield a MongoDB URI to use: ``uri``, else ``$GOVNEWS_MONGO_URI``, else the embedded
    server's (started here, or shared with the govnews process already running it)."""
    uri = uri or os.environ.get("GOVNEWS_MONGO_URI") or None
    if uri:
        yield uri
        return
    with embedded_server(Path(storage_path) if storage_path else mongo_dir(), log=log) as local:
        yield local


def _ping(uri: str, timeout_ms: int = 2000) -> bool:
    client = pymongo.MongoClient(uri, serverSelectionTimeoutMS=timeout_ms, connectTimeoutMS=timeout_ms)
    try:
        client.admin.command("ping")
        return True
    except Exception:
        return False
    finally:
        client.close()


def _read_info(path: Path) -> dict | None:
    try:
        return json.loads((path / INFO_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None


@contextlib.contextmanager
def embedded_server(path: Path, *, start_timeout: float = 60.0, log=sys.stderr):
    """Yield the URI of the SecantusDB server holding ``path``, starting it if no govnews
    process does."""
    path.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + start_timeout
    with open(path / LOCK_FILE, "a+") as lock:
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                info = _read_info(path)
                if info and _ping(info["uri"]):
                    yield info["uri"]          # another govnews process runs the server
                    return
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the embedded database {path} is locked by process "
                                       f"{(info or {}).get('pid', '?')}, which does not answer")
                time.sleep(0.2)                # its owner is starting or stopping it
                continue
            try:
                with _owned_server(path, log=log) as uri:
                    yield uri
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
            return


@contextlib.contextmanager
def _owned_server(path: Path, *, log):
    from secantus import SecantusDBServer

    # standalone (no replica set → no oplog writes: ~35% faster upserts), no test commands
    server = SecantusDBServer(host="127.0.0.1", port=0, storage_path=str(path),
                              replica_set_name=None, enable_test_commands=False)
    server.start()
    info_path = path / INFO_FILE
    try:
        with _sigterm_as_exit():
            tmp = info_path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"uri": server.uri, "pid": os.getpid()}), "utf-8")
            tmp.replace(info_path)
            yield server.uri
    finally:
        with contextlib.suppress(OSError):
            info_path.unlink()
        _wait_for_guests(server, log=log)
        _stop(server)


def _stop(server) -> None:
    # Shutting the listening socket down wakes the thread blocked in accept(); without it
    # SecantusDBServer.stop() waits 2 s for that thread to time out.
    sock = getattr(server, "_socket", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    server.stop()


def _wait_for_guests(server, *, log) -> None:
    """Give connections from other processes time to finish before the server stops."""
    limit = float(os.environ.get("GOVNEWS_EMBEDDED_WAIT") or 600)
    deadline = time.monotonic() + limit
    told = False
    while len(server.connections) and time.monotonic() < deadline:
        if not told and time.monotonic() > deadline - limit + 1:
            print(f"govnews: waiting up to {limit:.0f}s for {len(server.connections)} connection(s) to the "
                  f"embedded database to close", file=log, flush=True)
            told = True
        time.sleep(0.05)


@contextlib.contextmanager
def _sigterm_as_exit():
    """Turn SIGTERM into SystemExit while the server runs, so it stops cleanly."""
    if threading.current_thread() is not threading.main_thread() \
            or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return

    def handler(signum, frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
