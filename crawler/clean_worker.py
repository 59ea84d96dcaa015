"""What the crawl's cleaning workers run (:class:`crawler.pipelines.clean.CleanPipeline`
sends them batches of items): clean each item's pages and, with dedupe on, sign the record.

Kept apart from the pipeline so that a worker, a fresh ``spawn`` process, imports the cleaner
and the store's signing options (:mod:`storage.dedupe`) but not Scrapy, Twisted or pymongo:
its imports went from 0.52 s to 0.16 s before the first page (``python -X importtime``).
"""
from __future__ import annotations

import gc
import os

from cleaners.pages import clean_pages
from crawler.gc_tuning import tune
from storage.dedupe import Dedupe


def init_worker(gc_threshold: int, nice: int) -> None:
    """Runs once in every worker process, before its first page."""
    if nice:
        os.setpriority(os.PRIO_PROCESS, 0, max(nice, os.getpriority(os.PRIO_PROCESS, 0)))
    tune(gc_threshold)


def worker_state() -> tuple[int, int]:
    """The worker's niceness and young-generation GC threshold (for the crawl's stats)."""
    return os.getpriority(os.PRIO_PROCESS, 0), gc.get_threshold()[0]


def sign(record: dict, dedupe: Dedupe) -> dict:
    """The record with its near-duplicate signature (``dedupe``), as the store would make it.

    >>> from cleaners.signature import signature
    >>> sorted(sign({"text": "关于举办培训班的通知"}, Dedupe(signature))["dedupe"])
    ['bands', 'exact', 'length', 'v']
    >>> sign({"text": " "}, Dedupe(signature))
    {'text': ' '}
    """
    made = dedupe.sign(record)
    if made is not None:
        record["dedupe"] = made
    return record


def clean_batch(items: list[list[dict]], dedupe: Dedupe | None = None) -> list[tuple[dict | None, BaseException | None]]:
    """``(record, None)`` or ``(None, error)`` for each item's pages: one item that fails
    fails alone. ``dedupe``: the store's, to sign each record with (:func:`sign`).

    >>> [status for (record, error) in clean_batch([[{"url": "u", "body": b""}], [{}]])
    ...  for status in [record["status"] if record else type(error).__name__]]
    ['empty', 'KeyError']
    """
    out = []
    for pages in items:
        try:
            record = clean_pages(pages)
            out.append((sign(record, dedupe) if dedupe else record, None))
        except Exception as exc:
            out.append((None, exc))
    return out
