"""cleaners.parse's two ways in: the decoded text (encoded again for libxml2) and, for a page
whose bytes are its text in UTF-8, those bytes as they are. Both must hand libxml2 the same
bytes, including where the early </body></html> removal and the control characters apply,
and the byte pattern must know every character that \\s matches in the text pattern. Giant
tags are defused where they are, exactly as the regex over the whole page would."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from cleaners import encoding
from cleaners.parse import _GIANT_TAG, UNICODE_SPACES, defuse_giant_tags, parse_html, parser_input

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_the_utf8_pattern_knows_every_space_of_the_text_pattern():
    spaces = {c for c in map(chr, range(sys.maxunicode + 1)) if re.match(r"\s", c)}
    assert spaces == set(UNICODE_SPACES)


@pytest.mark.parametrize("page", [
    "<html><body><p>一</p></body></html><p>二</p></body></html>",
    "<p>一</p></ BODY\u3000\u2003><p>二</p></html\u00a0\n>",   # wide and no-break spaces inside the tags
    "<p>一</p></bodyx><p>二</p></\u200bbody>",                   # not a closing tag: kept (\u200b is no space)
    "<p>控制\x00字符\x1f与\x7f</p></body></html>尾",
    "<p>名称</p>\u3000</body>\n\r\n</html>\ufffd",
])
def test_text_and_utf8_bytes_give_the_same_parser_input(page):
    assert parser_input(page, utf8=page.encode("utf-8")) == parser_input(page)


def test_decode_hands_over_the_bytes_only_when_they_are_the_text():
    utf8 = "<p>科技</p>".encode("utf-8")
    assert encoding.decode(utf8).utf8 is utf8
    assert encoding.decode(b"<p>ascii</p>").utf8 == b"<p>ascii</p>"
    assert encoding.decode(b"\xef\xbb\xbf" + utf8).utf8 is None          # the BOM is not in the text
    assert encoding.decode("<p>科技</p>".encode("gb18030"), "text/html; charset=gbk").utf8 is None
    assert encoding.decode(utf8[:-2] + b"\xff\xfe" + utf8[-2:]).utf8 is None   # replacements


def test_fixture_pages_parse_the_same_both_ways():
    pages = sorted(FIXTURES.rglob("*.htm*"))
    assert pages
    same = 0
    for path in pages:
        decoded = encoding.decode(path.read_bytes())
        if decoded.utf8 is None:
            continue
        assert parser_input(decoded.text, decoded.utf8) == parser_input(decoded.text), path
        a, b = parse_html(decoded.text), parse_html(decoded.text, decoded.utf8)
        assert etree.tostring(a, encoding="unicode") == etree.tostring(b, encoding="unicode"), path
        same += 1
    assert same >= 10


# Pieces of a page around giant tags: a run longer than _GIANT (20,000 bytes) between two
# delimiters, inside a tag, in text, at the start or the end, one byte short of the bound.
_RUN = st.sampled_from([0, 1, 9_999, 10_000, 19_998, 20_000, 20_001, 31_000])
_PIECE = st.one_of(
    st.sampled_from([b"<p>", b"</p>", b"<", b">", b"<a href='x'>", b"<!-- c -->", b"<x:y z", b"<9 ", b"< "]),
    st.builds(lambda name, sep, n, end: b"<" + name + sep + b"a" * n + end,
              st.sampled_from([b"img", b"div", b"x" * 31, b"x" * 32, b"a-b:c_1"]), st.sampled_from([b" ", b"\n", b"", b"="]),
              _RUN, st.sampled_from([b">", b"", b"<"])),
    st.builds(lambda n: b"t" * n, _RUN),
)


@given(st.lists(_PIECE, max_size=8))
@settings(max_examples=300, deadline=None)
def test_giant_tags_are_defused_exactly_as_the_regex_over_the_whole_page_would(pieces):
    data = b"".join(pieces)
    assert defuse_giant_tags(data) == _GIANT_TAG.sub(rb"<\1>", data)
