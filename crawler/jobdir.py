"""Scrapy's scheduler, safe to resume after the crawl process was killed (SIGKILL, OOM, power).

Scrapy persists a crawl in ``JOBDIR`` (``-s JOBDIR=...``): the fingerprints of every request
ever scheduled (``requests.seen``, written through a buffer) and the pending requests
(``requests.queue/``, whose index ``active.json`` is written only on a clean close). After a
clean stop (Ctrl-C, SIGTERM) a restart resumes exactly. After a kill the two disagree: the
seen set names requests the lost queue never ran, so a plain restart would skip them and
their articles would be missing.

This scheduler writes ``<JOBDIR>/govnews-running`` when it opens and removes it after a clean
close. Finding it at start means the last run died: the persisted frontier is set aside
(``<JOBDIR>/crashed-<time>/``) and the crawl starts again from its start URLs. Nothing is
fetched twice in full: articles already stored answer the conditional GET with 304, records
cleaned but not yet stored come back from the Mongo pipeline's spool, and upserts are keyed
on the canonical URL (``govnews/jobdir/unclean_restarts``).

A crawl that *finished* leaves its JOBDIR without a frontier, so the same ``-s JOBDIR`` can
stay in a crontab line: each run resumes a stopped or killed run, or starts afresh.
"""
from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path

from scrapy.core.scheduler import Scheduler
from scrapy.utils.job import job_dir

logger = logging.getLogger(__name__)

MARKER = "govnews-running"
FRONTIER = ("requests.seen", "requests.queue")


def recover(jobdir: Path) -> Path | None:
    """Set the frontier of a run that did not close cleanly aside; return where it went.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = (Path(d) / MARKER).write_text("123"), (Path(d) / "requests.seen").write_text("x")
    ...     moved = recover(Path(d))
    ...     sorted(p.name for p in Path(d).iterdir()) == [moved.name], (moved / "requests.seen").exists()
    (True, True)
    """
    marker = jobdir / MARKER
    if not marker.exists():
        return None
    aside = jobdir / time.strftime("crashed-%Y%m%dT%H%M%S")
    aside.mkdir(exist_ok=True)
    for name in FRONTIER:
        if (jobdir / name).exists():
            os.replace(jobdir / name, aside / name)
    marker.unlink()
    return aside


def forget(jobdir: Path) -> None:
    """Remove a finished crawl's frontier (seen fingerprints, request queue).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = (Path(d) / "requests.seen").write_text("x"), (Path(d) / "requests.queue").mkdir()
    ...     forget(Path(d))
    ...     list(Path(d).iterdir())
    []
    """
    for name in FRONTIER:
        path = jobdir / name
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


class ResumableScheduler(Scheduler):
    @classmethod
    def from_crawler(cls, crawler):
        path = job_dir(crawler.settings)
        if path:
            # Before super(): the dupefilter reads requests.seen when it is built.
            aside = recover(Path(path))
            if aside is not None:
                crawler.stats.inc_value("govnews/jobdir/unclean_restarts")
                logger.warning("the last run in %s did not stop cleanly (killed?): its frontier is in %s; "
                               "crawling again from the start URLs (stored articles cost a 304)", path, aside)
        return super().from_crawler(crawler)

    def open(self, spider):
        if self.dqdir:
            marker = Path(self.dqdir).parent / MARKER
            with open(marker, "w") as f:
                f.write(str(os.getpid()))
                f.flush()
                os.fsync(f.fileno())
        return super().open(spider)

    def close(self, reason):
        result = super().close(reason)
        if self.dqdir:
            # The queue index is on disk; requests.seen is flushed by the dupefilter's close
            # (synchronous in Scrapy's RFPDupeFilter).
            jobdir = Path(self.dqdir).parent
            if reason == "finished":
                # Done: the next run (cron, same JOBDIR) must crawl afresh, not skip every seen URL.
                forget(jobdir)
            (jobdir / MARKER).unlink(missing_ok=True)
        return result
