"""Run one crawl of the ``site`` spider in its own process and read back its stats.

Used by ``govnews refresh``, ``govnews demo``, the tests and the benchmark: a process per
crawl keeps one site's failure (or reactor state) from touching the next.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# For crawling loopback fixture servers: no politeness delay, no throttling.
LOCAL_FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "RANDOMIZE_DOWNLOAD_DELAY": False,
              "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "RETRY_TIMES": 0}


@dataclass
class CrawlResult:
    site: str
    returncode: int
    seconds: float
    stats: dict = field(default_factory=dict)
    log_path: Path | None = None
    error: str | None = None        # last error line of a crawl that exited non-zero

    def stat(self, key: str, default=0):
        return self.stats.get(key, default)

    @property
    def blocked(self) -> int:
        return sum(v for k, v in self.stats.items() if k.startswith("govnews/blocked/"))

    @property
    def failure(self) -> str | None:
        """Why this crawl counts as failed, or None."""
        if self.returncode != 0:
            return f"crawl exited with {self.returncode}" + (f": {self.error}" if self.error else "")
        if not self.stats:
            return "no stats written (crawl did not finish)"
        if self.stats.get("finish_reason") != "finished":
            return f"finish reason {self.stats.get('finish_reason')}"
        if not self.stat("govnews/spider/list_pages"):
            return "no list page could be fetched" + (" (blocked)" if self.blocked else "")
        if self.stat("govnews/mongo/failed"):
            return f"{self.stat('govnews/mongo/failed')} records failed to store"
        return None


def crawl_command(site: str | None = None, start_url: str | None = None, settings: dict | None = None,
                  output: str | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "site"]
    cmd += ["-a", f"site={site}"] if site else ["-a", f"start_url={start_url}"]
    for key, value in (settings or {}).items():
        if isinstance(value, bool):
            value = int(value)
        if isinstance(value, dict):
            value = json.dumps(value)
        cmd += ["-s", f"{key}={value}"]
    if output:
        cmd += ["-O", output]
    return cmd


def run_crawl(site: str | None = None, *, start_url: str | None = None, settings: dict | None = None,
              env: dict | None = None, output: str | None = None, log_path: str | Path | None = None,
              timeout: float = 3600) -> CrawlResult:
    """Crawl one site in a subprocess (cwd = repository root, so scrapy.cfg is found)."""
    with tempfile.TemporaryDirectory(prefix="govnews-crawl-") as tmp:
        stats_file = Path(tmp) / "stats.json"
        log_path = Path(log_path) if log_path else Path(tmp) / "crawl.log"
        all_settings = {"LOG_FILE": str(log_path), **(settings or {}), "GOVNEWS_STATS_FILE": str(stats_file)}
        cmd = crawl_command(site, start_url, all_settings, output)
        started = time.perf_counter()
        proc = subprocess.run(cmd, cwd=REPO, env={**os.environ, **(env or {})}, timeout=timeout,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        seconds = time.perf_counter() - started
        stats = json.loads(stats_file.read_text("utf-8")) if stats_file.exists() else {}
        error = None
        if proc.returncode != 0:
            lines = (proc.stderr or "").splitlines()
            if log_path.exists():
                lines += log_path.read_text("utf-8", "replace").splitlines()
            errors = [line.strip() for line in lines if "Error" in line or "ERROR" in line]
            error = errors[-1][:300] if errors else None
        kept_log = log_path if log_path.parent != Path(tmp) else None
        return CrawlResult(site or start_url or "?", proc.returncode, seconds, stats, kept_log, error)
