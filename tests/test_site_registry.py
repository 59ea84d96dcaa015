"""The user's site registry read beside the shipped one: sources, name collisions refused,
checks of shipped sites kept in the user's file, the package data never written."""
from __future__ import annotations

import json

import pytest

from crawler.sites import DEFAULT_REGISTRY, RegistryError, load_registry, userfile
from govnews.cli import main

USER_SITE = {"name": "taizhou-kjj", "cms": "trs", "title": "泰州市科学技术局",
             "start_urls": ["http://kjj.taizhou.gov.cn/tzgg/index.html"],
             "columns": [{"title": "通知公告", "url": "http://kjj.taizhou.gov.cn/tzgg/index.html"}],
             "verified": "2026-11-30"}


@pytest.fixture
def user_file(tmp_path, monkeypatch):
    path = tmp_path / "mine.json"
    monkeypatch.setenv("GOVNEWS_SITES", str(path))
    return path


def test_both_registries_read_with_their_source(user_file):
    userfile.add_site(user_file, USER_SITE)
    sites = load_registry()
    assert sites["taizhou-kjj"].source == "user" and sites["taizhou-kjj"].verified == "2026-11-30"
    assert sites["taizhou-kjj"].column_titles() == ["通知公告"]
    assert sites["zhangye-kjj"].source == "shipped" and sites["zhangye-kjj"].verified is False
    assert sites["most"].column_titles() == ["/kjbgz/index.html"]     # no column title: its path


def test_data_dir_is_the_default_place(tmp_path, monkeypatch):
    monkeypatch.delenv("GOVNEWS_SITES", raising=False)
    monkeypatch.setenv("GOVNEWS_DATA_DIR", str(tmp_path))
    assert userfile.user_registry_path() == tmp_path / "sites.json"
    userfile.add_site(tmp_path / "sites.json", USER_SITE)
    assert "taizhou-kjj" in load_registry()


def test_a_user_site_cannot_take_a_shipped_name(user_file):
    user_file.write_text(json.dumps({"sites": [{**USER_SITE, "name": "most"}]}), "utf-8")
    with pytest.raises(RegistryError, match=r"'most' is already a shipped site"):
        load_registry()


def test_a_user_name_is_added_once(user_file):
    userfile.add_site(user_file, USER_SITE)
    with pytest.raises(ValueError, match="already there"):
        userfile.add_site(user_file, USER_SITE)


def test_checks_of_shipped_sites_live_in_the_user_file(user_file):
    shipped = DEFAULT_REGISTRY.read_bytes()
    userfile.record_check(user_file, "hebi-kjj", False, "工作动态: no article links on http://kjj.hebi.gov.cn/x")
    userfile.record_check(user_file, "most", "2026-12-01", None)
    userfile.add_site(user_file, USER_SITE)
    userfile.record_check(user_file, "taizhou-kjj", False, "通知公告: start URL answered HTTP 404")
    sites = load_registry()
    assert sites["hebi-kjj"].broken.startswith("工作动态: no article links") and not sites["hebi-kjj"].verified
    assert sites["most"].verified == "2026-12-01" and sites["most"].broken is None
    assert sites["taizhou-kjj"].broken == "通知公告: start URL answered HTTP 404"
    assert json.loads(user_file.read_text("utf-8"))["checks"]["most"] == {"verified": "2026-12-01"}
    userfile.record_check(user_file, "taizhou-kjj", "2026-12-02", None)
    assert load_registry()["taizhou-kjj"].broken is None
    assert DEFAULT_REGISTRY.read_bytes() == shipped


def test_a_broken_user_file_is_named(user_file):
    user_file.write_text("{not json", "utf-8")
    with pytest.raises(ValueError, match="mine.json"):
        load_registry()


@pytest.mark.parametrize("command", [["sites", "check"], ["sites", "list"], ["sites"], ["refresh"],
                                     ["sites", "add", "http://kjj.other.gov.cn/", "--name", "x"]])
def test_commands_refuse_a_colliding_user_file(user_file, command, capsys):
    user_file.write_text(json.dumps({"sites": [{**USER_SITE, "name": "hebi-kjj"}]}), "utf-8")
    assert main(command) in (1, 2)
    assert "site name 'hebi-kjj' is already a shipped site" in capsys.readouterr().err
