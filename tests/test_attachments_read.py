"""Reading attachments: every format written by its real writer gives back its sentence,
cleaned like a page; hostile files end as the right status, in the sandbox, in bounded time;
a missing tool is ``unsupported``, not a crash."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from cleaners.attachments import Limits, read, read_sandboxed
from tests.support import attachmentfiles as af
from tests.support.paths import REPO

MiB = 1024 * 1024
CAP = 2 * MiB
LIMITS = Limits(max_bytes=CAP, seconds=5)
TABLES = ("docx", "doc", "wps", "xlsx", "ofd")       # formats whose table row must come back tab-separated

needs_libreoffice = pytest.mark.skipif(af.soffice() is None, reason="LibreOffice not installed (./run installs it as root)")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    if af.soffice() is None:
        pytest.skip("LibreOffice not installed: the .doc/.wps fixtures are written with it")
    return af.write_all(tmp_path_factory.mktemp("attachments"), huge_size=CAP)


@pytest.fixture(scope="module")
def results(files):
    """Every file read once in the sandbox, as the crawl and the CLI read them."""
    return {key: read_sandboxed(str(path), path.name, LIMITS) for key, path in files.items()}


@pytest.mark.parametrize("fmt", list(af.SENTENCES))
def test_each_format_gives_its_sentence(results, fmt):
    got = results[fmt]
    assert got["status"] == "ok", got["reason"]
    assert af.SENTENCES[fmt] in got["text"]
    assert got["text_length"] == len(got["text"])
    assert "\ufffd" not in got["text"] and unicodedata.is_normalized("NFC", got["text"])


def test_formats_are_told_by_their_bytes(results):
    assert {k: results[k]["format"] for k in af.NAMES} == {
        "pdf": "pdf", "docx": "docx", "doc": "doc", "wps": "doc", "xlsx": "xlsx", "xls": "xls", "ofd": "ofd",
        "txt": "txt", "zip": "zip", "rar": "rar"}


@pytest.mark.parametrize("fmt", TABLES)
def test_table_rows_are_tab_separated_lines(results, fmt):
    assert af.TABLE_LINE in results[fmt]["text"].split("\n")


def test_traditional_spreadsheet_reads_simplified(results):
    text = results["xls"]["text"]
    assert af.SENTENCES["xls"] in text and af.TABLE_LINE in text.split("\n")
    assert "科技型企业1\t10" in text.split("\n")
    assert "創" not in text and "業" not in text


def test_pdf_lines_wrapped_at_the_margin_are_joined(results):
    """Each numbered paragraph repeats the sentence after 50 characters of filler: the
    PDF breaks it across lines, the text holds it whole again."""
    text = results["pdf"]["text"]
    assert text.count(af.SENTENCES["pdf"]) == 1 + 6
    assert results["pdf"]["pages"] == 1


def test_ofd_pages_and_lines(results):
    assert results["ofd"]["pages"] == 1
    assert results["ofd"]["text"].split("\n")[0] == af.SENTENCES["ofd"]


def test_gbk_text_file(results):
    assert results["txt"]["text"].split("\n")[0] == af.SENTENCES["txt"]


def test_archives_list_their_members(results):
    zipped = results["zip"]["members"]
    assert [(m["name"], m["status"], m["format"]) for m in zipped] == [
        ("申报通知.docx", "ok", "docx"), ("说明.txt", "ok", "txt")]
    assert "申报通知.docx\n" + af.SENTENCES["zip"] in results["zip"]["text"]
    assert [(m["name"], m["status"], m["pages"]) for m in results["rar"]["members"]] == [("统计说明.pdf", "ok", 1)]


@pytest.mark.parametrize("name", list(af.HOSTILE))
def test_hostile_files_end_as_a_status(results, name):
    got = results[name]
    assert got["status"] == af.HOSTILE[name], got
    assert got["reason"] and got["text"] == "" and got["text_length"] == 0


def test_hostile_reasons_say_why(results):
    assert "password" in results["encrypted.pdf"]["reason"]
    assert "1,024 MiB" in results["bomb.zip"]["reason"]            # the member's declared size, never unpacked
    assert "limit" in results["spin.pdf"]["reason"].lower()       # our CPU limit, or pypdf 7's own on tokens per stream
    assert "cap" in results["huge.pdf"]["reason"]
    assert "DOCX" in results["truncated.docx"]["reason"]
    assert "OCR" in results["scan.pdf"]["reason"]


def test_the_loop_is_what_the_limit_ends(files):
    """Given time, the same PDF is read: it is slow, not broken (the status is the limit's)."""
    got = read_sandboxed(str(files["spin.pdf"]), "spin.pdf", Limits(max_bytes=CAP, seconds=1))
    assert got["status"] == "error" and "1 s limit" in got["reason"]


def test_memory_limit_ends_as_a_status(files):
    """A reader that needs more memory than allowed (the objects of a 2,000-page PDF in
    20 MiB more than the process starts with) ends as a status, not a crash of the caller;
    the same limit leaves a small PDF readable."""
    tight = Limits(max_bytes=CAP, seconds=30, memory_mib=20)
    got = read_sandboxed(str(files["spin.pdf"]), "spin.pdf", tight)
    assert got["status"] == "too_large" and "20 MiB of memory" in got["reason"], got
    assert read_sandboxed(str(files["pdf"]), "guide.pdf", tight)["status"] == "ok"


def test_text_cut_at_the_character_limit(files):
    got = read(str(files["xlsx"]), "b.xlsx", Limits(max_chars=30))
    assert got["status"] == "ok" and got["truncated"] and got["text_length"] == 30
    assert got["reason"] == "text cut at 30 characters"


def test_unknown_format_is_unsupported(tmp_path):
    path = tmp_path / "slides.pptx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    got = read(str(path), path.name)
    assert got["status"] == "unsupported" and ".pptx" in got["reason"]


def test_bytes_that_are_not_their_format(tmp_path):
    path = tmp_path / "guide.pdf"
    path.write_text("<html>404 页面不存在</html>", "utf-8")
    got = read(str(path), path.name)
    assert got["status"] == "error" and "not a readable .pdf" in got["reason"]


def _read_with_path(path: Path, search_path: str) -> dict:
    """Read ``path`` in a fresh interpreter whose PATH is ``search_path``."""
    code = ("import json, sys; from cleaners.attachments import read; "
            "print(json.dumps(read(sys.argv[1], sys.argv[1])))")
    proc = subprocess.run([sys.executable, "-c", code, str(path)], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, "PATH": search_path}, timeout=120, check=True)
    return json.loads(proc.stdout)


def test_missing_tools_are_unsupported(files, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    doc = _read_with_path(files["doc"], str(empty))
    assert doc["status"] == "unsupported" and "libreoffice" in doc["reason"].lower()
    rar = _read_with_path(files["rar"], str(empty))
    assert rar["status"] == "unsupported" and "unar" in rar["reason"]


@pytest.mark.skipif(shutil.which("catdoc") is None, reason="catdoc not installed")
def test_catdoc_reads_word_files_without_libreoffice(files, tmp_path):
    only = tmp_path / "bin"
    only.mkdir()
    (only / "catdoc").symlink_to(shutil.which("catdoc"))
    for key in ("doc", "wps"):
        got = _read_with_path(files[key], str(only))
        assert got["status"] == "ok" and af.SENTENCES[key] in got["text"]
        assert af.TABLE_LINE in got["text"].split("\n")
