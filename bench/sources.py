"""Per-source figures of the evalset: main-text F1 where the truth is a whole text, and the
share of pages passing their checks where the truth is snippets (traf: must / must not
contain) or partial (twnews: a body substring and a title substring)."""
from __future__ import annotations

import re

from bench.evalset import Page, _t2s

_WS = re.compile(r"\s+")


def norm(text: str | None) -> str:
    """Simplified script, no white space: how snippets are compared."""
    return _WS.sub("", _t2s().convert(text or ""))


def snippet_pass(page: Page, text: str, title: str | None) -> bool | None:
    """Does the record pass the page's snippet or partial checks? None when it has none."""
    truth = page.truth
    body = norm(text)
    if page.gt_type == "snippets":
        must = truth.get("must_contain") or []
        must_not = truth.get("must_not_contain") or []
        if not must and not must_not:
            return None
        return all(norm(s) in body for s in must) and not any(norm(s) in body for s in must_not)
    if page.gt_type == "partial":
        checks = [norm(s) in body for s in truth.get("must_contain") or []]
        if truth.get("title_contains"):
            checks.append(norm(truth["title_contains"]) in norm(title))
        return all(checks) if checks else None
    return None


def source_of(name: str) -> str:
    return name.split("_", 1)[0]
