"""Main text: find the article container, then keep its paragraphs and drop the furniture.

1. prune    — drop elements that never hold article text (cleaners.prune).
2. blocks   — flatten the page into text blocks (cleaners.blocks).
3. score    — each block votes for its ancestors: punctuated, link-free Chinese text
              counts for, link lists and chrome (class/id tokens, <nav>/<footer>) count
              against; the element with the highest total is the article container.
4. anchor   — the headline decides: in a feed, the headline's own story; when the second
              opinion (densest run of link-free text) disagrees, the one that belongs to
              the headline; a text that does not reflect the title gives way to the text
              under the headline (cleaners.anchor, cleaners.candidates). A weak title (a
              site name, 显示) gives way to the heading above the text.
5. cut      — the text ends where another titled story begins, or at the next post.
6. filter   — inside it, drop link lists, chrome, boilerplate phrases and furniture lines
              (players, encyclopedia boxes, footers, promotions); cut at tail markers
              (相关阅读, 上一篇 …); lift 来源/作者/责编 lines into fields.
7. no body  — a short text far from the headline that does not reflect the title, or an
              empty article container under the headline: no article in the saved page.
8. fallback — when nothing is found, trafilatura's own extractor gets the page (pipeline).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from cleaners import anchor, boilerplate, candidates, media, titles
from cleaners.blocks import Block, build_blocks, meaningful_chars
from cleaners.options import DEFAULT_OPTIONS, CleanOptions
from cleaners.prune import prune
from cleaners.survey import Survey
from cleaners.tree import article_tokens, class_tokens, furniture_tokens, text_of, within
from cleaners.selectors import CHROME_TAGS

__all__ = ["Body", "extract", "meaningful_chars"]


@dataclass
class Body:
    text: str = ""
    attachments: list = field(default_factory=list)
    images: list = field(default_factory=list)
    fields: dict = field(default_factory=dict)
    date_lines: list = field(default_factory=list)
    container: object = None
    list_items: int = 0        # link items carrying a date (many, with little text: a list page)
    warnings: list = field(default_factory=list)
    page_chars: int = 0        # meaningful characters on the whole page
    title: str | None = None   # a headline found above the text when the page's own title was weak
    signals: dict = field(default_factory=dict)   # what the choice of the text rested on
    no_body: str | None = None  # why the page has no article text although text was found
    primary: object = None      # the block vote's region (candidates.Region), kept when the choice moved
    link_share: float = 0.0    # share of them inside links (a page of links is no article)


MAX_BLOCKS = 20_000   # bounded time on 10 MB pages; articles sit in the first few hundred blocks
_DATED = re.compile(r"(?:19|20)\d\d[-/.年]\d{1,2}[-/.月]\d{1,2}|\b\d{1,2}-\d{1,2}\b")
_DATED_SEPARATOR = re.compile(r"\d[-/.年]")     # in every _DATED match; a cheap scan (it starts with \d) first


_COMMENT_TOKENS = re.compile(r"(?:^|[\s_-])(?:comments?|pinglun|replies|reply|liuyan|guestbook)(?:$|[\s_-]|\d)", re.I)


class _ChromeCache:
    """'Is this element (or an ancestor) page chrome?' for the elements that hold blocks,
    answered in one pass down the holders (_Holders), parents first: an element's answer is
    its parent's or its own. The questions asked inside a chosen container are memoised."""

    def __init__(self, total_chars: int, text_chars: dict, holders: _Holders,
                 options: CleanOptions = DEFAULT_OPTIONS):
        self.total = max(total_chars, 1)
        self.text_chars = text_chars
        self.stop_memo: dict = {}
        self.tags = CHROME_TAGS if options.on("chrome_tags") else frozenset()
        self.tokens = options.on("chrome_tokens")
        self.tokens_of: dict = {}      # element → its class_tokens, asked again by the container vote
        self.own_of: dict = {}         # element → is it chrome itself
        self.memo: dict = {}           # element → is it or an ancestor chrome
        parent, memo, own_of = holders.parent, self.memo, self.own_of
        tokens_of, own = self.tokens_of, self.own
        for el in reversed(holders.order):          # parents first
            tokens = tokens_of[el] = class_tokens(el)
            own_of[el] = chrome = own(el, tokens)
            up = parent[el]
            memo[el] = chrome or (up is not None and memo[up])

    def own(self, el, tokens: str) -> bool:
        """Is ``el`` (whose class_tokens are ``tokens``) chrome itself?"""
        tag = el.tag          # a comment's tag (a function) is no name below
        if tag == "html" or tag == "body":
            return False
        chrome = tag in self.tags
        if not chrome and self.tokens and tokens and furniture_tokens(tokens) and not article_tokens(tokens):
            chrome = True
        if chrome and self.text_chars.get(el, 0) > 0.5 * self.total and not _COMMENT_TOKENS.search(tokens):
            chrome = False  # a "footer" class on the element holding most of the page's text is a misnomer
        return chrome

    def inside(self, el, stop=None) -> bool:
        """Is ``el`` or an ancestor below ``stop`` chrome? Without ``stop``, or when nothing
        above ``el`` is chrome, the pass down the holders has the answer; answers that stop
        early (inside a chosen container) are memoised apart."""
        memo = self.memo
        if el in memo and (stop is None or not memo[el]):
            return memo[el]
        if stop is not None:
            memo = self.stop_memo.setdefault(id(stop), {})
        own_of = self.own_of
        path = []
        node = el
        result = False
        while node is not None and node is not stop:
            if node in memo:
                result = memo[node]
                break
            path.append(node)
            chrome = own_of.get(node)
            if chrome is None:
                chrome = own_of[node] = self.own(node, class_tokens(node))
            if chrome:
                result = True
                break
            node = node.getparent()
        for visited in path:
            memo[visited] = result
        return result


