"""Per-site health: a crawl's figures as a run summary, and what in them looks like a template
change or an outage next to the site's own recent runs.

Pure functions over dicts (no Scrapy, no database), used by the crawl's run recorder
(:mod:`crawler.extensions.runs`), ``govnews refresh``, ``govnews sites`` and the review web
page. A run summary is the document kept in the ``runs`` collection (:mod:`storage.runs`).

What is flagged (thresholds in :class:`HealthPolicy`):

- ``failed``: the crawl failed (no list page, a crash, records that could not be stored);
- ``date_coverage_drop`` / ``title_coverage_drop``: the share of records with a publish
  date / a title fell by 0.3 or more from the median of the site's last 5 measured runs;
- ``text_length_halved``: the median text length is at most half its usual value;
- ``mostly_empty``, ``mostly_low_confidence``, ``mostly_blocked``: more than half of the
  records cleaned to nothing / carry the low-confidence warning / of the pages were blocked;
- ``no_article_links``: list pages were read but gave no article link;
- ``no_new_articles``: no new article for 4 times the site's usual interval between runs
  that found new ones (at least 2 days; known after 4 such runs).

Shares and lengths are judged only on runs that cleaned at least 3 records: a refresh whose
articles all answered 304 says nothing about the template. A site's health is what its last
run said. A change of template usually changes every page of a site, so the first refresh
after it fetches and judges them all; a site that still cleans to nothing is flagged again on
every refresh (its empty pages are never stored, so they are fetched again).
"""
from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class HealthPolicy:
    window: int = 5               # earlier measured runs whose median is the site's usual value
    min_records: int = 3          # records a run must have cleaned before its shares are judged
    coverage_drop: float = 0.3    # a date / title share this much under usual is flagged
    length_ratio: float = 0.5     # a median text length at or under this share of usual
    mostly: float = 0.5           # "most": more than this share
    min_new_runs: int = 4         # runs that found new articles before an interval is usual
    quiet_factor: float = 4.0     # quiet for this many usual intervals...
    quiet_min_days: float = 2.0   # ...and at least this long


POLICY = HealthPolicy()


def _stat_sum(stats: dict, prefix: str) -> int:
    return sum(v for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int))


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def run_summary(stats: dict, *, site: str, failure: str | None, started_at: dt.datetime,
                finished_at: dt.datetime) -> dict:
    """The run document of one crawl of ``site`` from its Scrapy stats.

    >>> t = dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc)
    >>> run = run_summary({"govnews/spider/article_pages": 4, "govnews/mongo/inserted": 3,
    ...     "govnews/quality/records": 4, "govnews/quality/with_date": 3, "govnews/clean/status/ok": 4,
    ...     "govnews/quality/median_text_length": 812}, site="a", failure=None,
    ...     started_at=t, finished_at=t + dt.timedelta(seconds=9))
    >>> run["fetched"], run["new"], run["share_date"], run["share_title"], run["median_text_length"], run["status"]
    (4, 3, 0.75, 0.0, 812, 'ok')
    """
    records = stats.get("govnews/quality/records", 0)
    return {
        "site": site,
        "started_at": started_at,
        "finished_at": finished_at,
        "duration_s": round((finished_at - started_at).total_seconds(), 1),
        "status": "failed" if failure else "ok",
        "failure": failure,
        "list_pages": stats.get("govnews/spider/list_pages", 0),
        "article_links": stats.get("govnews/spider/article_links", 0),
        "fetched": stats.get("govnews/spider/article_pages", 0) + stats.get("govnews/blocks/article_pages", 0),
        "new": stats.get("govnews/mongo/inserted", 0),
        "changed": stats.get("govnews/mongo/updated", 0),
        "unchanged": stats.get("govnews/mongo/unchanged", 0),
        "not_modified": stats.get("govnews/refresh/not_modified", 0),
        "blocked": _stat_sum(stats, "govnews/blocked/"),
        "errors": (_stat_sum(stats, "govnews/download_error/") + stats.get("govnews/clean/status/error", 0)
                   + stats.get("govnews/mongo/failed", 0)),
        "ok": stats.get("govnews/clean/status/ok", 0),
        "empty": stats.get("govnews/clean/status/empty", 0),
        "low_confidence": stats.get("govnews/clean/low_confidence", 0),
        "records": records,
        "share_date": _share(stats.get("govnews/quality/with_date", 0), records),
        "share_source": _share(stats.get("govnews/quality/with_source", 0), records),
        "share_title": _share(stats.get("govnews/quality/with_title", 0), records),
        "median_text_length": stats.get("govnews/quality/median_text_length"),
    }


def _flag(name: str, message: str, value=None, usual=None) -> dict:
    return {"flag": name, "message": message, "value": value, "usual": usual}


