"""A real crawl with attachment download on: a notice links an attachment of every format
(PDF, DOCX, DOC, WPS, XLSX, XLS, OFD, TXT, ZIP, RAR), each written by its real writer with a
known sentence, and every hostile kind (a password-protected PDF, a DOCX cut in half, a zip
bomb, a PDF that keeps a parser busy for hours, a PDF above the size cap, a scan). The crawl
finishes, both articles are stored, every readable attachment's text holds its sentence and
every hostile one has its status and reason — and the reading never stops the crawl."""
from __future__ import annotations

import uuid

import jsonschema
import pymongo
import pytest

from cleaners.record import load_schema
from crawler.fixtureserver import FixtureServer
from tests.support import attachmentfiles as af
from tests.support import attachmentsite
from tests.support.faultcrawl import crawl_through

MiB = 1024 * 1024
CAP = 2 * MiB


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, crawl_mongo_uri):
    if af.soffice() is None:
        pytest.skip("LibreOffice not installed: the .doc/.wps fixtures are written with it")
    files = af.write_all(tmp_path_factory.mktemp("attachment-files"), huge_size=CAP)
    root = tmp_path_factory.mktemp("attachment-site")
    urls = attachmentsite.build_site(root, files)
    db = "attachments_" + uuid.uuid4().hex[:8]
    work = tmp_path_factory.mktemp("attachment-crawl")
    with FixtureServer(root, log_path=root / "requests.jsonl") as server:
        result = crawl_through(server.proxy_url, mongo_uri=crawl_mongo_uri, db=db, workdir=work,
                               start_url=attachmentsite.LIST_URL, timeout=600,
                               settings={"GOVNEWS_ATTACHMENTS_DOWNLOAD": True,
                                         "GOVNEWS_ATTACHMENTS_DIR": str(work / "files"),
                                         "GOVNEWS_ATTACHMENTS_MAXSIZE": CAP,
                                         "GOVNEWS_ATTACHMENTS_TIMEOUT": 5})
    client = pymongo.MongoClient(crawl_mongo_uri)
    docs = {d["url"]: d for d in client[db]["articles"].find({}, {"_id": 0})}
    client.drop_database(db)
    client.close()
    notice = docs.get(attachmentsite.NOTICE_URL) or {}
    by_url = {a["url"]: a for a in notice.get("attachments") or []}
    return result, docs, {key: by_url.get(url) for key, url in urls.items()}


def test_crawl_finishes_and_stores_both_articles(crawled):
    result, docs, _ = crawled
    assert result.result.failure is None, (result.result.failure, result.log[-3000:])
    assert set(docs) == {attachmentsite.NOTICE_URL, attachmentsite.PLAIN_URL}
    assert "Traceback" not in result.log and " ERROR: " not in result.log


def test_every_attachment_downloaded_and_read(crawled):
    result, _, entries = crawled
    assert all(entries.values()), [k for k, v in entries.items() if not v]
    assert all(e.get("path") and e.get("status") for e in entries.values())
    stats = result.stats
    assert stats["govnews/attachments/downloaded"] == len(entries)
    assert sum(v for k, v in stats.items() if k.startswith("govnews/attachments/status/")) == len(entries)


@pytest.mark.parametrize("fmt", list(af.SENTENCES))
def test_each_attachment_text_holds_its_sentence(crawled, fmt):
    entry = crawled[2][fmt]
    assert entry["status"] == "ok", entry.get("reason")
    assert af.SENTENCES[fmt] in entry["text"]
    assert entry["text_length"] == len(entry["text"]) and "\ufffd" not in entry["text"]


@pytest.mark.parametrize("name", list(af.HOSTILE))
def test_hostile_attachments_have_their_status(crawled, name):
    entry = crawled[2][name]
    assert entry["status"] == af.HOSTILE[name], entry
    assert entry["reason"] and entry["text"] == ""


def test_read_attachments_follow_the_schema(crawled):
    """(The stored documents hold BSON dates: their attachments are what is checked.)"""
    _, docs, _ = crawled
    validator = jsonschema.Draft202012Validator(load_schema()["properties"]["attachments"])
    for doc in docs.values():
        validator.validate(doc["attachments"])
