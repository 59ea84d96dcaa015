"""The headline as the anchor of the article: where it is, which text belongs to it, and
where the next titled story begins.

A page may show several stories (a portal's "next story" feed, a blog's front page): the
article is the text that starts near its own headline and ends where another titled story
begins. The title's words are reflected in the first part of that text; a region that
does not reflect them is looked at again (:mod:`cleaners.candidates`).
"""
from __future__ import annotations

import re

from cleaners import boilerplate
from cleaners.blocks import Block
from cleaners.script import simplified_view
from cleaners.spaces import unspaced
from cleaners.titles import clean_title, is_generic, is_site_like, split_parts
from cleaners.tree import class_tokens, within

_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]+|\d{2,}")
_DATE = re.compile(r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|\d{1,2}:\d\d")
_HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4"))
_TITLE_TOKENS = re.compile(r"title|headline|biaoti|tit\b|bt\b", re.I)
_SENTENCE_END = re.compile(r"[。；;，,：:]$")
# words so common in headlines and text alike that they prove nothing
_STOP_PAIRS = frozenset(("关于", "开展", "工作", "进行", "我们", "一个", "没有", "这个", "中国", "全国", "有关",
                         "发展", "建设", "推进", "加强", "举行", "召开", "会议", "活动"))
HEADLINE_JUNK = 12          # characters a headline element may carry beyond the title (播报文章, [编辑])


def title_terms(title: str | None) -> set[str]:
    """Distinct character pairs of the title's Chinese runs, plus its Latin words and numbers.

    >>> sorted(title_terms("某市召开AI大会"))       # 召开 is in every meeting report: no evidence
    ['ai', '大会', '市召', '某市']
    """
    if not title:
        return set()
    terms = set()
    for run in _CJK_RUN.findall(title):
        terms.update(run[i:i + 2] for i in range(len(run) - 1))
        if len(run) == 1:
            terms.add(run)
    terms.update(w.lower() for w in _LATIN.findall(title))
    return terms - _STOP_PAIRS if len(terms - _STOP_PAIRS) >= 2 else terms


def title_agreement(title: str | None, text: str, window: int = 400) -> float | None:
    """Share of the title's terms that occur in the first ``window`` characters of ``text``
    (None when the title has too few terms to say anything); both in simplified script.

    >>> title_agreement("某市召开科技创新大会", "3月5日，某市召开科技创新大会，部署全年工作。")
    1.0
    >>> title_agreement("某市召开科技创新大会", "今天天气很好，我们去公园散步。")
    0.0
    """
    terms = title_terms(simplified_view(title) if title else title)
    if len(terms) < 3:
        return None
    head = simplified_view(text[:window]).lower()
    return sum(1 for t in terms if t in head) / len(terms)


def shows_title(block: Block, title: str | None) -> bool:
    """Does the block print the title (perhaps with a small widget after it)?"""
    want, text = unspaced(title), unspaced(block.text)
    return len(want) >= 2 and (text == want or (text.startswith(want) and len(text) <= len(want) + HEADLINE_JUNK))


def headline_block(blocks: list[Block], title: str | None) -> Block | None:
    """The block showing the title: a heading (h1–h4, a *title* class) first, then any short
    block; the element may carry a small widget after the title (播报文章, [编辑])."""
    want = unspaced(title)
    if len(want) < 2:
        return None
    best = None
    first = want[0]
    for block in blocks:
        if len(block.text) > len(title) + HEADLINE_JUNK + 20:
            continue
        if block.text[0] != first:     # a block's text is stripped: squashing keeps its first character,
            continue                   # and each test below needs the same first character
        text = unspaced(block.text)
        if not (text == want or (text.startswith(want) and len(text) <= len(want) + HEADLINE_JUNK)
                or (len(want) >= 8 and want.startswith(text) and len(text) >= 0.8 * len(want))):
            continue
        owner = block.owner
        rank = 2 if owner.tag in _HEADING_TAGS else 1 if _TITLE_TOKENS.search(
            class_tokens(owner)) else 0
        if block.link_density > 0.5:
            rank -= 2                   # a link to the page itself (a list of stories), not its headline
        if best is None or rank > best[0]:
            best = (rank, block)
        if rank >= 2:
            break
    return best[1] if best is not None and best[0] >= 0 else None


def is_heading_element(block: Block) -> bool:
    """Is the block an h1–h3, or an element whose class or id says title?"""
    owner = block.owner
    return owner.tag in ("h1", "h2", "h3") or bool(_TITLE_TOKENS.search(class_tokens(owner)))


def is_weak_title(title: str | None, confirmed: bool) -> bool:
    """A title the page does not confirm and that does not read as a headline."""
    if confirmed:
        return False
    if not title or is_generic(title) or len(unspaced(title)) < 4:
        return True
    return all(is_site_like(part) for part in split_parts(title))    # 网易娱乐, CCTV.com- 央视论坛


_INFO_LINE = re.compile(r"^(?:来源|作者|发布|时间|日期|编辑|浏览|点击|【|\[)")


_ENUMERATED = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]\s*\D|第[一二三四五六七八九十\d]+[章节条部分])")
_BREADCRUMB = re.compile(r"[>»›]|当前位置|您(?:现在)?的位置|^(?:首页|主页)\s*[-–—/|｜]")
_FIELD_LABEL = re.compile(r"(?:作者|来源|记者|编辑|出处|发布|浏览|点击)\s*[:：]")


