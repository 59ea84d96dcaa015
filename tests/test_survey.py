"""cleaners.survey.survey against a plain definition of each of its lists, element by element."""
from __future__ import annotations

from contextlib import contextmanager

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree, html

from cleaners.selectors import DROP_TAGS
from cleaners import survey as survey_module
from cleaners.survey import HEADING_TAGS, MAX_HEADINGS, MAX_KEPT, SURVEY_TAGS, survey


def reference(tree):
    elements = list(tree.iter(etree.Element))

    def titled(el):
        cls, ident = el.get("class") or "", el.get("id") or ""
        return any(word in cls for word in ("itle", "headline", "biaoti")) or "itle" in ident

    return {
        "headings": [el for el in elements if el.tag in HEADING_TAGS or titled(el)][:MAX_HEADINGS],
        "hidden": [el for el in elements if el.get("style") is not None or el.get("hidden") is not None],
        "tags": {tag: [el for el in elements if el.tag == tag] for tag in SURVEY_TAGS},
        "dropped": [el for el in elements if el.tag in DROP_TAGS],
    }


ATTRS = st.sampled_from(["", " class='x'", " class='art-title'", " id='subtitle'", " class='a' id='headline'",
                         " style='display:none'", " hidden", " class='biaoti' style='x'", " id='t' class='TITLE'",
                         " data-x='1'"])
TAGS = st.sampled_from(["div", "p", "h1", "h3", "h5", "span", "script", "style", "input", "meta", "time", "a"])
ELEMENT = st.builds(lambda tag, attrs: f"<{tag}{attrs}>x</{tag}>", TAGS, ATTRS)


@given(st.lists(ELEMENT, max_size=80), st.sampled_from([0, 3, 40, MAX_KEPT]))
@settings(max_examples=200, deadline=None)
def test_same_lists_as_the_plain_definition(parts, kept):
    """Past the kept elements (the first MAX_KEPT) the walk goes on: every list is whole."""
    tree = html.document_fromstring("<html><head><title>t</title></head><body>" + "".join(parts) + "</body></html>")
    with _max_kept(kept):
        found = survey(tree)
    assert {"headings": found.headings, "hidden": found.hidden, "tags": found.tags,
            "dropped": found.dropped} == reference(tree)
    assert found.kept == list(tree.iter(etree.Element))[:kept]


@contextmanager
def _max_kept(n):
    saved, survey_module.MAX_KEPT = survey_module.MAX_KEPT, n
    try:
        yield
    finally:
        survey_module.MAX_KEPT = saved
