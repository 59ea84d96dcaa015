"""An article's versions and what changed between them, for ``govnews show`` and the web page.

A stored article keeps its earlier versions in ``history`` (oldest first; ``text``, ``title``,
``content_hash``, ``published_at``, ``fetched_at``); the current version is the document.

>>> doc = {"title": "B", "text": "一\\n二\\n三", "fetched_at": 2,
...        "history": [{"title": "A", "text": "一\\n三", "fetched_at": 1}]}
>>> [v["title"] for v in versions(doc)]
['A', 'B']
>>> [(line.kind, line.text) for line in changes(*versions(doc))]
[('title', 'A → B'), ('same', '一'), ('added', '二'), ('same', '三')]
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

VERSION_FIELDS = ("title", "text", "content_hash", "published_at", "fetched_at")


@dataclass(frozen=True)
class Line:
    kind: str     # "same" | "added" | "removed" | "title" | "skip" (unchanged lines left out)
    text: str


def versions(doc: dict) -> list[dict]:
    """The article's versions, oldest first, the current one last."""
    current = {name: doc.get(name) for name in VERSION_FIELDS}
    return [*(dict(h) for h in doc.get("history") or []), current]


def changes(old: dict, new: dict, context: int = 2) -> list[Line]:
    """The lines of text that changed from ``old`` to ``new``, with ``context`` unchanged lines
    around each change (runs of unchanged lines further away are one ``skip`` line)."""
    out = []
    if (old.get("title") or "") != (new.get("title") or ""):
        out.append(Line("title", f"{old.get('title') or ''} → {new.get('title') or ''}"))
    a, b = (old.get("text") or "").splitlines(), (new.get("text") or "").splitlines()
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        if out and out[-1].kind != "title":
            out.append(Line("skip", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [Line("same", t) for t in a[i1:i2]]
                continue
            out += [Line("removed", t) for t in a[i1:i2]]
            out += [Line("added", t) for t in b[j1:j2]]
    return out


def version_changes(doc: dict) -> list[tuple[dict, dict, list[Line]]]:
    """``(older, newer, changes)`` for each step between the article's versions, newest first."""
    steps = versions(doc)
    return [(old, new, changes(old, new)) for old, new in zip(steps, steps[1:])][::-1]
