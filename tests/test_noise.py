"""Fixture pages (fixtures/pages/*.html) through clean(): article in, noise out, fields right.

Every page reproduces noise seen on real government / portal pages (see the ``about`` of
each NAME.expect.json and ../shared/reference/noisy-text/README.md). Expectations are what
a reader wants from the page; see tests/support/pagecases.py for the sidecar format.
"""
from __future__ import annotations

import json
import re
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest

from tests.support import pagecases
from tests.support.pagecases import lines, squeeze

CASES = pagecases.load_cases()
IDS = [c.name for c in CASES]
SCHEMA = Path(__file__).resolve().parents[1] / "cleaners" / "schema" / "record.schema.json"

TEXT_FIELDS = ("source", "author", "editor", "site_name", "column")
ENCODING_FAMILIES = {
    "utf-8": {"utf-8", "utf8", "utf_8", "utf-8-sig", "utf_8_sig"},
    "gb18030": {"gb18030", "gbk", "cp936", "gb18030-2000", "gb18030-2005", "gb18030-2022"},
    "gbk": {"gb18030", "gbk", "cp936"},
    "big5": {"big5", "big5hkscs", "big5-hkscs", "cp950"},
}

# A CJK character followed by a parenthesised syllable with a tone mark: a pinyin annotation.
PINYIN = re.compile(
    r"[\u4e00-\u9fff][(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü' ]*[)）]")
# Half-width sentence punctuation between two Chinese characters: full-width was lost.
HALF_WIDTH_PUNCT = re.compile(r"[\u4e00-\u9fff][,;:?!][\u4e00-\u9fff]")
LEFTOVER_MARKUP = re.compile(r"</?(?:p|div|span|a|img|br|td|tr|table|script|style)\b|&(?:nbsp|amp|lt|gt|quot);", re.I)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _traditional_only() -> frozenset[str]:
    """Common traditional characters that are not valid simplified characters."""
    import opencc
    t2s = opencc.OpenCC("t2s")
    candidates = ("們這個會來時為爲說國發進與經業創設術學體產實現對開關點記長門問題區過動還讓機應務據資書導"
                  "貢質輪驅蘭萬歲華東車馬鳥魚龍億雙報專將從傳總級組織線紅約給統續網絡藝護視覽親計認識語調"
                  "談請讀變場壓塊堅處嚴廣聯闆閉間陽際隊隨險離難電鄉縣廳廈門項類獎勵屆優環戰轉權監構領構陸"
                  "衛濟參與勞務災熱營樣極標檢測驗齊歷屆號舉辦氣漢灣滬錢鐵銀陳張劉楊趙黃吳鄭謝韓馮葉蘇盧蔣")
    out = set()
    for ch in candidates:
        if t2s.convert(ch) == ch:
            continue
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            out.add(ch)
    return frozenset(out)


TRADITIONAL_ONLY = _traditional_only()


def _t2s(text: str) -> str:
    import opencc
    return opencc.OpenCC("t2s").convert(text)


@pytest.fixture(scope="module")
def clean_fn():
    from cleaners import clean  # imported here so that a broken cleaner fails tests, not collection
    return clean


@pytest.fixture
def rec(request, clean_fn):
    case = request.param
    record, _ = pagecases.cleaned(case, clean_fn)
    assert isinstance(record, dict), f"clean() returned {type(record).__name__}"
    return case, record


def page_params(pred=lambda case: True):
    return pytest.mark.parametrize("rec", [c for c in CASES if pred(c)],
                                   ids=[c.name for c in CASES if pred(c)], indirect=True)


def field_params(*, contain: bool = False):
    params, ids = [], []
    for case in CASES:
        source = case.expect.get("fields_contain" if contain else "fields", {})
        for name in (source if contain else TEXT_FIELDS):
            if name in source:
                params.append((case, name))
                ids.append(f"{case.name}-{name}")
    return pytest.mark.parametrize("case, field", params, ids=ids)


# ---------------------------------------------------------------------------------------
# The fixtures themselves
# ---------------------------------------------------------------------------------------
def test_enough_pages_with_expectations():
    assert len(CASES) >= 8
    for case in CASES:
        assert case.expect, f"{case.name}.html has no {case.name}.expect.json"
        for key in ("url", "status", "paragraphs", "must_contain", "must_not_contain", "fields",
                    "script", "encoding_used"):
            assert key in case.expect, f"{case.name}.expect.json lacks {key!r}"
        for key in ("title", "published_at", "attachments", "images"):
            assert key in case.expect["fields"], f"{case.name}.expect.json fields lack {key!r}"


