"""cleaners/encoding.py and cleaners/charsets.py: BOM / header / meta / validity / detection,
lying declarations.

Run ``pytest tests/test_encoding.py -s`` to see the evalset summary (pages with
replacements, encodings used, mean decode time).
"""
from __future__ import annotations

import codecs
import csv
import random
import time
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners import encoding
from tests.support.paths import EVALSET

decode = encoding.decode
FFFD = "\ufffd"
SIMP = "鹤壁市召开2023年全市科技工作会议"
TRAD = "蘭州市科技局堅持科技創新"
INFO_KEYS = {"declared_http", "declared_meta", "bom", "detected", "used", "reason", "replacements"}


def page(text: str, meta: str | None = None) -> str:
    """A small article page; ``meta`` adds an http-equiv Content-Type declaration."""
    head = (f'<meta http-equiv="Content-Type" content="text/html; charset={meta}">'
            if meta else "")
    return (f"<!DOCTYPE html><html><head>{head}<title>{text}</title></head>"
            f"<body><h1>{text}</h1><p>{text}，{text}。</p><p>{text}</p></body></html>")


def encode(text: str, enc: str) -> bytes:
    if enc == "utf-16":   # with a BOM, as such pages are served
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    return text.encode(enc)


def ct(label: str) -> str:
    return f"text/html; charset={label}"


def assert_clean(d, expected: str) -> None:
    assert d.text == expected
    assert FFFD not in d.text
    assert d.info["replacements"] == 0
    assert set(d.info) == INFO_KEYS


# --- the encoding matrix -------------------------------------------------------------

TEXTS = {"utf-8": [SIMP, TRAD], "gb2312": [SIMP], "gbk": [SIMP, TRAD],
         "gb18030": [SIMP, TRAD], "big5": [TRAD], "utf-16": [SIMP, TRAD]}
USED = {"utf-8": {"utf-8"}, "gb2312": {"gb18030"}, "gbk": {"gb18030"}, "gb18030": {"gb18030"},
        "big5": {"big5hkscs", "cp950"}, "utf-16": {"utf-16-le"}}
LIE = {"utf-8": "gb2312", "utf-16": "gb2312"}   # the legacy encodings are lied about as utf-8
SCENARIOS = ["header", "none", "header_lie", "meta", "meta_lie", "header_lie_meta"]
MATRIX = [(enc, i, sc) for enc, texts in TEXTS.items() for i in range(len(texts))
          for sc in SCENARIOS]


def build(enc: str, text: str, scenario: str) -> tuple[bytes, str | None, str]:
    """(raw, content_type, expected text) for one matrix cell."""
    lie = LIE.get(enc, "utf-8")
    header, meta = {
        "header": (enc, None), "none": (None, None), "header_lie": (lie, None),
        "meta": (None, enc), "meta_lie": (None, lie), "header_lie_meta": (lie, enc),
    }[scenario]
    html = page(text, meta)
    return encode(html, enc), (ct(header) if header else None), html


@pytest.mark.parametrize("enc,idx,scenario", MATRIX,
                         ids=[f"{e}-{'simp' if TEXTS[e][i] == SIMP else 'trad'}-{s}"
                              for e, i, s in MATRIX])
def test_matrix(enc, idx, scenario):
    raw, content_type, expected = build(enc, TEXTS[enc][idx], scenario)
    d = decode(raw, content_type)
    assert_clean(d, expected)
    assert d.info["used"] in USED[enc]
    reason = d.info["reason"]
    if enc == "utf-16":
        assert reason == "bom" and d.info["bom"] == "utf-16-le"
        return
    if enc == "utf-8":
        assert reason == {
            "header": "http header", "meta": "meta", "none": "no declaration; bytes valid utf-8",
        }.get(scenario, "bytes valid utf-8 despite declared gb2312")
        return
    # legacy encodings
    if scenario == "header":
        assert reason == "http header"
    elif scenario == "meta":
        assert reason == "meta"
    elif scenario == "none":
        assert (reason.startswith(("fallback ", "chardet ", f"{d.info['used']} by common hanzi"))
                and d.info["used"] in reason)
    elif scenario in ("header_lie", "meta_lie"):
        assert reason.startswith("declared utf-8 invalid; ")
    else:
        assert reason == f"declared utf-8 invalid; meta {enc}"


