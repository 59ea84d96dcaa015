"""An article fetched as several pages (``t..._1.html``, ``t..._2.html`` …): clean each page
and merge them into one record, whose ``content_hash`` covers the merged text. The crawler's
cleaning processes call :func:`clean_pages`."""
from __future__ import annotations

from cleaners.pipeline import clean
from cleaners.record import content_hash


def clean_pages(pages: list[dict]) -> dict:
    """One record for an article fetched as one or more pages (``{"url", "body", "headers"}``)."""
    records = [clean(p["body"], url=p["url"], headers=p.get("headers") or {}) for p in pages]
    return merge_records(records)


def merge_records(records: list[dict]) -> dict:
    """The first page's record with the text, attachments and images of the later pages.

    >>> a = {"status": "ok", "title": "T", "text": "第一页内容", "attachments": [], "images": [], "warnings": [], "url": "u"}
    >>> b = {"status": "ok", "title": "T", "text": "第二页内容", "attachments": [{"name": "x", "url": "f.pdf"}], "images": [], "warnings": [], "url": "u_1"}
    >>> m = merge_records([a, b]); m["text"], len(m["attachments"]), m["pages"]
    ('第一页内容\\n第二页内容', 1, 2)
    """
    first = dict(records[0])
    first["pages"] = len(records)
    if len(records) == 1:
        return first
    ok = [r for r in records if r.get("status") == "ok"]
    if not ok:
        return first
    if first.get("status") != "ok":
        first = {**ok[0], "url": first["url"], "canonical_url": first.get("canonical_url") or first["url"],
                 "pages": len(records)}
    first["text"] = "\n".join(r["text"] for r in ok if r["text"])
    for key, ident in (("attachments", "url"), ("images", "src")):
        seen, merged = set(), []
        for r in records:
            for entry in r.get(key) or []:
                if entry.get(ident) not in seen:
                    seen.add(entry.get(ident))
                    merged.append(entry)
        first[key] = merged
    first["warnings"] = list(first.get("warnings") or []) + [f"merged {len(records)} pages"]
    if len(ok) < len(records):
        first["warnings"].append(f"{len(records) - len(ok)} of {len(records)} pages had no text")
    first["text_length"] = len(first["text"])
    first["content_hash"] = content_hash(first.get("title"), first["text"])
    return first
