"""One walk over the parsed page, before anything is pruned, that collects the elements two
later stages look for, so that neither walks the whole tree again (a walk in Python costs
about as much as the stage's own work):

- heading candidates for the headline (cleaners.titles): h1–h4 and elements whose class
  or id says title (``*title*``, ``headline``, ``biaoti``), the first MAX_HEADINGS;
- elements that may be hidden (cleaners.prune): those with a ``hidden`` or ``style``
  attribute. Prune runs later and drops the DROP_TAGS first: an element it removed has no
  parent any more, and one inside a removed element is dropped from a detached subtree, so
  the list serves as if it had been collected after that step;
- the elements of SURVEY_TAGS (meta, link, title, script, input, time) for the stages that
  read the page before prune changes it (cleaners.fields, cleaners.titles, cleaners.bylines,
  cleaners.parse.page_signals, prune's own script and <title> steps) and, minus what prune
  removed (cleaners.tree.still_in), for those after it (cleaners.dates, the meta tags of
  cleaners.documents); and the elements prune drops (DROP_TAGS): each ``tree.iter(tag)``
  walked the whole tree again.

The attribute tests run in Python: an XPath union of the heading tests was five walks,
and libxml2's predicate test on every element (``//*[@hidden or @style]``) is slower than
these lookups.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain, islice

from lxml import etree

from cleaners.selectors import DROP_TAGS

HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4"))
MAX_HEADINGS = 60
# The survey keeps the proxies of the page's first MAX_KEPT elements (a page has ~600, the
# longest of the evalset 7,800): while a proxy lives, lxml hands it out again at every later
# walk (blocks, dates, media) instead of making a new one, and its tag string is read once.
# 3% of clean()'s time; the bound keeps a 10 MB sheet of cells from holding a proxy a cell.
MAX_KEPT = 20_000
SURVEY_TAGS = ("meta", "link", "title", "script", "input", "time")
_DROP = frozenset(DROP_TAGS)
_WATCHED = _DROP | frozenset(SURVEY_TAGS)
_SPECIAL = _WATCHED | HEADING_TAGS


@dataclass
class Survey:
    headings: list = field(default_factory=list)   # heading candidates, document order
    hidden: list = field(default_factory=list)     # elements with a hidden or style attribute, document order
    tags: dict = field(default_factory=lambda: {tag: [] for tag in SURVEY_TAGS})   # tag → its elements, document order
    dropped: list = field(default_factory=list)    # elements of DROP_TAGS, document order
    kept: list = field(default_factory=list)       # the first MAX_KEPT elements, document order


def survey(tree) -> Survey:
    """The heading candidates, the possibly hidden elements, the SURVEY_TAGS elements and the
    DROP_TAGS elements of ``tree``, in one walk.

    >>> from lxml import html
    >>> page = html.fromstring("<div><h2 style='x'>a</h2><p class='art-Title'>b</p>"
    ...                        "<span id='subtitle' hidden>c</span><b>d</b></div>")
    >>> found = survey(page)
    >>> [el.text for el in found.headings], [el.text for el in found.hidden]
    (['a', 'b', 'c'], ['a', 'c'])
    >>> found = survey(html.fromstring("<html><head><title>t</title><meta name='a'></head><body></body></html>"))
    >>> [(tag, len(found.tags[tag])) for tag in SURVEY_TAGS]
    [('meta', 1), ('link', 0), ('title', 1), ('script', 0), ('input', 0), ('time', 0)]
    >>> [el.tag for el in survey(html.fromstring("<div><script></script><p><input><style></style></p></div>")).dropped]
    ['script', 'input', 'style']
    """
    found = Survey()
    headings, hidden, tags, dropped = found.headings, found.hidden, found.tags, found.dropped
    special, heading_tags, most = _SPECIAL, HEADING_TAGS, MAX_HEADINGS
    walk = tree.iter(etree.Element)
    found.kept = list(islice(walk, MAX_KEPT))      # (made in C)
    for el in chain(found.kept, walk):
        tag = el.tag
        keys = el.keys()              # one list of names: cheaper than an attrib proxy per element
        if tag in special:            # one set lookup for the common element
            if tag in tags:
                tags[tag].append(el)
            if tag in _DROP:
                dropped.append(el)
            if tag in heading_tags:
                if len(headings) < most:
                    headings.append(el)
                if keys and ("style" in keys or "hidden" in keys):
                    hidden.append(el)
                continue
        if not keys:
            continue
        if len(headings) < most:
            # an attribute is read only when the element has it: most have a class and no id
            cls = el.get("class") if "class" in keys else ""
            if "itle" in cls or "headline" in cls or "biaoti" in cls or "id" in keys and "itle" in el.get("id"):
                headings.append(el)
        if "style" in keys or "hidden" in keys:
            hidden.append(el)
    return found