# --- the lies named in the brief and NOTES.md ----------------------------------------

def test_utf8_bytes_declared_gb2312_in_meta():
    html = page(SIMP, "gb2312")
    d = decode(html.encode("utf-8"))
    assert_clean(d, html)
    assert d.info["used"] == "utf-8"
    assert d.info["declared_meta"] == "gb2312"
    assert d.info["reason"] == "bytes valid utf-8 despite declared gb2312"


def test_gbk_bytes_under_utf8_http_header():
    html = page(SIMP + TRAD)
    d = decode(html.encode("gbk"), "text/html; charset=utf-8")
    assert_clean(d, html)
    assert d.info["used"] == "gb18030"
    assert d.info["declared_http"] == "utf-8"
    assert d.info["reason"] == "declared utf-8 invalid; fallback gb18030"


def test_gbk_bytes_under_utf8_header_with_gbk_meta():
    html = page(SIMP, "gbk")
    d = decode(html.encode("gbk"), "text/html;charset=UTF-8")
    assert_clean(d, html)
    assert d.info["reason"] == "declared utf-8 invalid; meta gbk"


def test_utf16le_bom_page_declaring_gb2312():
    html = page(SIMP, "gb2312")
    raw = codecs.BOM_UTF16_LE + html.encode("utf-16-le")
    d = decode(raw, "text/html; charset=gb2312")
    assert_clean(d, html)
    assert (d.info["used"], d.info["reason"], d.info["bom"]) == ("utf-16-le", "bom", "utf-16-le")
    assert d.info["declared_meta"] == "gb2312"     # read from the UTF-16 text, then overruled
    assert d.info["declared_http"] == "gb2312"


@pytest.mark.parametrize("bom,codec", [
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
])
def test_other_boms_win_and_are_stripped(bom, codec):
    html = page(TRAD, "big5")
    d = decode(bom + html.encode(codec), "text/html; charset=big5")
    assert_clean(d, html)
    assert not d.text.startswith("\ufeff")
    assert (d.info["used"], d.info["reason"], d.info["bom"]) == (codec, "bom", codec)


def test_big5_bytes_declared_gb2312():
    """Big5 bytes decode strictly as GB18030 (mojibake); the common-hanzi check overrules."""
    html = page(TRAD, "gb2312")
    raw = html.encode("big5")
    assert raw.decode("gb18030") != html                   # valid, but wrong
    d = decode(raw, "text/html; charset=gb2312")
    assert_clean(d, html)
    assert d.info["used"] == "big5hkscs"
    assert d.info["reason"].startswith(
        "http header gb2312 reads as mojibake; big5hkscs by common hanzi")


@pytest.mark.parametrize("content_type,reason", [
    (ct("big5"), "http header big5 reads as mojibake; gb18030 by common hanzi"),
    (None, "gb18030 by common hanzi"),
])
def test_gbk_bytes_that_are_valid_big5(content_type, reason):
    html = page("中国科学技术发展")                     # its GBK bytes happen to be valid Big5
    raw = html.encode("gbk")
    raw.decode("big5hkscs")
    d = decode(raw, content_type)
    assert_clean(d, html)
    assert d.info["used"] == "gb18030"
    assert d.info["reason"].startswith(reason)


def test_short_declared_text_keeps_its_declaration():
    """Too few hanzi to overrule a declaration."""
    raw = "<p>我们的国家</p>".encode("gbk")
    d = decode(raw, ct("big5"))
    assert (d.info["used"], d.info["reason"]) == ("big5hkscs", "http header")


def test_java_default_latin1_header_over_gbk():
    html = page(SIMP, "gbk")
    d = decode(html.encode("gbk"), "text/html; charset=ISO-8859-1")
    assert_clean(d, html)
    assert d.info["used"] == "gb18030" and d.info["reason"] == "meta"
    # and without the meta: GB18030 by validity, not windows-1252 mojibake
    html = page(SIMP)
    d = decode(html.encode("gbk"), "text/html; charset=ISO-8859-1")
    assert_clean(d, html)
    assert d.info["used"] == "gb18030"


