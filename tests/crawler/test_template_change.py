"""Sites change their templates between two refreshes: the first refresh after the change flags
them (in the summary, the exit status, the webhook and `govnews sites`); the unchanged site
raises nothing, a site still broken is flagged again, and a repaired one is well again."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pymongo

from crawler.fixtureserver import FixtureServer
from govnews.refresh_cmd import EXIT_FLAGGED
from tests.support.crawlenv import FAST, run_refresh
from tests.support.paths import REPO, SITES
from tests.support.webhook import webhook_receiver

SITE_NAMES = ("zhangye-kjj", "lanzhou-kjj", "hebi-kjj")


def body_into_script(html: str) -> str:
    """The new template fills the article body in by script: the container is empty."""
    def moved(match):
        return (f'<div class="TRS_Editor" id="zoom"></div><script>document.getElementById("zoom").innerHTML = '
                f"{json.dumps(match.group(1))};</script>")
    return re.sub(r'<div class="TRS_Editor">(.*?)</div>', moved, html, count=1, flags=re.S)


def date_into_script(html: str) -> str:
    """The new template drops the PubDate meta and writes the date line by script."""
    html = re.sub(r'<meta name="PubDate"[^>]*>', "", html)
    return re.sub(r"发布时间：\d{4}-\d{2}-\d{2}", '发布时间：<span id="pubdate"></span>', html)


def change_template(root: Path, host: str, pattern: str, change, encoding: str) -> int:
    pages = sorted(root.joinpath(host).glob(pattern))
    for page in pages:
        page.write_bytes(change(page.read_bytes().decode(encoding)).encode(encoding))
    return len(pages)


def summary(stdout: str) -> dict[str, list[str]]:
    return {line.split()[0]: line.split() for line in stdout.splitlines()
            if line.split() and line.split()[0] in SITE_NAMES}


def test_a_template_change_is_flagged_on_the_first_refresh_after_it(crawl_mongo_uri, tmp_path):
    root = tmp_path / "sites"
    shutil.copytree(SITES, root)
    db = "template_" + uuid.uuid4().hex[:8]
    args = ["--sites", *SITE_NAMES, *FAST, "-s", f"GOVNEWS_MONGO_DB={db}"]
    with FixtureServer(root) as server, webhook_receiver() as hook:
        def refresh():
            return run_refresh(args, server.proxy_url, crawl_mongo_uri, tmp_path / "data", no_proxy="127.0.0.1",
                               env={"GOVNEWS_ALERT_WEBHOOK": hook.url})

        first = refresh()
        assert first.returncode == 0, first.stdout + first.stderr
        assert all(row[1] == "ok" and row[-1] == "ok" for row in summary(first.stdout).values()), first.stdout

        assert change_template(root, "kjj.zhangye.gov.cn", "kjdt/gzdt/*/t*.html", body_into_script, "utf-8") >= 9
        assert change_template(root, "kjj.lanzhou.gov.cn", "info/1011/*.htm", date_into_script, "gbk") == 9
        second = refresh()
        assert second.returncode == EXIT_FLAGGED, second.stdout + second.stderr
        rows = summary(second.stdout)
        assert rows["zhangye-kjj"][-1] == "FLAGGED" and rows["lanzhou-kjj"][-1] == "FLAGGED", second.stdout
        assert rows["hebi-kjj"][-1] == "ok" and rows["hebi-kjj"][1] == "ok", second.stdout
        assert re.search(r"zhangye-kjj: HEALTH mostly_empty: \d+ of \d+ records cleaned to no text", second.stdout)
        assert re.search(r"lanzhou-kjj: HEALTH date_coverage_drop: \d+% of records have a publish date "
                         r"\(usually 100%\)", second.stdout), second.stdout
        assert "2 of 3 site(s) flagged: zhangye-kjj, lanzhou-kjj" in second.stderr

        sites = subprocess.run([sys.executable, "-m", "govnews.cli", "sites", "--mongo-uri", crawl_mongo_uri,
                                "--db", db], cwd=REPO, env=os.environ, capture_output=True, text=True, timeout=120)
        lines = {line.split()[0]: line for line in sites.stdout.splitlines() if line and not line.startswith(" ")}
        assert lines["zhangye-kjj"].endswith("FLAGGED") and lines["lanzhou-kjj"].endswith("FLAGGED"), sites.stdout
        assert lines["hebi-kjj"].endswith("ok") and "lanzhou-kjj: date_coverage_drop" in sites.stdout

        third = refresh()          # zhangye-kjj still fills its body by script; lanzhou-kjj's pages answer 304
        assert third.returncode == EXIT_FLAGGED, third.stdout + third.stderr
        assert [name for name, row in summary(third.stdout).items() if row[-1] == "FLAGGED"] == ["zhangye-kjj"]

        for page in root.joinpath("kjj.zhangye.gov.cn").rglob("t*.html"):     # the site is repaired
            shutil.copy2(SITES / page.relative_to(root), page)
        fourth = refresh()
        assert fourth.returncode == 0, fourth.stdout + fourth.stderr
        assert all(row[-1] == "ok" for row in summary(fourth.stdout).values()), fourth.stdout

    alerts = [{site["site"]: [f["flag"] for f in site["flags"]] for site in post.json["sites"]}
              for post in hook.received]
    assert alerts == [{"zhangye-kjj": ["mostly_empty"], "lanzhou-kjj": ["date_coverage_drop"]},
                      {"zhangye-kjj": ["mostly_empty"]}]
    client = pymongo.MongoClient(crawl_mongo_uri)
    try:
        runs = list(client[db]["runs"].find({}, {"site": 1}))
        client.drop_database(db)
    finally:
        client.close()
    assert len(runs) == 12 and {r["site"] for r in runs} == set(SITE_NAMES)
