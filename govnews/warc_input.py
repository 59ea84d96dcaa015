"""WARC files as input: ``govnews clean`` cleans the HTML answers a WARC file holds, and
``govnews reclean`` cleans again the archived pages of stored records.

An *article* is the response record of its first page plus, for a multi-page article our
crawl fetched, the records marked ``GovNews-Part-Of`` that page (merged as the crawl merged
them). A revisit record is the article it refers to — found by ``WARC-Refers-To``, else by
target URI and date, else by URI and payload digest, in any of the input files — seen again
at the revisit's date. A record becomes ``url`` = its target URI, ``fetched_at`` = its
WARC-Date, ``path`` = the WARC file and ``warc`` = where its pages are, so ``govnews reclean``
finds them again.

Skipped and counted: answers that are not HTML or not 2xx, list pages our crawl archived
(``GovNews-Kind: list``), later pages whose first page is not among the inputs, revisits of
records that are not, and records whose digest is wrong. A file that ends in a torn record
(a writer killed mid-write) is read up to it and named in ``WarcInputs.problems``.
"""
from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from cleaners.pages import clean_pages
from cleaners.record import fail, new_record
from govnews.inputs import Input, is_warc_name
from storage.warc import parse_warc_date
from storage.warcread import RecordInfo, WarcReadError, read_http, scan

HTML_TYPES = ("text/html", "application/xhtml+xml", "")     # "": no Content-Type, the cleaner decides


@dataclass(frozen=True)
class WarcArticle:
    """One article to clean from WARC records."""

    path: str                                   # the WARC file of its first page (summaries, error records)
    rel: str
    url: str
    fetched_at: str                             # ISO 8601
    pages: tuple[tuple[str, int], ...]          # (WARC file, offset) of each page's response record
    warc: dict                                  # the record's ``warc``: {file, offset, id, date[, parts]}


@dataclass
class WarcInputs:
    files: int = 0
    records: int = 0                            # response and revisit records read
    articles: int = 0
    skipped: Counter = field(default_factory=Counter)     # why → records
    problems: list[str] = field(default_factory=list)     # files not read to their end, and why

    def summary(self) -> str:
        """
        >>> print(WarcInputs(2, 12, 9, Counter({"not HTML": 2, "list pages": 1})).summary())
        WARC input: 12 records in 2 file(s) → 9 articles; skipped: 2 not HTML, 1 list pages
        """
        line = f"WARC input: {self.records} records in {self.files} file(s) → {self.articles} articles"
        if self.skipped:
            line += "; skipped: " + ", ".join(f"{n} {why}" for why, n in self.skipped.most_common())
        return line


@dataclass
class _Group:
    path: str
    first: RecordInfo
    parts: list[tuple[str, RecordInfo]] = field(default_factory=list)

    def article(self, seen_again: tuple[str, RecordInfo] | None = None) -> WarcArticle:
        """The article of this group; ``seen_again``: the file and record of a revisit of it."""
        positions = [(self.path, self.first)] + self.parts
        where = [_position(path, rec) for path, rec in positions]
        warc = dict(where[0], parts=where[1:]) if len(where) > 1 else where[0]
        path, rec = seen_again or (self.path, self.first)
        return WarcArticle(path, os.path.basename(path), rec.uri, iso_date(rec.date),
                           tuple((p, r.offset) for p, r in positions), warc)


def _position(path: str, rec: RecordInfo) -> dict:
    return {"file": os.path.abspath(path), "offset": rec.offset, "id": rec.id, "date": rec.date}


def iso_date(warc_date: str | None) -> str | None:
    """
    >>> iso_date("2024-05-01T00:30:15Z")
    '2024-05-01T00:30:15+00:00'
    """
    return parse_warc_date(warc_date).isoformat() if warc_date else None


