"""Safety, each checked with a real crawl on loopback (tests/support/faultserver.py as the proxy):

- robots.txt is obeyed; per RFC 9309 a robots.txt answering 5xx or not answering at all
  disallows the whole site (Scrapy alone would allow everything:
  crawler/middlewares/robots.py), one that is garbage or 404 allows it, and valid rules
  inside junk still hold;
- off-site hosts (a link, a redirect, a meta refresh, a look-alike host name) are never
  requested;
- the ``file`` and ``data`` download handlers are off: such URLs as start URLs fail with
  NotSupported, as links or redirect targets they are never followed;
- DOWNLOAD_MAXSIZE (32 MiB) cancels 40 MiB bodies, with or without a Content-Length,
  and the crawl's memory stays bounded;
- MongoDB credentials never appear in the log, stderr or stats of a crawl, whether the
  URI comes from the environment or from ``-s``, and whether authentication succeeds.
"""
from __future__ import annotations

import contextlib
import json
import uuid
from urllib.parse import quote_plus

import pymongo
import pytest
from scrapy.utils.project import get_project_settings

from tests.support.crawlenv import standalone
from tests.support.faultcrawl import crawl_through, write_registry
from tests.support.faultserver import (BIG_PAGES, BIG_SIZE, FORBIDDEN_LINKS, LOOKALIKE_HOST, MiB, OFFSITE_HOST,
                                      ROBOTS, SAFETY_HOST, SAFETY_PAGES, FaultServer)

RETRY_TIMES = 2
DOMAIN = "safety.example.gov.cn"
ROBOT_HOSTS = {label: f"{label}.{DOMAIN}" for label in ROBOTS}
HOSTS = [SAFETY_HOST, *ROBOT_HOSTS.values()]
PUBLIC = [p for p, b in SAFETY_PAGES.items() if b == "ok" and p.startswith("/safety/")]
PRIVATE = [p for p, b in SAFETY_PAGES.items() if p.startswith("/private/")]
FILE_HANDLER = "scrapy.core.downloader.handlers.file.FileDownloadHandler"


@pytest.fixture(scope="module")
def server():
    with FaultServer(hang_seconds=5) as srv:
        yield srv


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("safety")


@pytest.fixture(scope="module")
def mongo(crawl_mongo_uri):
    client = pymongo.MongoClient(crawl_mongo_uri)
    yield client
    client.close()


def run_safety(server, workdir, mongo_uri, mongo):
    """One crawl of a registered site whose six start pages are on six hosts of DOMAIN, each
    with its own robots.txt → (crawl, stored docs, server log); the database is dropped."""
    db = "safety_" + uuid.uuid4().hex[:8]
    registry = write_registry(workdir / "registry.json", "safety",
                              [f"http://{h}/safety/index.html" for h in HOSTS], [DOMAIN])
    mark = len(server.requests())
    crawl = crawl_through(server.proxy_url, mongo_uri=mongo_uri, db=db, workdir=workdir, site="safety",
                          settings={"GOVNEWS_REGISTRY": str(registry), "RETRY_TIMES": RETRY_TIMES})
    log = server.requests()[mark:]
    docs = list(mongo[db]["articles"].find({}, {"url": 1, "text": 1}))
    mongo.drop_database(db)
    return crawl, docs, log


@pytest.fixture(scope="module")
def safety_run(server, workdir, crawl_mongo_uri, mongo):
    return run_safety(server, workdir, crawl_mongo_uri, mongo)


def requested(log, host, path=None):
    return [e for e in log if e["host"] == host and (path is None or e["path"] == path)]


def stored(docs, host):
    return {d["url"].split(host, 1)[1] for d in docs if d["url"].startswith(f"http://{host}/")}


def test_safety_crawl_finishes(safety_run):
    crawl, docs, _ = safety_run
    assert crawl.result.returncode == 0, crawl.stderr[-2000:]
    assert crawl.stat("finish_reason") == "finished"
    assert crawl.stat("govnews/mongo/inserted") == len(docs) == 10


