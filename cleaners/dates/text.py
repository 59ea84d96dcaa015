"""A page's visible text for the date rules: its text nodes in document order, joined once so
that one regex runs over the whole page, with every date found in it, where the headline
starts and where a comment section begins; and the tests for text in places a publish
date never sits (a list of other articles, a footer, a comment, a link)."""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from cleaners.dates.parse import DATE_PATTERNS, scan_dates
from cleaners.selectors import INVISIBLE_TAGS, OTHER_BLOCK_WORDS, SIDE_BLOCK_WORDS
from cleaners.tree import text_of

# a date on a copyright / ICP line or a "today is" banner is no publish date
NOT_PUBLISH = re.compile(r"©|\(c\)|copyright|版权|版權|icp|备案|備案|今天是|今日是|当前日期|當前日期|"
                          r"当前时间|當前時間|现在时间|現在時間|现在是|現在是", re.I)
# a heading over a list of other articles: 相关阅读, 热门文章, 推荐阅读, 最新发布, 猜你喜欢 …
_LIST_HEADING = re.compile(r"^\W*(?:相关|相關|热门|熱門|热点|熱點|推荐|推薦|排行|延伸|最新|更多|猜你|往期|其他|其它)"
                           r"[\u4e00-\u9fff]{0,6}\W*$")
_COMMENT_HEADING = re.compile(
    r"^\W*(?:(?:相关|相關|网友|網友|读者|讀者|最新|热门|熱門|精彩|全部|用户|用戶)?(?:评论|評論|留言|跟帖|回复|回覆)"
    r"(?:列表|区|區|\(\d+\)|（\d+）)?|(?:发表|發表|我要|我来|我來)(?:评论|評論|留言)|我来说两句|我來說兩句)\W*$")

MAX_NODES = 8000           # elements visited per page for the visible-text rules


def root_of(tree):
    try:
        return tree.getroottree().getroot()
    except AttributeError:
        return tree


_TITLE_SEPARATORS = re.compile(r"\s*[_|｜\-–—]+\s*")


class Text:
    """The page's visible text chunks in document order, joined with newlines.

    ``chunks[i] = (text, element, is_tail)``; ``joined`` lets one regex run over the whole
    page and ``index(pos)`` maps a position back to its chunk. ``dates`` lists every date in
    the visible text as (start, end, datetime, chunk index); ``end`` is where a comment
    section starts (dates after it are readers' posts).
    """

    __slots__ = ("chunks", "joined", "starts", "dates", "end", "head", "h1", "_other", "_items")

    def __init__(self, tree):
        self._other: dict = {}     # chunk index → other_block(strict): the rules ask again for the same dates
        self._items: dict = {}     # element → _list_item: the dates of one list share their ancestors
        root = root_of(tree)
        body = root.find("body") if root.tag == "html" else None
        self.chunks, h1, comments = _collect_chunks(body if body is not None else root)
        # chunks are joined with a newline, except text split only by a comment
        # (React/SSR markup: 2019<!-- -->/<!-- -->09) which the browser shows as one run
        if comments:
            self.joined, self.starts = _joined_around_comments(self.chunks)
        else:                       # (the cleaner's parser drops comments: joined in C)
            texts = [chunk[0] for chunk in self.chunks]
            self.joined = "\n".join(texts)
            self.starts = list(accumulate(map((1).__add__, map(len, texts)), initial=0))[:-1]
        self.dates = scan_dates(self.joined)
        for k, (p, e, dt, _i) in enumerate(self.dates):
            self.dates[k] = (p, e, dt, self.index(p))
        self.end = self._comment_start()
        self.h1 = h1 if h1 is not None and h1 < len(self.starts) else None
        self.head = self.starts[h1] if self.h1 is not None else self._title_pos(root)

    def index(self, pos: int) -> int:
        return bisect_right(self.starts, pos) - 1

    def other_block(self, i: int) -> bool:
        """``other_block(element, is_tail, strict=True)`` for chunk ``i``, worked out once."""
        found = self._other.get(i)
        if found is None:
            _text, el, is_tail = self.chunks[i]
            found = self._other[i] = other_block(el, is_tail, True, self._items)
        return found

    def _comment_start(self) -> int:
        """Offset of the first comment-section heading that follows a date outside link lists
        (so a sidebar "最新评论" widget before the article does not end it)."""
        j = self.joined
        first = next((p for p, _e, _dt, i in self.dates if not self.other_block(i)), None)
        if first is None:
            return len(j)
        cut = len(j)
        for kw in ("评论", "評論", "留言", "跟帖", "回复", "回覆", "说两句", "說兩句"):
            p = j.find(kw, first, cut)
            while p >= 0:
                i = self.index(p)
                text, el, is_tail = self.chunks[i]
                if len(text) <= 16 and _COMMENT_HEADING.match(text.strip()) and not in_link(el, is_tail):
                    cut = self.starts[i]
                    break
                p = j.find(kw, p + 1, cut)
        return cut

    def _title_pos(self, root) -> int:
        """Where the headline starts when there is no <h1>: the first occurrence of the
        <title>'s longest part outside a link; 0 when not found."""
        title = root.findtext("head/title") if root.tag == "html" else None
        if not title:
            return 0
        part = max(_TITLE_SEPARATORS.split(title.strip()), key=len)
        if len(part) < 6:
            return 0
        key = part[:12]
        p = self.joined.find(key)
        while p >= 0:
            _t, el, is_tail = self.chunks[self.index(p)]
            if not in_link(el, is_tail):
                return self.starts[self.index(p)]
            p = self.joined.find(key, p + 1)
        return 0

    def after_head(self):
        """Dates from the headline on first, then those before it (page-header banners)."""
        head = self.head
        return [d for d in self.dates if d[0] >= head] + [d for d in self.dates if d[0] < head]


