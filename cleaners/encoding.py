"""Bytes → text for Chinese government pages whose declared encodings often lie.

Evidence, strongest first (later steps run only when earlier ones fail):

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) decides outright;
2. bytes that are valid UTF-8 and contain non-ASCII are UTF-8, whatever is declared
   (re-serialised pages stored as UTF-8 keep their old ``charset=gb2312`` meta);
3. the HTTP ``Content-Type`` charset, then ``<meta charset>`` / ``<meta http-equiv>``
   (or an ``<?xml encoding?>`` declaration) in the first :data:`META_SCAN_BYTES`,
   each used only if the bytes decode strictly with it. Single-byte charsets
   (``iso-8859-1`` is a Java server's default header, a common lie over GBK bytes)
   decode anything, so they are kept for step 8;
4. bytes that are *almost* valid UTF-8 (a few corrupt sequences among many valid ones);
5. GB18030 and Big5 (big5hkscs, cp950) by strict validity. Big5 bytes are usually
   valid GB18030 too (and short GB2312 texts valid Big5): a tie goes to the reading
   with more common hanzi, then to chardet limited to those two. The same check
   overrules a *declared* GB or Big5 charset whose rival reads clearly better;
6. a multi-byte candidate with errors in at most :data:`SINGLE_BYTE_ERROR_SHARE` of the
   non-ASCII bytes (GBK pages with a few broken characters) — no chardet needed;
7. chardet on the first :data:`DETECT_SAMPLE_BYTES` (UTF-16 without BOM, Western pages);
8. the candidate with the fewest errors, decoded with ``errors="replace"``;
   ``info["replacements"]`` counts the U+FFFD produced. Single-byte candidates win
   only when every multi-byte one errs on more than that share.

A candidate whose strict decoding fails only in the last :data:`TAIL_BYTES` bytes (a page
cut inside a multi-byte character) counts as decoding: the partial character is dropped
and reported as one replacement.

GB2312/GBK/cp936 labels decode as GB18030 (its superset); Big5 labels decode as
big5hkscs, or cp950 when only that decodes. Limitation: undeclared EUC-KR/Shift_JIS
pages may decode as GB18030 (the cleaner is for Chinese pages).

>>> decode("鹤壁市科技局".encode("gbk"), "text/html; charset=utf-8").info["used"]
'gb18030'
>>> d = decode('<meta charset="gb2312"><p>科技</p>'.encode("utf-8"))
>>> d.text, d.info["reason"]
('<meta charset="gb2312"><p>科技</p>', 'bytes valid utf-8 despite declared gb2312')
>>> decode(b"").info["reason"]
'empty'
"""
from __future__ import annotations

import codecs
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

try:  # chardet is a declared dependency; without it detection is simply skipped
    import chardet
except ImportError:  # pragma: no cover
    chardet = None

__all__ = ["Decoded", "decode", "normalise_label", "charset_from_content_type",
           "charset_from_meta", "META_SCAN_BYTES", "DETECT_SAMPLE_BYTES", "TAIL_BYTES"]

META_SCAN_BYTES = 8192          # where <meta charset> is looked for
DETECT_SAMPLE_BYTES = 65536     # what chardet sees
TAIL_BYTES = 3                  # a strict failure this close to the end is a truncated tail
MOSTLY_UTF8_MIN_CHARS = 20      # "almost UTF-8": at least this many valid multi-byte chars …
MOSTLY_UTF8_RATIO = 50          # … and at most one error per this many of them
CONFIDENT_SINGLE_BYTE = 0.8     # chardet single-byte guesses below this wait for step 8
SINGLE_BYTE_ERROR_SHARE = 0.02  # errors per non-ASCII byte still taken as "this encoding, damaged"

REPLACEMENT = "\ufffd"


@dataclass(frozen=True)
class Decoded:
    """Decoded page text and how the encoding was chosen.

    ``info`` keys: ``declared_http``, ``declared_meta`` (labels as declared, or None),
    ``bom`` (codec name or None), ``detected`` (chardet's label or None, only when it
    ran), ``used`` (Python codec name), ``reason`` (short phrase), ``replacements``
    (U+FFFD produced by decoding, not present in the original).
    """

    text: str
    info: dict


