"""Pages whose body is not in the saved copy: every evalset article page with the element
holding its text emptied (the tag and its attributes kept), as a page that fills its body in
by script, a paywall or a broken save leaves it. Whatever the record holds then is not the
article, so it should say so: status ``empty`` (or ``blocked``), or at least the
low_confidence warning. A record that is ``ok`` and confident is a silent failure: the
sidebar, a disclaimer or the comments stored as the article.

    python -m bench.nobody [--list]

The emptied element is the nearest common ancestor of the elements whose own text holds a
line of the truth (pages where that is <body> itself are left out).
"""
from __future__ import annotations

import argparse
import sys

import lxml.html

from bench.evalset import load_pages, prf
from cleaners import clean, encoding

LINE = 20        # characters of a truth line that identify the element holding it


def _common_ancestor(elements):
    paths = [list(el.iterancestors())[::-1] + [el] for el in elements]
    common = None
    for level in zip(*paths):
        if any(x is not level[0] for x in level):
            break
        common = level[0]
    return common


def emptied(raw: bytes, truth_text: str) -> bytes | None:
    """The page with the element holding the truth's lines emptied, or None when those lines
    are not found in at least two elements or only <body> holds them all."""
    lines = [line.strip()[:LINE] for line in truth_text.split("\n") if len(line.strip()) >= LINE]
    tree = lxml.html.fromstring(encoding.decode(raw).text.encode("utf-8"),
                                parser=lxml.html.HTMLParser(encoding="utf-8"))
    holders = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        own = " ".join(((el.text or "") + "".join(child.tail or "" for child in el)).split())
        if any(line in own for line in lines):
            holders.append(el)
    box = _common_ancestor(holders) if len(holders) >= 2 else None
    if box is None or box.tag in ("html", "body"):
        return None
    attrs = dict(box.attrib)
    box.clear()
    box.attrib.update(attrs)
    return lxml.html.tostring(tree, encoding="utf-8")


def run() -> list[tuple[str, str, bool, float | None, float, str]]:
    """(page, status, low_confidence, confidence, share of the truth still in the text, text
    start) for every article page whose body could be emptied."""
    rows = []
    for page in load_pages(("full_text",)):
        if page.page_type != "article" or not page.truth.get("text"):
            continue
        raw = emptied(page.raw(), page.truth["text"])
        if raw is None:
            continue
        record = clean(raw, url=page.url)
        left = prf(record["text"], page.truth["text"])[1] if record["text"] else 0.0
        low = any(w.startswith("low_confidence") for w in record["warnings"])
        rows.append((page.name, record["status"], low, (record.get("extraction") or {}).get("confidence"),
                     left, record["text"][:60].replace("\n", " ")))
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--list", action="store_true", help="list the silent failures")
    args = ap.parse_args(argv)
    rows = run()
    not_ok = sum(r[1] != "ok" for r in rows)
    flagged = sum(r[1] == "ok" and r[2] for r in rows)
    silent = [r for r in rows if r[1] == "ok" and not r[2]]
    print(f"{len(rows)} evalset article pages with their body emptied: {not_ok} not ok (empty or blocked), "
          f"{flagged} ok but flagged low_confidence, {len(silent)} silent (ok and confident)")
    for name, _status, _low, confidence, left, start in silent if args.list else ():
        print(f"  {name:<34} confidence {confidence}, {left:.0%} of the article left: {start}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
