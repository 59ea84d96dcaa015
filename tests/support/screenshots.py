"""Screenshots of each view of the review page, for docs/: the review data of
:mod:`tests.support.reviewdata` on a throw-away database, served on loopback, photographed
by headless Chromium.

    python -m tests.support.screenshots docs/
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import pymongo
from secantus import SecantusDBServer

from crawler.sites import load_registry
from govnews.web import create_app
from tests.support.browser import headless_chromium
from tests.support.reviewdata import load_review_store
from tests.support.webserve import serving

VIEWS = {   # file name: path of the view, given the review data's keys
    "review-sites.png": lambda info: "/",
    "review-site-runs.png": lambda info: f"/site?name={info['flagged_site']}",
    "review-articles.png": lambda info: "/articles?site=hebi-kjj",
    "review-article.png": lambda info: "/article?" + urlencode({"url": info["changed"]}),
}


def take(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="govnews-shots-") as tmp, \
            SecantusDBServer(port=0, storage_path=str(Path(tmp) / "mongo")) as mongo:
        info = load_review_store(mongo.uri, "review", Path(tmp) / "raw")
        client = pymongo.MongoClient(mongo.uri, tz_aware=True)
        try:
            app = create_app(client["review"], load_registry(), warc_dir=info["warc_dir"])
            with serving(app) as base, headless_chromium() as driver:
                for name, path in VIEWS.items():
                    driver.get(base + path(info))
                    height = driver.execute_script("return document.documentElement.scrollHeight")
                    driver.set_window_size(1280, min(max(height + 140, 600), 1400))
                    driver.save_screenshot(str(out / name))
                    written.append(out / name)
        finally:
            client.close()
    return written


if __name__ == "__main__":
    for path in take(Path(sys.argv[1] if len(sys.argv) > 1 else "docs")):
        print(path)