class _Candidate(NamedTuple):
    codec: str    # Python codec name to decode with
    source: str   # "http header", "meta", "chardet", "fallback"
    label: str    # what the source said, lower-cased (for reasons)


# --- labels -------------------------------------------------------------------------

_GB_LABELS = frozenset({
    "gb2312", "gb_2312", "gb-2312", "gb_2312-80", "gb2312-80", "gb2312-1980", "csgb2312",
    "iso-ir-58", "csiso58gb231280", "chinese", "euc-cn", "euccn", "x-euc-cn", "gbk", "x-gbk",
    "cp936", "ms936", "windows-936", "936", "gb18030", "gb-18030", "gb18030-2000",
    "gb18030-2005", "gb18030-2022",
})
_BIG5_LABELS = frozenset({
    "big5", "big-5", "big_5", "csbig5", "cn-big5", "x-x-big5", "x-big5", "big5-hkscs",
    "big5hkscs", "big5_hkscs", "hkscs", "cp950", "ms950", "windows-950", "950",
})
_BIG5_CODECS = ("big5hkscs", "cp950")
# WHATWG: these labels mean windows-1252 in browsers.
_WINDOWS_1252_LABELS = frozenset({
    "ascii", "us-ascii", "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1",
    "iso-ir-100", "ibm819", "cp819", "csisolatin1", "x-cp1252", "windows-1252", "cp1252",
})
# Codecs a page may not select: not charsets, or unsafe (UTF-7 is an XSS vector).
_REFUSED_CODECS = frozenset({
    "utf-7", "idna", "punycode", "raw-unicode-escape", "unicode-escape", "undefined",
    "charmap", "mbcs", "oem", "palmos", "utf-8-sig",
})
_UNICODE_WIDE = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")


def normalise_label(label: str) -> str | None:
    """Map a charset label to the Python codec to decode with; None if unusable.

    GB labels become ``gb18030``; Big5 labels become the family marker ``big5``
    (decoded as big5hkscs or cp950).

    >>> [normalise_label(x) for x in ("GB2312", " x-gbk ", "gb_2312-80", "CP936")]
    ['gb18030', 'gb18030', 'gb18030', 'gb18030']
    >>> normalise_label('"UTF8"'), normalise_label("Big5-HKSCS"), normalise_label("ISO-8859-1")
    ('utf-8', 'big5', 'cp1252')
    >>> normalise_label("utf-16le"), normalise_label("no-such-charset"), normalise_label("utf-7")
    ('utf-16-le', None, None)
    """
    key = label.strip().strip("\"'").strip().lower()
    if not key or len(key) > 40:   # no real label is longer; keeps the cache small
        return None
    return _normalise_key(key)


@lru_cache(maxsize=256)
def _normalise_key(key: str) -> str | None:
    if key in _GB_LABELS:
        return "gb18030"
    if key in _BIG5_LABELS:
        return "big5"
    if key in _WINDOWS_1252_LABELS:
        return "cp1252"
    try:
        info = codecs.lookup(key)
    except (LookupError, ValueError):
        return None
    name = info.name.replace("_", "-")
    if name in _REFUSED_CODECS or not getattr(info, "_is_text_encoding", True):
        return None
    if name == "gb2312" or name == "gbk":   # aliases codecs knows but the sets above missed
        return "gb18030"
    if name in ("big5", "big5hkscs", "cp950"):
        return "big5"
    return info.name


@lru_cache(maxsize=128)
def _is_single_byte(codec: str) -> bool:
    """True for codecs that map every byte to one character (cp1252, koi8-r, …)."""
    try:
        return len(b"\xc4\xe3\xba\xc3".decode(codec, "replace")) == 4
    except Exception:
        return False