def _headline_like(block: Block, following: list[Block]) -> bool:
    text = block.text.strip()
    if not (4 <= block.chars <= 60) or (block.link_density > 0.5 and block.owner.tag not in _HEADING_TAGS):
        return False
    if _SENTENCE_END.search(text) or _INFO_LINE.match(text) or _ENUMERATED.match(text) or _BREADCRUMB.search(text):
        return False
    if _FIELD_LABEL.search(text) or (_DATE.search(text) and strip_trailing_date(text) == text):
        return False                                  # an info line, not a headline with a date after it
    if _WIDGET_LINE.search(text) or boilerplate.is_tail_marker(text):
        return False                                  # 猜你喜欢, 相关阅读: the heading of a list
    return any(b.chars >= 30 for b in following[:3])  # text follows it, not more short lines


_WIDGET_LINE = re.compile(r"^(?:欢迎(?:您)?(?:加入|订阅|访问|光临|来到)|姊妹站|本站|友情链接|热门|最新|推荐|相关|排行|"
                          r"版权|copyright|登录|注册|搜索)", re.I)


def heading_above(blocks: list[Block], start: int, limit: int = 8) -> Block | None:
    """A headline-like block just above the text that begins at ``blocks[start]`` (or that
    block itself): a heading element within ``limit`` blocks, else the nearest short line with no
    sentence punctuation at its end that is not a link, a date, a breadcrumb, an info line
    or a numbered section heading."""
    lo = max(0, start - limit)
    for k in range(min(start, len(blocks) - 1), lo - 1, -1):
        block = blocks[k]
        if block.owner.tag in ("h1", "h2", "h3", "h4", "h5", "h6") and _headline_like(block, blocks[k + 1:]):
            return block
    for k in range(min(start, len(blocks) - 1), max(-1, start - 4), -1):
        if _headline_like(blocks[k], blocks[k + 1:]):
            return blocks[k]
    return None


_TRAILING_DATE = re.compile(r"\s*(?:(?:19|20)\d\d[-/.年]\d{1,2}[-/.月]\d{1,2}日?)(?:\s+\d{1,2}:\d\d(?::\d\d)?)?\s*$")


def strip_trailing_date(text: str) -> str:
    """A headline line of a blog: '昨天去金矿玩 (图) 2005-03-21 01:20:44' → '昨天去金矿玩 (图)'."""
    cut = _TRAILING_DATE.sub("", text)
    return clean_title(cut) if len(cut) >= 4 else text


def story_box(blocks: list[Block], headline: Block | None, limit: int = 40):
    """The element holding the headline and the first paragraph under it (the article's own
    box), or None when there is no headline, no such paragraph, or it is the whole body."""
    if headline is None:
        return None
    first = next((b for b in blocks[headline.index + 1:headline.index + 1 + limit]
                  if b.chars >= 40 and b.link_density <= 0.5), None)
    if first is None:
        return None
    ancestors = {id(a) for a in headline.owner.iterancestors()}
    node = first.owner
    while node is not None and id(node) not in ancestors:
        node = node.getparent()
    return None if node is None or node.tag in ("body", "html") else node


