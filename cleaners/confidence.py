"""How sure the cleaner is that a record's text is the page's article: a number in 0..1 from
the signals the extraction left (see cleaners/schema/record.schema.json, ``extraction``).

Each signal is turned into a share in 0..1; the text's own shares are weighed into a base,
which the anchor share then scales (a clean, long text that is not the headline's story is
still the wrong text):

- ``agreement``: the block vote and the second opinion (the densest run of link-free text)
  chose the same text; when they disagreed and the headline decided, or only trafilatura's
  fallback found text, less.
- ``anchor``: the text reflects the title's words in its first lines or starts right under
  the headline; much less when the text under the headline reflects the title better than
  the text kept, or when a story's worth of sentences comes above the text kept; neutral
  when the page gives nothing to compare with.
- ``prose``: the text is sentences, not lists of titles, menus or table cells.
- ``clean``: little of the chosen region was dropped as furniture, little of the text is
  link text.
- ``length``: a few lines are easier to get wrong than a long article.

A record under the threshold (CleanOptions.low_confidence) carries a ``low_confidence``
warning; the crawl, ``govnews clean`` and ``govnews refresh`` count such records per site.
"""
from __future__ import annotations

WEIGHTS = {"agreement": 0.35, "prose": 0.25, "clean": 0.25, "length": 0.15}
ANCHOR_FLOOR = 0.4         # what the base keeps when the text does not belong to the headline at all
FULL_LENGTH = 300          # meaningful characters at which length stops mattering
FULL_AGREEMENT = 0.5       # a lead holding half the title's terms reflects it fully
FULL_PROSE = 0.8
PROSE_ABOVE = 500          # characters of sentences above the text kept that start to doubt it


def _agreement(signals: dict) -> float:
    verdict = signals.get("second_opinion", "agrees")
    if verdict == "agrees":
        return 0.5 + 0.5 * signals.get("candidates_agree", 1.0)
    if verdict == "fallback":
        return 0.2
    margin = abs(signals.get("evidence_margin") or 0.0)
    return min(0.6, 0.3 + margin / 4)      # the two methods disagreed: never full marks


def _anchor(signals: dict) -> float:
    """The text belongs to the headline when it reflects the title's words or starts right
    under the headline (a feature's lead may do only one of the two)."""
    agreement = signals.get("title_agreement")
    near = signals.get("headline_proximity")
    parts = []
    if agreement is not None:
        # a title no heading shows may itself be the page's junk (a slogan): doubt it more than the text
        floor = 0.3 if signals.get("headline_found") else 0.55
        parts.append(floor + (1 - floor) * min(1.0, agreement / FULL_AGREEMENT))
    if near is not None:
        parts.append(near)
    share = max(parts) if parts else 0.7      # nothing to compare with: neither for nor against
    under = signals.get("title_agreement_under_headline")
    if under is not None and agreement is not None and under >= agreement + 0.3:
        # the headline's own text is elsewhere; when the text kept shares nothing with the title
        # while the text under the headline does, it is another story, however near it starts
        share *= 0.4 if agreement < 0.1 and under >= 0.5 else 0.6
    above = signals.get("prose_above") or 0
    if above > PROSE_ABOVE:
        # a story's worth of sentences comes before the text kept: the page's first story may be
        # that one (a page without a title of its own, with the next story appended below)
        share *= 1.0 - 0.6 * min(1.0, (above - PROSE_ABOVE) / PROSE_ABOVE)
    return share


def _prose(signals: dict) -> float:
    return min(1.0, signals.get("prose_share", 1.0) / FULL_PROSE)


def _clean(signals: dict) -> float:
    dropped = signals.get("boilerplate_share", 0.0)
    links = signals.get("link_density", 0.0)
    return max(0.0, 1.0 - 0.5 * dropped - 1.5 * links)


def _length(signals: dict) -> float:
    return min(1.0, signals.get("text_chars", 0) / FULL_LENGTH)


def score(signals: dict) -> float:
    """Confidence in 0..1 from the extraction signals.

    >>> score({"second_opinion": "agrees", "candidates_agree": 1.0, "title_agreement": 0.9,
    ...        "headline_proximity": 1.0, "boilerplate_share": 0.1, "link_density": 0.0,
    ...        "prose_share": 0.95, "text_chars": 900})
    0.99
    >>> score({"second_opinion": "overruled", "candidates_agree": 0.0, "evidence_margin": 0.1,
    ...        "title_agreement": 0.0, "title_agreement_under_headline": 0.8, "headline_proximity": 0.1,
    ...        "boilerplate_share": 0.7, "link_density": 0.3, "prose_share": 0.3, "text_chars": 120})
    0.17
    >>> score({"second_opinion": "agrees", "candidates_agree": 1.0, "title_agreement": 0.9,
    ...        "headline_proximity": 1.0, "boilerplate_share": 0.1, "link_density": 0.0,
    ...        "prose_share": 0.95, "text_chars": 900, "prose_above": 2000})
    0.63
    """
    shares = {"agreement": _agreement(signals), "prose": _prose(signals),
              "clean": _clean(signals), "length": _length(signals)}
    base = sum(WEIGHTS[k] * v for k, v in shares.items())
    return round(base * (ANCHOR_FLOOR + (1 - ANCHOR_FLOOR) * _anchor(signals)), 2)
