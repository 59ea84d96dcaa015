"""The test-crawl of a column: its list page must give article links by the CMS rules
(:func:`crawler.cms.links_from_list`, and Hanweb's dataproxy when the page holds none), and
one of the first articles (``samples``) must clean to ``ok`` with enough confidence through
the cleaner the crawl uses (:func:`cleaners.pipeline.clean`).

A column that fails says why in words a user can act on: its start URL answered 404, a
challenge page came back, no article links, articles empty or of low confidence.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from cleaners.antibot import is_ruishu_shell
from cleaners.encoding import decode
from cleaners.pipeline import clean
from cleaners.record import low_confidence
from crawler.cms import hanweb, links_from_list
from crawler.middlewares.antibot import BLOCK_STATUSES, SHELL_MAX_BYTES
from crawler.probe.fetch import Answer, Fetcher, RobotsDisallowed


@dataclass
class ColumnCheck:
    url: str
    title: str = ""
    ok: bool = False
    reason: str | None = None
    articles: list[str] = field(default_factory=list)   # article links of its list page
    sampled: list[dict] = field(default_factory=list)   # {url, status, confidence, reason} per article cleaned

    @property
    def label(self) -> str:
        return self.title or self.url


@dataclass
class SiteCheck:
    name: str
    columns: list[ColumnCheck] = field(default_factory=list)

    @property
    def broken(self) -> str | None:
        """Why the site is broken (every failing column named), or None."""
        bad = [f"{c.label}: {c.reason}" for c in self.columns if not c.ok]
        return "; ".join(bad) if bad else None


def challenge(answer: Answer) -> str | None:
    """Why ``answer`` is an anti-bot challenge rather than a page (None when it is a page)."""
    why = [f"HTTP {answer.status}"] if answer.status in BLOCK_STATUSES else []
    if is_ruishu_shell(answer.body[:SHELL_MAX_BYTES]):
        why.append("Ruishu JavaScript challenge shell")
    return ", ".join(why) or None


def fetch_page(fetcher: Fetcher, url: str, what: str) -> tuple[Answer | None, str | None]:
    """(answer, None) for a usable page, else (answer or None, why not)."""
    try:
        answer = fetcher.get(url)
    except RobotsDisallowed as exc:
        return None, str(exc)
    blocked = challenge(answer)
    if blocked:
        return answer, f"challenge page at {url} ({blocked})"
    if answer.status == 0:
        return answer, f"{what} {url} unreachable: {answer.error}"
    if answer.status >= 400:
        return answer, f"{what} {url} answered HTTP {answer.status}"
    return answer, None


def list_articles(fetcher: Fetcher, answer: Answer, site) -> list[str]:
    """The article links of a list page, asking Hanweb's dataproxy when the page holds none."""
    text = decode(answer.body, answer.content_type).text
    links = links_from_list(text, answer.url, site)
    articles = list(links.articles)
    if not articles and links.hanweb:
        url, form = hanweb.dataproxy_request(answer.url, links.hanweb, 1, links.hanweb_per_page)
        try:
            data = fetcher.get(url, form)
        except RobotsDisallowed:
            return []
        if data.status == 200:
            articles = hanweb.record_links(decode(data.body, data.content_type).text, data.url)
    return articles


def check_article(fetcher: Fetcher, url: str) -> dict:
    answer, why = fetch_page(fetcher, url, "article")
    if why:
        return {"url": url, "status": "blocked" if answer is not None and challenge(answer) else "error",
                "reason": why}
    record = clean(answer.body, url=answer.url, headers=answer.headers)
    out = {"url": url, "status": record["status"], "confidence": record["extraction"].get("confidence")}
    if record["status"] == "blocked":
        out["reason"] = f"challenge page at {url} ({record.get('reason')})"
    elif record["status"] != "ok":
        out["reason"] = record.get("reason")
    elif low_confidence(record):
        out["status"], out["reason"] = "low_confidence", f"confidence {out['confidence']}"
    return out


def check_column(fetcher: Fetcher, url: str, site, title: str = "", samples: int = 2) -> ColumnCheck:
    """Test-crawl one column of ``site`` (a :class:`crawler.sites.Site`; its allowed domains
    bound the article links)."""
    result = ColumnCheck(url, title)
    answer, why = fetch_page(fetcher, url, "start URL")
    if why:
        result.reason = why
        return result
    result.articles = list_articles(fetcher, answer, site)
    if not result.articles:
        result.reason = f"no article links on {url}"
        return result
    for article in result.articles[:samples]:
        result.sampled.append(check_article(fetcher, article))
        if result.sampled[-1]["status"] == "ok":
            result.ok = True
            return result
    blocked = [s for s in result.sampled if s["status"] == "blocked"]
    if blocked and len(blocked) == len(result.sampled):
        result.reason = blocked[0]["reason"]
    else:
        result.reason = "articles empty or low confidence: " + "; ".join(
            f"{s['url']} {s['status']} ({s.get('reason')})" for s in result.sampled)
    return result


def check_site(fetcher: Fetcher, site, samples: int = 2) -> SiteCheck:
    """Test-crawl every column (start URL) of a registered site."""
    return SiteCheck(site.name, [check_column(fetcher, url, site, title, samples)
                                 for url, title in zip(site.start_urls, site.column_titles())])
