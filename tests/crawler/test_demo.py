"""`govnews demo`: the bundled fixture sites crawled with the real spider, and its summary."""
from __future__ import annotations

import os
import subprocess
import sys

from tests.support.paths import REPO


def summary_rows(stdout: str) -> dict[str, dict]:
    """The per-site rows of a crawl summary, by column name."""
    lines = stdout.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("site "))
    names = lines[head].split()
    rows = {}
    for line in lines[head + 2:]:
        cells = line.split()
        if len(cells) == len(names) and not line.startswith(" "):
            rows[cells[0]] = dict(zip(names, cells))
    return rows


def test_demo_crawls_bundled_sites_and_counts_blocked_pages_alike(crawl_mongo_uri, tmp_path):
    env = {**os.environ, "GOVNEWS_DATA_DIR": str(tmp_path), "GOVNEWS_MONGO_URI": crawl_mongo_uri}
    env.pop("http_proxy", None)
    proc = subprocess.run([sys.executable, "-m", "govnews.demo_cmd", "--sites", "zhangye-kjj", "most", "gansu-kjt",
                           "--db", "demo_test"], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "zhangye-kjj    10/10 manifest articles in the store (100%)" in proc.stdout
    rows = summary_rows(proc.stdout)
    # most answers a 412 shell (dropped before the spider sees it), gansu-kjt a login wall
    # (dropped after cleaning): on both, the blocked page is one of the pages fetched.
    for site in ("most", "gansu-kjt"):
        row = rows[site]
        assert int(row["blocked"]) == 1
        assert int(row["fetched"]) == int(row["new"]) + int(row["blocked"]), (site, row)