# --- GB18030 or Big5? -----------------------------------------------------------------
# Big5 bytes are usually valid GB18030 and short GB2312 texts are often valid Big5, so
# validity cannot choose between them. Real text is mostly made of common characters,
# mojibake is not: about 1,000 of the most frequent hanzi, simplified and traditional.
_COMMON_HANZI = frozenset(
    # top ~1000 simplified by frequency + their traditional forms (OpenCC s2t/s2tw/s2hk)
    "一七万三上下不与专且世业东两严並个中临为主丽举久么义之乎乐九也习乡书买乱乾亂了予争事二于云互五亚些亞亡交亦产京亮亲人什仅"
    "今介仍从他付代令以们件价任份企伊众优会传伤伦伯似但位低住体佔何余佛作你使來例供依便俄保信修個們倒候借倫值假做停健備傳傷僅"
    "像價優儿元充先光克免兒党入內全兩八公六兰共关兴兵其具养内再写军农冲决况冷准减几出击分切划列刘则刚创初判別利别到制刻則前剑"
    "剛剧副創劃劇劉劍力办功加务动助劳势勒動務勝勞勢包化北区医區十千升半华协協单卖南博占卡卫印危即却卻厂历压原去县参參又及友双"
    "反发取受变口古句另只叫可台史右叶号司吃各合吉同名后向吗君否吧含听吸呀告员呢周味呼命和品哈响員哥哪唐商啊問善喜喝喫單嗎器嚴"
    "四回因团园困围固国图國圍園圖團土圣在地场均坏坐块坚型城域執基堂堅報場塊境增壓壞士声处备复外多夜够夠夢大天太夫央失头奇奥奧"
    "女她好如妇妈始姐姑委威娘婚婦媽子字存孙学孩孫學它守安宋完宗官定宝实审客宣室宫宮害家容密富察實審寫寶对寻导封射将將專尋對導"
    "小少尔尚就尼尽局层居屋展属層屬山岁岛岸島州工左巨差己已巴市布师希帝带師席帮帶常幫干平年并幸幾广序应底府度座庭康廠廣建开异"
    "式引弟张張強弹强彈归当录形影往征待很律後得從微徵德心必志忙快念忽怀态怎怕思急性怪总恐恩息恶您情惊惡想意愛感愿態慢慮應懷成"
    "我或战戰戶户房所手才打托执批找承技把抓投抗护报担拉招择括拿持指按挥损换据授掉掌排採探接控推提換揮損搖摇擇擊擔據支收改攻放"
    "政故效敌救敗教敢散数整敵數文斗料断斯新斷方於施旁旅族无既日旧早时明易星春是显時晚普景智暗更書曾最會月有朋服望朝期木未本术"
    "机杀杂权李材村束条来東松板极构林果枪架某查标树校样核根格案條梦检楚業極楼概榮構槍樂樓標模樣樹機檢權次欢欧款歐歡止正此步武"
    "歲歷歸死段殺母每毒比毛毫民气氣水永求汉江決沉沒沙没河油治況法波注泽洋洛洲活派流测济海消深清渐減温測港游湖湾源準溫滅满滿演"
    "漢漸澤激濟灣火灭灵炮炸点為烈烟热無然煙照熱營爭爱爲父爾片版牙物特犯状狀独獨獲率王环现班現球理環甚生產用田由电男画界留略畫"
    "異當疑疗病痛療登發白百的皇皮益监盡監目直相省看真眼眾着睛睡督知短石研破确確示礼社祕神票禁福禮离种科秘积称移稅程税種稱積究"
    "空穿突立站竟章端笑笔第筆等答策简算管節範簡米类精系紀約紅納級素索紧細終組結絕給統經維網緊線編縣總織繼續红约级纪纳线组细织"
    "终经结给绝统继续维编缺网罗罪置羅美羣群義習老考者而耳职联聖聞聯聲職聽股肯育背胜胡能脑脚脫脱脸腦腳臉臨自至致臺與興舉舊航般"
    "舰船艦良色艺节花苏若苦英范草荣药莫获華营萬落葉著藏藝藥蘇蘭虑處號虽血衆行術衛衝衞衣补表被装裏補裝裡西要覆見規視親覺觀见观"
    "规视觉角解言計討託記設許訴評詞試詩話該認語誤說説誰調談請論諾謀謂講謝證識警議護讀變讓计认讨让议记讲许论设证评识诉词试诗话"
    "该语误说请诺读谁调谈谋谓谢象負財貨責貴買費資賣質负财责败货质贵费资走赶起超越趕足跑跟路跳身車軍較載輕輸轉车转轻载较输辦農"
    "边达过运近还这进远连述追退送适逃选逐這通速造連進遇運過道達遗遠適選遺避還邊那部都鄉配酒醫采释釋里重野量金銀銷錄錢錯鍾鐵钟"
    "钱铁银销错長长門開間關门问间闻队防阳阴阵阶阿附际陆陈降限院陣除险陰陳陸陽隊階随際隨險难集雖雙雜離難雨雲雷電需露靈青静靜非"
    "靠面革音響頂項順須預頓領頭題額願類顧顯顶项顺须顾顿预领题额風风飛飞食飯養餘饭首香馬驗驚马验體高鬥魚魯鮮鱼鲁鲜麗麼黃黄黑點"
    "黨龍龙"
)
_COMMON_HANZI |= frozenset("，。、：；！？“”‘’（）《》〈〉【】「」『』—…·　％")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_RIVALS = {"gb18030": _BIG5_CODECS, "big5hkscs": ("gb18030",), "cp950": ("gb18030",)}
COMMON_SAMPLE_CHARS = 20000     # text sampled for the common-hanzi share
RIVAL_MARGIN = 0.3              # a declaration loses only to a clearly better reading …
RIVAL_MIN_CHARS = 8             # … of at least this many distinct non-ASCII characters
TIE_MARGIN_BIG5 = 0.3           # undeclared, both valid: Big5 needs this lead …
TIE_MIN_CHARS = 8               # … over this many distinct non-ASCII characters;
TIE_MARGIN_GB = 0.1             # GB18030 this lead; in between chardet decides,
TIE_CHARDET_BIG5 = 0.3          # and says Big5 with at least this confidence


