"""cleaners.blocks.build_blocks against a plain walk that closes a block at every boundary,
white space included: skipping the source's indentation must not change a block, its
anchors, its link share or its position."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree, html

from cleaners.blocks import (_SENTENCE_PUNCT, _WS, BLOCK_TAGS, _clean_space, build_blocks, is_data_table,
                             meaningful_chars)


def reference(root, limit=None):
    """Every piece of text kept, a flush at every block boundary (the walk before it was made
    faster); returns (text, owner, index, chars, link_chars, punct, anchors, last_el)."""
    out, pieces, link_pieces, anchors, owners = [], [], [], [], [root]
    state = {"links": 0, "current": root}
    tables = [False]

    def flush():
        text = _clean_space("".join(pieces))
        if text:
            chars = meaningful_chars(text)
            if not link_pieces:
                links = 0
            elif len(link_pieces) == len(pieces):
                links = chars
            else:
                links = min(chars, meaningful_chars("".join(link_pieces)))
            punct = len(_SENTENCE_PUNCT.findall(text)) if links < chars else 0
            out.append((text, owners[-1], len(out), chars, links, punct, list(anchors), state["current"]))
        pieces.clear(), link_pieces.clear(), anchors.clear()

    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if tables[-1] and tag in ("td", "th"):
            if event == "start":
                if pieces:
                    pieces.append(" ")
                if el.text:
                    pieces.append(el.text)
            elif el.tail:
                pieces.append(el.tail)
            continue
        if event == "start":
            if tag in BLOCK_TAGS:
                if tag == "table":
                    tables.append(is_data_table(el))
                if pieces:
                    flush()
                owners.append(el)
                if limit is not None and len(out) >= limit:
                    break
            elif tag == "a":
                state["links"] += 1
                anchors.append(el)
            state["current"] = el
            if el.text and tag not in ("script", "style"):
                pieces.append(el.text)
                if state["links"]:
                    link_pieces.append(el.text)
        else:
            if tag in BLOCK_TAGS:
                if tag == "table" and len(tables) > 1:
                    tables.pop()
                if pieces:
                    flush()
                if len(owners) > 1:
                    owners.pop()
            elif tag == "a" and state["links"]:
                state["links"] -= 1
            if el.tail and el is not root:
                pieces.append(el.tail)
                if state["links"]:
                    link_pieces.append(el.tail)
    if pieces:
        flush()
    return out


def fields(blocks):
    for b in blocks:
        assert b.link_density == (b.link_chars / b.chars if b.chars else 0.0)
    return [(b.text, b.owner, b.index, b.chars, b.link_chars, b.punct, list(b.anchors), b.last_el) for b in blocks]


TEXTS = st.sampled_from(["", "", " ", "\n  ", "\u3000", "\xa0", "\u200b", "abc", "科技", " x ", "，", "a b", "12"])
TAGS = st.sampled_from(["div", "p", "a", "span", "td", "tr", "table", "br", "li", "b", "th", "h1", "script"])
FRAGMENTS = st.recursive(
    TEXTS,
    lambda inner: st.builds(lambda tag, parts, tail: f"<{tag}>{''.join(parts)}</{tag}>{tail}",
                            TAGS, st.lists(inner, max_size=4), TEXTS),
    max_leaves=30)


@given(st.lists(FRAGMENTS, max_size=6), st.sampled_from([None, 1, 3]))
@settings(max_examples=400, deadline=None)
def test_same_blocks_as_the_plain_walk(parts, limit):
    body = html.document_fromstring("<html><body>" + "".join(parts) + "</body></html>").find("body")
    assert fields(build_blocks(body, limit)) == reference(body, limit)


def test_an_anchor_before_indentation_stays_out_of_the_next_block():
    """White space after a text-less link closes it off at the boundary; without white space
    the link is still pending when the next block's text comes."""
    spaced = html.fromstring("<div><div><a href='x'><img></a>\n  </div><p>正文</p></div>")
    tight = html.fromstring("<div><div><a href='x'><img></a></div><p>正文</p></div>")
    assert build_blocks(spaced)[0].anchors == ()
    assert [a.get("href") for a in build_blocks(tight)[0].anchors] == ["x"]


def test_inline_root_and_inline_text():
    span = html.fromstring("<span>\n  <a href='x'>链接</a> 文字</span>")
    (block,) = build_blocks(span)
    assert (block.text, block.chars, block.link_chars) == ("链接 文字", 4, 2)
    assert fields(build_blocks(span)) == reference(span)


SPACES = [chr(c) for c in range(0x3100) if chr(c).isspace()] + ["\u200b", "\ufeff", "a", "科", "，"]


@given(st.text(st.one_of(st.sampled_from(SPACES), st.sampled_from("ab科，")), max_size=12))
@settings(max_examples=500, deadline=None)
def test_clean_space_squashes_the_runs_of_ws(text):
    assert _clean_space(text) == _WS.sub(" ", text).strip()


def test_clean_space_on_each_space_between_words():
    for space in SPACES:
        for text in (f"a{space}b", f"科{space}\n 技", f"{space}a  b{space}"):
            assert _clean_space(text) == _WS.sub(" ", text).strip(), repr(text)
