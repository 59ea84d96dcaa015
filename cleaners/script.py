"""Script normalisation: pinyin annotations, traditional → simplified, round-trip repairs.

Three artefacts seen on real pages (../shared/reference/noisy-text/003_*, 004_*):

* A script-conversion site put the pinyin of every converted character in parentheses:
  ``蘭州市科技局堅持科技創(chuàng)新`` → the annotations must go before anything else.
* Whole articles in traditional characters: converted to simplified with OpenCC ``t2s``.
  The pure-Python OpenCC runs at ≈0.31 M chars/s, so it is called only when the text is
  detected as traditional (or mixed with a traditional majority); detection itself is a
  regex scan of a prefix and costs tens of microseconds.
* A word processor's traditional → simplified round trip wrote ``〝…〞`` for ``“…”``:
  repaired on every text.

Decisions (also asserted by tests/test_script.py):

* Unicode NFC, never NFKC: full-width ``，（：`` are the correct punctuation in Chinese.
* ``〔2023〕12号`` is the standard bracket in document numbers, so ``〔〕`` are kept as they
  are everywhere, even where the round trip produced them for ``()``; telling the two
  apart needs a reading of the sentence.
* Word-level mistranslations of the same round trip (效劳→服务, 假设干→若干, 方法→办法)
  are not touched: every one of those "wrong" words is also a real, common word
  (效劳, 方法, 假设), and replacing them would corrupt correct text.
* Placeholders such as ``X年``, ``xxxx年``, ``X县`` are source text and pass unchanged.
"""
from __future__ import annotations

import functools
import os
import re
import unicodedata

from opencc import OpenCC

__all__ = ["normalize", "detect_script", "strip_pinyin", "repair_quotes", "simplified_chars"]

# CJK ideographs: 〇, Ext A, URO, compatibility ideographs, Ext B–H.
_CJK_CLASS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK = re.compile(f"[{_CJK_CLASS}]")

# ---------------------------------------------------------------------------------------
# Round-trip repairs
# ---------------------------------------------------------------------------------------
def repair_quotes(text: str) -> str:
    """Undo the word-processor round trip's quotes: ``〝`` → ``“``, ``〞`` → ``”``.

    >>> repair_quotes("按照“前端聚焦、后端转化〞思路")
    '按照“前端聚焦、后端转化”思路'
    """
    # str.replace, not str.translate: translate walks the string in Python-level steps
    # (≈340 µs for 5,000 characters here), replace is a C scan (≈1 µs).
    if "\u301d" in text:
        text = text.replace("\u301d", "\u201c")
    if "\u301e" in text:
        text = text.replace("\u301e", "\u201d")
    return text


# ---------------------------------------------------------------------------------------
# Pinyin annotations
# ---------------------------------------------------------------------------------------
# Standard Mandarin syllables without tones (ü written v). The interjections m, n, ng, hm,
# hng and ê are left out on purpose: "(m)" or "(n)" in parentheses are units and list
# markers far more often than pinyin, and they only ever annotate 呣/嗯/欸.
_PINYIN_SYLLABLES = frozenset("""
a o e ai ei ao ou an en ang eng er
yi ya ye yao you yan yin yang ying yo yong
wu wa wo wai wei wan wen wang weng
yu yue yuan yun
ba bo bai bei bao ban ben bang beng bi bie biao bian bin bing bu
pa po pai pei pao pou pan pen pang peng pi pie piao pian pin ping pu
ma mo me mai mei mao mou man men mang meng mi mie miao miu mian min ming mu
fa fo fei fou fan fen fang feng fu
da de dai dei dao dou dan den dang deng dong di dia die diao diu dian ding
du duo dui duan dun
ta te tai tei tao tou tan tang teng tong ti tie tiao tian ting tu tuo tui tuan tun
na ne nai nei nao nou nan nen nang neng nong ni nie niao niu nian nin niang ning
nu nuo nuan nv nve nue
la lo le lai lei lao lou lan lang leng long li lia lie liao liu lian lin liang ling
lu luo luan lun lv lve lue
ga ge gai gei gao gou gan gen gang geng gong gu gua guo guai gui guan gun guang
ka ke kai kei kao kou kan ken kang keng kong ku kua kuo kuai kui kuan kun kuang
ha he hai hei hao hou han hen hang heng hong hu hua huo huai hui huan hun huang
ji jia jie jiao jiu jian jin jiang jing jiong ju jue juan jun
qi qia qie qiao qiu qian qin qiang qing qiong qu que quan qun
xi xia xie xiao xiu xian xin xiang xing xiong xu xue xuan xun
zha zhe zhi zhai zhei zhao zhou zhan zhen zhang zheng zhong
zhu zhua zhuo zhuai zhui zhuan zhun zhuang
cha che chi chai chao chou chan chen chang cheng chong
chu chua chuo chuai chui chuan chun chuang
sha she shi shai shei shao shou shan shen shang sheng
shu shua shuo shuai shui shuan shun shuang
re ri rao rou ran ren rang reng rong ru rua ruo rui ruan run
za ze zi zai zei zao zou zan zen zang zeng zong zu zuo zui zuan zun
ca ce ci cai cao cou can cen cang ceng cong cu cuo cui cuan cun
sa se si sai sao sou san sen sang seng song su suo sui suan sun
""".split())
_MAX_SYLLABLE = max(map(len, _PINYIN_SYLLABLES))

_TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_TONELESS = str.maketrans(
    _TONE_MARKS + "ü", "aaaaeeeeiiiioooouuuu" + "vvvv" + "v"
)
# Candidate annotation: an opening parenthesis, lowercase pinyin letters, tone digits,
# spaces or apostrophes, a closing parenthesis (half- or full-width, in any pairing).
# Anything else inside — capitals, other digits, CJK, punctuation — is not an annotation.
_ANNOTATION = re.compile(
    rf"[(（]([a-z{_TONE_MARKS}ü1-5 '’]{{1,80}})[)）]"
)
_TOKEN_SPLIT = re.compile(r"[ '’]+")


def _syllable(chunk: str) -> int | None:
    """Tone kind of one syllable: 0 toneless, 1 tone mark, 2 tone digit; None if invalid."""
    digit = chunk[-1] in "12345"
    if digit:
        chunk = chunk[:-1]
    if not chunk or any(c in "12345" for c in chunk):
        return None
    marks = sum(c in _TONE_MARKS for c in chunk)
    if marks > 1 or (marks and digit):
        return None
    if chunk.translate(_TONELESS) not in _PINYIN_SYLLABLES:
        return None
    return 2 if digit else (1 if marks else 0)


@functools.lru_cache(maxsize=4096)
def _segment(token: str) -> tuple[int, ...] | None:
    """Split one space-free token into pinyin syllables; their tone kinds, or None."""
    best: list[tuple[int, ...] | None] = [None] * (len(token) + 1)
    best[0] = ()
    for end in range(1, len(token) + 1):
        for start in range(max(0, end - _MAX_SYLLABLE - 1), end):
            if best[start] is None:
                continue
            kind = _syllable(token[start:end])
            if kind is not None:
                best[end] = best[start] + (kind,)
                break
    return best[-1]


def _classify(content: str) -> str | None:
    """'strong', 'weak' or None (not pinyin) for the text inside a pair of parentheses.

    strong: every token is pinyin and there is a tone mark, or every syllable carries a
            tone digit ("chuàng", "chuàng xīn", "chuang4 xin1").
    weak:   toneless, every token exactly one valid syllable ("xin", "men", "he").
    """
    tokens = [t for t in _TOKEN_SPLIT.split(content) if t]
    if not tokens:
        return None
    kinds: list[int] = []
    for token in tokens:
        seg = _segment(token)
        if seg is None:
            return None
        if len(seg) > 1 and not any(seg):
            return None               # toneless run-together words: "china", "online"
        kinds.extend(seg)
    if any(k == 1 for k in kinds) or all(k == 2 for k in kinds):
        return "strong"
    if any(kinds):
        return None                   # some digits, some bare syllables: not a pattern
    return "weak"


def strip_pinyin(text: str) -> tuple[str, int]:
    """Remove pinyin annotations that directly follow a CJK character.

    An annotation with tone marks (or a tone digit on every syllable) is removed
    wherever it follows a CJK character. A toneless one ("(xin)") is ambiguous with
    English words such as "(he)" or "(men)", so it is removed only when the same text
    also holds at least one toned annotation: the conversion-site artefact always
    annotates many characters, and most of them carry tones. Toneless words that are
    not a single syllable ("(online)", "(china)") are never removed; neither is
    anything with capitals, other digits, CJK or punctuation inside ("(ABC)", "(TCL)",
    "(2022-2024年)", "(试行)", "(责编:…)"), nor an unclosed "(chuang".

    >>> strip_pinyin("科技創(chuàng)新（xīn）")
    ('科技創新', 2)
    >>> strip_pinyin("推广(online)平台(ABC)")
    ('推广(online)平台(ABC)', 0)
    """
    if "(" not in text and "（" not in text:
        return text, 0
    hits = []
    strong_seen = False
    for m in _ANNOTATION.finditer(text):
        start = m.start()
        if start == 0 or not _CJK.match(text, start - 1):
            continue
        kind = _classify(m.group(1))
        if kind is None:
            continue
        strong_seen = strong_seen or kind == "strong"
        hits.append((m.start(), m.end(), kind))
    if not hits:
        return text, 0
    parts = []
    pos = removed = 0
    for start, end, kind in hits:
        if kind == "weak" and not strong_seen:
            continue
        parts.append(text[pos:start])
        pos = end
        removed += 1
    if not removed:
        return text, 0
    parts.append(text[pos:])
    return "".join(parts), removed


