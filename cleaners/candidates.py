"""Where the article is: the block-vote container, a second opinion by plain text density,
and the headline deciding between them when they disagree.

The container chosen by :mod:`cleaners.extract` (blocks vote for their ancestors, with
phrase and class/id rules) is right on most pages. Its failures are of one kind: another
region wins the vote — a longer story in a feed, a sidebar of summaries, a footer when the
page has no body. The second opinion is found by a different method, the densest run of
link-free text in document order (no phrase or class rules), so the two fail differently.
When they point at different places, the one that belongs to the headline wins: its first
lines reflect the title's words, it starts near the headline, and it is not link text.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from cleaners import anchor, boilerplate, furniture
from cleaners.blocks import Block
from cleaners.titles import is_site_like

BLOCK_COST = 8            # characters a block must carry to add to a run (menu items and labels do not)
AGREE = 0.5               # regions sharing this much of the smaller one's text agree
SWITCH_MARGIN = 0.35      # evidence the second opinion needs beyond the first to replace it


@dataclass
class Region:
    blocks: list[Block]
    method: str
    container: object = None
    chars: int = 0
    link_chars: int = 0
    evidence: float = 0.0
    detail: dict = field(default_factory=dict)

    def __post_init__(self):
        self.chars = sum(b.chars for b in self.blocks)
        self.link_chars = sum(b.link_chars for b in self.blocks)

    @property
    def first(self) -> int:
        return self.blocks[0].index if self.blocks else -1

    @property
    def last(self) -> int:
        return self.blocks[-1].index if self.blocks else -1

    @property
    def link_density(self) -> float:
        return self.link_chars / self.chars if self.chars else 1.0

    def lead(self, limit: int = 300) -> str:
        out, n = [], 0
        for block in self.blocks:
            if block.link_density > 0.5:
                continue
            out.append(block.text)
            n += len(block.text)
            if n >= limit:
                break
        return "\n".join(out)


def densest_run(blocks: list[Block]) -> Region:
    """The contiguous run of blocks with the most link-free text, each block paying
    :data:`BLOCK_COST` (maximum-sum subarray). Link-dense blocks count against the run."""
    best_sum, best = 0.0, (0, -1)
    run_sum, run_start = 0.0, 0
    for i, block in enumerate(blocks):
        if block.link_density > 0.5:
            value = -float(block.chars)
        else:
            value = float(block.chars - block.link_chars - BLOCK_COST)
        if run_sum <= 0:
            run_sum, run_start = value, i
        else:
            run_sum += value
        if run_sum > best_sum:
            best_sum, best = run_sum, (run_start, i)
    return Region(blocks[best[0]:best[1] + 1], "density")


def overlap(a: Region, b: Region) -> float:
    """Share of the smaller region's text that lies in both."""
    if not a.blocks or not b.blocks:
        return 0.0
    lo, hi = max(a.first, b.first), min(a.last, b.last)
    if lo > hi:
        return 0.0
    ids = {id(x) for x in a.blocks}
    shared = sum(x.chars for x in b.blocks if lo <= x.index <= hi and id(x) in ids)
    return shared / max(1, min(a.chars, b.chars))


def proximity(region: Region, headline: Block | None, all_blocks: list[Block]) -> float | None:
    """1 when the region starts right under the headline (or holds it), falling with the text
    between them; low when the headline comes after the region. None without a headline."""
    if headline is None or not region.blocks:
        return None
    if region.first <= headline.index <= region.last:
        return 1.0
    if headline.index > region.last:
        return 0.1
    gap = prose_chars(all_blocks[headline.index + 1:region.first])
    return max(0.0, 1.0 - gap / 1500)


def prose_chars(blocks: list[Block]) -> int:
    """Characters of the blocks that read as a story's sentences: an infobox, an info line,
    widgets or link lists are no story."""
    return sum(b.chars for b in blocks if b.link_density <= 0.5 and (b.punct >= 2 or b.chars >= 40))