def _common_share(text: str) -> tuple[float, int]:
    """(share of common hanzi and CJK punctuation among the non-ASCII characters, number
    of *distinct* non-ASCII characters) in a text sample. Mojibake is rare hanzi, kana,
    Cyrillic…; a single repeated character is weak evidence either way.

    >>> _common_share("<p>鹤壁市召开科技工作会议。</p>")
    (0.75, 12)
    >>> _common_share("<p>中国科学技术发展</p>".encode("gbk").decode("big5hkscs"))
    (0.0, 8)
    """
    chars = _NON_ASCII.findall(text[:COMMON_SAMPLE_CHARS])
    if not chars:
        return 0.0, 0
    return sum(ch in _COMMON_HANZI for ch in chars) / len(chars), len(set(chars))


def _rival(raw: bytes, codec: str, text: str) -> tuple[str, str, float, float] | None:
    """If ``text`` was decoded as GB18030 (or Big5) and the other family decodes the
    bytes strictly too, reading as clearly more common hanzi: (codec, text, own share,
    rival share)."""
    for other in _RIVALS.get(codec, ()):
        try:
            other_text = raw.decode(other)
        except UnicodeDecodeError:
            continue
        mine, _ = _common_share(text)
        theirs, count = _common_share(other_text)
        if count >= RIVAL_MIN_CHARS and theirs >= mine + RIVAL_MARGIN:
            return other, other_text, mine, theirs
        return None
    return None


# --- declarations -------------------------------------------------------------------