def next_story(blocks: list[Block], headline: Block | None, min_chars: int = 60, box=None,
               title: str | None = None) -> int | None:
    """Index (in ``blocks``) of the first block of another titled story after the article's
    text has begun, or None. A titled story begins with a heading of the headline's own kind
    (same tag and class: an h1 or h2, or any element with that class); or, after enough text,
    with a heading of the headline's level or above followed by a short dated info line, as
    feeds print each story, or any short line after a line of links followed by an info line
    with a time or a 来源 label;
    or with a heading outside the article's own ``box`` (:func:`story_box`) that is of the
    headline's level or above, or under which the text does not reflect the ``title``. A
    numbered or sub-level section heading inside the article (h3 under an h1) never ends it."""
    key = (headline.owner.tag, headline.owner.get("class")) if headline is not None else None
    level = _LEVEL.get(headline.owner.tag, 3) if headline is not None else 3
    seen = prose = 0
    last_prose = None
    for i, block in enumerate(blocks):
        if headline is not None and block.index <= headline.index:
            continue
        owner = block.owner
        if key is not None and owner.tag == key[0] and owner.get("class") == key[1] \
                and (key[0] in ("h1", "h2") or key[1]) \
                and prose >= min_chars and (key[1] or not (last_prose is not None
                                                           and last_prose.getparent() is owner.getparent())):
            return i                   # (widgets between a header's copy of the headline and the real one are no text;
            #                            a class-less h1 beside the paragraphs it follows heads a section of the text)
        if box is not None and seen >= 30 and 2 <= block.chars <= 60 and not within(owner, box) \
                and (owner.tag in _HEADING_TAGS or story_heading(blocks, i, reach=3)):
            if _LEVEL.get(owner.tag, 9) <= level and owner.tag in _HEADING_TAGS:
                return i
            under = title_agreement(title, "\n".join(b.text for b in blocks[i + 1:i + 6]))
            if under is not None and under < 0.15:
                return i
        if seen >= min_chars and 4 <= block.chars <= 60 and (     # (story_heading's length first)
                _LEVEL.get(owner.tag, 9) <= level
                or (_after_links(blocks, i) and any(_stamp_line(b) for b in blocks[i + 1:i + 3]))) \
                and story_heading(blocks, i):     # (its regexes and info lines last)
            return i
        seen += block.chars - block.link_chars
        if block.punct or block.chars >= 20:
            prose += block.chars - block.link_chars
            last_prose = owner
    return None


_LEVEL = {"h1": 1, "h2": 2, "h3": 3, "h4": 4}


def story_heading(blocks: list[Block], i: int, reach: int = 2) -> bool:
    """Whether ``blocks[i]`` heads a story as feeds print one: a short line that is no sentence
    and no numbered section, with a dated info line among the ``reach`` blocks under it."""
    block = blocks[i]
    return 4 <= block.chars <= 60 and not _SENTENCE_END.search(block.text.strip()) \
        and not _ENUMERATED.match(block.text) and any(_info_line(b) for b in blocks[i + 1:i + 1 + reach])


def _after_links(blocks: list[Block], i: int) -> bool:
    """Whether a line of links (a menu, a pager, a link box) comes right before ``blocks[i]``:
    a story's title after one starts another story, where a signature line after the text's
    last sentence does not."""
    return any(b.link_density > 0.5 and b.chars >= 4 for b in blocks[max(0, i - 2):i])


_STAMP = re.compile(r"\d{1,2}:\d\d|来源|作者|编辑|发布")


def _stamp_line(block: Block) -> bool:
    """An info line as a news story prints it, with a time of day or a 来源 / 作者 label (a
    notice's signature date under the issuer's name has neither)."""
    return _info_line(block) and bool(_STAMP.search(block.text))


def same_kind(block: Block, headline: Block | None) -> bool:
    """Whether ``block`` is written like the headline: the same element with the same class
    (a feed prints every story's headline so, whatever element the template uses)."""
    return headline is not None and bool(headline.owner.get("class")) \
        and (block.owner.tag, block.owner.get("class")) == (headline.owner.tag, headline.owner.get("class"))


_HANZI = re.compile(r"[\u4e00-\u9fff]")


def _info_line(block: Block) -> bool:
    """A short line under a story's headline: a date, perhaps a source or author, nothing else."""
    text = block.text
    if len(text) > 50 or not _DATE.search(text) or _SENTENCE_END.search(text.strip()):
        return False
    rest = _DATE.sub("", text)
    return len(_HANZI.findall(rest)) <= 20
