"""The crawl tests' environment without pytest: the fixture sites on loopback, a real MongoDB
wire server, a crawl runner and a redis-server.

tests/crawler/conftest.py builds its fixtures from these, and the ``reliability_*`` rows of
the crawl tests (read by bench/reliability.py) build the same environment with
:func:`standalone`, so a row and its test run the very same scenario.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

from scrapy import Spider
from scrapy.utils.test import get_crawler

from crawler import settings as project_settings
from crawler.fixtureserver import FixtureServer
from crawler.runner import LOCAL_FAST, crawl_env, run_crawl
from tests.support.paths import REPO, SITES
REDIS_SERVER = shutil.which("redis-server") or shutil.which("redis-server", path="/usr/sbin:/usr/bin")


def load_manifests() -> dict[str, dict]:
    out = {}
    for path in sorted(SITES.glob("*/_manifest.json")):
        data = json.loads(path.read_text("utf-8"))
        out[data["site"]] = data
    return out


def project_crawler(spidercls=Spider, **settings):
    """A Crawler (``scrapy.utils.test.get_crawler``) with the settings of crawler/settings.py,
    ``settings`` on top: the components keep their defaults there only."""
    ours = {name: getattr(project_settings, name) for name in dir(project_settings) if name.isupper()}
    return get_crawler(spidercls, {**ours, **settings})


def spooled_lines(spool_dir: Path) -> int:
    """Records waiting in the crawl spools under ``spool_dir`` (stored ones are removed)."""
    return sum(len(p.read_bytes().splitlines()) for p in spool_dir.glob("*.jsonl")) if spool_dir.exists() else 0


def sigkill_when(proc: subprocess.Popen, ready, *, timeout: float = 60, poll: float = 0.02) -> None:
    """SIGKILL ``proc`` (started with ``start_new_session=True``) and every process of its
    group as soon as ``ready()`` holds; RuntimeError when it ends first or never gets there."""
    deadline = time.monotonic() + timeout
    try:
        while not ready():
            if proc.poll() is not None:
                raise RuntimeError("the process ended before it could be killed")
            if time.monotonic() > deadline:
                raise RuntimeError("never reached the kill point")
            time.sleep(poll)
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def proxy_env(proxy_url: str, **extra: str) -> dict:
    """The environment of a crawl process that reaches the fixture host names through
    ``proxy_url``: ours, the proxy, ``extra`` (e.g. ``GOVNEWS_MONGO_URI``) and the govnews
    settings module."""
    return crawl_env({"http_proxy": proxy_url, "HTTP_PROXY": proxy_url, "no_proxy": "", "NO_PROXY": "", **extra})


FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "RETRY_TIMES=0"]   # refresh options


def run_refresh(args, proxy_url, mongo_uri, data_dir, *, cwd=REPO, no_proxy="", env=None, timeout=300):
    """``govnews refresh ARGS`` as a process reaching the fixture host names through ``proxy_url``."""
    child_env = {**proxy_env(proxy_url, GOVNEWS_MONGO_URI=mongo_uri, GOVNEWS_DATA_DIR=str(data_dir)),
                 "no_proxy": no_proxy, "NO_PROXY": no_proxy, **(env or {})}
    return subprocess.run([sys.executable, "-P", "-m", "govnews.cli", "refresh", *args], cwd=cwd, env=child_env,
                          capture_output=True, text=True, timeout=timeout)


def crawler_for(fixture_server, mongo_uri: str, log_dir):
    """``crawl(site, db=..., **settings)`` → CrawlResult: one fixture site crawled through the
    proxy into ``mongo_uri``; ``log_dir()`` gives a directory for the crawl's log."""
    def crawl(site: str | None = None, *, db: str, start_url: str | None = None, output: str | None = None,
              **settings):
        env = proxy_env(fixture_server.proxy_url, GOVNEWS_MONGO_URI=mongo_uri)
        all_settings = {**LOCAL_FAST, "GOVNEWS_MONGO_DB": db, "LOG_LEVEL": "INFO", **settings}
        log = Path(log_dir()) / f"{site or 'url'}-{uuid.uuid4().hex[:6]}.log"
        return run_crawl(site, start_url=start_url, settings=all_settings, env=env, output=output,
                         log_path=log, timeout=300)
    return crawl


class Unavailable(Exception):
    """Something a scenario needs is not installed here (the reason says what)."""


@contextlib.contextmanager
def redis_server(data_dir: Path):
    """A real redis-server on a free loopback port; yields its URL."""
    if REDIS_SERVER is None:
        raise Unavailable("redis-server not installed (Debian package redis-server; ./run installs it as root)")
    try:
        import redis
        import scrapy_redis  # noqa: F401
    except ImportError as exc:
        raise Unavailable(f"{exc.name} not installed") from exc
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(data_dir),
                             "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
        yield url
    finally:
        client.close()
        proc.terminate()
        proc.wait(10)


@contextlib.contextmanager
def standalone():
    """Everything the crawl tests' fixtures give, for use outside pytest: ``tmp`` (a fresh
    directory), ``mongo_uri`` (a SecantusDB server), ``fixture_server``, ``manifests``,
    ``crawl`` (see :func:`crawler_for`) and ``mktemp(name)``."""
    from secantus import SecantusDBServer

    with tempfile.TemporaryDirectory(prefix="govnews-reliability-") as tmp:
        tmp = Path(tmp)

        def mktemp(name: str = "t") -> Path:
            return Path(tempfile.mkdtemp(prefix=name + "-", dir=tmp))

        with SecantusDBServer(storage_path=str(tmp / "mongo")) as mongo, \
                FixtureServer(SITES, log_path=tmp / "requests.jsonl") as fixture_server:
            yield SimpleNamespace(tmp=tmp, mktemp=mktemp, mongo_uri=mongo.uri, fixture_server=fixture_server,
                                  manifests=load_manifests(),
                                  crawl=crawler_for(fixture_server, mongo.uri, lambda: mktemp("crawl-logs")))
