"""`govnews clean` end to end: the installed console script on a temp dump directory,
with -o and with a real MongoDB wire server."""
from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pymongo
import pytest

from cleaners.record import load_schema
from govnews.clean_cmd import Progress
from govnews.inputs import InputError, find_inputs, read_page
from storage import ArticleStore, mongo_uri

GOVNEWS = shutil.which("govnews", path=str(Path(sys.executable).parent)) or "govnews"

PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}">
<title>{title}_{site}</title>
<meta name="SiteName" content="{site}">
<meta name="ColumnName" content="科技动态">
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{date} 09:30">
<meta name="ContentSource" content="{site}">
</head><body>
<div class="header"><a href="/">首页</a> <a href="/kjdt/">科技动态</a> <a href="/tzgg/">通知公告</a></div>
<div class="CurrChnlCls">当前位置：<a href="/">首页</a> &gt; <a href="/kjdt/">科技动态</a></div>
<h1>{title}</h1>
<div class="info">发布时间：{date} 09:30 来源：{site}</div>
<div class="TRS_Editor">
{paras}
</div>
<div class="footer">主办单位：{site} 网站标识码：1234000001 ICP备05001234号</div>
</body></html>"""


def page(title: str, date: str = "2024-03-07", charset: str = "utf-8", paras: int = 4) -> bytes:
    body = "\n".join(f"<p>第{i}段：{title}。市科技局深入实施创新驱动发展战略，推动科技成果转化，"
                     f"支持企业加大研发投入，全年新增高新技术企业{i * 10 + 3}家。</p>" for i in range(paras))
    return PAGE.format(title=title, date=date, site="某市科学技术局", charset=charset, paras=body).encode(charset)


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def dump(tmp_path) -> Path:
    """A dump directory shaped like a site mirror, with the awkward files real dumps have."""
    root = tmp_path / "dump"
    site = root / "kjj.example.gov.cn"
    write(site / "kjdt/202403/t20240307_1.html", page("市科技局召开2024年科技创新工作会议"))
    write(site / "kjdt/202403/t20240308_2.shtml", page("高新技术企业认定工作启动", "2024-03-08", charset="gbk"))
    write(site / "tzgg/2024/t20240309_3.htm.gz", gzip.compress(page("关于申报科技计划项目的通知", "2024-03-09")))
    write(site / "tzgg/2024/deep/er/t20240310_4.HTML", page("科技特派员工作推进会召开", "2024-03-10"))
    write(site / "kjdt/202403/saved-gzipped.html", gzip.compress(page("一季度科技成果转化情况", "2024-03-11")))
    write(site / "kjdt/index.html", b"<html><body><ul><li><a href='/a'>\xe9\xa6\x96\xe9\xa1\xb5</a></li></ul></body></html>")
    write(site / "kjdt/broken.html.gz", gzip.compress(page("被截断的页面"))[:200])
    write(site / "kjdt/not-really.html", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    write(site / "kjdt/P020240307_guide.pdf", b"%PDF-1.4\n")       # not a page name: skipped
    write(site / "kjdt/notes.txt", "抓取记录".encode())             # skipped
    os.symlink(site / "gone.html", site / "kjdt/dead-link.html")     # listed, unreadable
    os.mkfifo(site / "kjdt/fifo.html")                               # must not block the batch
    return root


@pytest.fixture
def archive(tmp_path) -> Path:
    root = tmp_path / "archive"
    write(root / "2023/12/t20231201_9.html.gz", gzip.compress(page("2023年度科技工作总结", "2023-12-01")))
    write(root / "2023/12/t20231202_10.html", page("年终科技成果展示", "2023-12-02"))
    return root


def run_clean(*args, env=None, cwd=None, timeout=300) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k != "GOVNEWS_MONGO_URI"}
    full_env.update(env or {})
    return subprocess.run([GOVNEWS, "clean", *map(str, args)], capture_output=True, text=True,
                          env=full_env, cwd=cwd, timeout=timeout)


@pytest.fixture
def data_env(tmp_path) -> dict:
    """Keep the embedded database of these runs inside the test's temp dir."""
    return {"GOVNEWS_DATA_DIR": str(tmp_path / "govnews-data")}


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def by_name(records: list[dict]) -> dict[str, dict]:
    return {Path(r["path"]).name: r for r in records}


