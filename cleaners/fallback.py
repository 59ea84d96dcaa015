"""Second opinion for pages where block scoring finds no article: trafilatura's own
extractor (recall-oriented), with the same phrase filter applied to its lines."""
from __future__ import annotations

import logging
import re

from cleaners import anchor, boilerplate
from cleaners.blocks import meaningful_chars

log = logging.getLogger(__name__)


def trafilatura_text(html: str) -> str:
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - a declared dependency
        return ""
    try:
        text = trafilatura.extract(html, favor_recall=True, include_comments=False, include_tables=True,
                                   deduplicate=False, with_metadata=False) or ""
    except Exception as exc:  # trafilatura failing must not fail the page
        log.debug("trafilatura fallback failed: %s", exc)
        return ""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line and not boilerplate.is_boilerplate(line))


def signals(text: str, title: str | None) -> dict:
    """Extraction signals for a text that only the fallback found: the block vote and the
    density run found nothing, so the methods did not agree."""
    return {"second_opinion": "fallback", "candidates_agree": 0.0, "evidence_margin": 0.0,
            "title_agreement": anchor.title_agreement(title, text), "headline_proximity": None,
            "headline_found": False, "boilerplate_share": 0.0, "link_density": 0.0,
            "prose_share": _prose_share(text), "text_chars": meaningful_chars(text)}


_SENTENCE = re.compile(r"[，。！？；,.!?;]")


def _prose_share(text: str) -> float:
    lines = [line for line in text.split("\n") if line.strip()]
    total = sum(len(line) for line in lines)
    prose = sum(len(line) for line in lines if _SENTENCE.search(line) or len(line) >= 40)
    return round(prose / total, 3) if total else 0.0
