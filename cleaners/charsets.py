"""Charset labels and what a page declares about its encoding: normalising labels
(GB2312/GBK/cp936 → GB18030, Big5 → big5hkscs), the HTTP Content-Type and ``<meta>``
declarations, byte-order marks and BOM-less UTF-16/32 layouts, and the GB18030-or-Big5
question that both readings of the same bytes raise. :mod:`cleaners.encoding` decides."""
from __future__ import annotations

import codecs
import re
from functools import lru_cache

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
BIG5_CODECS = ("big5hkscs", "cp950")
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
UNICODE_WIDE = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")


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
def is_single_byte(codec: str) -> bool:
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
RIVALS = {"gb18030": BIG5_CODECS, "big5hkscs": ("gb18030",), "cp950": ("gb18030",)}
COMMON_SAMPLE_CHARS = 20000     # text sampled for the common-hanzi share
RIVAL_MARGIN = 0.3              # a declaration loses only to a clearly better reading …
RIVAL_MIN_CHARS = 8             # … of at least this many distinct non-ASCII characters
TIE_MARGIN_BIG5 = 0.3           # undeclared, both valid: Big5 needs this lead …
TIE_MIN_CHARS = 8               # … over this many distinct non-ASCII characters;
TIE_MARGIN_GB = 0.1             # GB18030 this lead; in between chardet decides,
TIE_CHARDET_BIG5 = 0.3          # and says Big5 with at least this confidence


def common_share(text: str) -> tuple[float, int]:
    """(share of common hanzi and CJK punctuation among the non-ASCII characters, number
    of *distinct* non-ASCII characters) in a text sample. Mojibake is rare hanzi, kana,
    Cyrillic…; a single repeated character is weak evidence either way.

    >>> common_share("<p>鹤壁市召开科技工作会议。</p>")
    (0.75, 12)
    >>> common_share("<p>中国科学技术发展</p>".encode("gbk").decode("big5hkscs"))
    (0.0, 8)
    """
    chars = _NON_ASCII.findall(text[:COMMON_SAMPLE_CHARS])
    if not chars:
        return 0.0, 0
    return sum(ch in _COMMON_HANZI for ch in chars) / len(chars), len(set(chars))


def rival(raw: bytes, codec: str, text: str) -> tuple[str, str, float, float] | None:
    """If ``text`` was decoded as GB18030 (or Big5) and the other family decodes the
    bytes strictly too, reading as clearly more common hanzi: (codec, text, own share,
    rival share)."""
    for other in RIVALS.get(codec, ()):
        try:
            other_text = raw.decode(other)
        except UnicodeDecodeError:
            continue
        mine, _ = common_share(text)
        theirs, count = common_share(other_text)
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


def sniff_bom(raw: bytes) -> tuple[str, int] | None:
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


def wide_layout(raw: bytes) -> str | None:
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
