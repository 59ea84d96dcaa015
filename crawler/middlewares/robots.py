"""robots.txt as RFC 9309 reads it: an unreachable robots.txt means "disallow everything".

Scrapy's RobotsTxtMiddleware (2.19) parses whatever body comes back, whatever the status,
and allows everything when the download fails. So a site whose robots.txt answers 503 (or
whose server resets the connection) is crawled as if it had no rules, which is the opposite
of what RFC 9309 §2.3.1.3–4 asks:

- 2xx: the rules in the body (Protego ignores lines it cannot parse, so junk around a valid
  group still leaves the group in force; a body with no rules allows everything);
- 3xx: followed by RedirectMiddleware (up to its limit), then as above;
- 4xx (except 429): no robots.txt, everything allowed;
- 5xx and 429, or no answer at all (timeout, refused, reset, DNS) after the retries:
  **disallow everything** for this crawl (``govnews/robotstxt/unreachable`` and a WARNING
  line); the next scheduled crawl asks again.

``GOVNEWS_ROBOTSTXT_STRICT_ENABLED = False`` gives Scrapy's behaviour back. This class
replaces ``scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware`` in the settings and
overrides its two private hooks ``_parse_robots`` / ``_robots_error`` (Scrapy 2.19).
"""
from __future__ import annotations

import logging

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.misc import build_from_crawler

from crawler.middlewares.failures import failure_reason

logger = logging.getLogger(__name__)
DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"
UNREACHABLE_WHY = "govnews/robotstxt/unreachable_reason"    # the first, for `govnews refresh`


def unreachable_status(status: int) -> bool:
    """Does this robots.txt status mean "unreachable" (RFC 9309: server errors; 429 too)?

    >>> [unreachable_status(s) for s in (200, 301, 404, 410, 429, 500, 503)]
    [False, False, False, False, True, True, True]
    """
    return status >= 500 or status == 429


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler):
        super().__init__(crawler)
        self.strict = crawler.settings.getbool("GOVNEWS_ROBOTSTXT_STRICT_ENABLED")

    async def _parse_robots(self, response, netloc, request):
        if self.strict and unreachable_status(response.status):
            self._stats.inc_value("robotstxt/response_count")
            self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            self._disallow_all(netloc, f"HTTP {response.status}", f"HTTP {response.status}")
            return
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc, netloc):
        if self.strict and not isinstance(exc, IgnoreRequest):
            self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
            self._disallow_all(netloc, f"{type(exc).__name__}: {exc}"[:200], failure_reason(exc))
            return
        super()._robots_error(exc, netloc)

    def _disallow_all(self, netloc: str, why: str, reason: str) -> None:
        """``why`` for the log; ``reason`` (``HTTP 503``, ``dns``, ``timeout``…) for the summary."""
        self._stats.inc_value("govnews/robotstxt/unreachable")
        if self._stats.get_value(UNREACHABLE_WHY) is None:
            self._stats.set_value(UNREACHABLE_WHY, reason)
        logger.warning("robots.txt of %s unreachable (%s): disallowing the whole site for this crawl "
                       "(RFC 9309)", netloc, why)
        parser = build_from_crawler(self._parserimpl, self.crawler, DISALLOW_ALL)
        pending = self._parsers[netloc]
        self._parsers[netloc] = parser
        if hasattr(pending, "callback"):
            pending.callback(parser)
