"""clean() against a generated corpus of bad inputs and property-based inputs (issue 4 §2).

- ``test_generated_corpus``: ≥ 200 inputs built at test time from a fixed seed and the
  pages in fixtures/pages/ (tests/support/badcorpus.py: truncations, splices, binary, NUL bytes,
  invalid UTF-8, charset lies, 100k-deep nesting, 10 MB pages, giant and countless
  attributes, unclosed comments/scripts, deep tables, tag soup …). Each page is cleaned
  in a worker process with a 10 s wall-clock limit; the test wants 0 crashes (exception or
  dead worker), 0 hangs (no record in time) and every record valid under the schema with
  a status and, when not ok, a reason.
- Hypothesis properties on arbitrary bytes and on HTML-ish text: clean() never raises,
  returns a valid record, never keeps U+FFFD in the text of a page that is valid UTF-8,
  and finishes each example within a time limit (signal.alarm guard: a hang fails the
  example instead of stalling the run). Examples are derandomized: the same every run.
"""
from __future__ import annotations

import signal
import time

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.support import badcorpus

EXAMPLE_TIME_LIMIT = 5          # seconds per hypothesis example (inputs are small)
HYPOTHESIS_EXAMPLES = 300       # per property
COUNTS = {"examples": 0, "hangs": 0, "crashes": 0}


# ------------------------------------------------------------------------------------------
# The generated corpus
# ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus_result():
    return badcorpus.run_corpus()


def test_corpus_is_big_and_deterministic():
    a, b = badcorpus.corpus(), badcorpus.corpus()
    assert len(a) >= 200
    assert [(c.name, c.raw) for c in a] == [(c.name, c.raw) for c in b]
    kinds = {c.name.split("/")[0] for c in a}
    assert {"truncated", "binary", "nul", "invalid-utf8", "charset-lie", "deep", "big", "attr", "unclosed",
            "soup"} <= kinds
    assert any(len(c.raw) >= 10 * 1024 * 1024 for c in a)


@pytest.mark.timeout(600)
def test_generated_corpus_no_crash(corpus_result):
    assert corpus_result.tried >= 200
    assert not corpus_result.crashes, corpus_result.summary()


@pytest.mark.timeout(600)
def test_generated_corpus_no_hang(corpus_result):
    assert not corpus_result.hangs, corpus_result.summary()


@pytest.mark.timeout(600)
def test_generated_corpus_every_record_valid(corpus_result):
    """Every input that came back has a schema-valid record with a status, and a reason when not ok."""
    assert not corpus_result.violations, corpus_result.summary()
    finished = [o for o in corpus_result.outcomes if o.kind == "ok"]
    assert all(o.status in badcorpus.STATUSES for o in finished)
    assert len(finished) == corpus_result.tried - len(corpus_result.hangs) - len(corpus_result.crashes)


# ------------------------------------------------------------------------------------------
# Property-based
# ------------------------------------------------------------------------------------------
class _Hang(Exception):
    pass


def _alarm(signum, frame):
    raise _Hang(f"clean() took more than {EXAMPLE_TIME_LIMIT}s")


def guarded_clean(raw: bytes, **kw) -> dict:
    """clean() under a SIGALRM time limit; counts examples, hangs and crashes."""
    from cleaners import clean
    COUNTS["examples"] += 1
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(EXAMPLE_TIME_LIMIT)
    try:
        return clean(raw, **kw)
    except _Hang:
        COUNTS["hangs"] += 1
        raise
    except BaseException:
        COUNTS["crashes"] += 1
        raise
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def check(record: dict, raw: bytes) -> None:
    problems = badcorpus.contract_problems(record)
    assert not problems, (problems, record.get("status"), record.get("reason"))
    if _is_utf8(raw) and "\ufffd" not in raw.decode("utf-8"):
        assert "\ufffd" not in record["text"]


TAGS = ["html", "head", "body", "title", "meta", "div", "p", "span", "a", "h1", "table", "tr", "td", "ul", "li",
        "script", "style", "br", "img", "font", "center", "iframe", "form", "textarea", "!--", "![CDATA["]
ATTRS = ["class", "id", "href", "src", "name", "content", "charset", "http-equiv", "style"]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
CJK = st.text(alphabet=st.sampled_from(list("科技创新政策通知发布时间来源作者责任编辑年月日，。：、“”（）0123456789")),
              min_size=1, max_size=60)


@st.composite
def htmlish(draw) -> bytes:
    parts = []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.integers(0, 5))
        tag = draw(st.sampled_from(TAGS))
        if kind == 0:
            attrs = "".join(f' {draw(st.sampled_from(ATTRS))}="{draw(TEXT)}"'
                            for _ in range(draw(st.integers(0, 3))))
            parts.append(f"<{tag}{attrs}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        elif kind in (2, 3):
            parts.append(draw(CJK))
        elif kind == 4:
            parts.append(draw(TEXT))
        else:
            parts.append(draw(st.sampled_from(["<meta charset=gbk>", "<meta charset=utf-8>", "发布时间：2023-02-21",
                                               "来源：科技局", "&nbsp;", "&#0;", "<!--", "-->", "<p>", "\x00"])))
    text = "".join(parts)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "gb18030", "utf-16"]))
    return text.encode(encoding, "surrogatepass") if encoding == "utf-8" else text.encode(encoding, "replace")


HEADERS = st.one_of(st.none(), st.fixed_dictionaries({"Content-Type": st.sampled_from(
    ["text/html", "text/html; charset=utf-8", "text/html; charset=gbk", "text/html; charset=big5",
     "text/html; charset=x-bogus", "application/octet-stream", "text/plain; charset=utf-16"])}))

SETTINGS = settings(max_examples=HYPOTHESIS_EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.timeout(300)
@SETTINGS
@given(raw=st.binary(max_size=4096), headers=HEADERS)
def test_clean_any_bytes(raw, headers):
    check(guarded_clean(raw, headers=headers, url=badcorpus.URL), raw)


@pytest.mark.timeout(300)
@SETTINGS
@given(raw=htmlish(), headers=HEADERS)
def test_clean_htmlish(raw, headers):
    check(guarded_clean(raw, headers=headers, url=badcorpus.URL), raw)


@pytest.mark.timeout(300)
@SETTINGS
@given(body=st.lists(CJK, min_size=1, max_size=8), junk=st.binary(max_size=64), cut=st.integers(0, 10_000))
def test_clean_article_with_junk(body, junk, cut):
    """A real-looking UTF-8 article with junk bytes spliced in and a random cut."""
    html = badcorpus._article("".join(f"<p>{p}{badcorpus.PARA}</p>" for p in body)).encode("utf-8")
    pos = cut % (len(html) + 1)
    raw = html[:pos] + junk + html[pos:]
    check(guarded_clean(raw, url=badcorpus.URL), raw)
