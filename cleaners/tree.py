"""Small questions about lxml elements that several cleaning stages ask."""
from __future__ import annotations

import functools
import re

from lxml import etree

from cleaners.selectors import NEGATIVE_TOKENS, NEGATIVE_WORDS, POSITIVE_TOKENS

_TOKEN_SPLIT = re.compile(r"[\s_-]+")
_LEAD_LETTERS = re.compile(r"[a-z]+(?=\d)")


def text_of(el) -> str:
    """All the text inside ``el``, its tail left out: what lxml.html's ``text_content()`` gives,
    serialised in C instead of through an XPath evaluation (0.7 µs a call against 1.0; the
    stages ask for it a couple of hundred times a page).

    >>> from lxml import html
    >>> page = html.fromstring("<div>a<p>b<!-- c --><b>d</b></p>e</div>")
    >>> text_of(page), text_of(page[0]) == page[0].text_content()
    ('abde', True)
    """
    if el.tag.__class__ is not str:         # a comment or a processing instruction: its own text
        return el.text_content()
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


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


def still_in(elements: list, root) -> list:
    """Those of ``elements`` that are still in ``root``'s tree (pruning removed the others),
    in their order: a list made before the tree changed, without walking the tree again.

    >>> from lxml import html
    >>> page = html.fromstring("<div><p>a</p><p>b</p></div>")
    >>> first, second = page
    >>> second.drop_tree()
    >>> [el.text for el in still_in([first, second], page)]
    ['a']
    """
    return [el for el in elements if within(el, root)]


def class_tokens(el) -> str:
    """The element's class and id, as one string for token patterns.

    >>> from lxml import html
    >>> class_tokens(html.fromstring('<div class="news-con" id="zoom">x</div>'))
    'news-con zoom'
    >>> [class_tokens(html.fromstring(f"<p {a}>x</p>")) for a in ('class=" nav "', 'id=" z"', "class=''", "")]
    ['nav', 'z', '', '']
    """
    cls, ident = el.get("class"), el.get("id")
    if ident is None:                   # (most elements: a class or nothing)
        return cls.strip() if cls else ""
    return f"{cls or ''} {ident}".strip()


# Class/id strings repeat within a page and across a site's pages; the verdicts of those up
# to _KEPT_TOKENS_MAX characters are kept (the chrome test asks them for every ancestor of
# every text block), a bounded number of them.
_KEPT_TOKENS_MAX = 200
_KEPT_VERDICTS = 8192


def furniture_tokens(tokens: str) -> bool:
    """Do the class/id tokens name page furniture (NEGATIVE_TOKENS: nav, footer, share …)?
    Whole tokens, looked up in a set; a word may run on into digits (nav2, top10).

    >>> furniture_tokens("main-nav clearfix"), furniture_tokens("top10"), furniture_tokens("navigator")
    (True, True, False)
    """
    if len(tokens) > _KEPT_TOKENS_MAX:
        return _furniture_words(tokens)
    return _kept_furniture_words(tokens)


def _furniture_words(tokens: str) -> bool:
    low = tokens.lower()
    for token in _TOKEN_SPLIT.split(low):
        if token in NEGATIVE_WORDS:
            return True
        lead = _LEAD_LETTERS.match(token)
        if lead and lead.group() in NEGATIVE_WORDS:
            return True
    return "notice-bar" in low and bool(NEGATIVE_TOKENS.search(low))


def article_tokens(tokens: str) -> bool:
    """Do the class/id tokens name an article container (POSITIVE_TOKENS: content, TRS_Editor …)?

    >>> article_tokens("TRS_Editor"), article_tokens("sidebar")
    (True, False)
    """
    if len(tokens) > _KEPT_TOKENS_MAX:
        return _article_words(tokens)
    return _kept_article_words(tokens)


def _article_words(tokens: str) -> bool:
    return bool(POSITIVE_TOKENS.search(tokens.lower()))


_kept_furniture_words = functools.lru_cache(maxsize=_KEPT_VERDICTS)(_furniture_words)
_kept_article_words = functools.lru_cache(maxsize=_KEPT_VERDICTS)(_article_words)