def in_link(el, is_tail: bool) -> bool:
    node = el.getparent() if is_tail else el
    for _ in range(3):
        if node is None or not isinstance(node.tag, str):
            return False
        if node.tag in ("a", "button"):
            return True
        node = node.getparent()
    return False


def _joined_around_comments(chunks: list) -> tuple[str, list[int]]:
    """The chunks joined with a newline, but a comment's tail glued to the text before it in
    the same element; and where each chunk starts."""
    pieces, starts, pos, prev_parent = [], [], 0, None
    for text, el, is_tail in chunks:
        parent = el.getparent() if is_tail else el
        glue = is_tail and not isinstance(el.tag, str) and parent is prev_parent and pieces
        if pieces and not glue:
            pieces.append("\n")
            pos += 1
        starts.append(pos)
        pieces.append(text)
        pos += len(text)
        prev_parent = parent
    return "".join(pieces), starts


def _last_descendant(el):
    while len(el):
        el = el[-1]
    return el


def _collect_chunks(start) -> tuple[list, int | None, bool]:
    """(text, element, is_tail) for every non-blank visible text node under ``start``, in order;
    the first real <h1>'s first chunk; whether a comment or processing instruction was seen.

    One C-level ``iter()``; a tail is emitted after the last descendant of its element.
    """
    out = []
    append = out.append
    pending = []            # (tail, owner, key): emit after ``key`` (last descendant) is done
    skip_last = None        # inside a skipped subtree until this element
    h1 = None               # index of the first chunk of the first real <h1>
    comments = False
    n = 0
    for el in start.iter():
        n += 1
        if n > MAX_NODES:
            break
        if skip_last is not None:
            if el is skip_last:
                skip_last = None
                while pending and pending[-1][2] is el:
                    t, o, _ = pending.pop()
                    append((t, o, True))
            continue
        tag = el.tag
        if isinstance(tag, str):
            if tag in INVISIBLE_TAGS:
                if len(el):
                    last = _last_descendant(el)
                    if el is not start and el.tail and not el.tail.isspace():
                        pending.append((el.tail, el, last))
                    skip_last = last
                    continue
            else:
                if tag == "h1" and h1 is None and len(text_of(el).strip()) >= 4:
                    h1 = len(out)
                text = el.text
                if text and not text.isspace():
                    append((text, el, False))
        else:
            comments = True
        if el is start:
            continue
        tail = el.tail
        if tail and not tail.isspace():
            if len(el):
                pending.append((tail, el, _last_descendant(el)))
            else:
                append((tail, el, True))
        while pending and pending[-1][2] is el:      # (a key is a leaf: never an element with children)
            t, o, _ = pending.pop()
            append((t, o, True))
    return out, h1, comments


def collect_meta(tree, metas=None) -> list[tuple[str, str]]:
    """(name, content) of the page's <meta> tags (``metas``: its <meta> elements when the
    caller has them), a name for each word of name/property/itemprop/http-equiv."""
    out = []
    for m in root_of(tree).iter("meta") if metas is None else metas:
        content = m.get("content")
        if not content or not content.strip():
            continue
        for attr in ("name", "property", "itemprop", "http-equiv"):
            v = m.get(attr)
            if v:
                for key in v.split():
                    out.append((key.lower(), content))
    return out


def other_block(el, is_tail: bool, strict: bool, items: dict | None = None) -> bool:
    """Is this text in a block of other articles / page furniture?

    Always: an ancestor whose class/id says related/hot/ranking/footer/comment.
    strict (unlabelled dates): also link text, an item of a list of links (a short block with
    a link that repeats among its siblings), sidebar/nav/links blocks. ``items``: the
    answers of the list-item test per element, kept by the caller across calls.
    """
    node = el.getparent() if is_tail else el
    depth = 0
    while node is not None and depth < 14:
        tag = node.tag
        if not isinstance(tag, str) or tag in ("body", "html"):
            break
        if strict:
            if tag == "a":
                return True
            if depth < 4 and (_list_item(node) if items is None else _kept_list_item(node, items)):
                return True
        attrs = node.get("class"), node.get("id")
        if attrs != (None, None):
            cls = f"{attrs[0] or ''} {attrs[1] or ''}"
            if OTHER_BLOCK_WORDS.search(cls) or (strict and SIDE_BLOCK_WORDS.search(cls)):
                return True
        node = node.getparent()
        depth += 1
    return False


def _list_item(node) -> bool:
    """One entry in a list of other articles: a list item with a link, or a short block with a
    link whose sibling of the same tag and class also holds a link and a date."""
    tag = node.tag
    if tag not in ("li", "dd", "dt", "tr", "div", "td", "section", "article", "table"):
        return False
    if node.find(".//a") is None or len(text_of(node)) > 300:
        return False
    if tag in ("li", "dd", "dt"):
        return True
    cls = node.get("class")
    for preceding in (False, True):
        for sib in node.itersiblings(tag, preceding=preceding):
            if sib.get("class") == cls:
                if sib.find(".//a") is not None:
                    t = text_of(sib)
                    if len(t) <= 300 and any(p.search(t) for p in DATE_PATTERNS):
                        return True
                break
    return False


def _kept_list_item(node, items: dict) -> bool:
    found = items.get(node)
    if found is None:
        found = items[node] = _list_item(node)
    return found


def after_list_heading(text: Text, i: int) -> bool:
    """The chunk follows a short '相关阅读 / 热门文章 / 推荐' heading within 3 chunks."""
    for j in range(max(0, i - 3), i):
        t, el, is_tail = text.chunks[j]
        if len(t) <= 16 and _LIST_HEADING.match(t) and not in_link(el, is_tail):
            return True
    return False
