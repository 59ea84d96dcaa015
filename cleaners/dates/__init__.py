"""Publication dates: parse date strings, read them from URLs, pick the publish date of a page.

Only general rules live here (no per-site code). ``find_publish_date`` tries the rules in
``RULES`` in order of trust and returns the first date a rule finds:

1. ``meta``        gov / OpenGraph / schema.org publish-date meta tags (``META_PUBLISH``),
                   JSON-LD ``datePublished``;
2. ``visible``     labelled lines (发布时间 / 发布日期 / 日期 / 时间 …; 发布 beats 成文),
                   ``<time>`` elements, short elements whose class/id/tag says time/date;
3. ``date_lines``  lines the main-text extractor found around the headline;
4. ``url``         dates in the URL (TRS ``t20230221_…``, ``/2024/10/14/``, ``/2022/08-11/`` …);
5. ``comment``     the publish time a CMS leaves in an HTML comment (``<!--enpproperty <date>``,
                   ``PublishDate=``), read from the page's source when the parser dropped
                   comments; stamped when the page is (re)published, so after what the page
                   shows;
6. ``modified``    last-modified meta tags (better than a random body date);
7. ``body``        the first plausible date in the visible text, from the headline on;
8. ``htmldate``    htmldate's ``find_date`` (slow; only when every rule above failed, and
                   refused when its day only occurs in places the text rules rejected).

Candidates are rejected when before ``MIN_YEAR`` or after today + 1 day. Visible text is
skipped when it is a copyright/ICP line or a "today is" banner, sits in a block of other
articles (related / hot / ranking / footer / comments), or comes after a comment heading
(相关评论, 网友评论 …). Unlabelled dates are also skipped in link text, in list items with
links, in sidebar/nav blocks, and prefer the part of the page from the <h1> (or the <title>
text) on, so header banners lose. Dates inside ``<script>`` are only read from JSON-LD.

When the deciding rule knows only the day, a time of day on that same day is borrowed from
the other sources (meta, visible text, date lines, CMS comments) if one exists. The result is converted
to China time (+08:00).

Modules: :mod:`~cleaners.dates.parse` (date strings), :mod:`~cleaners.dates.url` (dates in
URLs), :mod:`~cleaners.dates.text` (the page's visible text and where dates never sit),
:mod:`~cleaners.dates.page` (the rules and the choice).
"""
from __future__ import annotations

from cleaners.dates.page import RULES, find_publish_date, find_publish_date_with_rule
from cleaners.dates.parse import CST, MIN_YEAR, parse_date
from cleaners.dates.url import date_from_url

__all__ = ["parse_date", "date_from_url", "find_publish_date", "find_publish_date_with_rule",
           "RULES", "CST", "MIN_YEAR"]