# -- robots.txt ----------------------------------------------------------------------------
def test_robots_disallow_is_honoured(safety_run):
    crawl, docs, log = safety_run
    for host in (SAFETY_HOST, ROBOT_HOSTS["robots-mixed"]):     # plain rules; rules inside binary junk
        assert not [e for e in requested(log, host) if e["path"].startswith("/private/")], host
        assert stored(docs, host) == set(PUBLIC), host
    # 2 private links + the list pages of the two unreachable-robots hosts
    assert crawl.stat("robotstxt/forbidden") == 4


@pytest.mark.parametrize("label", ["robots-5xx", "robots-reset"])
def test_unreachable_robots_disallows_the_whole_site(safety_run, label):
    """RFC 9309 §2.3.1.4: 5xx or no answer → complete disallow (after the usual retries)."""
    crawl, docs, log = safety_run
    host = ROBOT_HOSTS[label]
    assert [e["path"] for e in requested(log, host)] == ["/robots.txt"] * (RETRY_TIMES + 1)
    assert stored(docs, host) == set()
    assert crawl.stat("govnews/robotstxt/unreachable") == 2
    assert f"robots.txt of {host} unreachable" in crawl.log


@pytest.mark.parametrize("label", ["robots-garbage", "robots-404"])
def test_garbage_or_missing_robots_allows_the_site(safety_run, label):
    """A 200 robots.txt with no parsable rule, or a 404, means no restriction (RFC 9309 §2.3.1.3)."""
    _, docs, log = safety_run
    host = ROBOT_HOSTS[label]
    assert len(requested(log, host, "/robots.txt")) == 1
    assert stored(docs, host) == set(PUBLIC) | set(PRIVATE)


# -- off-site ------------------------------------------------------------------------------
def test_offsite_hosts_never_requested(safety_run):
    crawl, docs, log = safety_run
    hosts = {e["host"] for e in log}
    assert OFFSITE_HOST not in hosts and LOOKALIKE_HOST not in hosts
    assert all(h == DOMAIN or h.endswith("." + DOMAIN) for h in hosts), hosts
    # the 302 and the meta refresh to OFFSITE_HOST, on each of the 4 hosts whose robots allow them
    assert crawl.stat("offsite/filtered") == 8
    assert not [d for d in docs if not d["url"].startswith("http://") or DOMAIN not in d["url"]]


# -- file:// and data: ---------------------------------------------------------------------
def test_file_and_data_handlers_are_off_in_settings():
    handlers = get_project_settings().getdict("DOWNLOAD_HANDLERS")
    assert handlers["file"] is None and handlers["data"] is None


def test_file_and_data_links_and_redirects_never_followed(safety_run):
    crawl, docs, log = safety_run
    # redirects to file:///etc/passwd and to a data: URL stay unfollowed 302s (4 hosts × 2)
    assert crawl.stat("httperror/response_ignored_status_count/302") == 8
    assert crawl.stat("govnews/download_error/unsupported_scheme") == 0     # never even reached a handler
    assert not [d for d in docs if d["url"].startswith(("file:", "data:"))]
    assert not [d for d in docs if "root:" in d["text"]]
    assert "root:x:0:0" not in crawl.log


@pytest.mark.parametrize("start_url", ["file:///etc/passwd", FORBIDDEN_LINKS[-1]], ids=["file", "data"])
def test_file_and_data_start_urls_fail_unsupported(server, workdir, crawl_mongo_uri, start_url):
    crawl = crawl_through(server.proxy_url, mongo_uri=crawl_mongo_uri, db="unused_" + uuid.uuid4().hex[:6],
                          workdir=workdir, start_url=start_url)
    assert crawl.stat("downloader/exception_type_count/scrapy.exceptions.NotSupported") == 1
    assert crawl.stat("govnews/download_error/unsupported_scheme") == 1
    assert crawl.stat("downloader/response_count") == 0
    assert "root:x:0:0" not in crawl.log


def test_file_handler_control(server, workdir, crawl_mongo_uri):
    """The same crawl with the file handler switched back on does read /etc/passwd, so the
    test above would catch the setting being lost."""
    crawl = crawl_through(server.proxy_url, mongo_uri=crawl_mongo_uri, db="unused_" + uuid.uuid4().hex[:6],
                          workdir=workdir, start_url="file:///etc/passwd",
                          settings={"DOWNLOAD_HANDLERS": {"file": FILE_HANDLER}})
    assert crawl.stat("downloader/response_status_count/200") == 1