def test_utf16_without_bom_declared_in_header():
    html = page(SIMP)
    d = decode(html.encode("utf-16-le"), "text/html; charset=UTF-16LE")
    assert_clean(d, html)
    assert d.info["used"] == "utf-16-le"
    d = decode(html.encode("utf-16-be"), "text/html; charset=utf-16")
    assert_clean(d, html)
    assert d.info["used"] == "utf-16-be"


def test_utf16_meta_on_ascii_compatible_page_is_ignored():
    html = page(SIMP, "utf-16")
    d = decode(html.encode("gbk"))
    assert_clean(d, html)
    assert d.info["used"] == "gb18030"
    assert "meta utf-16 ignored" in d.info["reason"]


def test_big5_declared_uses_cp950_when_only_it_decodes():
    html = page(TRAD + "€")               # the euro sign exists in cp950, not in big5hkscs
    raw = html.encode("cp950")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("big5hkscs")
    d = decode(raw, "text/html; charset=big5")
    assert_clean(d, html)
    assert (d.info["used"], d.info["reason"]) == ("cp950", "http header")


def test_unknown_label_is_ignored_with_reason():
    html = page(SIMP, "x-no-such-charset")
    d = decode(html.encode("gbk"), "text/html; charset=klingon")
    assert_clean(d, html)
    assert d.info["used"] == "gb18030"
    assert "unknown http header charset 'klingon' ignored" in d.info["reason"]
    assert "unknown meta charset 'x-no-such-charset' ignored" in d.info["reason"]


def test_utf7_is_never_selected():
    d = decode(b"<p>+ADw-script+AD4-</p>", "text/html; charset=utf-7")
    assert d.info["used"] != "utf-7"
    assert d.text == "<p>+ADw-script+AD4-</p>"


# --- damaged bytes -------------------------------------------------------------------

@pytest.mark.parametrize("content_type", [None, ct("gbk"), ct("utf-8")])
def test_invalid_sequences_in_the_middle_of_gbk(content_type):
    part1 = page(SIMP * 3, "gbk")[:-14]
    part2 = "科技创新驱动发展" * 5
    part3 = ' "科技局" 结束</body></html>'
    # 0xFF is never valid; 0xD2 is a lead byte cut off before an ASCII space (seen in real pages)
    raw = part1.encode("gbk") + b"\xff" + part2.encode("gbk") + b"\xd2" + part3.encode("gbk")
    d = decode(raw, content_type)
    assert d.info["used"] == "gb18030"
    assert d.info["replacements"] == 2
    assert d.text == part1 + FFFD + part2 + FFFD + part3
    assert d.info["reason"].endswith("fallback gb18030 with 2 replacements")


def test_mostly_utf8_with_one_corrupt_byte():
    html = page(SIMP * 4, "utf-8")
    raw = html.encode("utf-8")
    cut = raw.index("工作".encode("utf-8"))
    damaged = raw[:cut] + b"\xff" + raw[cut:]
    d = decode(damaged)
    assert d.info["used"] == "utf-8"
    assert d.info["replacements"] == 1
    assert d.text.replace(FFFD, "") == html
    assert d.info["reason"] == "declared utf-8 invalid; mostly valid utf-8 (1 replacements)"


@pytest.mark.parametrize("enc,cut", [("utf-8", 1), ("utf-8", 2), ("gbk", 1), ("big5", 1)])
def test_truncated_multibyte_tail(enc, cut):
    text = TRAD if enc == "big5" else SIMP + "的科技会"
    html = page(text, enc)[:-len("</p></body></html>")]     # ends with a CJK character
    raw = html.encode(enc)[:-cut]
    d = decode(raw, ct(enc))
    assert d.text == html[:-1]                             # the partial character is dropped
    assert d.info["replacements"] == 1
    assert d.info["used"] in USED[enc]
    assert FFFD not in d.text