def _median(values) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _compared(run: dict, measured: list[dict], policy: HealthPolicy) -> list[dict]:
    """Flags from comparing ``run`` with the site's earlier measured runs."""
    flags = []
    for name, what in (("date", "a publish date"), ("title", "a title")):
        value, usual = run.get(f"share_{name}"), _median(r.get(f"share_{name}") for r in measured)
        if value is not None and usual is not None and usual - value >= policy.coverage_drop - 1e-9:
            flags.append(_flag(f"{name}_coverage_drop", f"{value:.0%} of records have {what} "
                               f"(usually {usual:.0%})", value, usual))
    value = run.get("median_text_length")
    usual = _median(r.get("median_text_length") for r in measured)
    if value is not None and usual and value <= usual * policy.length_ratio:
        flags.append(_flag("text_length_halved", f"median text length {value} characters "
                           f"(usually {usual:.0f})", value, usual))
    return flags


def _mostly(run: dict, policy: HealthPolicy) -> list[dict]:
    """Flags that need no history: most records empty, doubtful or blocked."""
    flags = []
    records, ok, fetched = run.get("records") or 0, run.get("ok") or 0, run.get("fetched") or 0
    checks = (("mostly_empty", run.get("empty") or 0, records, "records cleaned to no text"),
              ("mostly_low_confidence", run.get("low_confidence") or 0, ok, "records have low extraction confidence"),
              ("mostly_blocked", run.get("blocked") or 0, fetched, "article pages were blocked"))
    for name, part, whole, what in checks:
        if whole >= policy.min_records and part / whole > policy.mostly:
            flags.append(_flag(name, f"{part} of {whole} {what}", part / whole, None))
    return flags


def _quiet(run: dict, history: list[dict], policy: HealthPolicy) -> list[dict]:
    """``no_new_articles`` when the site has been quiet far longer than usual."""
    times = sorted((r["started_at"] for r in [run, *history] if (r.get("new") or 0) > 0 and r.get("started_at")),
                   reverse=True)
    if len(times) < policy.min_new_runs:
        return []
    usual = statistics.median((a - b).total_seconds() for a, b in zip(times, times[1:]))
    quiet = (run["started_at"] - times[0]).total_seconds()
    if quiet > max(policy.quiet_factor * usual, policy.quiet_min_days * 86400):
        days, usual_days = quiet / 86400, usual / 86400
        return [_flag("no_new_articles", f"no new article for {days:.1f} days (usually one every "
                      f"{usual_days:.1f} days)", round(days, 1), round(usual_days, 1))]
    return []


def assess(run: dict, history: list[dict], policy: HealthPolicy = POLICY) -> list[dict]:
    """The health flags of ``run`` given the site's earlier runs ``history`` (newest first).

    >>> t = dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc)
    >>> usual = {"records": 8, "ok": 8, "share_date": 1.0, "share_title": 1.0, "median_text_length": 900}
    >>> [f["flag"] for f in assess({**usual, "started_at": t}, [usual, usual])]
    []
    >>> moved = {**usual, "share_date": 0.25, "median_text_length": 300, "started_at": t}
    >>> [f["message"] for f in assess(moved, [usual, usual])]
    ['25% of records have a publish date (usually 100%)', 'median text length 300 characters (usually 900)']
    >>> [f["flag"] for f in assess({**moved, "records": 0}, [usual])]   # nothing cleaned: nothing to judge
    []
    """
    flags = []
    if run.get("status") == "failed":
        flags.append(_flag("failed", f"the crawl failed: {run.get('failure')}"))
    if (run.get("records") or 0) >= policy.min_records:
        measured = [r for r in history if (r.get("records") or 0) >= policy.min_records][: policy.window]
        if measured:
            flags += _compared(run, measured, policy)
    flags += _mostly(run, policy)
    if run.get("status") != "failed" and run.get("list_pages") and not run.get("article_links"):
        flags.append(_flag("no_article_links", f"{run['list_pages']} list page(s) gave no article link"))
    return flags + _quiet(run, history, policy)


def site_flags(runs: list[dict]) -> list[dict]:
    """A site's health, given its runs newest first: the flags of its last run, each with
    ``"run_started_at"``.

    >>> t = dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc)
    >>> changed = {"started_at": t, "records": 8, "flags": [{"flag": "text_length_halved", "message": "m"}]}
    >>> [(f["flag"], f["run_started_at"].day) for f in site_flags([changed, {"flags": []}])]
    [('text_length_halved', 1)]
    >>> site_flags([])
    []
    """
    if not runs:
        return []
    return [dict(f, run_started_at=runs[0].get("started_at")) for f in runs[0].get("flags") or []]