class _Index:
    """The articles of a set of WARC files, in file order."""

    def __init__(self):
        self.found = WarcInputs()
        self.order: list[_Group | tuple[str, RecordInfo]] = []     # groups and revisits
        self.groups: dict[str, _Group] = {}                        # by first page's record id
        self.by_uri_date: dict[tuple, _Group] = {}
        self.by_uri_digest: dict[tuple, _Group] = {}
        self.skipped_ids: dict[str, str] = {}                      # record id → why it was skipped

    def add_file(self, path: str) -> None:
        self.found.files += 1
        result = scan(path)
        if result.problem:
            self.found.problems.append(f"{path}: {result.problem}")
        if result.damaged:
            self.found.skipped["damaged (wrong digest)"] += result.damaged
        for rec in result.records:
            if rec.type == "response":
                self.found.records += 1
                self._response(path, rec)
            elif rec.type == "revisit":
                self.found.records += 1
                self.order.append((path, rec))

    def _skip(self, rec: RecordInfo, why: str) -> None:
        self.found.skipped[why] += 1
        if rec.id:
            self.skipped_ids[rec.id] = why

    def _response(self, path: str, rec: RecordInfo) -> None:
        if not 200 <= (rec.status or 0) < 300:
            return self._skip(rec, "not 2xx")
        if rec.mime not in HTML_TYPES:
            return self._skip(rec, "not HTML")
        if rec.fields.get("GovNews-Kind") == "list":
            return self._skip(rec, "list pages")
        part_of = rec.fields.get("GovNews-Part-Of")
        if part_of:
            group = self.groups.get(part_of)
            if group is None:
                return self._skip(rec, "later pages without their first page")
            group.parts.append((path, rec))
            return None
        group = _Group(path, rec)
        self.order.append(group)
        if rec.id:          # the first of copies of a record (the same file given twice) is the one
            self.groups.setdefault(rec.id, group)
        self.by_uri_date.setdefault((rec.uri, rec.date), group)
        if rec.fields.get("WARC-Payload-Digest"):
            self.by_uri_digest.setdefault((rec.uri, rec.fields["WARC-Payload-Digest"]), group)
        return None

    def _original(self, rec: RecordInfo) -> _Group | None:
        fields = rec.fields
        return (self.groups.get(fields.get("WARC-Refers-To"))
                or self.by_uri_date.get((fields.get("WARC-Refers-To-Target-URI") or rec.uri,
                                         fields.get("WARC-Refers-To-Date")))
                or self.by_uri_digest.get((rec.uri, fields.get("WARC-Payload-Digest"))))

    def articles(self) -> list[WarcArticle]:
        out = []
        for entry in self.order:
            if isinstance(entry, _Group):
                out.append(entry.article())
                continue
            group = self._original(entry[1])
            if group is not None:
                out.append(group.article(entry))
            else:
                why = self.skipped_ids.get(entry[1].fields.get("WARC-Refers-To") or "")
                self.found.skipped[f"revisits of skipped records ({why})" if why
                                   else "revisits whose original is not in the input"] += 1
        self.found.articles = len(out)
        return out


def expand(items: list) -> tuple[list, WarcInputs]:
    """``items`` with each WARC file replaced by the articles it holds (revisits resolved
    across all of them), and what was found."""
    warc_files = [item.path for item in items if isinstance(item, Input) and is_warc_name(item.path)]
    index = _Index()
    for path in warc_files:
        index.add_file(path)
    articles: dict[str, list[WarcArticle]] = {}
    for article in index.articles():
        articles.setdefault(article.path, []).append(article)
    out = []
    for item in items:
        if isinstance(item, Input) and is_warc_name(item.path):
            out += articles.get(item.path, [])
        else:
            out.append(item)
    return out, index.found


# -- cleaning (in worker processes with -j) --------------------------------------------------
def clean_article(item: WarcArticle) -> dict:
    """The record of an article read from WARC records; never raises for a bad record."""
    try:
        pages = []
        for path, offset in item.pages:
            answer = read_http(path, offset)
            pages.append({"url": answer.uri, "body": answer.body, "headers": answer.headers})
        record = clean_pages(pages)
    except WarcReadError as exc:
        record = fail(new_record(item.url), "error", f"WARC: {exc}")
    except Exception as exc:   # clean() promises not to raise; a batch must survive if it does
        record = fail(new_record(item.url), "error", f"cleaner failed: {type(exc).__name__}: {exc}"[:500])
    record.update(path=item.path, fetched_at=item.fetched_at, warc=item.warc)
    return record


def stored_article(doc: dict, warc_root: str | os.PathLike) -> WarcArticle:
    """The article of a stored record from the raw pages it points at (``warc``); file names
    that are not absolute are under ``warc_root``, the crawl's WARC folder."""
    warc = doc["warc"]
    positions = [warc] + list(warc.get("parts") or [])
    pages = tuple((str(Path(warc_root, p["file"])), int(p["offset"])) for p in positions)
    fetched = doc.get("fetched_at")
    fetched_at = fetched.isoformat() if isinstance(fetched, dt.datetime) else fetched
    return WarcArticle(pages[0][0], os.path.basename(pages[0][0]), doc.get("url"), fetched_at, pages, warc)