# -- DOWNLOAD_MAXSIZE ----------------------------------------------------------------------
def test_maxsize_cancels_40_mib_bodies(safety_run):
    crawl, docs, log = safety_run
    assert get_project_settings().getint("DOWNLOAD_MAXSIZE") == 32 * MiB
    declared, chunked = (requested(log, SAFETY_HOST, p)[0] for p in BIG_PAGES)
    assert declared["behaviour"] == "big" and chunked["behaviour"] == "big_chunked"
    # Content-Length: 40 MiB → cancelled as soon as the headers arrive (what was sent sat in socket buffers)
    assert declared.get("body_sent", 0) < 8 * MiB, declared
    # no length → cancelled once 32 MiB had arrived
    assert 32 * MiB <= chunked["body_sent"] < BIG_SIZE, chunked
    assert crawl.stat("govnews/download_error/maxsize") == 2
    assert crawl.stat("downloader/exception_type_count/scrapy.exceptions.DownloadCancelledError") == 2
    assert "larger than download max size" in crawl.log
    assert not stored(docs, SAFETY_HOST) & set(BIG_PAGES)
    assert crawl.max_rss_mib < 200, crawl.max_rss_mib      # measured ≈ 125 MiB (≈ 90 without the big pages)


# -- credentials ---------------------------------------------------------------------------
@contextlib.contextmanager
def user_with_password(mongo):
    """A user with a password on the session's SecantusDB (which does SCRAM when asked)."""
    user, password = "govnews_" + uuid.uuid4().hex[:6], "Pw-" + uuid.uuid4().hex
    mongo.admin.command("createUser", user, pwd=password, roles=["root"])
    try:
        yield user, password
    finally:
        mongo.admin.command("dropUser", user)


@pytest.fixture(scope="module")
def mongo_user(mongo):
    with user_with_password(mongo) as user:
        yield user


def with_credentials(uri: str, user: str, password: str) -> str:
    return uri.replace("mongodb://", f"mongodb://{quote_plus(user)}:{quote_plus(password)}@", 1) + "?authSource=admin"


def leaks(crawl, secret: str) -> list[str]:
    places = {"log": crawl.log, "stderr": crawl.stderr, "stats": json.dumps(crawl.stats, default=str)}
    return [name for name, text in places.items() if secret in text or quote_plus(secret) in text]


def crawl_with_password(server, workdir, mongo_uri, user, password, db, **kwargs):
    return crawl_through(server.proxy_url, mongo_uri=with_credentials(mongo_uri, user, password), db=db,
                         workdir=workdir, start_url=f"http://kjj.creds.{DOMAIN}/safety/index.html",
                         settings={"LOG_LEVEL": "DEBUG"}, **kwargs)


def test_mongo_password_never_printed(server, workdir, crawl_mongo_uri, mongo, mongo_user):
    user, password = mongo_user
    db = "creds_" + uuid.uuid4().hex[:6]
    crawl = crawl_with_password(server, workdir, crawl_mongo_uri, user, password, db)
    try:
        assert crawl.result.returncode == 0, crawl.stderr[-2000:]
        assert mongo[db]["articles"].count_documents({}) == crawl.stat("govnews/mongo/inserted") == len(PUBLIC)
        assert f"{user}:***@" in crawl.log                      # the store's redacted URI is what is logged
        assert leaks(crawl, password) == []
    finally:
        mongo.drop_database(db)


def test_wrong_mongo_password_never_printed(server, workdir, crawl_mongo_uri, mongo_user):
    """Authentication fails (a URI given with -s this time): the crawl reports it, without the password."""
    user, _ = mongo_user
    wrong = "Wrong-" + uuid.uuid4().hex
    crawl = crawl_with_password(server, workdir, crawl_mongo_uri, user, wrong, "creds_" + uuid.uuid4().hex[:6],
                                pass_uri_as_setting=True, timeout=90)
    assert crawl.result.failure is not None
    assert "uthentication failed" in crawl.log + crawl.stderr
    assert leaks(crawl, wrong) == []