def test_truncated_utf16_with_bom():
    html = page(SIMP)
    raw = codecs.BOM_UTF16_LE + html.encode("utf-16-le") + "科".encode("utf-16-le")[:1]
    d = decode(raw)
    assert d.text == html
    assert (d.info["used"], d.info["replacements"]) == ("utf-16-le", 1)


def test_truncated_utf8_page_declared_gb2312_stays_utf8():
    html = page(SIMP, "gb2312")[:-len("</p></body></html>")]
    d = decode(html.encode("utf-8")[:-2])
    assert d.info["used"] == "utf-8"
    assert d.text == html[:-1] and d.info["replacements"] == 1


def test_original_replacement_characters_are_not_counted():
    html = page(SIMP + FFFD + "数据")
    d = decode(html.encode("utf-8"), ct("utf-8"))
    assert d.text == html and d.info["replacements"] == 0


# --- edge inputs ---------------------------------------------------------------------

def test_empty():
    d = decode(b"")
    assert d.text == ""
    assert (d.info["used"], d.info["reason"], d.info["replacements"]) == ("utf-8", "empty", 0)
    assert set(d.info) == INFO_KEYS


@pytest.mark.parametrize("content_type", [None, ct("gb2312"), ct("utf-8"), ct("iso-8859-1")])
def test_pure_ascii(content_type):
    html = "<html><head><title>Science and technology</title></head><body>2023</body></html>"
    d = decode(html.encode("ascii"), content_type)
    assert_clean(d, html)
    assert d.info["detected"] is None           # no chardet run for ASCII
    if content_type is None:
        assert (d.info["used"], d.info["reason"]) == ("utf-8", "ascii only")


def test_bytearray_and_memoryview_accepted():
    raw = page(SIMP).encode("gbk")
    assert decode(bytearray(raw)).text == decode(memoryview(raw)).text == page(SIMP)


@pytest.mark.parametrize("seed", range(30))
def test_binary_garbage_never_raises(seed):
    rng = random.Random(seed)
    raw = rng.randbytes(rng.choice([1, 2, 3, 7, 100, 4096, 70000]))
    d = decode(raw, rng.choice([None, ct("utf-8"), ct("gbk"), ct("big5"), "garbage;;charset="]))
    assert isinstance(d.text, str)
    codecs.lookup(d.info["used"])
    assert d.info["replacements"] >= 0
    assert set(d.info) == INFO_KEYS


@settings(max_examples=300, deadline=None)
@given(raw=st.binary(max_size=3000),
       content_type=st.one_of(st.none(), st.text(max_size=40),
                              st.sampled_from([ct("utf-8"), ct("gbk"), ct("utf-16"), ct("big5"),
                                               ct("latin1"), ct("utf-32le"), ct("hz")])))
def test_any_bytes_any_header(raw, content_type):
    d = decode(raw, content_type)
    assert isinstance(d.text, str) and isinstance(d.info["reason"], str)
    codecs.lookup(d.info["used"])
    assert d.info["replacements"] >= 0
    if not raw.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            as_utf8 = raw.decode("utf-8")
        except UnicodeDecodeError:
            return
        if not as_utf8.isascii():      # valid UTF-8 with non-ASCII wins over everything
            assert d.text == as_utf8 and d.info["used"] == "utf-8"


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list(SIMP + TRAD + "的是在了<>p/ \n")), min_size=1,
                    max_size=200),
       enc=st.sampled_from(["utf-8", "gb18030", "gbk"]),
       header=st.sampled_from([None, "utf-8", "gbk", "gb2312"]))
def test_roundtrip_chinese_text(text, enc, header):
    """True or false declarations. Left out: undeclared GBK (a text of one or two distinct
    hanzi can be valid UTF-8, GBK 全 = C8 AB, or read as common Big5 hanzi) and a false
    big5 header (too few characters to overrule it: tested above)."""
    if header is None and enc != "utf-8":
        header = enc
    html = page(text)
    d = decode(html.encode(enc), ct(header))
    assert d.text == html
    assert d.info["replacements"] == 0