# ---------------------------------------------------------------------------------------
# Script detection
# ---------------------------------------------------------------------------------------
def _opencc_dictionary(name: str) -> dict[str, list[str]]:
    import opencc

    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", name)
    table: dict[str, list[str]] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, _, values = line.rstrip("\n").partition("\t")
            table[key] = values.split(" ")
    return table


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _build_tables() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(traditional-only, simplified-only, changed-by-t2s) characters from OpenCC's data.

    traditional-only: t2s changes it, it is no simplified form of anything, it maps to no
    simplified character, and it is not in GB2312 (drops 吒, 捱, 甯, 菸, 摺…: variants that
    are ordinary characters in simplified text).
    simplified-only: s2t changes it, it is not itself a traditional form, and it is not the
    Taiwan/Hong Kong standard form of a character (drops 群, 峰, 床, 秘, 温, 户…, which
    traditional texts from Taiwan and Hong Kong use every day).
    """
    ts = _opencc_dictionary("TSCharacters.txt")
    st = _opencc_dictionary("STCharacters.txt")
    ts_values = {c for vs in ts.values() for c in vs}
    st_values = {c for vs in st.values() for c in vs}
    regional = {
        c
        for name in ("TWVariants.txt", "HKVariants.txt")
        for vs in _opencc_dictionary(name).values()
        for c in vs
    }
    traditional = frozenset(
        k for k, vs in ts.items()
        if vs[0] != k and k not in ts_values and k not in st and not _in_gb2312(k)
    )
    simplified = frozenset(
        k for k, vs in st.items()
        if k not in vs and k not in ts and k not in st_values and k not in regional
    )
    # Everything t2s could change: single characters and any character of a phrase entry.
    changed = set(ts)
    for key, vs in _opencc_dictionary("TSPhrases.txt").items():
        if vs[0] != key:
            changed.update(key)
    return traditional, simplified, frozenset(changed)


def _char_class(chars: frozenset[str]) -> re.Pattern[str]:
    # BMP only: a class with astral characters loses sre's bitmap and becomes ~400× slower.
    # The astral (Ext B+) traditional characters are rare enough not to matter for counting.
    bmp = sorted(c for c in chars if ord(c) < 0x10000)
    return re.compile("[" + "".join(re.escape(c) for c in bmp) + "]")


_TRADITIONAL_ONLY, _SIMPLIFIED_ONLY, _T2S_CHANGES = _build_tables()
_TRADITIONAL_RE = _char_class(_TRADITIONAL_ONLY)
_SIMPLIFIED_RE = _char_class(_SIMPLIFIED_ONLY)

SAMPLE_CHARS = 6000        # ≈ the first 5,000 CJK characters of Chinese prose
TRADITIONAL_SHARE = 0.8    # share of traditional indicators at or above → "traditional"
SIMPLIFIED_SHARE = 0.05    # at or below → "simplified" (a quoted name or poem is tolerated)


def _sample(text: str) -> str | None:
    first = _CJK.search(text)
    if first is None:
        return None
    start = first.start() if first.start() >= SAMPLE_CHARS else 0
    return text[start:start + SAMPLE_CHARS]


def _counts(sample: str) -> tuple[int, int]:
    traditional = len(_TRADITIONAL_RE.findall(sample))
    if not traditional:               # the common case: no scan for simplified needed
        return 0, 0
    return traditional, len(_SIMPLIFIED_RE.findall(sample))


def _verdict(traditional: int, simplified: int) -> str:
    if not traditional:
        return "simplified"           # includes CJK text that reads the same in both
    share = traditional / (traditional + simplified)
    if share >= TRADITIONAL_SHARE:
        return "traditional"
    if share <= SIMPLIFIED_SHARE:
        return "simplified"
    return "mixed"


def detect_script(text: str) -> str:
    """'simplified', 'traditional', 'mixed' or 'none' (no CJK character at all).

    Counts traditional-only and simplified-only characters in a prefix of about 5,000
    CJK characters. CJK text without any distinguishing character counts as simplified.

    >>> detect_script("兰州市科技局坚持科技创新"), detect_script("蘭州市科技局堅持科技創新")
    ('simplified', 'traditional')
    >>> detect_script("ABC 123")
    'none'
    """
    sample = _sample(text)
    if sample is None:
        return "none"
    return _verdict(*_counts(sample))


# ---------------------------------------------------------------------------------------
# Conversion and the entry point
# ---------------------------------------------------------------------------------------
class _SegmentMemoOpenCC(OpenCC):
    """OpenCC that keeps the conversions of its segments. ``convert`` splits a text at its
    separators (spaces, punctuation) and converts each run between them on its own, so a
    run is converted the same wherever it stands: the lines of a page seen by
    simplified_view, then the whole text, share their runs, and so do a site's pages."""

    def __init__(self, conversion: str):
        super().__init__(conversion)
        self._segments = functools.lru_cache(maxsize=16384)(self._segment)

    def _segment(self, segment: str) -> str:
        return super()._convert(segment, self._dict_chain_data)

    def _convert(self, string, dictionary=()):
        # the call convert makes for each segment; long runs (no separator for 100 characters)
        # are converted as they come, so that what is kept stays small
        # (the dictionaries' attribute is the package's own: if a release renames it, nothing is kept)
        if dictionary is getattr(self, "_dict_chain_data", None) and len(string) <= 100:
            return self._segments(string)
        return super()._convert(string, dictionary)


