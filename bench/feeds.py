"""Synthetic feeds: every evalset article page with the body of another evalset page appended
below its own (its <head>, meta tags and scripts dropped), as portals append a "next story"
or infinite scroll. The record should still be the first page's article: F1 against the
first page's truth, beside the F1 of the page alone; and where it is not, the record should
say so: the low_confidence flag's precision and recall against F1 < .8 over the fed pages.

    python -m bench.feeds [--seeds 3]
"""
from __future__ import annotations

import argparse
import random
import re
import sys

from bench.evalset import load_pages, prf
from bench.loso import BAD_F1, Scored, flag_quality
from cleaners import clean, encoding

_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S | re.I)
_HEAD_ONLY = re.compile(r"<(?:meta|link)\b[^>]*>|<title\b.*?</title>|<script\b.*?</script>", re.S | re.I)


def body_of(raw: bytes) -> str:
    text = encoding.decode(raw).text
    m = _BODY.search(text)
    return _HEAD_ONLY.sub("", m.group(1) if m else text)


def appended(first: bytes, second: bytes) -> bytes:
    """``first`` with the body of ``second`` just before its closing </body>."""
    text = encoding.decode(first).text
    end = text.lower().rfind("</body>")
    extra = body_of(second)
    return ((text[:end] + extra + text[end:]) if end >= 0 else text + extra).encode("utf-8")


def run(seed: int) -> list[tuple[float, float, str, str, Scored]]:
    """(F1 alone, F1 with a second story, page, appended page, the fed record scored) for
    every article page."""
    rng = random.Random(seed)
    pages = [p for p in load_pages(("full_text",)) if p.page_type == "article"]
    out = []
    for page in pages:
        other = rng.choice([p for p in pages if p is not page])
        alone = prf(clean(page.raw(), url=page.url)["text"], page.truth["text"])[2]
        record = clean(appended(page.raw(), other.raw()), url=page.url)
        fed = prf(record["text"], page.truth["text"])[2]
        low = any(w.startswith("low_confidence") for w in record["warnings"])
        scored = Scored(fed, (record.get("extraction") or {}).get("confidence"), low, record["status"])
        out.append((alone, fed, page.name, other.name, scored))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=3, help="pairings to try (each a different random pairing)")
    ap.add_argument("--worst", type=int, default=0, help="list the N pairs that lost the most")
    args = ap.parse_args(argv)
    rows = []
    print(f"{'seed':>5}{'pages':>7}{'F1 alone':>10}{'F1 fed':>9}{'fed < 0.5':>11}")
    for seed in range(1, args.seeds + 1):
        res = run(seed)
        rows += res
        print(f"{seed:>5}{len(res):>7}{sum(r[0] for r in res) / len(res):>10.3f}"
              f"{sum(r[1] for r in res) / len(res):>9.3f}{sum(r[1] < 0.5 for r in res):>11}")
    bad, flagged, _hit, precision, recall = flag_quality([r[4] for r in rows])
    print(f"low_confidence flag over the fed pages, against F1 < {BAD_F1}: {len(rows)} records, {bad} below, "
          f"{flagged} flagged, precision {'-' if precision is None else f'{precision:.0%}'}, "
          f"recall {'-' if recall is None else f'{recall:.0%}'}")
    for alone, fed, name, other, scored in sorted(rows, key=lambda r: r[1] - r[0])[:args.worst]:
        print(f"  {fed - alone:+.3f} {name} + {other}  confidence {scored.confidence}"
              f"{' flagged' if scored.low else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
