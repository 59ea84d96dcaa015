"""One ArticleStore per crawl, shared by the Mongo pipeline and the conditional-GET middleware.

The store (:class:`storage.ArticleStore`) is opened on first use and closed on
``spider_closed``, which Scrapy sends after the pipelines' ``close_spider``. Without a URI the
embedded SecantusDB server is started (:func:`storage.mongo_uri`).
"""
from __future__ import annotations

import contextlib
import logging
import threading

from scrapy import signals

from crawler.dedupe import dedupe_options
from storage import ArticleStore, mongo_uri

logger = logging.getLogger(__name__)
_ATTR = "_govnews_store"
_OPENING = threading.Lock()     # callers run in worker threads: open it once


def shared_store(crawler) -> ArticleStore:
    """The crawl's open ArticleStore (opened on first call; an unreachable MongoDB raises
    and the next call tries again)."""
    store = getattr(crawler, _ATTR, None)
    if store is not None:
        return store
    with _OPENING:
        store = getattr(crawler, _ATTR, None)
        return store if store is not None else _open(crawler)


def _open(crawler) -> ArticleStore:
    settings = crawler.settings
    stack = contextlib.ExitStack()
    try:
        uri = stack.enter_context(mongo_uri(settings.get("GOVNEWS_MONGO_URI") or None))
        store = ArticleStore.from_uri(uri, db=settings.get("GOVNEWS_MONGO_DB"),
                                      collection=settings.get("GOVNEWS_MONGO_COLLECTION"),
                                      dedupe=dedupe_options(settings))
        store.open()
    except BaseException:
        stack.close()
        raise
    stack.callback(store.close)
    setattr(crawler, _ATTR, store)

    def close(*_args, **_kwargs):
        setattr(crawler, _ATTR, None)
        stack.close()
    crawler.signals.connect(close, signal=signals.spider_closed, weak=False)
    logger.info("govnews store open: %r", store)
    return store
