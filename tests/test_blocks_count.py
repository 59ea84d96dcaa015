"""cleaners.blocks.meaningful_chars against a plain character-by-character definition."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.blocks import meaningful_chars


def reference(text: str) -> int:
    """Each CJK character counts one; each run of ASCII letters/digits counts one."""
    count, in_run = 0, False
    for ch in text:
        if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff":
            count, in_run = count + 1, False
        elif ch.isascii() and ch.isalnum():
            count, in_run = count + (not in_run), True
        else:
            in_run = False
    return count


ALPHABET = st.sampled_from(list("科技创新局。，、 \n\t2023AIgdpＡ１①é\u3400\u9fff\uf900\ufaff\u33ff\ua000-_/"))


@given(st.text(ALPHABET, max_size=200))
@settings(max_examples=500, deadline=None)
def test_matches_the_plain_definition(text):
    assert meaningful_chars(text) == reference(text)


def test_examples():
    assert meaningful_chars("2023年科技工作会议 AI") == 9
    assert meaningful_chars("") == meaningful_chars("，。 ") == 0
    assert meaningful_chars("GDP增长5.2%") == 5      # GDP, 增, 长, 5, 2
