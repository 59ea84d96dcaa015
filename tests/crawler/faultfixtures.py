"""Helpers for the fault and safety crawl tests: run the real ``site`` spider in a child
process against :class:`crawler.faultserver.FaultServer` (as the HTTP proxy for its made-up
host names) and read back stats, log, stderr and the child's peak RSS."""
from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from crawler.runner import LOCAL_FAST, REPO, CrawlResult, crawl_command


@dataclass
class MeasuredCrawl:
    result: CrawlResult
    log: str                # the crawl's whole log file
    stderr: str
    max_rss_mib: float      # peak RSS of the crawl process (and its waited-for children)

    @property
    def stats(self) -> dict:
        return self.result.stats

    def stat(self, key: str, default=0):
        return self.result.stat(key, default)


def crawl_through(proxy_url: str, *, mongo_uri: str, db: str, workdir: Path, start_url: str | None = None,
                  site: str | None = None, settings: dict | None = None, env: dict | None = None,
                  pass_uri_as_setting: bool = False, timeout: float = 120) -> MeasuredCrawl:
    """One ``scrapy crawl site`` process through ``proxy_url`` into ``mongo_uri``/``db``.

    The URI goes in the environment (``GOVNEWS_MONGO_URI``) unless ``pass_uri_as_setting``,
    which passes it as ``-s GOVNEWS_MONGO_URI=...`` instead.
    """
    workdir = Path(tempfile.mkdtemp(prefix="crawl-", dir=workdir))
    log_path, stats_path = workdir / "crawl.log", workdir / "stats.json"
    all_settings = {**LOCAL_FAST, "LOG_LEVEL": "INFO", "GOVNEWS_MONGO_DB": db, "GOVNEWS_CLEAN_WORKERS": 1,
                    **(settings or {}), "LOG_FILE": str(log_path), "GOVNEWS_STATS_FILE": str(stats_path)}
    child_env = {**os.environ, "http_proxy": proxy_url, "HTTP_PROXY": proxy_url, "https_proxy": proxy_url,
                 "no_proxy": "", "NO_PROXY": "", "GOVNEWS_DATA_DIR": str(workdir / "data"), **(env or {})}
    if pass_uri_as_setting:
        all_settings["GOVNEWS_MONGO_URI"] = mongo_uri
        child_env.pop("GOVNEWS_MONGO_URI", None)
    else:
        child_env["GOVNEWS_MONGO_URI"] = mongo_uri
    cmd = crawl_command(site, start_url, all_settings)
    started = time.perf_counter()
    with open(workdir / "stderr.txt", "w+", encoding="utf-8") as err:
        proc = subprocess.Popen(cmd, cwd=REPO, env=child_env, stdout=subprocess.DEVNULL, stderr=err)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read()
    stats = json.loads(stats_path.read_text("utf-8")) if stats_path.exists() else {}
    log = log_path.read_text("utf-8", "replace") if log_path.exists() else ""
    result = CrawlResult(site or start_url or "?", proc.returncode, time.perf_counter() - started, stats, log_path)
    return MeasuredCrawl(result, log, stderr, usage.ru_maxrss / 1024)


def write_registry(path: Path, name: str, start_urls: list[str], allowed_domains: list[str]) -> Path:
    path.write_text(json.dumps({"sites": [{"name": name, "start_urls": start_urls, "allowed_domains": allowed_domains,
                                           "cms": "trs"}]}, ensure_ascii=False), "utf-8")
    return path
