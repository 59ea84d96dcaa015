"""Synthetic feeds: every evalset article page with the body of another evalset page appended
below its own (its <head>, meta tags and scripts dropped), as portals append a "next story"
or infinite scroll. The record should still be the first page's article: F1 against the
first page's truth, beside the F1 of the page alone.

    python -m bench.feeds [--seeds 3]
"""
from __future__ import annotations

import argparse
import random
import re
import sys

from bench.evalset import load_pages, prf
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


def run(seed: int) -> list[tuple[float, float, str, str]]:
    """(F1 alone, F1 with a second story, page, appended page) for every article page."""
    rng = random.Random(seed)
    pages = [p for p in load_pages(("full_text",)) if p.page_type == "article"]
    out = []
    for page in pages:
        other = rng.choice([p for p in pages if p is not page])
        alone = prf(clean(page.raw(), url=page.url)["text"], page.truth["text"])[2]
        fed = prf(clean(appended(page.raw(), other.raw()), url=page.url)["text"], page.truth["text"])[2]
        out.append((alone, fed, page.name, other.name))
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
    for alone, fed, name, other in sorted(rows, key=lambda r: r[1] - r[0])[:args.worst]:
        print(f"  {fed - alone:+.3f} {name} + {other}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
