"""cleaners.script: pinyin annotations, script detection, t2s conversion, repairs."""
from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from cleaners import script
from cleaners.script import detect_script, normalize, strip_pinyin
from tests.support.paths import SHARED

NOISY = SHARED / "reference" / "noisy-text"

# An annotation that survived: a CJK character, then Latin letters in parentheses.
LEFTOVER_PINYIN = re.compile(r"[\u4e00-\u9fff][(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü ]+[)）]")


def noisy(prefix: str) -> str:
    files = sorted(NOISY.glob(f"{prefix}_*.txt"))
    if not files:
        pytest.skip(f"{NOISY}/{prefix}_*.txt not available")
    return files[0].read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------
# Pinyin annotations
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected, removed",
    [
        ("科技創(chuàng)新", "科技創新", 1),
        ("高質(zhì)量發(fā)展", "高質量發展", 2),
        ("科技創（chuàng）新", "科技創新", 1),                     # full-width parentheses
        ("科技創(chuàng）新", "科技創新", 1),                      # mixed pair
        ("创新(chuàng xīn)驱动", "创新驱动", 1),                 # multi-syllable
        ("创新（chuàng xīn）驱动", "创新驱动", 1),
        ("创新(chuàngxīn)驱动", "创新驱动", 1),                  # toned, run together
        ("西安(xī'ān)", "西安", 1),                              # apostrophe separator
        ("綠(lǜ)色", "綠色", 1),
        ("女(nǚ)性", "女性", 1),
        ("略(lüè)", "略", 1),
        ("創(chuang4)新(xin1)", "創新", 2),                       # tone digits on every syllable
        ("驅(qū)動(dong)", "驅動", 2),                          # toneless, toned one elsewhere
        ("我們(men)創(chuàng)新", "我們創新", 2),                  # ... also when it comes first
        ("〇(líng)", "〇", 1),
        # English words stay even beside real annotations: never toneless multi-syllable
        ("推广(online)平台創(chuàng)新", "推广(online)平台創新", 1),
        ("中国(china)創(chuàng)新", "中国(china)創新", 1),
    ],
)
def test_strip_pinyin_removes(text, expected, removed):
    assert strip_pinyin(text) == (expected, removed)


@pytest.mark.parametrize(
    "text",
    [
        "三年行动方案(2022-2024年)",
        "三年行动方案（2022—2024年）",
        "公司(ABC)",
        "彩电(TCL)",
        "(责编:周婉婷、焦隆)",
        "管理办法(试行)",
        "科技創(chuang",                    # unclosed
        "科技創(chuàng",
        "推广(online)平台",                  # English word, not a syllable
        "中国(china)",                       # toneless run-together syllables
        "他说(he)",                          # single toneless syllable, no toned evidence
        "人们(men)来了",
        "(chuàng)新",                        # nothing before it
        "abc(chuàng)",                       # Latin before it
        "科技創 (chuàng)新",                 # not directly after the character
        "，(chuàng)",                        # punctuation before it
        "科技(Chuàng)",                      # capitals: not the artefact
        "科技(chuàng2)",                     # both a tone mark and a digit
        "科技(xyz)",                         # not a syllable
        "科技(chuàngg)",
        "科技(chuàng-xīn)",                  # hyphen: not part of the artefact
        "单位(m)",                           # interjection syllables are left out
        "附件(a1b)",
        "创新(chuang4 xin)",                 # some digits, some bare: not a pattern
        "平方米(m2)",
    ],
)
def test_strip_pinyin_keeps(text):
    assert strip_pinyin(text) == (text, 0)


def test_strip_pinyin_without_parentheses_returns_same_object():
    text = "兰州市科技局坚持科技创新。"
    assert strip_pinyin(text)[0] is text


# ---------------------------------------------------------------------------------------
# Detection
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("兰州市科技局坚持科技创新和制度创新“双轮驱动”", "simplified"),
        ("蘭州市科技局堅持科技創新和制度創新“雙輪驅動”", "traditional"),
        ("臺灣的科技部與經濟部合作，群峰秘書處", "traditional"),   # Taiwan forms 群 峰 秘
        ("國際經濟發展報告这里这个", "mixed"),
        ("国际经济发展报告這裡", "mixed"),
        ("中国人民", "simplified"),           # nothing tells them apart: target script
        ("ABC 123, (online) 2024-05-01", "none"),
        ("，。：（）“”", "none"),
        ("", "none"),
        ("x" * 7000 + "蘭州市科技局堅持科技創新", "traditional"),  # CJK starts late
    ],
)
def test_detect_script(text, expected):
    assert detect_script(text) == expected


@pytest.mark.parametrize("prefix", ["000", "001", "002", "004"])
def test_real_simplified_pages_detected_simplified(prefix):
    assert detect_script(noisy(prefix)) == "simplified"


def test_traditional_only_set_excludes_simplified_characters():
    common_simplified = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
    leaked = set(common_simplified) & script._TRADITIONAL_ONLY
    assert not leaked


# ---------------------------------------------------------------------------------------
# normalize
# ---------------------------------------------------------------------------------------
def test_traditional_with_pinyin_is_converted():
    text = "蘭州市科技局堅持科技創(chuàng)新和制度創(chuàng)新“雙輪驅(qū)動”"
    out, info = normalize(text)
    assert out == "兰州市科技局坚持科技创新和制度创新“双轮驱动”"
    assert info == {"detected": "traditional", "converted": True, "pinyin_removed": 3}


