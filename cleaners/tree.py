"""Small questions about lxml elements that several cleaning stages ask."""
from __future__ import annotations


def within(el, ancestor, depth: int | None = None) -> bool:
    """Is ``el`` the ``ancestor`` or inside it (looking at most ``depth`` levels up)?

    >>> from lxml import html
    >>> page = html.fromstring("<div><p><b>x</b></p></div>")
    >>> b = page.find(".//b")
    >>> within(b, page), within(b, page, depth=1), within(page, b)
    (True, False, False)
    """
    node, steps = el, 0
    while node is not None:
        if node is ancestor:
            return True
        if depth is not None and steps >= depth:
            return False
        node, steps = node.getparent(), steps + 1
    return False


def class_tokens(el) -> str:
    """The element's class and id, as one string for token patterns.

    >>> from lxml import html
    >>> class_tokens(html.fromstring('<div class="news-con" id="zoom">x</div>'))
    'news-con zoom'
    """
    return f"{el.get('class', '')} {el.get('id', '')}".strip()