@functools.lru_cache(maxsize=1)
def _t2s():
    return _SegmentMemoOpenCC("t2s")


_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def normalize(text: str, *, convert: bool | None = None) -> tuple[str, dict]:
    """NFC, icon-font glyphs out, quote repair, pinyin removal, then traditional →
    simplified when wanted.

    ``convert=None`` converts only text detected traditional, or mixed with more
    traditional than simplified indicators; ``True`` always converts; ``False`` never.
    ``converted`` in the report says whether t2s changed the text.

    >>> normalize("蘭州市科技局堅持科技創(chuàng)新")
    ('兰州市科技局坚持科技创新', {'detected': 'traditional', 'converted': True, 'pinyin_removed': 1})
    """
    text = unicodedata.normalize("NFC", text)   # returns the same object when already NFC
    if _PRIVATE_USE.search(text):                # icon-font glyphs (\ue60e): pictures, not text
        text = _PRIVATE_USE.sub("", text)
    text = repair_quotes(text)
    text, pinyin_removed = strip_pinyin(text)

    sample = _sample(text)
    if sample is None:
        detected, traditional, simplified = "none", 0, 0
    else:
        traditional, simplified = _counts(sample)
        detected = _verdict(traditional, simplified)

    if convert is None:
        convert = detected == "traditional" or (
            detected == "mixed" and traditional > simplified
        )
    converted = False
    if convert and not _T2S_CHANGES.isdisjoint(text):
        result = _t2s().convert(text)
        if result != text:
            text, converted = result, True
    return text, {"detected": detected, "converted": converted, "pinyin_removed": pinyin_removed}


@functools.lru_cache(maxsize=1)
def _t2s_chars() -> tuple[dict[str, str], re.Pattern[str]]:
    table = {k: vs[0] for k, vs in _opencc_dictionary("TSCharacters.txt").items() if len(vs[0]) == 1 and vs[0] != k}
    return table, _char_class(frozenset(table))


def simplified_chars(text: str) -> str:
    """``text`` with every character t2s would change on its own (traditional ones, and the
    few that are also used in simplified text: 於, 著, 乾 …) replaced one by one, with no phrase
    rules: a view for comparing two texts, both seen the same way; one regex scan when no such
    character is there, ≈30× faster than t2s when there are.

    >>> simplified_chars("科技部關於組織開展科技創新項目"), simplified_chars("科技部")
    ('科技部关于组织开展科技创新项目', '科技部')
    """
    table, pattern = _t2s_chars()
    if not pattern.search(text):
        return text
    return pattern.sub(lambda m: table[m.group()], text)


def simplified_view(text: str) -> str:
    """``text`` in simplified characters (and without pinyin annotations) when it holds
    traditional-only ones, for matching phrases and labels (責編 → 责编); the text itself
    is converted later, once.

    >>> simplified_view("(責編:周婉婷)"), simplified_view("责任编辑")
    ('(责编:周婉婷)', '责任编辑')
    """
    if len(text) > _KEPT_VIEW_MAX:
        return _simplified_view(text)
    return _kept_simplified_view(text)


def _simplified_view(text: str) -> str:
    if "(" in text or "（" in text:
        text = strip_pinyin(text)[0]
    if not _TRADITIONAL_RE.search(text):
        return text
    return _t2s().convert(text)


# A line is seen by several rules (the filters, the header fields); the views of lines up to
# _KEPT_VIEW_MAX characters are kept, a bounded number of them.
_KEPT_VIEW_MAX = 400
_kept_simplified_view = functools.lru_cache(maxsize=4096)(_simplified_view)
