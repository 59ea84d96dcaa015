"""The registered sites at a glance: articles, last run, last new article and health.

Shared by ``govnews sites`` and the review web page. Sites come from the registry, plus any
that have runs or articles in the store without being registered (e.g. a crawl of a
``start_url``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from crawler.health import site_flags
from storage.queries import site_figures
from storage.runs import RunStore


@dataclass
class SiteRow:
    name: str
    title: str = ""
    registered: bool = False
    articles: int = 0
    low_confidence: int = 0
    last_new: dt.datetime | None = None           # first_seen of its newest article
    runs: list[dict] = field(default_factory=list)   # newest first
    flags: list[dict] = field(default_factory=list)  # crawler.health.site_flags

    @property
    def last_run(self) -> dict | None:
        return self.runs[0] if self.runs else None


def site_rows(registry: dict, database, runs_per_site: int = 20) -> list[SiteRow]:
    """One row per site: the registered ones in registry order, then the others by name."""
    figures = site_figures(database["articles"])
    runs = RunStore(database).latest(runs_per_site)
    names = list(registry) + sorted((set(figures) | set(runs)) - set(registry) - {None})
    rows = []
    for name in names:
        site = registry.get(name)
        numbers = figures.get(name, {})
        site_runs = runs.get(name, [])
        rows.append(SiteRow(name=name, title=getattr(site, "title", ""), registered=site is not None,
                            articles=numbers.get("articles", 0), low_confidence=numbers.get("low_confidence", 0),
                            last_new=numbers.get("last_new"), runs=site_runs, flags=site_flags(site_runs)))
    return rows


def when(value: dt.datetime | str | None) -> str:
    """A stored time as local time to the minute ("" for none; a string as it is).

    >>> when(None), when("2024-05-01T08:30:00+00:00")
    ('', '2024-05-01T08:30:00+00:00')
    >>> len(when(dt.datetime(2024, 5, 1, 8, 30, tzinfo=dt.timezone.utc)))
    16
    """
    if value is None or isinstance(value, str):
        return value or ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone().strftime("%Y-%m-%d %H:%M")