def _page_text(case) -> str:
    """The page's text as a browser would show it (decoded, tags dropped), white space
    removed; for converted pages also with pinyin dropped and converted to simplified."""
    import lxml.html
    enc = {"utf-8": "utf-8-sig", "gb18030": "gb18030", "big5": "big5"}[case.expect["encoding_used"]]
    tree = lxml.html.document_fromstring(case.raw.decode(enc))
    page = tree.text_content() + "\n" + "\n".join(  # placeholder=, value=, alt=, title= are visible too
        v for el in tree.iter() if isinstance(el.tag, str) for k, v in el.attrib.items()
        if k in ("placeholder", "value", "alt", "title"))
    if case.expect["script"]["converted"]:
        page = page + "\n" + _t2s(re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", "", page))
    return squeeze(page)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_expectations_come_from_the_page(case):
    """The expectations are consistent with the page, so that a failure is the cleaner's
    fault and not a typo: every article snippet is in the page, every noise string is in
    the page too, and no noise string is part of an article snippet."""
    page = _page_text(case)
    markup = squeeze(case.raw.decode(case.expect["encoding_used"].replace("utf-8", "utf-8-sig")))
    article = [squeeze(s) for s in case.expect["must_contain"] + case.expect["paragraphs"]]
    for snippet in article:
        assert snippet in page.replace("〞", "”"), f"article snippet not in the page: {snippet!r}"
    for noise in case.expect["must_not_contain"] + case.expect.get("must_not_line", []):
        assert squeeze(noise) in page or squeeze(noise) in markup, f"noise string not in the page: {noise!r}"
        inside = [a for a in article if squeeze(noise) in a]
        assert not inside, f"noise string {noise!r} is part of article snippet {inside[0][:40]!r}"


# ---------------------------------------------------------------------------------------
# Status and text
# ---------------------------------------------------------------------------------------
@pytest.mark.timeout(20)
@page_params()
def test_status(rec):
    case, record = rec
    _, seconds = pagecases.cleaned(case, None)
    assert record.get("status") == case.expect["status"], f"status {record.get('status')!r}, reason {record.get('reason')!r}"
    if case.expect["status"] == "ok":
        assert record.get("reason") in (None, ""), record.get("reason")
    assert seconds < 10, f"clean() took {seconds:.1f}s"


@pytest.mark.timeout(20)
@page_params()
def test_schema_keys(rec):
    _, record = rec
    required = json.loads(SCHEMA.read_text("utf-8"))["required"]
    missing = [k for k in required if k not in record]
    assert not missing, f"record lacks {missing}"


@pytest.mark.timeout(20)
@page_params()
def test_article_snippets_kept(rec):
    case, record = rec
    text = "\n".join(lines(record.get("text", "")))
    missing = [s for s in case.expect["must_contain"] + case.expect.get("once", []) if squeeze(s) not in text]
    assert not missing, "article text lost:\n  " + "\n  ".join(missing)


@pytest.mark.timeout(20)
@page_params()
def test_paragraphs_are_whole_lines(rec):
    case, record = rec
    got = lines(record.get("text", ""))
    assert len(got) > 1, f"text is not split into paragraphs ({len(got)} line)"
    missing = [p for p in case.expect["paragraphs"] if squeeze(p) not in got]
    assert not missing, "not found as a line of its own:\n  " + "\n  ".join(missing)


@pytest.mark.timeout(20)
@page_params()
def test_noise_removed(rec):
    case, record = rec
    text = "\n".join(lines(record.get("text", "")))
    leaked = [s for s in case.expect["must_not_contain"] if squeeze(s) in text]
    assert not leaked, "noise in text: " + " | ".join(leaked)


@pytest.mark.timeout(20)
@page_params(lambda c: c.expect.get("must_not_line"))
def test_noise_lines_removed(rec):
    case, record = rec
    got = lines(record.get("text", ""))
    leaked = [s for s in case.expect["must_not_line"] if squeeze(s) in got]
    assert not leaked, f"bare noise lines in text: {leaked}"


@pytest.mark.timeout(20)
@page_params(lambda c: c.expect.get("once"))
def test_no_duplicated_summary(rec):
    case, record = rec
    text = "\n".join(lines(record.get("text", "")))
    counts = {s: text.count(squeeze(s)) for s in case.expect["once"]}
    assert all(n == 1 for n in counts.values()), f"occurrences: {counts}"


@pytest.mark.timeout(20)
@page_params()
def test_text_is_clean_unicode(rec):
    case, record = rec
    text = record.get("text", "")
    assert "\ufffd" not in text, f"U+FFFD in text ({text.count(chr(0xFFFD))}x): wrong decoding"
    assert "\ufffd" not in (record.get("title") or ""), "U+FFFD in title"
    assert not CONTROL.search(text), "control characters in text"
    assert not LEFTOVER_MARKUP.search(text), f"markup left in text: {LEFTOVER_MARKUP.search(text).group(0)!r}"
    assert unicodedata.is_normalized("NFC", text)


@pytest.mark.timeout(20)
@page_params()
def test_text_is_simplified(rec):
    _, record = rec
    trad = sorted({ch for ch in record.get("text", "") if ch in TRADITIONAL_ONLY})
    assert not trad, f"traditional characters left: {''.join(trad)}"
    trad_title = sorted({ch for ch in record.get("title") or "" if ch in TRADITIONAL_ONLY})
    assert not trad_title, f"traditional characters in title: {''.join(trad_title)}"


@pytest.mark.timeout(20)
@page_params()
def test_no_pinyin_annotations(rec):
    _, record = rec
    for key in ("text", "title"):
        found = PINYIN.findall(record.get(key) or "")
        assert not found, f"pinyin left in {key}: {found[:5]}"


@pytest.mark.timeout(20)
@page_params()
def test_full_width_punctuation_kept(rec):
    _, record = rec
    text = record.get("text", "")
    assert "，" in text and "。" in text, "full-width ，。 missing"
    bad = HALF_WIDTH_PUNCT.findall(text)
    assert not bad, f"half-width punctuation between Chinese characters: {bad[:5]}"


# ---------------------------------------------------------------------------------------
# Fields
# ---------------------------------------------------------------------------------------
@pytest.mark.timeout(20)
@page_params()
def test_title(rec):
    case, record = rec
    assert (record.get("title") or "").strip() == case.expect["fields"]["title"]


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@pytest.mark.timeout(20)
@page_params()
def test_published_at(rec):
    case, record = rec
    want = case.expect["fields"]["published_at"]
    got = record.get("published_at")
    assert got, "published_at missing"
    if len(want) == 10:                      # a day: the record may add any time of that day
        assert got[:10] == want, f"published_at {got!r}, want day {want}"
        assert got[10:11] in ("", "T"), f"published_at {got!r} is not ISO 8601"
    else:
        parsed = _parse(got)
        assert parsed.tzinfo is not None, f"published_at {got!r} has no UTC offset"
        assert parsed == _parse(want), f"published_at {got!r}, want {want}"


@pytest.mark.timeout(20)
@field_params()
def test_field(case, field, clean_fn):
    record, _ = pagecases.cleaned(case, clean_fn)
    want = case.expect["fields"][field]
    got = record.get(field)
    if want is None:
        assert not got, f"{field} should be empty, got {got!r}"
    else:
        assert (got or "").strip() == want, f"{field} {got!r}, want {want!r}"


@pytest.mark.timeout(20)
@field_params(contain=True)
def test_field_contains(case, field, clean_fn):
    record, _ = pagecases.cleaned(case, clean_fn)
    want = case.expect["fields_contain"][field]
    assert want in (record.get(field) or ""), f"{field} {record.get(field)!r} should contain {want!r}"


@pytest.mark.timeout(20)
@page_params(lambda c: c.expect["fields"].get("keywords"))
def test_keywords(rec):
    case, record = rec
    got = record.get("keywords") or []
    missing = [k for k in case.expect["fields"]["keywords"] if k not in got]
    assert not missing, f"keywords {got!r} lack {missing}"


@pytest.mark.timeout(20)
@page_params()
def test_attachments(rec):
    case, record = rec
    want = case.expect["fields"]["attachments"]
    got = record.get("attachments") or []
    names = [_t2s(a.get("name") or "") for a in got]
    assert len(got) == len(want), f"{len(got)} attachments {names}, want {len(want)} {want}"
    missing = [w for w in want if not any(w in n for n in names)]
    assert not missing, f"attachments {names} lack {missing}"
    for a in got:
        assert re.match(r"https?://", a.get("url") or ""), f"attachment url not absolute: {a!r}"


@pytest.mark.timeout(20)
@page_params()
def test_images(rec):
    case, record = rec
    want = case.expect["fields"]["images"]
    got = record.get("images") or []
    srcs = [i.get("src") for i in got]
    assert len(got) == want, f"{len(got)} images {srcs}, want {want} content images"
    captions = [_t2s(i.get("caption") or "") for i in got]
    missing = [c for c in case.expect["fields"].get("image_captions", []) if not any(c in x for x in captions)]
    assert not missing, f"captions {captions} lack {missing}"
    for src in srcs:
        assert re.match(r"https?://", src or ""), f"image src not absolute: {src!r}"


@pytest.mark.timeout(20)
@page_params()
def test_script(rec):
    case, record = rec
    script = record.get("script") or {}
    want = case.expect["script"]
    got = {"detected": script.get("detected"), "converted": script.get("converted")}
    assert got == want


@pytest.mark.timeout(20)
@page_params()
def test_encoding(rec):
    case, record = rec
    used = ((record.get("encoding") or {}).get("used") or "").lower().replace("_", "-")
    family = ENCODING_FAMILIES[case.expect["encoding_used"]]
    assert used in {f.replace("_", "-") for f in family}, \
        f"encoding used {used!r}, want {case.expect['encoding_used']} ({record.get('encoding')})"
