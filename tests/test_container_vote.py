"""The container vote's bookkeeping (cleaners.extract._Holders, _ChromeCache) against plain
definitions: the holders are every block owner and its ancestors, children before parents;
an element is inside chrome when it or an ancestor is chrome."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html

from cleaners.blocks import build_blocks
from cleaners.extract import _ChromeCache, _Holders, _text_chars

CLASSES = st.sampled_from(["", " class='nav'", " class='content'", " class='footer'", " id='share'",
                           " class='article-content nav'", " class='x'"])
TAGS = st.sampled_from(["div", "p", "span", "footer", "nav", "li", "ul", "a", "td", "table", "tr"])
FRAGMENTS = st.recursive(
    st.sampled_from(["", "科技创新，发展。", "链接", "abc"]),
    lambda inner: st.builds(lambda tag, attrs, parts: f"<{tag}{attrs}>{''.join(parts)}</{tag}>",
                            TAGS, CLASSES, st.lists(inner, max_size=4)),
    max_leaves=25)


def page(parts):
    body = html.document_fromstring("<html><body>" + "".join(parts) + "</body></html>").find("body")
    return body, build_blocks(body)


def plain_order(blocks):
    """Each block's owner and ancestors not met before, top down, in block order; then a
    stable sort by depth, deepest first."""
    found = []
    for block in blocks:
        chain = [block.owner, *block.owner.iterancestors()][::-1]
        found.extend(el for el in chain if el not in found)
    return sorted(found, key=lambda el: len(list(el.iterancestors())), reverse=True)


@given(st.lists(FRAGMENTS, min_size=1, max_size=5))
@settings(max_examples=200, deadline=None)
def test_holders_and_chrome_answers(parts):
    body, blocks = page(parts)
    if not blocks:
        return
    holders = _Holders(blocks)
    assert holders.order == plain_order(blocks)
    assert all(holders.parent[el] is el.getparent() for el in holders.order)
    text_chars = _text_chars(blocks, holders)
    chrome = _ChromeCache(text_chars.get(body, 0), text_chars, holders)
    for el in holders.order:
        chain = [el, *el.iterancestors()]
        own = [chrome.own(node, chrome.tokens_of[node]) for node in chain]
        assert chrome.inside(el) == any(own)
        stop = el.getparent()
        if stop is not None:
            fresh = _ChromeCache(text_chars.get(body, 0), text_chars, holders)
            assert fresh.inside(el, stop=stop) == own[0]
