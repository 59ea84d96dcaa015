"""`govnews sites add URL` on a fixture site of each CMS family: the family and exactly the
news-bearing columns are picked from a home page that mixes them with sections, leadership,
service, contact and off-site links; a crawl of the new entry stores every article of its
columns; each refusal says why and writes nothing."""
from __future__ import annotations

import datetime as dt
import json
import shutil

import pymongo
import pytest

from crawler.fixtureserver import FixtureServer
from tests.support.paths import SITES
from tests.support.sitescmd import home_expectations, sites_cmd, user_registry

HOMES = home_expectations()


def test_every_family_has_a_home_page():
    assert set(HOMES) == {"trs", "hanweb", "vsb", "generic"}


@pytest.fixture(scope="module")
def added(fixture_server, tmp_path_factory):
    """Each family's home page added to one user registry, as ``new-<family>``."""
    data_dir = tmp_path_factory.mktemp("sites-add")
    procs = {family: sites_cmd(["add", home["home"], "--name", f"new-{family}"], fixture_server.proxy_url, data_dir)
             for family, home in HOMES.items()}
    return data_dir, procs


@pytest.mark.parametrize("family", ["trs", "hanweb", "vsb", "generic"])
def test_add_picks_the_family_and_the_news_columns(added, family):
    data_dir, procs = added
    proc = procs[family]
    assert proc.returncode == 0, proc.stderr
    entry = json.loads(proc.stdout)
    assert entry["cms"] == family
    assert sorted(entry["start_urls"]) == sorted(HOMES[family]["columns"])
    assert entry["verified"] == dt.date.today().isoformat()
    assert "decided by:" in proc.stderr
    stored = {s["name"]: s for s in user_registry(data_dir)["sites"]}
    assert stored[f"new-{family}"] == entry


def test_why_columns_were_passed_over(added):
    _, procs = added
    trs = procs["trs"].stderr
    assert "passed over 信息公开 http://xxgk.zhangye.gov.cn/kjj/: off-site link" in trs
    assert "passed over 新闻中心 http://kjj.zhangye.gov.cn/kjdt/index.html: section above 工作动态" in trs
    assert "dropped: no article links on http://kjj.zhangye.gov.cn/gsgg/index.html" in trs   # a JS-only list
    assert "Visual SiteBuilder" in procs["vsb"].stderr and "WebId" in procs["hanweb"].stderr
    assert "no CMS family sign" in procs["generic"].stderr


@pytest.mark.parametrize("family", ["trs", "hanweb", "vsb", "generic"])
def test_a_crawl_of_the_new_entry_stores_every_article_of_its_columns(added, crawl, crawl_db, monkeypatch, family):
    data_dir, _ = added
    monkeypatch.setenv("GOVNEWS_SITES", str(data_dir / "sites.json"))
    db_name, db = crawl_db
    result = crawl(f"new-{family}", db=db_name)
    assert result.failure is None, result.error
    stored = {d["url"] for d in db["articles"].find({"status": "ok"}, {"url": 1})}
    expected = {url for urls in HOMES[family]["columns"].values() for url in urls}
    assert expected <= stored, sorted(expected - stored)
    assert stored <= expected, sorted(stored - expected)


def test_sites_list_shows_both_sources(added, crawl_mongo_uri, fixture_server):
    data_dir, _ = added
    proc = sites_cmd(["list", "--mongo-uri", crawl_mongo_uri, "--db", "sites_list_test"], fixture_server.proxy_url,
                     data_dir)
    assert proc.returncode == 0, proc.stderr
    rows = {line.split()[0]: line for line in proc.stdout.splitlines()[2:] if line and not line.startswith(" ")}
    today = dt.date.today().isoformat()
    assert rows["new-trs"].split()[1:4] == ["user", "trs", today]
    assert rows["new-trs"].endswith("工作动态, 通知公告, 政策文件")
    assert rows["zhangye-kjj"].split()[1:4] == ["shipped", "trs", "never"]
    assert set(rows) >= {"new-hanweb", "new-vsb", "new-generic", "most", "hebi-kjj"}