def _block_value(block: Block, chrome: bool) -> float:
    chars = block.chars
    if not chars:
        return 0.0
    plain = chars - block.link_chars
    if block.link_density > 0.5:
        return -1.5 * chars
    value = plain if (block.punct or plain >= 25) else 0.3 * plain
    value -= 1.5 * block.link_chars
    if boilerplate.is_boilerplate(block.text, lines=False):
        value = -chars
    if chrome:
        value = -abs(value) if value else -chars
    return value


class _Holders:
    """Every element that holds a block (the owners and all their ancestors), deepest first,
    with its parent: sums over subtrees in one upward pass instead of one walk per block."""

    def __init__(self, blocks: list[Block]):
        depth: dict = {}
        parent: dict = {}
        layers: list = []       # the holders at each depth, in the order found: deepest last
        for block in blocks:
            node = block.owner
            if node in depth:                         # most blocks share an owner seen before
                continue
            path = []
            while node is not None and node not in depth:
                path.append(node)
                node = node.getparent()
            level = depth[node] if node is not None else -1
            above = node                              # the parent of the topmost new holder
            for el in reversed(path):
                level += 1
                depth[el] = level
                parent[el] = above
                above = el
                if level == len(layers):
                    layers.append([el])
                else:
                    layers[level].append(el)
        self.parent = parent
        # deepest first, each depth in the order found (what a stable sort by depth gives)
        self.order = [el for layer in reversed(layers) for el in layer]
        self._upward = [(el, parent[el]) for el in self.order if parent[el] is not None]   # what sums() adds up

    def blocks_under(self, blocks: list[Block], el) -> list[Block]:
        """The blocks whose owner is ``el`` (a holder) or inside it: each holder is answered
        once, going up the parent map instead of the tree once per block."""
        memo = {el: True, None: False}
        parent = self.parent
        out = []
        for block in blocks:
            node, path = block.owner, []
            while node not in memo:
                path.append(node)
                node = parent[node]
            answer = memo[node]
            for visited in path:
                memo[visited] = answer
            if answer:
                out.append(block)
        return out

    def sums(self, own: dict) -> dict:
        """own: element → value of its own blocks; returns element → value of its subtree."""
        totals = dict.fromkeys(self.order, 0)
        totals.update(own)
        for el, up in self._upward:
            totals[up] += totals[el]
        return totals


def _text_chars(blocks: list[Block], holders: _Holders) -> dict:
    own: dict = {}
    for block in blocks:
        own[block.owner] = own.get(block.owner, 0) + block.chars
    return holders.sums(own)


NEGATIVE_WEIGHT = 0.4    # how much furniture text counts against a container, per character


def _choose_container(blocks: list[Block], chrome: _ChromeCache, holders: _Holders, positive: bool = True):
    """The element maximising (article-like text inside) − NEGATIVE_WEIGHT × (furniture inside).

    Negative text is damped so that a container holding the article plus a related-links
    box still beats a lone disclaimer paragraph elsewhere on the page."""
    own: dict = {}
    inside = chrome.memo             # every holder's answer
    for block in blocks:
        value = _block_value(block, inside[block.owner])
        if not value:
            continue
        if value < 0:
            value *= NEGATIVE_WEIGHT
        own[block.owner] = own.get(block.owner, 0.0) + value
    if not own:
        return None
    totals = holders.sums(own)
    scores = {el: v for el, v in totals.items() if v}      # elements that hold scored text only
    tokens_of = chrome.tokens_of     # every holder's, from the chrome pass
    for node, score in scores.items() if positive else ():
        if score > 0:
            tokens = tokens_of[node]
            if tokens and article_tokens(tokens):
                scores[node] = score * 1.1
    return scores


