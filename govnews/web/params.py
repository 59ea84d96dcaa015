"""A page's filters read from its query string, with what was wrong in them.

>>> f = article_filters({"site": "hebi-kjj", "since": "2024-1-5", "lowconf": "1", "q": " 科技 ", "page": "x"})
>>> f.filter, f.page, f.errors
(ArticleFilter(site='hebi-kjj', since=None, until=None, query='科技', status=None, low_confidence=True, title_only=True), 1, ['since: not a day (YYYY-MM-DD): 2024-1-5'])
"""
from __future__ import annotations

from dataclasses import dataclass, field

from storage import ArticleFilter
from storage.queries import check_day

STATUSES = ("ok", "empty", "error", "blocked")


@dataclass
class ArticleParams:
    filter: ArticleFilter
    page: int = 1
    errors: list[str] = field(default_factory=list)


def _day(args, name: str, errors: list[str]) -> str | None:
    value = (args.get(name) or "").strip()
    if not value:
        return None
    try:
        return check_day(value)
    except ValueError:
        errors.append(f"{name}: not a day (YYYY-MM-DD): {value}")
        return None


def article_filters(args) -> ArticleParams:
    """The article list's filters: site, since, until (published days), status, lowconf,
    q (text in the title), page."""
    errors: list[str] = []
    status = (args.get("status") or "").strip() or None
    if status not in (None, *STATUSES):
        errors.append(f"status: one of {', '.join(STATUSES)}")
        status = None
    page = (args.get("page") or "1").strip()
    flt = ArticleFilter(site=(args.get("site") or "").strip() or None, since=_day(args, "since", errors),
                        until=_day(args, "until", errors), query=(args.get("q") or "").strip() or None,
                        status=status, low_confidence=(args.get("lowconf") or "") in ("1", "on", "true"),
                        title_only=True)
    return ArticleParams(flt, int(page) if page.isdigit() and int(page) > 0 else 1, errors)
