"""Loader for the fixture pages in fixtures/pages/ and their expectations.

Each page is ``NAME.html`` (raw bytes, in whatever encoding the page uses) with a sidecar
``NAME.expect.json`` written from the page, not from any program's output:

    about            what the page exercises (documentation only)
    url              passed to clean(url=...)
    headers          optional HTTP headers passed to clean(headers=...)
    status           expected record status (normally "ok")
    paragraphs       whole paragraphs that must each come out as one line of text
    must_contain     article snippets that must be in the text
    once             snippets that must occur exactly once (duplicated summaries/teasers)
    must_not_contain noise strings that must not be in the text
    must_not_line    strings that must not be a whole line of the text (bare counters)
    fields          exact values: title, published_at (ISO with offset, or a day prefix
                     "YYYY-MM-DD"), source, author, editor, site_name, column (null: the
                     field must be empty); keywords (each must be present); attachments
                     (file names, each contained in one attachment name; same count);
                     images (count of content images); image_captions (each contained
                     in one caption)
    fields_contain   field -> substring the field value must contain
    script           expected record["script"]["detected"] / ["converted"]
    encoding_used    expected encoding family (utf-8, gb18030, big5, ...)

Text comparisons ignore white space (spaces, U+3000, NBSP), which Chinese text does not
depend on; they are done line by line so that nothing matches across paragraphs.
"""
from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from tests.support.paths import PAGES as PAGES_DIR

_WS = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")


def squeeze(text: str | None) -> str:
    """Remove all white space (ASCII, U+3000, NBSP, zero-width)."""
    return _WS.sub("", text or "")


def lines(text: str) -> list[str]:
    """Non-empty lines of a record text, each with its white space removed."""
    return [s for s in (squeeze(line) for line in (text or "").split("\n")) if s]


@dataclass
class PageCase:
    name: str
    path: Path
    expect: dict = field(repr=False)

    @cached_property
    def raw(self) -> bytes:
        return self.path.read_bytes()

    @property
    def url(self) -> str | None:
        return self.expect.get("url")

    @property
    def headers(self) -> dict | None:
        return self.expect.get("headers")

    def __str__(self) -> str:
        return self.name


def load_cases() -> list[PageCase]:
    cases = []
    for html in sorted(PAGES_DIR.glob("*.html")):
        name = html.name[: -len(".html")]
        sidecar = PAGES_DIR / f"{name}.expect.json"
        expect = json.loads(sidecar.read_text("utf-8")) if sidecar.exists() else {}
        cases.append(PageCase(name=name, path=html, expect=expect))
    return cases


_RESULTS: dict[str, tuple[dict, float]] = {}


def cleaned(case: PageCase, clean) -> tuple[dict, float]:
    """(record, seconds) for one page; each page is cleaned once per test session."""
    if case.name not in _RESULTS:
        started = time.perf_counter()
        record = clean(case.raw, url=case.url, headers=case.headers)
        _RESULTS[case.name] = (record, time.perf_counter() - started)
    return _RESULTS[case.name]