def _near_headline(headline, scores: dict, best: float, levels: int = 4):
    """An ancestor of the headline holding a fair share of article text: the article is
    beside its own headline, not in the longer story that a feed appends below."""
    node = headline.getparent()
    for _ in range(levels):
        if node is None or node.tag in ("body", "html"):
            return None
        if scores.get(node, 0) >= max(80.0, 0.2 * best):
            return node
        node = node.getparent()
    return None


def _from_headline(blocks: list[Block], headline: Block) -> list[Block]:
    """Blocks from an h1 headline on: what a container holds above its h1 (a breadcrumb, a
    column name) is not the article."""
    if headline.owner.tag == "h1" and blocks and blocks[0].index < headline.index <= blocks[-1].index:
        return [b for b in blocks if b.index > headline.index]
    return blocks


def _common_ancestor(a, b):
    ancestors = {id(a)}
    ancestors.update(id(x) for x in a.iterancestors())
    node = b
    while node is not None and id(node) not in ancestors:
        node = node.getparent()
    return node if node is not None else a


# A post's own line: "长发剪了，感觉很轻松 2005-03-18 01:58:01" (title, time to the second) or
# "〓 某某留言板 发布时间 2005/05/17 22:11:42 by 某人 〓" (the same words before each time)
_POST_TIME = re.compile(r"(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}\s+\d{1,2}:\d\d:\d\d")
_TITLE_THEN_TIME = re.compile(r"^\S.{1,60}?\s" + _POST_TIME.pattern + r"$")
POST_MIN_CHARS = 150


def _until_next_post(blocks: list[Block]) -> list[Block]:
    """A page that shows several posts (a blog's front page, a forum thread), each with a line
    carrying its time to the second: keep the first post. Needs two titled lines, or three
    that share the words before the time, and cuts only after some text."""
    timed = [(i, m) for i, b in enumerate(blocks) if len(b.text) <= 90 for m in [_POST_TIME.search(b.text)] if m]
    if len(timed) < 2:
        return blocks
    hits = {i for i, _m in timed if _TITLE_THEN_TIME.match(blocks[i].text)}
    if len(hits) < 2:
        prefixes: dict = {}
        for i, m in timed:
            prefixes.setdefault(blocks[i].text[:m.start()].strip(), []).append(i)
        hits = {i for prefix, ids in prefixes.items() if len(prefix) >= 2 and len(ids) >= 3 for i in ids}
    if len(hits) < 2:
        return blocks
    chars = 0
    for i, block in enumerate(blocks):
        if i in hits and chars >= POST_MIN_CHARS:
            return blocks[:i]
        chars += block.chars
    return blocks


def _runner_up(scores: dict, best):
    """The best-scoring element that neither holds nor sits inside ``best`` (benchmark only)."""
    ranked = sorted((v, i, el) for i, (el, v) in enumerate(scores.items()) if v > 0)
    for _v, _i, el in reversed(ranked):
        if not within(el, best) and not within(best, el):
            return el
    return best


def _locate(blocks: list[Block], scores: dict, title: str | None, body: Body, options: CleanOptions,
            holders: _Holders):
    """The article's container and blocks, and the headline block: the block vote, moved to
    the headline's own story in a feed, checked against the second opinion."""
    container = max(scores, key=scores.get)
    headline = anchor.headline_block(blocks, title)
    inside = holders.blocks_under(blocks, container)
    if options.on("headline_feed") and headline is not None and headline.owner.tag == "h1" \
            and not within(headline.owner, container):
        near = _near_headline(headline.owner, scores, scores[container])
        if near is not None and not within(container, near):
            container = near  # the article beside its own headline, not a longer story elsewhere
            inside = holders.blocks_under(blocks, container)
        elif near is not None and inside and headline.index < inside[0].index:
            # a feed: this story's headline, its text, then the next story's headline
            own = holders.blocks_under(blocks, near)
            cut = anchor.next_story(own, headline)
            own = _from_headline(own[:cut] if cut is not None else own, headline)
            if own and sum(b.chars for b in own) >= 50 and own[-1].index < inside[-1].index:
                container, inside = near, own
    primary = candidates.Region(inside, "vote", container)
    second = candidates.densest_run(blocks) if options.on("second_opinion") else candidates.Region([], "density")
    chosen, body.signals = candidates.decide(primary, second, headline, title, blocks)
    if options.on("title_check"):
        chosen = candidates.look_again(chosen, headline, title, blocks, body.signals)
    if chosen is not primary:
        inside = chosen.blocks
        container = _common_ancestor(inside[0].owner, inside[-1].owner)
    if options.runner_up:             # the benchmark's deliberate mistake: another region, judged as usual
        other = _runner_up(scores, container)
        if other is not container:
            container, inside = other, holders.blocks_under(blocks, other)
            wrong = candidates.Region(inside, "vote", container)
            _, body.signals = candidates.decide(wrong, second, headline, title, blocks)
            candidates.look_again(wrong, headline, title, blocks, body.signals)
    body.primary = primary
    return container, inside, headline


