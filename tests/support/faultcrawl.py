"""Helpers for the fault and safety crawl tests: run the real ``site`` spider in a child
process against :class:`tests.support.faultserver.FaultServer` (as the HTTP proxy for its made-up
host names) and read back stats, log, stderr and the child's peak RSS (measured through
``bombs.run_with_rusage``, whose launcher keeps the caller's own size out of the figure)."""
from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from crawler.runner import LOCAL_FAST, CrawlResult, crawl_command
from tests.support import bombs
from tests.support.crawlenv import proxy_env


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
    child_env = proxy_env(proxy_url, **{"https_proxy": proxy_url, "GOVNEWS_DATA_DIR": str(workdir / "data"),
                                        **(env or {})})
    if pass_uri_as_setting:
        all_settings["GOVNEWS_MONGO_URI"] = mongo_uri
        child_env.pop("GOVNEWS_MONGO_URI", None)
    else:
        child_env["GOVNEWS_MONGO_URI"] = mongo_uri
    returncode, seconds, peak_mib, stderr, _ = bombs.run_with_rusage(
        crawl_command(site, start_url, all_settings), env=child_env, timeout=timeout)
    stats = json.loads(stats_path.read_text("utf-8")) if stats_path.exists() else {}
    log = log_path.read_text("utf-8", "replace") if log_path.exists() else ""
    result = CrawlResult(site or start_url or "?", returncode, seconds, stats, log_path)
    return MeasuredCrawl(result, log, stderr, peak_mib)


def write_registry(path: Path, name: str, start_urls: list[str], allowed_domains: list[str]) -> Path:
    path.write_text(json.dumps({"sites": [{"name": name, "start_urls": start_urls, "allowed_domains": allowed_domains,
                                           "cms": "trs"}]}, ensure_ascii=False), "utf-8")
    return path
