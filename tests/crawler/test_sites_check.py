"""`govnews sites check` on copies of the fixture sites where one column moved, one's
articles came back empty, one list is filled by JavaScript only and one column answers with
a challenge page: each broken site is named with its column and reason, a healthy one is
verified, the outcome is kept in the user's registry (a shipped site's too, without touching
the package data); and `govnews refresh` checks a site that failed, naming the dead column."""
from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from crawler.fixtureserver import FixtureServer
from crawler.sites import DEFAULT_REGISTRY
from tests.support.crawlenv import FAST, run_refresh
from tests.support.paths import SITES
from tests.support.sitescmd import sites_cmd, user_registry

ZY, HEBI, LZ = "http://kjj.zhangye.gov.cn", "http://kjj.hebi.gov.cn", "http://kjj.lanzhou.gov.cn"
EMPTY = '<html><head><meta charset="utf-8"><title>政策文件</title></head><body><div class="nav"><a href="/">首页</a></div></body></html>'


def entry(name: str, cms: str, *columns: tuple[str, str]) -> dict:
    return {"name": name, "cms": cms, "start_urls": [url for _, url in columns],
            "columns": [{"title": title, "url": url} for title, url in columns], "verified": "2026-01-05"}


USER_SITES = [
    entry("zy-news", "trs", ("工作动态", f"{ZY}/kjdt/gzdt/index.html"), ("通知公告", f"{ZY}/tzgg/index.html")),
    entry("zy-policy", "trs", ("政策文件", f"{ZY}/zcwj/index.html")),
    entry("zy-public", "trs", ("公示公告", f"{ZY}/gsgg/index.html")),
    entry("hebi-notices", "hanweb", ("通知公告", f"{HEBI}/col/col4502/index.html")),
    entry("lz-news", "vsb", ("科技动态", f"{LZ}/xwzx/kjdt.htm"), ("通知公告", f"{LZ}/xwzx/tzgg.htm")),
]


@pytest.fixture(scope="module")
def changed_sites(tmp_path_factory):
    """The fixture sites after the bureaus changed things."""
    root = tmp_path_factory.mktemp("changed") / "sites"
    shutil.copytree(SITES, root)
    zy = root / "kjj.zhangye.gov.cn"
    (zy / "xwzx").mkdir(exist_ok=True)
    (zy / "tzgg").rename(zy / "xwzx" / "tzgg")                         # the notices column moved
    for page in (zy / "zcwj").glob("*/t*.html"):                       # policy articles now empty
        page.write_text(EMPTY, "utf-8")
    hebi = root / "kjj.hebi.gov.cn"
    shutil.copy(root / "www.most.gov.cn" / "_ruishu.html", hebi / "_ruishu.html")
    (hebi / "_routes.json").write_text(json.dumps({"/col/col4502/index.html": {"status": 412, "file": "_ruishu.html"}}),
                                       "utf-8")
    with FixtureServer(root) as server:
        yield server


@pytest.fixture
def data_dir(tmp_path):
    (tmp_path / "sites.json").write_text(json.dumps({"sites": USER_SITES}, ensure_ascii=False), "utf-8")
    return tmp_path


def test_check_names_each_broken_column_and_verifies_the_healthy(changed_sites, data_dir):
    shipped = DEFAULT_REGISTRY.read_bytes()
    proc = sites_cmd(["check", "zy-news", "zy-policy", "zy-public", "hebi-notices", "lz-news", "most"],
                     changed_sites.proxy_url, data_dir)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "4 of 6 site(s) broken: zy-news, zy-policy, zy-public, hebi-notices" in proc.stderr
    saved = user_registry(data_dir)
    state = {s["name"]: s for s in saved["sites"]}
    today = dt.date.today().isoformat()
    assert state["zy-news"]["verified"] is False
    assert state["zy-news"]["broken"] == f"通知公告: start URL {ZY}/tzgg/index.html answered HTTP 404"
    assert state["zy-policy"]["broken"].startswith("政策文件: articles empty or low confidence: ")
    assert state["zy-public"]["broken"] == f"公示公告: no article links on {ZY}/gsgg/index.html"
    assert state["hebi-notices"]["broken"].startswith(f"通知公告: challenge page at {HEBI}/col/col4502/index.html (HTTP 412")
    assert state["lz-news"]["verified"] == today and "broken" not in state["lz-news"]
    assert saved["checks"] == {"most": {"verified": today}}
    assert DEFAULT_REGISTRY.read_bytes() == shipped
    table = {tuple(line.split()[:2]): line.split()[2] for line in proc.stdout.splitlines()[2:]}
    assert table[("zy-news", "工作动态")] == "ok" and table[("zy-news", "通知公告")] == "BROKEN"
    assert table[("zy-news", "(site)")] == "broken" and table[("hebi-notices", "(site)")] == "broken"
    assert table[("lz-news", "(site)")] == "verified" and table[("most", "(site)")] == "verified"


def test_a_healthy_site_exits_zero_and_the_list_shows_the_state(changed_sites, data_dir, crawl_mongo_uri):
    proc = sites_cmd(["check", "lz-news"], changed_sites.proxy_url, data_dir)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    sites_cmd(["check", "zy-public"], changed_sites.proxy_url, data_dir)
    listing = sites_cmd(["list", "--mongo-uri", crawl_mongo_uri, "--db", "sites_check_list"],
                        changed_sites.proxy_url, data_dir).stdout
    rows = {line.split()[0]: line.split() for line in listing.splitlines()[2:] if line and not line.startswith(" ")}
    assert rows["lz-news"][1:4] == ["user", "vsb", dt.date.today().isoformat()]
    assert rows["zy-public"][3] == "BROKEN"
    assert f"  zy-public: broken: 公示公告: no article links on {ZY}/gsgg/index.html" in listing


def test_an_unknown_name(changed_sites, data_dir):
    proc = sites_cmd(["check", "nowhere"], changed_sites.proxy_url, data_dir)
    assert proc.returncode == 2 and "unknown site(s): nowhere" in proc.stderr


def test_refresh_checks_a_failed_site_and_names_the_dead_column(changed_sites, crawl_mongo_uri, tmp_path):
    (tmp_path / "sites.json").write_text(json.dumps({"sites": [
        entry("zy-moved", "trs", ("通知公告", f"{ZY}/tzgg/index.html"))]}, ensure_ascii=False), "utf-8")
    proc = run_refresh(["--sites", "zy-moved", *FAST, "-s", "GOVNEWS_MONGO_DB=refresh_check"],
                       changed_sites.proxy_url, crawl_mongo_uri, tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"  zy-moved: check: column 通知公告 broken: start URL {ZY}/tzgg/index.html answered HTTP 404" \
        in proc.stdout.splitlines(), proc.stdout
    [saved] = user_registry(tmp_path)["sites"]
    assert saved["broken"] == f"通知公告: start URL {ZY}/tzgg/index.html answered HTTP 404"