@pytest.mark.parametrize("seed", range(40))
def test_undeclared_short_texts(seed):
    """Undeclared GBK texts of 4-40 characters (Big5 ones with 8+ distinct characters)."""
    rng = random.Random(seed)
    common = "的是在了不和有大这主中人上为们地个用工时要动国产以我到他会作来分生对于学下级就年"
    text = "".join(rng.choice(SIMP + TRAD + common) for _ in range(rng.randint(4, 40)))
    html = f"<p>{text}</p>"
    assert decode(html.encode("gbk")).text == html
    trad = "".join(ch for ch in text if _big5_ok(ch))
    if len(set(trad) - set("0123456789")) >= 8:
        assert decode(f"<p>{trad}</p>".encode("big5")).text == f"<p>{trad}</p>"


def _big5_ok(ch: str) -> bool:
    try:
        ch.encode("big5")
        return True
    except UnicodeEncodeError:
        return False


# --- declarations (the labels themselves: tests/test_charsets.py) ------------------

def test_meta_outside_scan_window_is_ignored():
    filler = "<!-- " + "x" * encoding.META_SCAN_BYTES + " -->"
    html = filler + page(SIMP, "gbk")
    d = decode(html.encode("gbk"))
    assert d.info["declared_meta"] is None
    assert d.text == html and d.info["used"] == "gb18030"


def test_decoded_is_frozen():
    d = decode(b"<p>x</p>")
    with pytest.raises(AttributeError):
        d.text = "y"


# --- the real pages ------------------------------------------------------------------

EVAL_PAGES = sorted(EVALSET.glob("*.html")) if EVALSET.is_dir() else []


def _valid_in(raw: bytes) -> dict[str, str]:
    """Strict decodings of the page in utf-8 / gb18030 / big5, computed independently."""
    out = {}
    for codec in ("utf-8", "gb18030", "big5", "big5hkscs", "cp950"):
        try:
            out[codec] = raw.decode(codec)
        except UnicodeDecodeError:
            pass
    return out


def _manifest() -> dict[str, dict]:
    path = EVALSET / "MANIFEST.tsv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["name"]: row for row in csv.DictReader(fh, delimiter="\t")}


@pytest.mark.skipif(not EVAL_PAGES, reason=f"evalset not found at {EVALSET}")
@pytest.mark.parametrize("path", EVAL_PAGES, ids=[p.stem for p in EVAL_PAGES])
def test_evalset_page(path):
    raw = path.read_bytes()
    d = decode(raw)
    valid = _valid_in(raw.removeprefix(codecs.BOM_UTF8))
    if valid:
        assert d.info["replacements"] == 0
        originals = max(text.count(FFFD) for text in valid.values())   # U+FFFD in the page itself
        assert d.text.count(FFFD) <= originals, d.info
    else:
        assert d.info["replacements"] >= 1
    guess = _manifest().get(path.stem, {}).get("encoding_guess", "")
    if guess.startswith("utf-8"):
        assert d.info["used"] == "utf-8", d.info
    elif guess.startswith(("gb", "gbk")):
        assert d.info["used"] == "gb18030", d.info


@pytest.mark.skipif(not EVAL_PAGES, reason=f"evalset not found at {EVALSET}")
def test_evalset_summary(capsys):
    used, damaged, times = Counter(), [], []
    for path in EVAL_PAGES:
        raw = path.read_bytes()
        start = time.perf_counter()
        d = decode(raw)
        times.append(time.perf_counter() - start)
        used[d.info["used"]] += 1
        if d.info["replacements"]:
            damaged.append(f"{path.stem}: {d.info['replacements']} ({d.info['reason']})")
    with capsys.disabled():
        print(f"\nevalset: {len(EVAL_PAGES)} pages, used {dict(used)}, "
              f"mean decode {sum(times) / len(times) * 1000:.2f} ms, "
              f"max {max(times) * 1000:.1f} ms")
        print(f"pages with replacements: {len(damaged)}")
        for line in damaged:
            print("  " + line)
    assert len(damaged) <= 5