def test_simplified_text_is_returned_unchanged_and_never_reaches_opencc(monkeypatch):
    def forbidden():
        raise AssertionError("OpenCC must not run on simplified text")

    monkeypatch.setattr(script, "_t2s", forbidden)
    text = "兰州市科技局召开2020年科技工作会议（王文嘉），坚持“双轮驱动”。"
    out, info = normalize(text)
    assert out is text
    assert info == {"detected": "simplified", "converted": False, "pinyin_removed": 0}


def test_convert_false_keeps_traditional_but_still_strips_pinyin():
    out, info = normalize("科技創(chuàng)新發展", convert=False)
    assert out == "科技創新發展"
    assert info == {"detected": "traditional", "converted": False, "pinyin_removed": 1}


def test_convert_true_converts_a_short_field():
    out, info = normalize("雙輪驅動", convert=True)
    assert (out, info["converted"]) == ("双轮驱动", True)


def test_convert_true_on_simplified_changes_nothing():
    text = "兰州市科技局"
    out, info = normalize(text, convert=True)
    assert out == text
    assert info["converted"] is False


def test_mixed_text_follows_the_majority():
    out, info = normalize("國際經濟發展報告这里这个")
    assert info["detected"] == "mixed" and info["converted"]
    assert out == "国际经济发展报告这里这个"
    out, info = normalize("国际经济发展报告這裡")
    assert info["detected"] == "mixed" and not info["converted"]
    assert out == "国际经济发展报告這裡"


def test_nfc_not_nfkc():
    out, _ = normalize("Cafe\u0301：科技（试行），２０２３年")
    assert out == "Café：科技（试行），２０２３年"      # full-width kept, accent composed
    # compatibility ideograph → unified one (canonical, so NFC does it)
    assert normalize("\uf900", convert=False)[0] == "\u8c48"


def test_full_width_punctuation_survives():
    text = "一、总体要求：坚持创新（科技）；推进“双轮驱动”！是否？……——《方案》【通知】"
    assert normalize(text)[0] == text


def test_round_trip_quotes_are_repaired():
    out, _ = normalize("按照“前端聚焦、中间协同、后端转化〞思路，开展〝揭榜挂帅〞工作")
    assert out == "按照“前端聚焦、中间协同、后端转化”思路，开展“揭榜挂帅”工作"


def test_document_number_brackets_and_placeholders_are_kept():
    text = "根据桂科发〔2023〕12号文件，xxxx年X县完成X年目标，方案〔xxxx—xxxx年〕"
    assert normalize(text)[0] == text


def test_word_level_round_trip_mistakes_are_left_alone():
    # 效劳, 方法, 假设 are real words; replacing them would corrupt correct text.
    text = "提升效劳能力，出台管理方法，支持假设干项目"
    assert normalize(text)[0] == text


def test_round_trip_page_004():
    out, info = normalize(noisy("004"))
    assert info["detected"] == "simplified" and not info["converted"]
    assert "〞" not in out and "〝" not in out
    assert "“前端聚焦、中间协同、后端转化”思路" in out
    assert "xxxx年" in out and "〔xxxx—xxxx年〕" in out


def test_traditional_page_003_with_pinyin():
    out, info = normalize(noisy("003"))
    assert info["detected"] == "traditional"
    assert info["converted"] is True
    assert info["pinyin_removed"] > 100
    assert not LEFTOVER_PINYIN.search(out)
    assert "創" not in out and "質" not in out
    assert "创新" in out and "质量" in out
    assert "(责编:周婉婷、焦隆)" in out               # a real parenthesis survives


# ---------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------
CJK_RE = re.compile("[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalize_never_raises_and_returns_nfc(text):
    out, info = normalize(text)
    assert unicodedata.is_normalized("NFC", out)
    assert info["detected"] in {"simplified", "traditional", "mixed", "none"}
    assert info["pinyin_removed"] >= 0


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)).filter(
    lambda c: not CJK_RE.match(c))))
def test_text_without_cjk_only_gets_nfc_and_quote_repair(text):
    expected = re.sub("[\ue000-\uf8ff]", "", unicodedata.normalize("NFC", text)).replace("〝", "“").replace("〞", "”")
    assert normalize(text) == (
        expected, {"detected": "none", "converted": False, "pinyin_removed": 0})


_TONED = {"a": "āáǎà", "e": "ēéěè", "i": "īíǐì", "o": "ōóǒò", "u": "ūúǔù", "v": "ǖǘǚǜ"}


@st.composite
def toned_syllable(draw):
    syllable = draw(st.sampled_from(sorted(script._PINYIN_SYLLABLES)))
    vowel = next(i for i, c in enumerate(syllable) if c in _TONED)
    mark = _TONED[syllable[vowel]][draw(st.integers(0, 3))]
    return (syllable[:vowel] + mark + syllable[vowel + 1:]).replace("v", "ü")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=4),
    st.lists(toned_syllable(), min_size=1, max_size=3),
    st.sampled_from(["()", "（）"]),
), min_size=1, max_size=8))
def test_every_inserted_annotation_is_removed(pieces):
    clean = "".join(chars for chars, _, _ in pieces)
    noisy_text = "".join(f"{chars}{o}{' '.join(syl)}{c}" for chars, syl, (o, c) in pieces)
    assert strip_pinyin(noisy_text) == (clean, len(pieces))


def test_icon_font_glyphs_are_removed_and_nothing_else():
    from cleaners.script import normalize
    assert normalize("阅读\ue60e 128 点赞\uf8ff")[0] == "阅读 128 点赞"
    assert normalize("「科技」〔2023〕1号")[0] == "「科技」〔2023〕1号"
