"""One code path from raw bytes to a record; the crawler and `govnews clean` both call it.

Stages, each in its own module:

- encoding (bytes → str; charset labels and declarations in charsets),
- parse (str → lxml tree; block pages such as anti-bot shells, with antibot),
- survey (one walk for what titles and prune look for: heading candidates, hidden elements),
- fields (metadata from the whole page; the headline in titles),
- extract (the article's text: blocks, the block vote, the headline anchor and the second
  opinion in anchor and candidates, boilerplate and furniture lines removed, media),
- bylines (who wrote and edited), dates (the publish date),
- script (pinyin, traditional → simplified),
- confidence (how sure the record is that its text is the article), record (schema, hash).

The options (limits, the confidence threshold, the rules the benchmark switches off) are in
options; pages merges the pages of a multi-page article.
"""
from __future__ import annotations

import gc
import time
from contextlib import contextmanager

from cleaners import confidence, dates, documents, encoding, extract, fallback, fields, parse, script
from cleaners.options import DEFAULT_OPTIONS, CleanOptions
from cleaners.record import content_hash, fail, new_record
from cleaners.survey import survey
from cleaners.tree import still_in


def clean(raw: bytes, *, url: str | None = None, headers: dict | None = None,
          options: CleanOptions = DEFAULT_OPTIONS) -> dict:
    """Turn the raw bytes of one page into a record (see cleaners/schema/record.schema.json).

    Never raises for bad input: the record's ``status`` is ``ok``, ``empty``, ``error`` or
    ``blocked`` with a ``reason``.
    """
    record = new_record(url)
    started = time.perf_counter()
    with collector_paused():
        try:
            _clean_into(record, raw, url, headers or {}, options)
        except Exception as exc:  # one broken page must never stop a batch
            fail(record, "error", f"{type(exc).__name__}: {exc}"[:500])
    record["clean_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return record


@contextmanager
def collector_paused():
    """CPython's cyclic garbage collector off while a page is cleaned, as it was after.

    A page's objects (its element proxies, blocks, lines) form no reference cycles: all of
    them die by reference counting when the record is made (none was left for the collector
    on the evalset). A collection in the middle of a page only walks the live ones and
    promotes them, which brings the next full collection (a walk of every object of the
    process) sooner: 4% of clean()'s time in a process with default settings. Garbage from
    other threads meanwhile waits for the next collection after the page.
    """
    if not gc.isenabled():        # the caller's choice (or another thread's page): left alone
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _header(headers: dict, name: str) -> str | None:
    for key, value in headers.items():
        k = key.decode("latin-1") if isinstance(key, bytes) else str(key)
        if k.lower() == name:
            if isinstance(value, (list, tuple)):
                value = value[0] if value else None
            if isinstance(value, bytes):
                value = value.decode("latin-1")
            return value
    return None


def _clean_into(record: dict, raw: bytes, url: str | None, headers: dict, options: CleanOptions) -> None:
    if not isinstance(raw, (bytes, bytearray, memoryview)):
        raise TypeError(f"raw must be bytes, not {type(raw).__name__}")
    raw = bytes(raw)
    if not raw.strip():
        fail(record, "empty", "empty input")
        return
    if len(raw) > options.max_bytes:
        record["warnings"].append(f"input cut from {len(raw)} to {options.max_bytes} bytes")
        raw = raw[: options.max_bytes]

    decoded = encoding.decode(raw, _header(headers, "content-type"))
    record["encoding"] = decoded.info
    if decoded.info.get("replacements"):
        record["warnings"].append(f"{decoded.info['replacements']} undecodable byte sequences replaced")

    problem = parse.not_html_reason(decoded.text)
    if problem:
        fail(record, "error", problem)
        return
    tree = parse.parse_html(decoded.text, decoded.utf8)
    if tree is None:
        fail(record, "error", "not parseable as HTML")
        return

    surveyed = survey(tree)          # one walk: heading candidates, hidden elements, meta/link/title/script/input
    page, title = fields.page_fields(tree, url, surveyed.headings, surveyed.tags)
    meta_author = page.pop("author")
    record.update(page)

    signals = parse.page_signals(tree, decoded.text, surveyed.tags["input"])
    body = extract.extract(tree, title=record["title"], title_confirmed=title.confirmed, base_url=url,
                           options=options, title_strings=title.strings, site_name=record["site_name"],
                           surveyed=surveyed)
    record["warnings"].extend(body.warnings)
    record["extraction"]["signals"] = body.signals
    if body.title:
        record["title"] = body.title
    body_chars = extract.meaningful_chars(body.text)     # one count for the checks below
    block = parse.block_reason(tree, signals, body_chars, body.page_chars)
    if block:
        fail(record, *block)
        return
    if body.list_items and body_chars < options.min_text_chars:
        fail(record, "empty", f"list or index page ({body.list_items} dated links), not an article")
        return
    record["text"] = body.text
    if (not body.no_body and options.on("fallback") and body_chars < options.min_text_chars
            and len(decoded.text) <= options.max_fallback_chars and body.link_share < 0.5):
        second = fallback.trafilatura_text(decoded.text)
        if extract.meaningful_chars(second) >= options.min_text_chars:
            record["text"] = second
            record["warnings"].append("main text from trafilatura fallback")
            body.signals = record["extraction"]["signals"] = fallback.signals(second, record["title"])
    record["attachments"] = body.attachments
    record["images"] = body.images
    for key, value in body.fields.items():   # 来源/作者/责编 lines lifted out of the body
        if key in ("source", "author", "editor"):   # author/editor: already names (cleaners.bylines)
            value = fields.tidy_value(value)
        if value and not record.get(key):
            record[key] = value
    if not record["author"] and meta_author and meta_author != record["site_name"]:
        record["author"] = meta_author
    record["published_at"], published_from = dates.find_publish_date_with_rule(tree, url, body.date_lines,
                                                                                    surveyed=surveyed.tags,
                                                                                    html=decoded.text)
    record["extraction"]["published_from"] = published_from
    record["doc"] = documents.document(tree, title=record["title"], text=record["text"],
                                       doc_info=record.get("doc_info") or body.fields.get("doc_info") or {},
                                       meta=fields.meta_map(tree, still_in(surveyed.tags["meta"], tree)),
                                       raw_text=decoded.text)

    if "\ufffd" in record["text"]:   # undecodable bytes: reported in encoding/warnings, not kept in the text
        record["warnings"].append(f"{record['text'].count(chr(0xFFFD))} U+FFFD removed from the text")
        record["text"] = record["text"].replace("\ufffd", "")
    if record["title"] and "\ufffd" in record["title"]:
        record["title"] = record["title"].replace("\ufffd", "").strip() or None
    text, script_info = script.normalize(record["text"])
    record["text"] = text
    record["script"] = script_info
    convert = True if script_info["converted"] else None   # fields follow the body's script
    for key in ("title", "source", "author", "editor", "site_name", "column", "description"):
        if record.get(key):
            record[key] = script.normalize(record[key], convert=convert)[0]
    record["keywords"] = [script.normalize(k, convert=convert)[0] for k in record["keywords"]]
    for image in record["images"]:
        if image.get("caption"):
            image["caption"] = script.normalize(image["caption"], convert=convert)[0]

    record["text_length"] = len(text)
    text_chars = body_chars if text == body.text else extract.meaningful_chars(text)
    if text_chars < options.min_text_chars:
        fail(record, "empty", body.no_body or "no main text found")
        return
    record["status"] = "ok"
    record["reason"] = None
    record["content_hash"] = content_hash(record["title"], text)
    record["extraction"] = {"confidence": confidence.score(body.signals), "signals": body.signals,
                            "published_from": published_from}
    if record["extraction"]["confidence"] < options.low_confidence:
        record["warnings"].append(f"low_confidence: {record['extraction']['confidence']} < {options.low_confidence}")