def _title_near_text(blocks: list[Block], kept: list[Block], title: str | None, strings: tuple,
                     weak: bool) -> str | None:
    """A headline for a title no heading confirmed, from the lines just above the text (the
    first kept line is dropped when it is the headline): a line showing the title, or one that
    a title string confirms (中华人民共和国监察法 for <title> 中华人民共和国监察法-纪检); else, when
    the title is weak or the line is a heading element (h1–h3, a *title* class), the heading
    above the text."""
    first = kept[0].index
    near = blocks[max(0, first - 4):first + 1][::-1]          # nearest the text first
    for block in near if title else ():
        if anchor.shows_title(block, title):
            if block is kept[0]:
                kept.pop(0)
            return title
    for block in near if strings else ():
        found = titles.confirm(block.text, strings)
        if found and (not title or found in title or title in found):     # a refinement, not another part
            if block is kept[0]:
                kept.pop(0)
            return found
    above = anchor.heading_above(blocks, first)
    if above is None or not (weak or anchor.is_heading_element(above)):
        return None
    if above is kept[0]:
        kept.pop(0)
    return anchor.strip_trailing_date(above.text)


def extract(tree, *, title: str | None = None, title_confirmed: bool = True, base_url: str | None = None,
            options: CleanOptions = DEFAULT_OPTIONS, title_strings: tuple = (), site_name: str | None = None,
            surveyed: Survey | None = None) -> Body:
    """The article's text and what goes with it (see the module docstring). ``surveyed``:
    the page's survey (cleaners.survey), when the caller has made it."""
    prune(tree, surveyed)
    body_el = tree.find("body") if tree.find("body") is not None else tree
    blocks = build_blocks(body_el, limit=MAX_BLOCKS)
    body = Body()
    if len(blocks) >= MAX_BLOCKS:
        body.warnings.append(f"only the first {MAX_BLOCKS} text blocks were read")
    if not blocks:
        return body
    body.list_items = sum(1 for b in blocks if b.chars <= 60 and b.link_density > 0.5
                          and _DATED_SEPARATOR.search(b.text) and _DATED.search(b.text))
    if body.list_items < 8:
        body.list_items = 0
    holders = _Holders(blocks)
    text_chars = _text_chars(blocks, holders)
    body.page_chars = text_chars.get(body_el, 0)
    body.link_share = sum(b.link_chars for b in blocks) / body.page_chars if body.page_chars else 0.0
    chrome = _ChromeCache(text_chars.get(body_el, 0), text_chars, holders, options)
    scores = _choose_container(blocks, chrome, holders, options.on("positive_tokens"))
    if not scores:
        return body
    container, inside, headline = _locate(blocks, scores, title, body, options, holders)
    weak_title = options.on("title_repair") and anchor.is_weak_title(title, title_confirmed)
    if weak_title and inside:          # the headline printed above the text beats a site name
        above = anchor.heading_above(blocks, inside[0].index)
        if above is not None:
            title = body.title = anchor.strip_trailing_date(above.text)
            headline = above
    if headline is not None:
        inside = _from_headline(inside, headline)
    cut = anchor.next_story(inside, headline, box=anchor.story_box(blocks, headline), title=title) \
        if options.on("next_story") else None
    if cut is not None:
        inside = inside[:cut]
    if options.on("post_cut"):
        inside = _until_next_post(inside)
    body.container = container
    before = blocks[:inside[0].index] if inside else []       # (a block's index is its place in blocks)
    result = boilerplate.filter_blocks(
        inside, title=title, options=options, container=container, site_name=site_name,
        is_chrome=lambda b: b.owner is not container and chrome.inside(b.owner, stop=container))
    if not result.blocks and body.primary is not None and body.primary.container is not container:
        # the second opinion's region was all furniture: the block vote's choice stands after all
        container, inside = body.primary.container, body.primary.blocks
        body.signals["second_opinion"] = "overruled"
        result = boilerplate.filter_blocks(
            inside, title=title, options=options, container=container, site_name=site_name,
            is_chrome=lambda b: b.owner is not container and chrome.inside(b.owner, stop=container))
    if not title_confirmed and not body.title and result.blocks and options.on("title_repair"):
        body.title = _title_near_text(blocks, result.blocks, None if weak_title else title, title_strings,
                                      weak_title)
    body.fields = result.fields
    after = blocks[inside[-1].index + 1:inside[-1].index + 7] if inside else []
    boilerplate.fill(body.fields, boilerplate.header_fields(before[-8:] + after))
    body.date_lines = result.date_lines + boilerplate.date_lines(before[-12:])
    lines = [b.text for b in result.blocks]
    captions = set()
    body.images = media.images(container, base_url, result.blocks)
    for image in body.images:
        if image.get("caption"):
            captions.add(image["caption"])
    body.text = "\n".join(line for line in lines if line not in captions)
    body.attachments = media.attachments(container, base_url)
    # a weak title that no heading replaced (a site name, 显示) says nothing about the text
    judged = body.title or (None if weak_title else title)
    body.signals.update(_text_signals(inside, result.blocks, headline, judged, blocks))
    if options.on("no_body"):
        body.no_body = _no_body(result.blocks, headline, body.signals)
        if not body.no_body and body.signals["text_chars"] < NO_BODY_MAX_CHARS and _empty_slot(headline) \
                and (body.signals["title_agreement"] or 0) < 0.3:
            body.no_body = ("no article body in the saved page: the article container under the headline is "
                            "empty (filled in by script)")
        if body.no_body:
            body.text, body.images, body.attachments = "", [], []
    return body


