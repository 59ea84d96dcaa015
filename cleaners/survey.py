"""One walk over the parsed page, before anything is pruned, that collects the elements two
later stages look for, so that neither walks the whole tree again (a walk in Python costs
about as much as the stage's own work):

- heading candidates for the headline (cleaners.titles): h1–h4 and elements whose class
  or id says title (``*title*``, ``headline``, ``biaoti``), the first MAX_HEADINGS;
- elements that may be hidden (cleaners.prune): those with a ``hidden`` or ``style``
  attribute. Prune runs later and drops the DROP_TAGS first: an element it removed has no
  parent any more, and one inside a removed element is dropped from a detached subtree, so
  the list serves as if it had been collected after that step.

The attribute tests run in Python: an XPath union of the heading tests was five walks,
and libxml2's predicate test on every element (``//*[@hidden or @style]``) is slower than
these lookups.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4"))
MAX_HEADINGS = 60


@dataclass
class Survey:
    headings: list = field(default_factory=list)   # heading candidates, document order
    hidden: list = field(default_factory=list)     # elements with a hidden or style attribute, document order


def survey(tree) -> Survey:
    """The heading candidates and the possibly hidden elements of ``tree``, in one walk.

    >>> from lxml import html
    >>> page = html.fromstring("<div><h2 style='x'>a</h2><p class='art-Title'>b</p>"
    ...                        "<span id='subtitle' hidden>c</span><b>d</b></div>")
    >>> found = survey(page)
    >>> [el.text for el in found.headings], [el.text for el in found.hidden]
    (['a', 'b', 'c'], ['a', 'c'])
    """
    found = Survey()
    headings, hidden = found.headings, found.hidden
    for el in tree.iter(etree.Element):
        keys = el.keys()              # one list of names: cheaper than an attrib proxy per element
        if el.tag in HEADING_TAGS:
            if len(headings) < MAX_HEADINGS:
                headings.append(el)
        elif not keys:
            continue
        elif len(headings) < MAX_HEADINGS and ("class" in keys or "id" in keys):
            cls, ident = el.get("class"), el.get("id")
            if cls is not None and ("itle" in cls or "headline" in cls or "biaoti" in cls) or \
                    ident is not None and "itle" in ident:
                headings.append(el)
        if "style" in keys or "hidden" in keys:
            hidden.append(el)
    return found
