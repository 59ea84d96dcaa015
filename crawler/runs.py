"""Runs of crawls in the store: recording one with its health flags, and finding the run of a
crawl process that has finished.

The crawl itself records its run (:class:`crawler.extensions.runs.RunRecorder`);
:func:`run_of` reads it back for ``govnews refresh``, or records one from the process's
result when the crawl died before it could (a crash, a kill, a store that was away).
"""
from __future__ import annotations

import datetime as dt

from scrapy.settings import Settings

from crawler import settings as project_settings
from crawler.health import assess, run_summary
from crawler.runner import CrawlResult
from storage.runs import RunStore


def crawl_settings(extra: dict | None = None) -> Settings:
    """The project's settings with ``extra`` (``-s NAME=VALUE`` pairs) on top.

    >>> crawl_settings({"GOVNEWS_RUNS_ENABLED": "0"}).getbool("GOVNEWS_RUNS_ENABLED")
    False
    """
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    settings.update(extra or {}, priority="cmdline")
    return settings


def record_run(runs: RunStore, run: dict, history: int) -> dict:
    """Judge ``run`` against the site's last ``history`` runs, store it, and return it."""
    runs.ensure_indexes()
    run["flags"] = assess(run, runs.recent(run["site"], history))
    run["_id"] = runs.add(run)
    return run


def run_of(result: CrawlResult, database, settings: Settings) -> dict | None:
    """The run document of a finished crawl: the one it recorded, else one recorded now from
    its result (None when runs are off)."""
    if not settings.getbool("GOVNEWS_RUNS_ENABLED"):
        return None
    runs = RunStore(database, settings.get("GOVNEWS_RUNS_COLLECTION"))
    run_id = result.stat("govnews/run/id", None)
    run = runs.get(run_id) if run_id else None
    if run is not None:
        return run
    finished = dt.datetime.now(dt.timezone.utc)
    run = run_summary(result.stats, site=result.site, failure=result.failure,
                      started_at=finished - dt.timedelta(seconds=result.seconds), finished_at=finished)
    return record_run(runs, run, settings.getint("GOVNEWS_RUNS_HISTORY"))