NO_BODY_MAX_CHARS = 300     # a text this long is an article even far from the headline


def _text_signals(region: list[Block], kept: list[Block], headline: Block | None, title: str | None,
                  blocks: list[Block]) -> dict:
    """What the kept text says about itself: how much of the region the filters dropped,
    its link share, its length, and how it relates to the headline."""
    region_chars = sum(b.chars for b in region) or 1
    kept_chars = sum(b.chars for b in kept)
    prose = sum(b.chars for b in kept if b.punct or b.chars >= 40)
    final = candidates.Region(kept, "kept")
    return {
        "prose_share": round(prose / kept_chars, 3) if kept_chars else 0.0,
        "boilerplate_share": round(1 - kept_chars / region_chars, 3) if region else 0.0,
        "link_density": round(final.link_density, 3) if kept else 0.0,
        "text_chars": kept_chars,
        "title_agreement": anchor.title_agreement(title, final.lead()),
        "headline_proximity": candidates.proximity(final, headline, blocks),
        "headline_found": headline is not None,
        "prose_above": candidates.prose_chars(blocks[:kept[0].index]) if kept else 0,
    }


_SLOT_TAGS = frozenset(("div", "section", "article", "main", "td"))


def _empty_slot(headline: Block | None) -> bool:
    """An article container after the headline that holds no text: the page fills it in by
    script (the saved page has only the headline, a sidebar and a footer)."""
    if headline is None:
        return False
    scope = headline.owner
    for _ in range(3):
        parent = scope.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        scope = parent
    elements = scope.iter() if scope is not headline.owner else headline.owner.itersiblings()
    before = scope is not headline.owner       # scanning the scope: skip what precedes the headline
    for n, el in enumerate(elements):
        if n > 400:
            break
        if el is headline.owner:
            before = False
            continue
        if before or el.tag not in _SLOT_TAGS:
            continue
        tokens = class_tokens(el)
        if tokens and article_tokens(tokens) and not furniture_tokens(tokens) \
                and not text_of(el).strip() and el.find(".//img") is None:
            return True
    return False


def _no_body(kept: list[Block], headline: Block | None, signals: dict) -> str | None:
    """Why the kept text is not this page's article, or None: it is short, far from the
    page's headline and does not reflect the title's words (a sidebar, a footer or a notice
    is all that is left when the body is rendered by script, paywalled or missing)."""
    if headline is None or not kept or signals["text_chars"] >= NO_BODY_MAX_CHARS:
        return None
    near, agreement = signals["headline_proximity"], signals["title_agreement"]
    if (near is not None and near >= 0.5) or (agreement is not None and agreement >= 0.3):
        return None
    return ("no article body under the headline: the only text is far from it and does not reflect the "
            "title (the body may be rendered by script, behind a paywall or missing)")
