"""How sure the cleaner is that a record's text is the page's article: a number in 0..1 from
the signals the extraction left (see cleaners/schema/record.schema.json, ``extraction``).

Each signal is turned into a share in 0..1 and the shares are weighed:

- ``agreement``: the block vote and the second opinion (densest run of link-free text)
  chose the same text; when they disagreed, the headline decided and the margin counts.
- ``anchor``: the text reflects the title's words in its first lines, or starts right under
  the headline; neutral when the page shows no headline to compare with.
- ``clean``: little of the chosen region was dropped as furniture, and little of the
  text is link text.
- ``length``: a few lines are easier to get wrong than a long article.

A record under the threshold (CleanOptions.low_confidence) carries a ``low_confidence``
warning; the crawl, ``govnews clean`` and ``govnews refresh`` count such records per site.
"""
from __future__ import annotations

WEIGHTS = {"agreement": 0.3, "anchor": 0.35, "clean": 0.2, "length": 0.15}
FULL_LENGTH = 400          # meaningful characters at which length stops mattering


def _agreement(signals: dict) -> float:
    verdict = signals.get("second_opinion", "agrees")
    shared = signals.get("candidates_agree", 1.0)
    if verdict == "agrees":
        return 0.6 + 0.4 * shared
    margin = abs(signals.get("evidence_margin") or 0.0)
    return min(0.7, 0.2 + margin / 2)      # the two methods disagreed: never full marks


def _anchor(signals: dict) -> float:
    agreement = signals.get("title_agreement")
    near = signals.get("headline_proximity")
    if agreement is None and near is None:
        return 0.6                         # nothing to compare with: neither for nor against
    parts = [x for x in (agreement, near) if x is not None]
    best = max(parts)
    return min(1.0, 0.3 + 0.9 * best) if signals.get("headline_found") or agreement is not None else 0.6


def _clean(signals: dict) -> float:
    dropped = signals.get("boilerplate_share", 0.0)
    links = signals.get("link_density", 0.0)
    return max(0.0, 1.0 - 0.6 * dropped - 1.5 * links)


def _length(signals: dict) -> float:
    return min(1.0, signals.get("text_chars", 0) / FULL_LENGTH)


def score(signals: dict) -> float:
    """Confidence in 0..1 from the extraction signals.

    >>> score({"second_opinion": "agrees", "candidates_agree": 1.0, "title_agreement": 0.9,
    ...        "headline_proximity": 1.0, "headline_found": True, "boilerplate_share": 0.1,
    ...        "link_density": 0.0, "text_chars": 900})
    0.99
    >>> score({"second_opinion": "overruled", "candidates_agree": 0.0, "evidence_margin": 0.1,
    ...        "title_agreement": 0.0, "headline_proximity": 0.1, "headline_found": True,
    ...        "boilerplate_share": 0.7, "link_density": 0.3, "text_chars": 120})
    0.28
    """
    shares = {"agreement": _agreement(signals), "anchor": _anchor(signals),
              "clean": _clean(signals), "length": _length(signals)}
    return round(sum(WEIGHTS[k] * v for k, v in shares.items()), 2)
