"""A small synchronous fetcher for probing a site: the project's User-Agent, robots.txt
obeyed as the crawler obeys it (RFC 9309: 4xx = no rules, 5xx / 429 / no answer = disallow
everything), a delay between requests to one host, a size limit. urllib honours
``http_proxy`` / ``no_proxy`` from the environment.
"""
from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from protego import Protego

from crawler.middlewares.robots import unreachable_status


@dataclass
class Answer:
    url: str                       # final URL, after redirects
    status: int                    # HTTP status; 0 = no answer (error says why)
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    error: str | None = None

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


class RobotsDisallowed(Exception):
    """robots.txt forbids the URL (or could not be read, which forbids everything)."""


class Fetcher:
    def __init__(self, user_agent: str, delay: float = 1.0, timeout: float = 30.0,
                 max_bytes: int = 32 * 1024 * 1024):
        self.user_agent, self.delay, self.timeout, self.max_bytes = user_agent, delay, timeout, max_bytes
        self._robots: dict[str, tuple[Protego | None, str | None]] = {}
        self._last: dict[str, float] = {}
        self.opener = urllib.request.build_opener()     # ProxyHandler from the environment

    @classmethod
    def from_settings(cls, settings) -> "Fetcher":
        """From Scrapy settings (``crawler/settings.py`` plus overrides)."""
        return cls(settings.get("USER_AGENT"), settings.getfloat("DOWNLOAD_DELAY"),
                   settings.getfloat("DOWNLOAD_TIMEOUT"), settings.getint("DOWNLOAD_MAXSIZE"))

    # -- robots.txt ------------------------------------------------------------------------
    def robots_block(self, url: str) -> str | None:
        """Why robots.txt forbids ``url`` (None when allowed)."""
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key not in self._robots:
            answer = self._get(key + "/robots.txt")
            if answer.status == 0:
                self._robots[key] = (None, f"robots.txt unreachable ({answer.error}): nothing may be fetched")
            elif unreachable_status(answer.status):
                self._robots[key] = (None, f"robots.txt answered HTTP {answer.status}: nothing may be fetched")
            elif 400 <= answer.status < 500:
                self._robots[key] = (Protego.parse(""), None)
            else:
                self._robots[key] = (Protego.parse(answer.body.decode("utf-8", "replace")), None)
        rules, why = self._robots[key]
        if rules is None:
            return why
        return None if rules.can_fetch(url, self.user_agent) else f"robots.txt of {parts.netloc} disallows {url}"

    # -- pages -----------------------------------------------------------------------------
    def get(self, url: str, form: dict | None = None) -> Answer:
        """GET ``url`` (POST when ``form`` is given); RobotsDisallowed when robots.txt says no."""
        why = self.robots_block(url)
        if why:
            raise RobotsDisallowed(why)
        return self._get(url, form)

    def _get(self, url: str, form: dict | None = None) -> Answer:
        host = urlsplit(url).netloc
        wait = self._last.get(host, 0) + self.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        data = urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(url, data=data, headers={"User-Agent": self.user_agent,
                                                                  "Accept-Language": "zh-CN,zh;q=0.9"})
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return Answer(response.geturl(), response.status, response.read(self.max_bytes),
                              {k.lower(): v for k, v in response.headers.items()})
        except urllib.error.HTTPError as exc:
            body = exc.read(self.max_bytes) if exc.fp else b""
            return Answer(exc.geturl() or url, exc.code, body, {k.lower(): v for k, v in (exc.headers or {}).items()})
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            return Answer(url, 0, error=f"{type(reason).__name__}: {reason}"[:200])
        finally:
            self._last[host] = time.monotonic()
