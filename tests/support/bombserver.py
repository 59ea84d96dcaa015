"""A loopback site that answers article URLs with decompression bombs, and a crawl runner
that measures the crawler's peak memory.

The site is an ordinary ``crawler.fixtureserver`` root built in a temp directory: one host,
``kjj.bombs.example.gov.cn``, with a list page per scenario (``/<scenario>/index.html``)
linking three articles:

- ``.../t20230221_1.html`` a normal article, sent plain;
- ``.../t20230221_2.html`` the same kind of article sent ``Content-Encoding: gzip`` (a
  well-behaved compressed page must still be stored);
- ``.../t20230221_3.html`` the bomb, sent with the scenario's ``Content-Encoding`` (from
  ``_routes.json``: ``file`` + ``headers``), expanding to 1 GiB of zeros.

:func:`crawl_with_rusage` runs ``scrapy crawl site -a start_url=...`` as a child process
and reads its peak RSS from ``os.wait4`` (the kernel's ``ru_maxrss`` for that process and
its waited-for children, the cleaning workers) — memory measured from outside the crawl,
through the small launcher of ``bombs.run_with_rusage``.
"""
from __future__ import annotations

import gzip
import json
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from crawler.runner import LOCAL_FAST, crawl_command
from tests.support import bombs
from tests.support.crawlenv import proxy_env
from tests.support.paths import SITES

HOST = "kjj.bombs.example.gov.cn"
SCENARIOS = {bombs.ENCODINGS[enc]: enc for enc in bombs.ENCODINGS}   # name → Content-Encoding
ARTICLE_SOURCE = SITES / "kjj.zhangye.gov.cn" / "kjdt" / "gzdt" / "202302" / "t20230221_1000.html"


def article_html(scenario: str, n: int) -> bytes:
    """A real fixture article with a unique headline so every stored record is traceable."""
    html = ARTICLE_SOURCE.read_text("utf-8")
    tag = f"（{scenario}-{n}）"
    html = html.replace("</h1>", f"{tag}</h1>", 1).replace('name="ArticleTitle" content="', f'name="ArticleTitle" content="{tag}', 1)
    return html.encode("utf-8")


def urls(scenario: str) -> dict[str, str]:
    base = f"http://{HOST}/{scenario}/202302/"
    return {"list": f"http://{HOST}/{scenario}/index.html", "plain": base + "t20230221_1.html",
            "gzipped": base + "t20230221_2.html", "bomb": base + "t20230221_3.html"}


def build_site(root: Path, scenarios=None) -> Path:
    """Write the fixture root (``root/<HOST>/...``) for ``scenarios`` (default: all)."""
    site = Path(root) / HOST
    site.mkdir(parents=True, exist_ok=True)
    (site / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    (site / "_site.json").write_text(json.dumps({"charset": "utf-8"}))
    routes = {}
    for scenario in scenarios or SCENARIOS:
        u = urls(scenario)
        folder = site / scenario / "202302"
        folder.mkdir(parents=True, exist_ok=True)
        links = "\n".join(f'<li><a href="{u[k]}">科技动态 {scenario} {k}</a><span>2023-02-21</span></li>'
                          for k in ("plain", "gzipped", "bomb"))
        (site / scenario / "index.html").write_text(
            f"<html><head><meta charset='utf-8'><title>工作动态</title></head><body><ul>{links}</ul></body></html>",
            "utf-8")
        (folder / "t20230221_1.html").write_bytes(article_html(scenario, 1))
        gz_name = f"_{scenario}_gzipped.bin"
        (site / gz_name).write_bytes(gzip.compress(article_html(scenario, 2), mtime=0))
        bomb_name = f"_{scenario}_bomb.bin"
        target = site / bomb_name
        if not target.exists():
            try:
                os.link(bombs.bomb(scenario), target)     # the cached bomb, no copy
            except OSError:
                shutil.copyfile(bombs.bomb(scenario), target)
        path = lambda url: url.split(HOST, 1)[1]      # noqa: E731
        routes[path(u["gzipped"])] = {"file": gz_name, "content_type": "text/html; charset=utf-8",
                                      "headers": {"Content-Encoding": "gzip"}}
        routes[path(u["bomb"])] = {"file": bomb_name, "content_type": "text/html; charset=utf-8",
                                   "headers": {"Content-Encoding": SCENARIOS[scenario]}}
    (site / "_routes.json").write_text(json.dumps(routes, indent=1))
    return site


@dataclass
class RusageCrawl:
    scenario: str
    returncode: int
    seconds: float
    peak_rss_mb: float
    stats: dict = field(default_factory=dict)
    log: str = ""
    log_path: Path | None = None
    timed_out: bool = False


def crawl_with_rusage(start_url: str, *, proxy_url: str, mongo_uri: str, db: str, workdir: Path,
                      scenario: str = "", timeout: float = 180, **settings) -> RusageCrawl:
    """One ``scrapy crawl`` in a child process through the fixture proxy; its peak RSS from wait4."""
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    tag = f"{scenario or 'crawl'}-{uuid.uuid4().hex[:6]}"
    log_path, stats_path = workdir / f"{tag}.log", workdir / f"{tag}.stats.json"
    all_settings = {**LOCAL_FAST, "LOG_LEVEL": "INFO", "GOVNEWS_MONGO_DB": db, **settings,
                    "LOG_FILE": str(log_path), "GOVNEWS_STATS_FILE": str(stats_path)}
    env = proxy_env(proxy_url, GOVNEWS_MONGO_URI=mongo_uri)
    returncode, seconds, peak_mb, _, timed_out = bombs.run_with_rusage(
        crawl_command(start_url=start_url, settings=all_settings), env=env, timeout=timeout)
    stats = json.loads(stats_path.read_text("utf-8")) if stats_path.exists() else {}
    log = log_path.read_text("utf-8", "replace") if log_path.exists() else ""
    return RusageCrawl(scenario, returncode, seconds, peak_mb, stats, log, log_path, timed_out)