_CT_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([^\s;"',]+)""", re.I)
_META_TAG = re.compile(rb"<meta\b[^>]{0,1024}>", re.I)   # bounded: no quadratic scans
_CHARSET_ATTR = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:\-]+)""", re.I)


def charset_from_content_type(content_type: str | bytes | None) -> str | None:
    """The charset parameter of a Content-Type header, as written.

    >>> charset_from_content_type('text/html; Charset="GBK"')
    'GBK'
    >>> charset_from_content_type("text/html") is None
    True
    """
    if not content_type:
        return None
    if isinstance(content_type, (bytes, bytearray)):
        content_type = bytes(content_type).decode("latin-1")
    match = _CT_CHARSET.search(str(content_type))
    return match.group(1) if match else None


def charset_from_meta(head: bytes) -> str | None:
    """The charset declared by the first ``<meta>`` carrying one (comments skipped),
    else by an ``<?xml … encoding=…?>`` declaration at the start.

    >>> charset_from_meta(b'<META content="text/html; charset = gb2312" http-equiv=Content-Type>')
    'gb2312'
    >>> charset_from_meta(b"<!-- <meta charset=big5> --><meta charset='GBK'/>")
    'GBK'
    """
    if b"<!--" in head:
        head = _strip_comments(head)
    for tag in _META_TAG.finditer(head):
        match = _CHARSET_ATTR.search(tag.group(0))
        if match:
            return match.group(1).decode("ascii")
    match = _XML_DECL.match(head)
    return match.group(1).decode("ascii") if match else None


def _strip_comments(head: bytes) -> bytes:
    """Drop ``<!-- … -->`` (an unclosed comment runs to the end), in linear time.

    >>> _strip_comments(b"a<!-- x -->b<!-- y")
    b'ab'
    """
    out, pos = [], 0
    while (start := head.find(b"<!--", pos)) != -1:
        out.append(head[pos:start])
        end = head.find(b"-->", start + 4)
        if end == -1:
            return b"".join(out)
        pos = end + 3
    out.append(head[pos:])
    return b"".join(out)


def _sniff_bom(raw: bytes) -> tuple[str, int] | None:
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if raw.startswith(codecs.BOM_UTF32_LE) and len(raw) % 4 == 0:   # FF FE 00 00
        return "utf-32-le", 4
    if raw.startswith(codecs.BOM_UTF32_BE):
        return "utf-32-be", 4
    if raw.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", 2
    if raw.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", 2
    return None


def _wide_layout(raw: bytes) -> str | None:
    """Guess a BOM-less UTF-16/32 byte order from where the NUL bytes of ASCII markup sit."""
    sample = raw[:4096]
    n = len(sample) - len(sample) % 4
    if n < 8:
        return None
    z = [sample[i:n:4].count(0) for i in range(4)]
    quarter = n // 4
    if min(z[1], z[2], z[3]) > quarter // 2 and z[0] < quarter // 4:
        return "utf-32-le"
    if min(z[0], z[1], z[2]) > quarter // 2 and z[3] < quarter // 4:
        return "utf-32-be"
    even, odd = z[0] + z[2], z[1] + z[3]
    floor = max(2, n // 10)
    if odd >= floor and even * 4 <= odd:
        return "utf-16-le"
    if even >= floor and odd * 4 <= even:
        return "utf-16-be"
    return None


def _expand(codec: str, source: str, label: str, raw: bytes, notes: list[str]) -> list[_Candidate]:
    """Concrete candidates for one normalised label (Big5 family, wide Unicode checks)."""
    if codec == "big5":
        return [_Candidate(c, source, label) for c in _BIG5_CODECS]
    if codec.replace("_", "-") in _UNICODE_WIDE:
        layout = _wide_layout(raw)
        family = codec.replace("_", "-")[:6]          # "utf-16" / "utf-32"
        if layout and layout.startswith(family) and (len(codec) == 6 or layout == codec):
            return [_Candidate(layout, source, label)]
        notes.append(f"{source} {label} ignored: bytes are not {family}")
        return []
    return [_Candidate(codec, source, label)]


def _declared(label: str | None, source: str, raw: bytes, notes: list[str]) -> list[_Candidate]:
    if label is None:
        return []
    codec = normalise_label(label)
    if codec is None:
        notes.append(f"unknown {source} charset {label.strip()[:40]!r} ignored")
        return []
    return _expand(codec, source, label.strip().lower(), raw, notes)


# --- decoding helpers -----------------------------------------------------------------

def _strict(raw: bytes, codec: str) -> tuple[str, int] | None:
    """Strict decode; a failure only in the last TAIL_BYTES drops that partial character
    and counts 1 replacement. None if the bytes are invalid elsewhere.

    >>> _strict("科技".encode("utf-8")[:-1], "utf-8")
    ('科', 1)
    """
    try:
        return raw.decode(codec), 0
    except UnicodeDecodeError as exc:
        if exc.start < len(raw) - TAIL_BYTES:
            return None
        try:
            head = raw[: exc.start].decode(codec)
        except (UnicodeDecodeError, LookupError):
            return None
        tail = raw[exc.start:].decode(codec, "replace").replace(REPLACEMENT, "")
        return head + tail, 1
    except LookupError:
        return None


def _replaced(raw: bytes, codec: str) -> tuple[str, int]:
    """Decode with errors="replace"; count the U+FFFD that were not in the original."""
    text = raw.decode(codec, "replace")
    produced = text.count(REPLACEMENT)
    if produced:
        try:
            produced -= raw.count(REPLACEMENT.encode(codec))
        except (UnicodeError, LookupError):
            pass
    return text, max(produced, 0)


def _utf8_counts(raw: bytes) -> tuple[str, int, int]:
    """(text decoded with replacements, valid multi-byte characters, errors)."""
    text, bad = _replaced(raw, "utf-8")
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return text, non_ascii - text.count(REPLACEMENT), bad


def _mostly_utf8(raw: bytes) -> tuple[str, int] | None:
    """UTF-8 with a few corrupt sequences among many valid multi-byte characters.

    A 32 KB sample rejects legacy-encoded pages before the whole page is decoded."""
    if len(raw) > 32768:
        _, good, bad = _utf8_counts(raw[:32768])
        if bad > 1 and bad * MOSTLY_UTF8_RATIO > good:   # 1: the sample may cut a character
            return None
    text, good, bad = _utf8_counts(raw)
    if good >= MOSTLY_UTF8_MIN_CHARS and bad * MOSTLY_UTF8_RATIO <= good:
        return text, bad
    return None


def _detect(raw: bytes, only: tuple[str, ...] | None = None) -> tuple[str | None, float]:
    """chardet on the first DETECT_SAMPLE_BYTES, optionally limited to some encodings."""
    if chardet is None:
        return None, 0.0
    try:
        if only:
            with warnings.catch_warnings():   # "no_match_encoding excluded" warning
                warnings.simplefilter("ignore")
                result = chardet.detect(raw[:DETECT_SAMPLE_BYTES], include_encodings=only)
        else:
            result = chardet.detect(raw[:DETECT_SAMPLE_BYTES])
    except Exception:
        return None, 0.0
    return result.get("encoding"), float(result.get("confidence") or 0.0)


def _info(http: str | None, meta: str | None, bom: str | None) -> dict:
    return {"declared_http": http, "declared_meta": meta, "bom": bom, "detected": None,
            "used": "utf-8", "reason": "", "replacements": 0}


def _finish(info: dict, text: str, codec: str, reason: str, replacements: int,
            notes: list[str] = ()) -> Decoded:
    if text.startswith("\ufeff"):
        text = text[1:]
    info.update(used=codec, reason="; ".join([*notes, reason]), replacements=replacements)
    return Decoded(text, info)


# --- the decision -------------------------------------------------------------------

def decode(raw: bytes, content_type: str | None = None) -> Decoded:
    """Decode page bytes using BOM, header, meta, validity and detection (see module doc).

    Never raises for bytes input.

    >>> d = decode("蘭州市科技局".encode("big5"), "text/html; charset=big5")
    >>> d.text, d.info["used"], d.info["reason"]
    ('蘭州市科技局', 'big5hkscs', 'http header')
    """
    if not isinstance(raw, (bytes, bytearray, memoryview)):
        raise TypeError(f"raw must be bytes, not {type(raw).__name__}")
    raw = bytes(raw)
    try:
        return _decode(raw, content_type)
    except Exception as exc:  # last line of defence: a bug here must not stop a batch
        text, count = _replaced(raw, "utf-8")
        info = _info(None, None, None)
        reason = f"internal error {type(exc).__name__}; utf-8 replace"
        return _finish(info, text, "utf-8", reason, count)


def _decode(raw: bytes, content_type: str | None) -> Decoded:
    if not raw:
        return _finish(_info(None, None, None), "", "utf-8", "empty", 0)

    http_label = charset_from_content_type(content_type)
    bom = _sniff_bom(raw)
    head = raw[:META_SCAN_BYTES]
    if bom and bom[0] != "utf-8":   # report a meta written in UTF-16/32 too (it loses to the BOM)
        wide_head = raw[bom[1]: bom[1] + META_SCAN_BYTES * (2 if "16" in bom[0] else 4)]
        head = wide_head.decode(bom[0], "ignore").encode("utf-8")
    meta_label = charset_from_meta(head)
    info = _info(http_label, meta_label, bom[0] if bom else None)

    if bom:
        codec, size = bom
        body = raw[size:]
        result = _strict(body, codec) or _replaced(body, codec)
        return _finish(info, result[0], codec, "bom", result[1])

    notes: list[str] = []
    declared = (_declared(http_label, "http header", raw, notes)
                + _declared(meta_label, "meta", raw, notes))
    strong = [c for c in declared if not _is_single_byte(c.codec)]
    weak = [c for c in declared if _is_single_byte(c.codec)]
    is_ascii = raw.isascii()

    # Valid UTF-8 with non-ASCII content beats any declaration.
    if not is_ascii:
        result = _strict(raw, "utf-8")
        if result and not (result[1] and result[0].isascii()):
            if declared and declared[0].codec == "utf-8":
                reason = declared[0].source
            elif declared:
                reason = f"bytes valid utf-8 despite declared {declared[0].label}"
            else:
                reason = "no declaration; bytes valid utf-8"
            return _finish(info, result[0], "utf-8", reason, result[1], notes)

    tried: list[_Candidate] = []

    def attempt(cands: list[_Candidate], phrase) -> Decoded | None:
        for i, cand in enumerate(cands):
            if all(cand.codec != t.codec for t in tried):
                tried.append(cand)
                result = _strict(raw, cand.codec)
                if result:
                    rival = _rival(raw, cand.codec, result[0]) if cand.codec in _RIVALS else None
                    if rival:
                        other, text, mine, theirs = rival
                        reason = (f"{cand.source} {cand.label} reads as mojibake; {other} by "
                                  f"common hanzi ({theirs:.2f} vs {mine:.2f})")
                        return _finish(info, text, other, reason, 0, notes)
                    return _finish(info, result[0], cand.codec, phrase(cand), result[1], notes)
            last_of_label = all(c[1:] != cand[1:] for c in cands[i + 1:])
            if cand.source in ("http header", "meta") and last_of_label:
                note = f"declared {cand.label} invalid"
                if note not in notes:
                    notes.append(note)
        return None

    def declared_phrase(cand: _Candidate) -> str:
        return f"{cand.source} {cand.label}" if notes else cand.source

    found = attempt(strong, declared_phrase)
    if found:
        return found
    if is_ascii:   # no declaration, or only unusable ones
        found = attempt(weak, declared_phrase)
        if not found and b"\x00" in raw:
            layout = _wide_layout(raw)
            if layout:
                found = attempt([_Candidate(layout, "layout", layout)],
                                lambda c: f"no BOM; {c.codec} by NUL layout")
        return found or _finish(info, raw.decode("ascii"), "utf-8", "ascii only", 0, notes)

    result = _mostly_utf8(raw)
    if result:
        return _finish(info, result[0], "utf-8",
                       f"mostly valid utf-8 ({result[1]} replacements)", result[1], notes)

    # GB18030 vs Big5 by validity; chardet only breaks a tie (both valid) or, when
    # neither is valid, proposes something else (Shift_JIS, UTF-16 without BOM, …).
    gb = _Candidate("gb18030", "fallback", "gb18030")
    big5 = [_Candidate(c, "fallback", c) for c in _BIG5_CODECS]
    gb_result = _strict(raw, gb.codec) if all(t.codec != gb.codec for t in tried) else None
    big5_pick = None
    for cand in big5:
        if all(t.codec != cand.codec for t in tried):
            result = _strict(raw, cand.codec)
            if result:
                big5_pick = (cand, result)
                break
    tried += [gb, *big5]
    if gb_result and big5_pick:
        # Mainland pages are the norm: Big5 must read clearly better, or chardet be fairly sure.
        gb_share, _ = _common_share(gb_result[0])
        big5_share, big5_count = _common_share(big5_pick[1][0])
        if big5_share >= gb_share + TIE_MARGIN_BIG5 and big5_count >= TIE_MIN_CHARS:
            cand, result = big5_pick
            phrase = f"{cand.codec} by common hanzi ({big5_share:.2f} vs {gb_share:.2f})"
            return _finish(info, result[0], cand.codec, phrase, result[1], notes)
        if gb_share >= big5_share + TIE_MARGIN_GB:
            phrase = f"gb18030 by common hanzi ({gb_share:.2f} vs {big5_share:.2f})"
            return _finish(info, gb_result[0], "gb18030", phrase, gb_result[1], notes)
        label, confidence = _detect(raw, ("gb18030", "big5"))
        info["detected"] = label.lower() if label else None
        if label and normalise_label(label) == "big5" and confidence >= TIE_CHARDET_BIG5:
            cand, result = big5_pick
        else:
            cand, result = gb, gb_result
        phrase = f"chardet {cand.codec} ({confidence:.2f})" if label else f"fallback {cand.codec}"
        return _finish(info, result[0], cand.codec, phrase, result[1], notes)
    if gb_result or big5_pick:
        cand, result = (gb, gb_result) if gb_result else big5_pick
        return _finish(info, result[0], cand.codec, f"fallback {cand.codec}", result[1], notes)

    # Nothing decodes strictly. A few broken characters in a GBK page (a title cut
    # mid-character) should not cost a full chardet run.
    multi = [c for c in tried if not _is_single_byte(c.codec)]
    nearest = _fewest_errors(raw, multi)
    if nearest[0] <= SINGLE_BYTE_ERROR_SHARE * _non_ascii(raw):
        return _replaced_result(info, nearest, notes)

    label, confidence = _detect(raw)
    detected: list[_Candidate] = []
    if label:
        info["detected"] = label.lower()
        codec = normalise_label(label)
        if codec:
            detected = _expand(codec, "chardet", label.lower(), raw, notes)
    confident = [c for c in detected
                 if not _is_single_byte(c.codec) or confidence >= CONFIDENT_SINGLE_BYTE]
    unsure = [c for c in detected if c not in confident]
    found = attempt(confident, lambda c: f"chardet {c.codec} ({confidence:.2f})")
    if found:
        return found

    # Still nothing: fewest errors among multi-byte candidates, unless they all err a
    # lot and a single-byte candidate (weak declaration, unsure chardet guess) decodes.
    # A single-byte codec decodes almost anything, so alone it is no evidence.
    best = min(nearest, _fewest_errors(raw, [c for c in confident if c not in multi], first=50))
    single = [c for c in tried if _is_single_byte(c.codec)] + weak + unsure
    if single and best[0] > SINGLE_BYTE_ERROR_SHARE * _non_ascii(raw):
        best = min(best, _fewest_errors(raw, single, first=100))
    if best[0] == 0:
        cand = best[2]
        phrase = (f"chardet {cand.codec} ({confidence:.2f})" if cand.source == "chardet"
                  else f"{cand.source} {cand.label}")
        return _finish(info, best[3], cand.codec, f"{phrase}; multi-byte candidates fail", 0, notes)
    return _replaced_result(info, best, notes)


_NO_CANDIDATE = (1 << 62, 1 << 62, _Candidate("utf-8", "fallback", "utf-8"), "")


def _fewest_errors(raw: bytes, cands: list[_Candidate], first: int = 0
                   ) -> tuple[int, int, _Candidate, str]:
    """(errors, priority, candidate, text) of the candidate with the fewest replacements;
    UTF-8 always competes. Ties go to the earlier candidate."""
    best = _NO_CANDIDATE
    seen = set()
    for priority, cand in enumerate([*cands, _Candidate("utf-8", "fallback", "utf-8")], first):
        if cand.codec in seen:
            continue
        seen.add(cand.codec)
        try:
            text, errors = _replaced(raw, cand.codec)
        except LookupError:
            continue
        best = min(best, (errors, priority, cand, text), key=lambda s: s[:2])
    return best


def _non_ascii(raw: bytes) -> int:
    return len(raw) - len(raw.decode("ascii", "ignore"))


def _replaced_result(info: dict, scored: tuple[int, int, _Candidate, str],
                     notes: list[str]) -> Decoded:
    errors, _, cand, text = scored
    return _finish(info, text, cand.codec, f"fallback {cand.codec} with {errors} replacements",
                   errors, notes)
