"""Flatten a page into text blocks: the runs of text between block-level boundaries,
each remembering the element that owns it, how much of it is link text and where it is.

Chinese text has no spaces, so "words" are counted as characters: a CJK character or a
run of Latin letters/digits counts one.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from lxml import etree

from cleaners.selectors import BLOCK_TAGS
from cleaners.spaces import squash

# runs of CJK (group 1: each character counts) or of Latin letters/digits (group 1 empty:
# the run counts once); matching runs rather than single characters allocates ~10× less
_MEANINGFUL_RUNS = re.compile(r"([\u3400-\u9fff\uf900-\ufaff]+)|[0-9A-Za-z]+")
_SENTENCE_PUNCT = re.compile(r"[，。；！？、：“”,.;!?]")
_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff]+")


def meaningful_chars(text: str) -> int:
    """CJK characters plus Latin/digit runs (each run counts once).

    >>> meaningful_chars("2023年科技工作会议 AI")
    9
    """
    if len(text) <= _REPEATED_LINE_MAX:
        return _line_chars(text)
    return _count_chars(text)


def _count_chars(text: str) -> int:
    runs = _MEANINGFUL_RUNS.findall(text)     # a Latin run yields "" (counted once)
    return sum(map(len, runs)) + runs.count("")


# A site prints the same menus, link lists and footers on every page: the counts of short
# lines are kept for the next page (a 480-character menu of 80 links is 160 runs to count).
_REPEATED_LINE_MAX = 500
_line_chars = functools.lru_cache(maxsize=8192)(_count_chars)


@dataclass(eq=False, slots=True)
class Block:
    text: str
    owner: etree._Element            # innermost block-level element holding the text
    index: int                       # position in document order
    chars: int = 0                   # meaningful characters
    link_chars: int = 0              # of which inside <a>
    punct: int = 0                   # sentence punctuation marks
    anchors: tuple = ()              # the <a> elements whose text is in the block
    last_el: object = None           # the last element opened before the block ended (its position)

    @property
    def link_density(self) -> float:
        return self.link_chars / self.chars if self.chars else 0.0


# the white space of str.split() that _WS does not squash, and what _WS squashes that is not
# str.split()'s: without them, splitting and joining with single spaces squashes the same runs
_SPLIT_DIFFERS = re.compile("[\x1c-\x1f\x85\u1680\u2000\u2001\u2004-\u2008\u200a\u2028\u2029\u202f\u205f"
                            "\u200b\ufeff]")


def _clean_space(text: str) -> str:
    r"""Runs of white space (_WS) as one space, none at the ends.

    >>> _clean_space(" 科技\n\t 创新\u3000 "), _clean_space("a\u200bb\u2028c")
    ('科技 创新', 'a b\u2028c')
    """
    if text.isprintable() and "  " not in text:   # no whitespace but single spaces: nothing to squash
        return text.strip()
    if not _SPLIT_DIFFERS.search(text):              # the usual line breaks and indentation: split in C
        return squash(text)
    return _WS.sub(" ", text).strip()


_TABLE_STRUCTURE = ("table", "div", "p", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "section",
                    "article", "blockquote", "pre", "form", "iframe")
_DATA_CELL_MAX = 60
# Evaluated by libxml2, not element by element in Python: a 10 MB sheet has 600,000 cells.
_HAS_LONG_CELL = etree.XPath(f"boolean(descendant::*[self::td or self::th][string-length(.) > {_DATA_CELL_MAX}])")
_CELLS = etree.XPath("count(descendant::td | descendant::th)")


def _has_structure(table) -> bool:
    """Is there a block element (_TABLE_STRUCTURE) below ``table``? libxml2 finds the first
    (``iter`` filters by tag in C) and stops there; an XPath union of the 16 tags walked the
    table 16 times to the end, and a layout table can hold the whole page."""
    for el in table.iter(*_TABLE_STRUCTURE):
        if el is not table:
            return True
    return False


def is_data_table(table) -> bool:
    """A table of short cells with no blocks inside (statistics, a 信息公开 sheet), as
    opposed to a layout table: its rows read as lines, its cells as words of a line.

    >>> from lxml import html
    >>> is_data_table(html.fromstring("<table><tr><td>项目</td><td>金额</td></tr></table>"))
    True
    >>> is_data_table(html.fromstring("<table><tr><td><p>正文</p></td><td>x</td></tr></table>"))
    False
    """
    return not _has_structure(table) and not _HAS_LONG_CELL(table) and _CELLS(table) >= 2


def _block(pieces: list, link_pieces: list, anchors: list, owner, index: int, last_el) -> Block | None:
    """The block of the text ``pieces`` (``link_pieces``: those inside <a>) owned by ``owner``,
    or None when they hold only white space."""
    text = _clean_space("".join(pieces))
    if not text:
        return None
    chars = meaningful_chars(text)
    if not link_pieces:
        link_chars = 0
    elif len(link_pieces) == len(pieces):   # every piece was link text (a menu item, a list link)
        link_chars = chars
    else:
        link_chars = min(chars, meaningful_chars("".join(link_pieces)))
    punct = len(_SENTENCE_PUNCT.findall(text)) if link_chars < chars else 0
    return Block(text, owner, index, chars, link_chars, punct, tuple(anchors) if anchors else (), last_el)


def build_blocks(root, limit: int | None = None) -> list[Block]:
    """Walk ``root`` in document order (iteratively: no recursion on deep trees), stopping
    after ``limit`` blocks: an article never needs the 100,000th line of a comment board.

    Most text between tags is the source's line breaks and indentation: before any text of
    a block it is not kept (the block's text is stripped anyway), and ``skipped`` says that
    some was, so that the boundary still drops the pending anchors as it does after text."""
    blocks: list[Block] = []
    pieces: list[str] = []
    link_pieces: list[str] = []
    anchors: list = []
    owners = [root]
    link_depth = 0
    current = root
    skipped = False
    block_tags, skip_text = BLOCK_TAGS, ("script", "style")
    add, add_link = pieces.append, link_pieces.append
    data_tables = [False]   # one flag per open <table>: cells of a data table join their row's line
    in_data = False         # the innermost open table is a data table
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag              # a comment's tag (a function) matches no name below, as "" would
        start = event == "start"
        if tag in block_tags:
            if in_data and (tag == "td" or tag == "th"):
                if start:
                    if pieces:
                        add(" ")
                    piece = el.text
                else:
                    piece = el.tail
                if piece:
                    if pieces or not piece.isspace():
                        add(piece)
                    else:
                        skipped = True
                continue
            if tag == "table":
                if start:
                    in_data = is_data_table(el)
                    data_tables.append(in_data)
                elif len(data_tables) > 1:
                    data_tables.pop()
                    in_data = data_tables[-1]
            if pieces:           # a boundary: the text so far is a block
                block = _block(pieces, link_pieces, anchors, owners[-1], len(blocks), current)
                if block is not None:
                    blocks.append(block)
                pieces.clear()
                link_pieces.clear()
                anchors.clear()
            elif skipped:
                anchors.clear()
            skipped = False
            if start:
                owners.append(el)
                if limit is not None and len(blocks) >= limit:
                    break
            elif len(owners) > 1:
                owners.pop()
        elif tag == "a":
            if start:
                link_depth += 1
                anchors.append(el)
            elif link_depth:
                link_depth -= 1
        if start:
            current = el
            piece = el.text
            if not piece or tag in skip_text:
                continue
        else:
            piece = el.tail
            if not piece or el is root:
                continue
        if pieces or not piece.isspace():
            add(piece)
            if link_depth:
                add_link(piece)
        else:
            skipped = True
    if pieces:
        block = _block(pieces, link_pieces, anchors, owners[-1], len(blocks), current)
        if block is not None:
            blocks.append(block)
    return blocks
