"""Run one crawl of the ``site`` spider in its own process and read back its stats.

Used by ``govnews refresh``, ``govnews demo``, the tests and the benchmark: a process per
crawl keeps one site's failure (or reactor state) from touching the next.

The crawl needs no source checkout: it runs ``python -P -m scrapy crawl`` with
``SCRAPY_SETTINGS_MODULE=crawler.settings`` (so no ``scrapy.cfg`` is looked for) in the
caller's working directory, and ``-P`` keeps a folder there that happens to be named like a
package of ours from shadowing the installed one.
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

SETTINGS_MODULE = "crawler.settings"

# For crawling loopback fixture servers: no politeness delay, no throttling.
LOCAL_FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY_JITTER": 0,
              "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "RETRY_TIMES": 0}


@dataclass
class CrawlResult:
    site: str
    returncode: int
    seconds: float
    stats: dict = field(default_factory=dict)
    log_path: Path | None = None
    error: str | None = None        # last error line of a crawl that exited non-zero
    run: dict | None = None         # its document in the runs collection (crawler.runs.run_of)

    def stat(self, key: str, default=0):
        return self.stats.get(key, default)

    @property
    def blocked(self) -> int:
        return sum(v for k, v in self.stats.items() if k.startswith("govnews/blocked/"))

    @property
    def fetched(self) -> int:
        """Article pages the site answered, blocked ones included wherever the block was seen
        (an HTTP-level shell never reaches the spider; a captcha page does)."""
        return self.stat("govnews/spider/article_pages") + self.stat("govnews/blocks/article_pages")

    @property
    def flags(self) -> list[dict]:
        """The health flags of its run (:mod:`crawler.health`)."""
        return list((self.run or {}).get("flags") or [])

    @property
    def failure(self) -> str | None:
        """Why this crawl counts as failed, or None.

        >>> CrawlResult("x", 0, 1.0, {"finish_reason": "finished",
        ...     "govnews/spider/list_error": "DNS lookup failed: kjj.nowhere.invalid"}).failure
        'no list page could be fetched: DNS lookup failed: kjj.nowhere.invalid'
        """
        if self.returncode != 0:
            return f"crawl exited with {self.returncode}" + (f": {self.error}" if self.error else "")
        if not self.stats:
            return "no stats written (crawl did not finish)"
        if self.stats.get("finish_reason") != "finished":
            return f"finish reason {self.stats.get('finish_reason')}"
        if not self.stat("govnews/spider/list_pages"):
            cause = self.stat("govnews/spider/list_error", None) or ("blocked" if self.blocked else None)
            return "no list page could be fetched" + (f": {cause}" if cause else "")
        if self.stat("govnews/mongo/failed"):
            return f"{self.stat('govnews/mongo/failed')} records failed to store"
        return None


def crawl_command(site: str | None = None, start_url: str | None = None, settings: dict | None = None,
                  output: str | None = None) -> list[str]:
    cmd = [sys.executable, "-P", "-m", "scrapy", "crawl", "site"]
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


def crawl_env(env: dict | None = None) -> dict:
    """The environment of a crawl process: ours, ``env`` on top, the govnews settings module."""
    return {**os.environ, **(env or {}), "SCRAPY_SETTINGS_MODULE": SETTINGS_MODULE}


def run_crawl(site: str | None = None, *, start_url: str | None = None, settings: dict | None = None,
              env: dict | None = None, output: str | None = None, log_path: str | Path | None = None,
              timeout: float = 3600) -> CrawlResult:
    """Crawl one site in a subprocess and return its result."""
    with tempfile.TemporaryDirectory(prefix="govnews-crawl-") as tmp:
        stats_file = Path(tmp) / "stats.json"
        log_path = Path(log_path) if log_path else Path(tmp) / "crawl.log"
        all_settings = {"LOG_FILE": str(log_path), **(settings or {}), "GOVNEWS_STATS_FILE": str(stats_file)}
        cmd = crawl_command(site, start_url, all_settings, output)
        started = time.perf_counter()
        proc = subprocess.run(cmd, env=crawl_env(env), timeout=timeout,
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
