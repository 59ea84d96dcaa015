"""`govnews refresh`: the summary, a failed site named with its first cause, the lock, the
crontab line, and a refresh from a package installed outside the source checkout."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from crawler.fixtureserver import FixtureServer
from govnews import refresh_cmd
from tests.support.crawlenv import FAST, run_refresh
from tests.support.paths import REPO



def registry_with(path, *sites: dict, registered: tuple[str, ...] = ()) -> str:
    known = json.loads((REPO / "crawler/sites/registry.json").read_text("utf-8"))["sites"]
    entries = [s for s in known if s["name"] in registered] + list(sites)
    path.write_text(json.dumps({"sites": entries}), "utf-8")
    return str(path)


def site(name: str, host: str, path: str = "/index.html") -> dict:
    return {"name": name, "cms": "trs", "allowed_domains": [host], "start_urls": [f"http://{host}{path}"]}


def test_refresh_summary_and_failed_site(fixture_server, crawl_mongo_uri, tmp_path):
    reg = registry_with(tmp_path / "registry.json", site("gone", "kjj.nowhere.gov.cn"), registered=("henan-kjt",))
    proc = run_refresh(["--registry", reg, *FAST, "-s", "GOVNEWS_MONGO_DB=refresh_test"],
                       fixture_server.proxy_url, crawl_mongo_uri, tmp_path)
    assert proc.returncode == 1, proc.stderr
    lines = {line.split()[0]: line.split() for line in proc.stdout.splitlines() if line.split()}
    assert lines["henan-kjt"][1] == "ok" and lines["gone"][1] == "FAILED"
    assert "gone" in proc.stderr


def test_a_failed_site_shows_its_first_cause(crawl_mongo_uri, tmp_path):
    """DNS failure, robots.txt unreachable, 404 on the start URL: each named in the summary
    instead of a bare 'no list page could be fetched'."""
    root = tmp_path / "sites"
    busy = root / "kjj.busy.gov.cn"
    busy.mkdir(parents=True)
    (busy / "_busy.html").write_text("<html><body>服务器繁忙</body></html>", "utf-8")
    (busy / "_routes.json").write_text(json.dumps({"/robots.txt": {"status": 503, "file": "_busy.html"}}), "utf-8")
    (busy / "index.html").write_text("<html><body><a href='/a/t20240101_1.html'>新闻</a></body></html>", "utf-8")
    (root / "kjj.moved.gov.cn").mkdir()
    reg = registry_with(tmp_path / "registry.json", site("no-dns", "kjj.nowhere.invalid"),
                        site("robots-503", "kjj.busy.gov.cn"), site("start-404", "kjj.moved.gov.cn", "/xwzx/index.html"))
    with FixtureServer(root) as server:
        proc = run_refresh(["--registry", reg, *FAST, "-s", "GOVNEWS_MONGO_DB=refresh_causes"], server.proxy_url,
                           crawl_mongo_uri, tmp_path, no_proxy="nowhere.invalid")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = proc.stdout
    assert "no-dns: no list page could be fetched: DNS lookup failed for kjj.nowhere.invalid" in out, out
    assert ("robots-503: no list page could be fetched: robots.txt unreachable (HTTP 503): the whole site is "
            "disallowed for this run") in out, out
    assert "start-404: no list page could be fetched: HTTP 404 on http://kjj.moved.gov.cn/xwzx/index.html" in out, out


def test_refresh_lock_prevents_overlap(tmp_path):
    lock = tmp_path / "refresh.lock"
    with refresh_cmd.exclusive_lock(lock):
        with pytest.raises(BlockingIOError):
            with refresh_cmd.exclusive_lock(lock):
                pass
        proc = subprocess.run([sys.executable, "-m", "govnews.refresh_cmd", "--lock", str(lock), "--sites", "most"],
                              cwd=REPO, capture_output=True, text=True, timeout=60)
        assert proc.returncode == refresh_cmd.EXIT_LOCKED and "holds" in proc.stderr


def test_refresh_help_and_readme_give_the_same_crontab_line():
    helptext = subprocess.run([sys.executable, "-m", "govnews.cli", "refresh", "--help"], capture_output=True,
                              text=True, check=True).stdout
    assert refresh_cmd.CRONTAB in helptext
    assert refresh_cmd.CRONTAB in (REPO / "README.md").read_text("utf-8")


PACKAGE_FILES = ("pyproject.toml", "README.md", "cleaners", "crawler", "govnews", "storage")


def test_refresh_from_an_installed_package_outside_the_checkout(fixture_server, crawl_mongo_uri, tmp_path):
    """A non-editable install (a wheel built from a copy of the package files) into its own
    folder; refresh runs from an unrelated directory and never sees the checkout."""
    source, target, elsewhere = tmp_path / "src", tmp_path / "installed", tmp_path / "elsewhere"
    source.mkdir()
    for name in PACKAGE_FILES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(REPO / name, source / name)
    install = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                              "--no-index", "--target", str(target), str(source)], capture_output=True, text=True,
                             timeout=300)
    assert install.returncode == 0, install.stdout + install.stderr
    elsewhere.mkdir()
    env = {"PYTHONPATH": str(target)}
    where = subprocess.run([sys.executable, "-P", "-c", "import cleaners, crawler, govnews, storage; "
                            "print(*(m.__file__ for m in (cleaners, crawler, govnews, storage)))"],
                           cwd=elsewhere, env={**os.environ, **env}, capture_output=True, text=True, check=True)
    assert all(path.startswith(str(target)) for path in where.stdout.split()), where.stdout
    proc = run_refresh(["--sites", "henan-kjt", *FAST, "-s", "GOVNEWS_MONGO_DB=refresh_installed"],
                       fixture_server.proxy_url, crawl_mongo_uri, tmp_path / "data", cwd=elsewhere, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = {line.split()[0]: line.split() for line in proc.stdout.splitlines() if line.split()}
    assert rows["henan-kjt"][1] == "ok", proc.stdout
