"""Writing records out: JSON lines or CSV, to a file (gzip when its name ends in ``.gz``) or
to stdout, one record at a time.

>>> import io
>>> out = io.StringIO()
>>> writer = CsvWriter(out, ["url", "keywords", "published_at"])
>>> writer.write({"url": "http://a.gov.cn/1.html", "keywords": ["科技", "创新"]})
>>> out.getvalue().splitlines()
['url,keywords,published_at', 'http://a.gov.cn/1.html,"[""科技"", ""创新""]",']
"""
from __future__ import annotations

import contextlib
import csv
import gzip
import json
import sys

from govnews.jsonvalues import jsonable

# CSV has one cell a field: by default the fields a reader of a table wants, text last.
CSV_FIELDS = ("url", "title", "published_at", "source", "author", "editor", "site", "site_name", "column",
              "status", "text_length", "first_seen", "last_seen", "text")
# Left out of JSON lines unless asked for by --fields: the key, the earlier versions and the
# near-duplicate signature (the store's own; ``cluster`` says what it found).
HIDDEN = ("_id", "history", "dedupe")


def format_for(path: str | None, given: str | None) -> str:
    """``jsonl`` or ``csv``: as given, else by the file name, else ``jsonl``.

    >>> format_for("out.csv.gz", None), format_for("-", None), format_for("x.csv", "jsonl")
    ('csv', 'jsonl', 'jsonl')
    """
    if given:
        return given
    name = (path or "").removesuffix(".gz")
    return "csv" if name.endswith(".csv") else "jsonl"


@contextlib.contextmanager
def open_output(path: str | None):
    """A text stream to ``path`` (gzip-compressed for ``*.gz``), or stdout for None / ``-``."""
    if not path or path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    if path.endswith(".gz"):
        stream = gzip.open(path, "wt", encoding="utf-8", newline="")
    else:
        stream = open(path, "w", encoding="utf-8", newline="")
    with stream:
        yield stream


class JsonLinesWriter:
    def __init__(self, stream, fields: list[str] | None):
        self.stream = stream
        self.fields = fields

    def write(self, doc: dict) -> None:
        if self.fields:
            doc = {name: doc.get(name) for name in self.fields}
        else:
            doc = {name: value for name, value in doc.items() if name not in HIDDEN}
        self.stream.write(json.dumps(jsonable(doc), ensure_ascii=False) + "\n")


class CsvWriter:
    def __init__(self, stream, fields: list[str]):
        self.fields = list(fields)
        self.writer = csv.writer(stream)
        self.writer.writerow(self.fields)

    def write(self, doc: dict) -> None:
        self.writer.writerow([_cell(doc.get(name)) for name in self.fields])


def _cell(value) -> str:
    value = jsonable(value)
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def make_writer(kind: str, stream, fields: list[str] | None):
    if kind == "csv":
        return CsvWriter(stream, fields or list(CSV_FIELDS))
    return JsonLinesWriter(stream, fields)