def test_clean_dump_dirs_gz_glob_and_bad_files_to_jsonl(dump, archive, tmp_path, data_env):
    out = tmp_path / "out.jsonl"
    proc = run_clean(dump, f"{archive}/*/*/*.gz", "-o", out, env=data_env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    records = read_jsonl(out)
    names = by_name(records)
    assert set(names) == {"t20240307_1.html", "t20240308_2.shtml", "t20240309_3.htm.gz", "t20240310_4.HTML",
                          "saved-gzipped.html", "index.html", "broken.html.gz", "not-really.html",
                          "dead-link.html", "fifo.html", "t20231201_9.html.gz"}           # .pdf/.txt skipped; glob took only .gz
    required = load_schema()["required"]
    for record in records:
        assert not set(required) - set(record), record["path"]
        assert os.path.lexists(record["path"])

    ok = {n for n, r in names.items() if r["status"] == "ok"}
    assert ok == {"t20240307_1.html", "t20240308_2.shtml", "t20240309_3.htm.gz", "t20240310_4.HTML",
                  "saved-gzipped.html", "t20231201_9.html.gz"}
    first = names["t20240307_1.html"]
    assert first["title"] == "市科技局召开2024年科技创新工作会议"
    assert first["published_at"] == "2024-03-07T09:30:00+08:00"
    assert "全年新增高新技术企业13家" in first["text"] and "ICP备" not in first["text"]
    assert names["t20240308_2.shtml"]["title"] == "高新技术企业认定工作启动"          # GBK page
    assert names["t20240309_3.htm.gz"]["title"] == "关于申报科技计划项目的通知"
    assert names["saved-gzipped.html"]["title"] == "一季度科技成果转化情况"           # gzip by content

    assert names["index.html"]["status"] == "empty"
    assert names["broken.html.gz"]["status"] == "error"
    assert names["broken.html.gz"]["reason"].startswith("broken gzip file")
    assert names["dead-link.html"]["status"] == "error"
    assert names["dead-link.html"]["reason"].startswith("cannot read file")
    assert names["not-really.html"]["status"] == "error"
    assert (names["fifo.html"]["status"], names["fifo.html"]["reason"]) == ("error", "not a regular file")
    assert all(r["text"] == "" and r["content_hash"] is None for r in records if r["status"] != "ok")

    assert "市科技局" in out.read_text("utf-8")      # ensure_ascii=False
    assert "11 pages" in proc.stderr and "6 ok, 1 empty, 0 blocked, 4 errors" in proc.stderr
    assert "pages/s" in proc.stderr
    assert "\r" not in proc.stderr                    # no progress bar when stderr is not a terminal
    assert not (tmp_path / "govnews-data").exists()   # -o alone stores nothing


def test_clean_into_mongodb_twice_stores_nothing_twice(dump, tmp_path, mongo_server, mongo_db, data_env):
    out = tmp_path / "out.jsonl"
    proc = run_clean(dump, "-o", out, "--mongo-uri", mongo_server, "--db", mongo_db, env=data_env)
    assert proc.returncode == 0, proc.stderr
    assert "stored in mongodb://" in proc.stderr and "5 new, 0 updated, 0 unchanged, 0 failed" in proc.stderr
    records = read_jsonl(out)
    client = pymongo.MongoClient(mongo_server)
    coll = client[mongo_db]["articles"]
    assert coll.count_documents({}) == 5 == sum(r["status"] == "ok" for r in records)
    assert coll.count_documents({"status": {"$ne": "ok"}}) == 0
    doc = coll.find_one({"title": "市科技局召开2024年科技创新工作会议"})
    assert doc["_id"] == doc["key"] == "file:" + os.path.abspath(doc["path"])
    assert doc["first_seen"] and doc["last_seen"]

    again = run_clean(dump, "--mongo-uri", mongo_server, "--db", mongo_db, env=data_env)   # no -o: store only
    assert again.returncode == 0, again.stderr
    assert "0 new, 0 updated, 5 unchanged, 0 failed" in again.stderr
    assert coll.count_documents({}) == 5

    # one page edited → one update with its old version in history
    edited = dump / "kjj.example.gov.cn/kjdt/202403/t20240307_1.html"
    edited.write_bytes(edited.read_bytes().replace("全年新增".encode(), "当年新增".encode()))
    third = run_clean(dump, "--mongo-uri", mongo_server, "--db", mongo_db, env=data_env)
    assert "0 new, 1 updated, 4 unchanged" in third.stderr, third.stderr
    doc = coll.find_one({"_id": doc["_id"]})
    assert "当年新增" in doc["text"] and "全年新增" in doc["history"][0]["text"]
    client.close()
    assert not (tmp_path / "govnews-data").exists()   # a URI given: the embedded database is not used


def test_two_saves_of_one_page_load_the_newer_however_often(tmp_path, mongo_server, mongo_db, data_env):
    """A dump with an older and a newer save of one article (same canonical URL): the newer
    one is stored, and loading the dump again changes nothing (no flip-flop, no history growth)."""
    canonical = '<link rel="canonical" href="http://kjj.example.gov.cn/kjdt/202403/t20240307_1.html">'
    old_page = page("市科技局召开2024年科技创新工作会议").replace(b"<head>", b"<head>" + canonical.encode())
    new_page = old_page.replace("全年新增".encode(), "当年新增".encode())
    older = write(tmp_path / "dump/a/t20240307_1.html", old_page)        # found first
    newer = write(tmp_path / "dump/b/t20240307_1.html", new_page)
    os.utime(older, (1704067200, 1704067200))      # saved 2024-01-01
    os.utime(newer, (1706745600, 1706745600))      # saved 2024-02-01
    args = (tmp_path / "dump", "--mongo-uri", mongo_server, "--db", mongo_db)
    first = run_clean(*args, env=data_env)
    assert first.returncode == 0, first.stderr
    assert "1 new, 1 updated, 0 unchanged, 0 failed" in first.stderr, first.stderr
    again = run_clean(*args, env=data_env)
    assert "0 new, 0 updated, 1 unchanged, 0 failed, 1 older than the stored copy" in again.stderr, again.stderr
    with pymongo.MongoClient(mongo_server) as client:
        docs = list(client[mongo_db]["articles"].find())
    assert len(docs) == 1
    assert "当年新增" in docs[0]["text"] and docs[0]["path"].endswith("b/t20240307_1.html")
    assert len(docs[0]["history"]) == 1 and "全年新增" in docs[0]["history"][0]["text"]
    assert docs[0]["fetched_at"].year == 2024 and docs[0]["fetched_at"].month == 2


def test_jobs_2_gives_the_same_records_in_the_same_order(dump, tmp_path, data_env):
    one, two = tmp_path / "j1.jsonl", tmp_path / "j2.jsonl"
    assert run_clean(dump, "-o", one, "-j", "1", env=data_env).returncode == 0
    proc = run_clean(dump, "-o", two, "-j", "2", env=data_env)
    assert proc.returncode == 0, proc.stderr

    def strip(records):
        return [{k: v for k, v in r.items() if k != "clean_ms"} for r in records]
    assert strip(read_jsonl(one)) == strip(read_jsonl(two))


def test_default_store_is_the_embedded_database_in_the_data_dir(dump, tmp_path, data_env):

    for _ in range(2):
        proc = run_clean(dump / "kjj.example.gov.cn" / "kjdt", env=data_env)
        assert proc.returncode == 0, proc.stderr
    assert "0 new, 0 updated, 3 unchanged" in proc.stderr
    storage = tmp_path / "govnews-data" / "mongo"
    assert (storage / "WiredTiger").exists()
    with mongo_uri(None, storage_path=storage) as uri, ArticleStore.from_uri(uri) as store:
        assert store.count() == 3


def test_stdout_output_and_url_base(dump, data_env):
    proc = run_clean(dump / "kjj.example.gov.cn" / "tzgg", "-o", "-", "--url-base", "http://kjj.example.gov.cn/tzgg",
                     env=data_env)
    assert proc.returncode == 0, proc.stderr
    [only] = [json.loads(line) for line in proc.stdout.splitlines() if "t20240309_3" in line]
    assert only["url"] == "http://kjj.example.gov.cn/tzgg/2024/t20240309_3.htm"
    assert "1 ok" in proc.stderr.splitlines()[-1] or "2 ok" in proc.stderr


def test_usage_errors_exit_2(tmp_path, data_env):
    (tmp_path / "empty").mkdir()
    write(tmp_path / "only-pdf" / "a.pdf", b"%PDF-1.4")
    missing = run_clean(tmp_path / "nope", "-o", tmp_path / "o.jsonl", env=data_env)
    assert missing.returncode == 2 and "no such file or directory" in missing.stderr
    for arg in (tmp_path / "empty", tmp_path / "only-pdf", f"{tmp_path}/*.html"):
        proc = run_clean(arg, "-o", tmp_path / "o.jsonl", env=data_env)
        assert proc.returncode == 2, (arg, proc.stderr)
        assert "no input found" in proc.stderr
    assert subprocess.run([GOVNEWS, "clean"], capture_output=True).returncode == 2   # argparse: PATH required
    assert not (tmp_path / "govnews-data").exists()


def test_missing_paths_are_reported_and_the_rest_is_cleaned(tmp_path, data_env):
    good = write(tmp_path / "good.html", page("市科技局召开科技创新工作会议"))
    out = tmp_path / "o.jsonl"
    proc = run_clean(tmp_path / "missing.html", good, tmp_path / "gone", "-o", out, env=data_env)
    assert proc.returncode == 2, proc.stderr
    assert f"{tmp_path / 'missing.html'}: no such file or directory" in proc.stderr
    assert f"{tmp_path / 'gone'}: no such file or directory" in proc.stderr
    assert "2 path(s) not found" in proc.stderr
    [record] = read_jsonl(out)
    assert record["status"] == "ok" and record["path"] == str(good)


def test_gzip_bomb_stops_at_the_size_cap(tmp_path, data_env):
    bomb = tmp_path / "bomb.html.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as gz:
        chunk = b"<p>" + b"\0" * (1024 * 1024)
        for _ in range(65):
            gz.write(chunk)
    assert bomb.stat().st_size < 200_000
    proc = run_clean(bomb, "-o", "-", env=data_env)
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert record["status"] == "error" and record["reason"] == "decompressed size exceeds 64 MiB"


def test_read_page_limits_and_find_inputs_order(tmp_path):
    write(tmp_path / "big.html", b"x" * 2000)
    with pytest.raises(InputError, match="file size exceeds"):
        read_page(str(tmp_path / "big.html"), limit=1000)
    write(tmp_path / "b/2.htm", b"")
    write(tmp_path / "a/1.html", b"")
    write(tmp_path / "a/skip.jpg", b"")
    inputs, missing, warnings = find_inputs([str(tmp_path), str(tmp_path / "a/1.html")])   # listed twice: once
    assert [i.rel for i in inputs] == ["big.html", "a/1.html", "b/2.htm"]   # files, then sub-directories
    assert missing == warnings == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_becomes_an_error_record(dump, data_env):
    page_path = dump / "kjj.example.gov.cn/kjdt/202403/t20240307_1.html"
    page_path.chmod(0)
    proc = run_clean(page_path, "-o", "-", env=data_env)
    assert proc.returncode == 0
    record = json.loads(proc.stdout)
    assert record["status"] == "error" and "Permission denied" in record["reason"]


def test_progress_bar_draws_on_a_terminal_only():
    import io

    class Tty(io.StringIO):
        def isatty(self):
            return True
    tty, pipe = Tty(), io.StringIO()
    for stream in (tty, pipe):
        bar = Progress(10, stream=stream)
        bar.update(5, force=True)
        bar.close()
    assert "5/10" in tty.getvalue() and "pages/s" in tty.getvalue() and tty.getvalue().endswith("\r")
    assert pipe.getvalue() == ""


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(c) for c in (task / "children").read_text().split()]
    return out


def test_a_worker_killed_mid_batch_loses_no_page(tmp_path, data_env):
    root = tmp_path / "many"
    for i in range(240):
        write(root / f"d{i % 7}" / f"t2024_{i}.html", page(f"科技创新工作会议第{i}次", paras=6))
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen([GOVNEWS, "clean", root, "-o", out, "-j", "2"], stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **data_env})
    killed = None
    deadline = time.monotonic() + 60
    while killed is None and time.monotonic() < deadline and proc.poll() is None:
        for child in _children(proc.pid):
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            if b"spawn_main" in cmdline and out.exists() and out.stat().st_size > 0:
                os.kill(child, signal.SIGKILL)
                killed = child
                break
        time.sleep(0.05)
    stderr = proc.communicate(timeout=300)[1]
    assert killed, "no worker to kill (the batch ended first)"
    assert proc.returncode == 0, stderr
    records = read_jsonl(out)
    assert len(records) == 240 and "240 ok" in stderr
    assert [Path(r["path"]).name for r in records] == [Path(i.path).name for i in find_inputs([str(root)])[0]]
