"""Garbage-collector tuning for the long-running processes: the crawler and its cleaning
workers (applied by :mod:`crawler.extensions.gc_stats` and ``crawler.pipelines.clean``), and
the cleaning processes of ``govnews clean``. No scrapy import.

CPython's cyclic collector runs a young collection every 700 net allocations, and every so
often a full one that walks every tracked object, including the hundreds of thousands that
Scrapy, lxml, trafilatura and pymongo create at import and keep forever. A crawl allocates
millions of short-lived objects per thousand pages, so with the defaults the crawler spent
≈ 4.5 s of a 25 s crawl collecting (measured with ``gc.callbacks`` on bench/crawl.py). Most
of those objects die by reference counting anyway; cycles are rare.

:func:`tune` moves everything alive at that point into the permanent generation
(``gc.freeze``: never scanned again) and makes young collections rarer. Garbage cycles are
still collected, just in larger batches.
"""
from __future__ import annotations

import gc
import time

THRESHOLD = 20_000      # net allocations between young collections (CPython's default: 700)


def tune(threshold: int = THRESHOLD) -> bool:
    """Freeze the objects alive now and set the young-generation threshold. ``threshold`` ≤ 0
    leaves the collector alone. Returns whether anything was changed.

    >>> import gc
    >>> before = gc.get_threshold()
    >>> tune(0), gc.get_threshold() == before
    (False, True)
    """
    if threshold <= 0:
        return False
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(threshold, older, oldest)
    return True


class CollectionTimer:
    """Counts collections and the time spent in them, through ``gc.callbacks``."""

    def __init__(self):
        self.collections = 0
        self.seconds = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.collections += 1
            self.seconds += time.perf_counter() - self._started

    def start(self) -> "CollectionTimer":
        gc.callbacks.append(self)
        return self

    def stop(self) -> None:
        if self in gc.callbacks:
            gc.callbacks.remove(self)

    def __enter__(self) -> "CollectionTimer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
