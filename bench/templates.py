"""Unseen templates, simulated: every evalset article page rewritten as another site's
template might write it, then cleaned. A cleaner that leans on class names or on <h1> works
on the pages it was built on and fails on sites that name things otherwise.

    python -m bench.templates [--worst 5]

Rewrites (each on its own):
  no-attributes   every class and id attribute removed
  random-names    every class and id value replaced by a meaningless name
  no-semantic     nav, header, footer, aside, article, main and section become div
  no-headings     h1–h6 become div
  br-paragraphs   paragraphs run together, split by <br><br> only
  font-lines      every <p> becomes an inline <font> followed by <br>, as old templates wrote

Printed per rewrite: mean F1, the share of pages at ≥ .9, the pages under .5, and the
silent failures among them (F1 under .5 while the record says ok with a confidence at or
above the low-confidence threshold); then the precision and recall of the low_confidence
flag over all the rewritten records.
"""
from __future__ import annotations

import argparse
import random
import re
import statistics
import sys

from bench.evalset import load_pages, prf
from bench.loso import BAD_F1, Scored, flag_quality
from cleaners import clean
from cleaners.options import DEFAULT_OPTIONS

_ATTR = re.compile(rb"""\s(?:class|id)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.I)
_ATTR_VALUE = re.compile(rb"""(\s(?:class|id)\s*=\s*)(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.I)
_SEMANTIC = re.compile(rb"<(/?)(?:nav|header|footer|aside|article|main|section)\b", re.I)
_HEADING = re.compile(rb"<(/?)h[1-6]\b", re.I)
_PARAGRAPH_BREAK = re.compile(rb"</p\s*>\s*<p\b[^>]*>", re.I)
_P_OPEN, _P_CLOSE = re.compile(rb"<p\b", re.I), re.compile(rb"</p\s*>", re.I)


def _random_names(raw: bytes) -> bytes:
    rng = random.Random(len(raw))
    return _ATTR_VALUE.sub(lambda m: m.group(1) + b'"k%d"' % rng.randrange(10 ** 6), raw)


REWRITES = {
    "no-attributes": lambda raw: _ATTR.sub(b"", raw),
    "random-names": _random_names,
    "no-semantic": lambda raw: _SEMANTIC.sub(rb"<\1div", raw),
    "no-headings": lambda raw: _HEADING.sub(rb"<\1div", raw),
    "br-paragraphs": lambda raw: _PARAGRAPH_BREAK.sub(b"<br><br>", raw),
    "font-lines": lambda raw: _P_OPEN.sub(b"<font", _P_CLOSE.sub(b"</font><br>", raw)),
}


def run(rewrite) -> list[tuple[str, float, str, float, bool]]:
    """(page, F1, status, confidence, low_confidence warning) of every evalset article with a
    full-text truth."""
    rows = []
    for page in load_pages(("full_text", "tool_reference")):
        if page.page_type != "article" or not page.truth.get("text"):
            continue
        raw = page.raw() if rewrite is None else rewrite(page.raw())
        record = clean(raw, url=page.url)
        confidence = (record.get("extraction") or {}).get("confidence") or 0.0
        low = any(w.startswith("low_confidence") for w in record["warnings"])
        rows.append((page.name, prf(record["text"], page.truth["text"])[2], record["status"], confidence, low))
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--worst", type=int, default=0, help="list the N pages that lost the most per rewrite")
    args = ap.parse_args(argv)
    threshold = DEFAULT_OPTIONS.low_confidence
    alone = {row[0]: row[1] for row in run(None)}
    print(f"{len(alone)} evalset articles; silent = F1 < .5 with status ok and confidence ≥ {threshold}")
    print(f"{'rewrite':<16}{'mean F1':>8}{'≥ .9':>7}{'< .5':>6}{'silent':>8}")
    print(f"{'(as published)':<16}{statistics.mean(alone.values()):>8.3f}"
          f"{sum(f >= 0.9 for f in alone.values()) / len(alone):>7.0%}{sum(f < 0.5 for f in alone.values()):>6}")
    pooled = []
    for name, rewrite in REWRITES.items():
        rows = run(rewrite)
        pooled += rows
        scores = [row[1] for row in rows]
        silent = [r for r in rows if r[1] < 0.5 and r[2] == "ok" and r[3] >= threshold]
        print(f"{name:<16}{statistics.mean(scores):>8.3f}{sum(f >= 0.9 for f in scores) / len(scores):>7.0%}"
              f"{sum(f < 0.5 for f in scores):>6}{len(silent):>8}")
        for page, f, status, confidence, _low in sorted(rows, key=lambda r: r[1] - alone[r[0]])[:args.worst]:
            print(f"    {page:<36} {alone[page]:.3f} → {f:.3f}  {status}, confidence {confidence:.2f}")
    bad, flagged, _hit, precision, recall = flag_quality([Scored(f, c, low, st) for _n, f, st, c, low in pooled])
    print(f"low_confidence flag over all rewrites, against F1 < {BAD_F1}: {len(pooled)} records, {bad} below, "
          f"{flagged} flagged, precision {'-' if precision is None else f'{precision:.0%}'}, "
          f"recall {'-' if recall is None else f'{recall:.0%}'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