def test_dry_run_and_column_words(fixture_server, tmp_path):
    proc = sites_cmd(["add", HOMES["trs"]["home"], "--name", "notices", "--columns", "通知", "--dry-run"],
                     fixture_server.proxy_url, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["start_urls"] == ["http://kjj.zhangye.gov.cn/tzgg/index.html"]
    assert not (tmp_path / "sites.json").exists()


# -- refusals: a message, exit 1, nothing written ---------------------------------------------

def refused(proc, data_dir, message: str) -> None:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert message in proc.stderr, proc.stderr
    assert proc.stdout == ""
    assert not (data_dir / "sites.json").exists()


def test_a_url_outside_http_is_refused(fixture_server, tmp_path):
    for url in ("ftp://kjj.zhangye.gov.cn/", "file:///etc/passwd", "kjj.zhangye.gov.cn"):
        refused(sites_cmd(["add", url, "--name", "x"], fixture_server.proxy_url, tmp_path), tmp_path,
                "is not an http(s) URL")


def test_a_shipped_name_is_refused(fixture_server, tmp_path):
    # the name from the host, zhangye-kjj, is a shipped site's
    refused(sites_cmd(["add", HOMES["trs"]["home"]], fixture_server.proxy_url, tmp_path), tmp_path,
            "a shipped site is already named 'zhangye-kjj'")


def test_a_user_name_is_refused(fixture_server, tmp_path):
    first = sites_cmd(["add", HOMES["generic"]["home"], "--name", "gx"], fixture_server.proxy_url, tmp_path)
    assert first.returncode == 0, first.stderr
    before = (tmp_path / "sites.json").read_bytes()
    again = sites_cmd(["add", HOMES["vsb"]["home"], "--name", "gx"], fixture_server.proxy_url, tmp_path)
    assert again.returncode == 1 and "a user site is already named 'gx'" in again.stderr
    assert (tmp_path / "sites.json").read_bytes() == before


@pytest.fixture(scope="module")
def odd_sites(tmp_path_factory):
    """A host answering with a Ruishu challenge, and one whose home page has no news column."""
    root = tmp_path_factory.mktemp("odd-sites")
    shutil.copytree(SITES / "www.most.gov.cn", root / "kjj.shield.gov.cn")
    (root / "kjj.shield.gov.cn" / "_routes.json").write_text(
        json.dumps({"/": {"status": 412, "file": "_ruishu.html"}}), "utf-8")
    bare = root / "kjj.bare.gov.cn"
    bare.mkdir()
    (bare / "index.html").write_text(
        '<html><head><meta charset="utf-8"><title>某局</title></head><body><a href="/ldxx/">领导信息</a>'
        '<a href="/jgzn/">机构职能</a><a href="/lxwm/">联系我们</a><a href="/bsfw/">办事服务</a>'
        '<a href="http://www.gov.cn/xinwen/">中国政府网新闻</a></body></html>', "utf-8")
    with FixtureServer(root) as server:
        yield server


def test_a_challenge_host_is_refused(odd_sites, tmp_path):
    refused(sites_cmd(["add", "http://kjj.shield.gov.cn/"], odd_sites.proxy_url, tmp_path), tmp_path,
            "kjj.shield.gov.cn answers with an anti-bot challenge page")


def test_a_home_page_without_columns_is_refused(odd_sites, tmp_path):
    refused(sites_cmd(["add", "http://kjj.bare.gov.cn/"], odd_sites.proxy_url, tmp_path), tmp_path,
            "no recognizable news column on http://kjj.bare.gov.cn/")


def test_robots_txt_is_obeyed(fixture_server, tmp_path):
    """The fixture zhangye site disallows /search/: a home page there is never fetched."""
    refused(sites_cmd(["add", "http://kjj.zhangye.gov.cn/search/index.html", "--name", "s"],
                      fixture_server.proxy_url, tmp_path), tmp_path, "robots.txt of kjj.zhangye.gov.cn disallows")