# -- the row for bench/reliability.py --------------------------------------------------------
def reliability_safety():
    """The same safety crawl, the credential crawls and a file: start URL, outside pytest."""
    with standalone() as env, FaultServer(hang_seconds=5) as srv, \
            contextlib.closing(pymongo.MongoClient(env.mongo_uri)) as mongo:
        crawl, docs, log = run_safety(srv, env.tmp, env.mongo_uri, mongo)
        with user_with_password(mongo) as (user, password):
            db = "creds_" + uuid.uuid4().hex[:6]
            right = crawl_with_password(srv, env.mktemp("creds"), env.mongo_uri, user, password, db)
            creds_stored = mongo[db]["articles"].count_documents({})
            wrong = crawl_with_password(srv, env.mktemp("creds"), env.mongo_uri, user, "Wrong-" + password,
                                        "creds_" + uuid.uuid4().hex[:6], pass_uri_as_setting=True, timeout=90)
        file_start = crawl_through(srv.proxy_url, mongo_uri=env.mongo_uri, db="unused_" + uuid.uuid4().hex[:6],
                                   workdir=env.mktemp("file"), start_url="file:///etc/passwd")
    urls = [d["url"] for d in docs]
    allowed = {SAFETY_HOST: PUBLIC, ROBOT_HOSTS["robots-mixed"]: PUBLIC, ROBOT_HOSTS["robots-5xx"]: [],
               ROBOT_HOSTS["robots-reset"]: [], ROBOT_HOSTS["robots-garbage"]: PUBLIC + PRIVATE,
               ROBOT_HOSTS["robots-404"]: PUBLIC + PRIVATE}
    expected = {f"http://{h}{p}" for h, paths in allowed.items() for p in paths}
    disallowed = {SAFETY_HOST: "/private/", ROBOT_HOSTS["robots-mixed"]: "/private/",
                  ROBOT_HOSTS["robots-5xx"]: "/", ROBOT_HOSTS["robots-reset"]: "/"}
    failures = [f"robots.txt disallows {e['host']}{e['path']}" for e in log if e["path"] != "/robots.txt"
                and e["path"].startswith(disallowed.get(e["host"], "\0"))]
    failures += [f"off-site host requested: {h}" for h in {e["host"] for e in log}
                 if not (h == DOMAIN or h.endswith("." + DOMAIN))]
    failures += [f"stored {u}" for u in set(urls) - expected]
    failures += ["file:/data: content reached the log"] * ("root:x:0:0" in crawl.log + file_start.log)
    failures += ["file: start URL not refused"] * (file_start.stat("govnews/download_error/unsupported_scheme") != 1)
    failures += [f"peak RSS {crawl.max_rss_mib:.0f} MiB >= 200"] * (crawl.max_rss_mib >= 200)
    failures += ["a 40 MiB body not cancelled"] * (crawl.stat("govnews/download_error/maxsize") != 2)
    failures += [f"password in the {w} of a crawl" for w in leaks(right, password) + leaks(wrong, "Wrong-" + password)]
    failures += [f"credentialed crawl stored {creds_stored}/{len(PUBLIC)}"] * (creds_stored != len(PUBLIC))
    hostile = len(HOSTS) * (len(SAFETY_PAGES) + len(FORBIDDEN_LINKS) + 1) + len(BIG_PAGES) + 3
    return {"scenario": "safety (robots 5xx/reset/garbage/404, off-site, file:/data:, 32 MiB, credentials)",
            "tried": hostile, "crashes": int(crawl.result.returncode != 0 or right.result.returncode != 0),
            "hangs": int(crawl.stat("finish_reason") != "finished"),
            "lost": len(expected - set(urls)), "duplicated": len(urls) - len(set(urls)), "failures": failures,
            "notes": f"{len(set(urls))}/{len(expected)} allowed pages stored, 0 disallowed; robotstxt/forbidden "
                     f"{crawl.stat('robotstxt/forbidden')}, offsite/filtered {crawl.stat('offsite/filtered')}, "
                     f"maxsize cancels {crawl.stat('govnews/download_error/maxsize')}, peak RSS "
                     f"{crawl.max_rss_mib:.0f} MiB; password printed 0 times in 2 crawls"}
