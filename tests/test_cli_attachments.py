"""`govnews clean --attachments`: the console script reads the files a dumped page links to
when they sit beside it (relative links, or URLs under --url-base), never a file outside the
folder the page was found in; without the flag the entries stay as the cleaner made them."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from cleaners.record import load_schema
from tests.support import attachmentfiles as af
from tests.support import attachmentsite

GOVNEWS = shutil.which("govnews", path=str(Path(sys.executable).parent)) or "govnews"
KEYS = ("pdf", "docx", "xlsx", "ofd", "txt", "zip", "encrypted.pdf", "truncated.docx")


@pytest.fixture(scope="module")
def dump(tmp_path_factory):
    """dump/<host>/tzgg/202305/{page, files}, and a secret one folder above the dump."""
    base = tmp_path_factory.mktemp("cli-attachments")
    whole = {
        "pdf": af.pdf_bytes(af.SENTENCES["pdf"]), "docx": af.docx_bytes(af.SENTENCES["docx"]),
        "xlsx": af.xlsx_bytes(af.SENTENCES["xlsx"]), "ofd": af.ofd_bytes(af.SENTENCES["ofd"]),
        "txt": af.txt_bytes(af.SENTENCES["txt"]),
        "zip": af.zip_bytes({"申报通知.docx": af.docx_bytes(af.SENTENCES["zip"])}),
        "encrypted.pdf": af.encrypted_pdf_bytes(), "truncated.docx": af.docx_bytes("截断")[:5000],
    }
    made = base / "made"
    made.mkdir()
    files = {}
    for key in KEYS:
        files[key] = made / (af.NAMES.get(key) or key)
        files[key].write_bytes(whole[key])
    site_root = base / "dump"
    attachmentsite.build_site(site_root, files)
    (base / "secret.txt").write_bytes(af.txt_bytes("不应读取的文件内容。"))
    page = site_root / attachmentsite.HOST / "tzgg" / "202305" / "t20230510_1.html"
    html = page.read_text("utf-8")
    assert "<p>附件：</p>" in html
    page.write_text(html.replace("<p>附件：</p>", '<p>附件：</p><p><a href="../../../../secret.txt">说明.txt</a></p>'), "utf-8")
    return site_root, files


def run_clean(*args: str, summary: list | None = None) -> list[dict]:
    proc = subprocess.run([GOVNEWS, "clean", *args, "-o", "-", "--no-progress"], capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    if summary is not None:
        summary.append(proc.stderr)
    return [json.loads(line) for line in proc.stdout.splitlines()]


def notice(records: list[dict]) -> dict:
    return next(r for r in records if r["path"].endswith("t20230510_1.html"))


def by_name(record: dict) -> dict:
    return {a["name"]: a for a in record["attachments"]}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_attachments_beside_the_page_are_read(dump, jobs):
    root, files = dump
    summary = []
    record = notice(run_clean(str(root), "--attachments", "-j", jobs, summary=summary))
    assert "attachments read: 8 (ok 6, " in summary[0] and "encrypted 1" in summary[0] and "error 1" in summary[0]
    names = attachmentsite.link_texts(files)
    entries = by_name(record)
    for key in ("pdf", "docx", "xlsx", "ofd", "txt", "zip"):
        entry = entries[names[key]]
        assert entry["status"] == "ok" and af.SENTENCES[key] in entry["text"], entry
        assert Path(entry["path"]).resolve() == (Path(root) / attachmentsite.HOST / "tzgg" / "202305"
                                                  / files[key].name).resolve()
    assert entries[names["encrypted.pdf"]]["status"] == "encrypted"
    assert entries[names["truncated.docx"]]["status"] == "error"
    jsonschema.Draft202012Validator(load_schema()).validate(record)


def test_a_link_out_of_the_dump_is_not_read(dump):
    root, _ = dump
    secret = by_name(notice(run_clean(str(root), "--attachments")))["说明.txt"]
    assert "status" not in secret and "path" not in secret


def test_urls_under_the_url_base_resolve_to_the_dump(dump):
    root, files = dump
    record = notice(run_clean(str(root), "--attachments", "--url-base", "http://"))
    entry = by_name(record)[attachmentsite.link_texts(files)["pdf"]]
    assert entry["url"].startswith(f"http://{attachmentsite.HOST}/") and entry["status"] == "ok"


def test_without_the_flag_nothing_is_read(dump):
    root, _ = dump
    for entry in notice(run_clean(str(root)))["attachments"]:
        assert set(entry) == {"name", "url", "ext"}