def evidence(region: Region, headline: Block | None, title: str | None, all_blocks: list[Block]) -> float:
    """How much the region looks like the text of this page's headline (about 0–4)."""
    agreement = anchor.title_agreement(title, region.lead())
    near = proximity(region, headline, all_blocks)
    length = min(1.0, region.chars / 400)
    score = 2.0 * (agreement if agreement is not None else 0.5) + (near if near is not None else 0.5) \
        + (1.0 - region.link_density) * 0.5 + 0.5 * length
    region.evidence = score
    region.detail = {"title_agreement": agreement, "headline_proximity": near}
    return score


LOOK_AGAIN_BELOW = 0.5     # a chosen text reflecting less of the title than this is looked at again
LOOK_AGAIN_GAIN = 0.3      # the text under the headline must reflect this much more of the title
HEADLINE_REGION_BLOCKS = 80


def headline_region(blocks: list[Block], headline: Block | None) -> Region:
    """The text printed under the headline, up to where the article visibly ends: a list of
    links, a heading, a tail marker (相关阅读, 上一篇) or a footer line, once it has begun."""
    if headline is None:
        return Region([], "headline")
    out, chars, links = [], 0, 0
    for i in range(headline.index + 1, min(len(blocks), headline.index + 1 + HEADLINE_REGION_BLOCKS)):
        block = blocks[i]
        if block.link_density > 0.5:
            links += 1
            if links >= 3 and chars >= 100:
                break
            continue
        links = 0
        section = out and block.owner.getparent() is out[-1].owner.getparent()   # a heading among its paragraphs
        if chars >= 100 and ((block.owner.tag in ("h1", "h2", "h3") and not section)
                             or boilerplate.is_tail_marker(block.text) or furniture.footer_line(block.text)
                             or anchor.same_kind(block, headline) or anchor.story_heading(blocks, i, reach=3)):
            break
        out.append(block)
        chars += block.chars
    return Region(out, "headline")


def look_again(chosen: Region, headline: Block | None, title: str | None, all_blocks: list[Block],
               signals: dict) -> Region:
    """When the chosen text does not reflect the title, the text under the headline replaces it
    if that text does (a feed's longer story won the vote)."""
    if headline is None or len(anchor.title_terms(title)) < 4 or is_site_like(title or ""):
        return chosen                  # a short title or a site name says little about any text
    agreement = anchor.title_agreement(title, chosen.lead())
    if agreement is None or agreement >= LOOK_AGAIN_BELOW:
        return chosen
    under = headline_region(all_blocks, headline)
    if sum(b.chars - b.link_chars for b in under.blocks) < 100:
        return chosen
    theirs = anchor.title_agreement(title, under.lead())
    signals["title_agreement_under_headline"] = theirs
    if theirs is not None and theirs >= agreement + LOOK_AGAIN_GAIN and overlap(chosen, under) < AGREE:
        signals.update(looked_again=True, title_agreement=theirs, headline_proximity=1.0)
        return under
    return chosen


def decide(primary: Region, second: Region, headline: Block | None, title: str | None,
           all_blocks: list[Block]) -> tuple[Region, dict]:
    """The region to keep, and what the choice rested on (signals for the record)."""
    shared = overlap(primary, second)
    p = evidence(primary, headline, title, all_blocks)
    signals = {"candidates_agree": round(shared, 3), "title_agreement": primary.detail["title_agreement"],
               "headline_proximity": primary.detail["headline_proximity"], "second_opinion": "agrees"}
    if shared >= AGREE or not second.blocks:
        return primary, signals
    s = evidence(second, headline, title, all_blocks)
    signals["second_opinion"] = "overruled"
    signals["evidence_margin"] = round(p - s, 3)
    if s > p + SWITCH_MARGIN and second.chars >= 0.2 * primary.chars:
        signals.update(second_opinion="chosen", title_agreement=second.detail["title_agreement"],
                       headline_proximity=second.detail["headline_proximity"])
        return second, signals
    return primary, signals
