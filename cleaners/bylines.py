"""Who wrote and who edited a page: person names in bylines, credits and datelines.

A value is kept only when it reads as names. The question after 记者： in an interview, a
web address in ``article:author``, markup residue such as ``size="20"`` or a counter
(阅读(1660)) is not an author; a labelled line whose value is rejected stays in the text.

Credits handled (texts are the simplified view of a block):

- whole lines: 张掖市融媒体中心记者 陈海 · 文/张三 · 记者张三/文 · 记者林悦／南市报导 ·
  （记者 张三 通讯员 李四）· （张三 上海报道）
- at the end of a paragraph: ……。（总台记者 张三）· ……。（张三／台中报导）· ……。（张三 李四）
  (names alone only when each starts with a common surname)
- datelines: 新华社北京3月5日电（记者 张三、李四）· 本报讯（记者 张三）· 据新华社拉萨电（记者 张三）
- schema.org JSON-LD ``author`` (a Person, or its name), and meta tags
"""
from __future__ import annotations

import json
import re

from cleaners.script import simplified_view
from cleaners.selectors import COMPOUND_SURNAMES, SURNAMES
from cleaners.spaces import unspaced

_CJK_NAME = r"[\u4e00-\u9fff·]{2,4}"
_NAMES = _CJK_NAME + r"(?:[\s、，,]+" + _CJK_NAME + r")*"
_ROLE = r"(?:特约记者|见习记者|实习记者|记者|特约评论员|评论员|通讯员|实习生|撰稿人|撰稿|执笔)"
_REPORTED = r"[\u4e00-\u9fff]{0,8}(?:报道|报导)"
_OPEN, _CLOSE = r"[（(【\[]", r"[）)】\]]"

# 张掖市融媒体中心记者 陈海 / 记者张三/文 / 记者林悦／南市报导 / （记者 张三 通讯员 李四）
_REPORTER_LINE = re.compile(
    r"^" + _OPEN + r"?\s*[\u4e00-\u9fff·\s]{0,16}?" + _ROLE + r"\s*(?P<value>" + _NAMES + r")"
    r"(?P<more>(?:\s*" + _ROLE + r"\s*" + _NAMES + r")*)"
    r"(?:\s*(?:摄影|摄|报道)\s*[\u4e00-\u9fff·]{0,4})?"
    r"(?:\s*[/／]\s*(?:文|图|摄|文图|图文|" + _REPORTED + r"))?\s*" + _CLOSE + r"?\s*$")
# 文/张三, （文／张三 李四）, 图文/张三, 【文/某某网专栏作者 张三】
_SLASH_LINE = re.compile(
    r"^" + _OPEN + r"?\s*(?:文|文字|图文|文图|撰文)\s*[/／]\s*(?:[\u4e00-\u9fff]{0,12}?(?:作者|研究员|评论员|" + _ROLE
    + r")\s*)?(?P<value>" + _NAMES + r")\s*" + _CLOSE + r"?$")
# （张三 上海报道）, （张三／台中报导）
_REPORTED_LINE = re.compile(
    r"^" + _OPEN + r"\s*(?P<value>" + _NAMES + r")\s*[/／\s]\s*" + _REPORTED + r"\s*" + _CLOSE + r"$")
_TRAILING_BRACKET = re.compile(r"(?:^|(?<=[。！？!?”\"’」』…]))\s*(?P<inner>[（(][^（）()]{2,30}[）)])\s*$")
_NAME_ONLY_BRACKET = re.compile(r"^[（(]\s*(?P<value>" + _NAMES + r")\s*[）)]$")
# bracketed words that start with a surname character but are no name
_NOT_NAMES = re.compile(r"^(?:全文完|万元|左右|原文)$")
_DATELINE = re.compile(
    r"^[\u4e00-\u9fff·]{1,16}?(?P<date>\d{1,2}月\d{1,2}日)?(?P<kind>电|讯)\s*[（(]\s*"
    r"(?P<role>[\u4e00-\u9fff]{0,6}?" + _ROLE + r")?\s*(?P<value>" + _NAMES + r")"
    r"(?P<more>(?:\s*" + _ROLE + r"\s*" + _NAMES + r")*)\s*[)）]")

# 河南商报记者张三/文 at the start of the first paragraph, the text running on after it
_LEAD_CREDIT = re.compile(
    r"^[\u4e00-\u9fff·\s]{0,16}?" + _ROLE + r"\s*(?P<value>" + _NAMES + r")\s*[/／]\s*(?:文|图文|文图)")

# What a name token may not be: job titles and page furniture that follow a name.
_STOP_WORDS = frozenset((
    "记者", "编辑", "责编", "责任编辑", "通讯员", "实习生", "摄影", "摄", "文", "图", "报道", "整理", "供稿",
    "审核", "校对", "发布", "来源", "打印", "关闭", "分享", "收藏", "字号", "字体", "浏览", "阅读", "评论",
    "点击", "返回", "顶部", "发表于", "发表", "编辑部", "本报", "本网", "本站",
    # not a person: 作者：网络整理 / 佚名 / admin
    "网络", "网络整理", "网友", "佚名", "匿名", "未知", "不详", "小编", "管理员", "admin", "Admin", "原创", "转载",
    "锁定", "讨论", "收起", "展开", "更多", "登录", "注册", "纠错", "反馈", "投诉",
))
_TOKEN_SPLIT = re.compile(r"[\s、，,;；/／|]+")
_EDGE = "()（）[]【】<>《》\"“”'‘’:：.。"
_BAD_VALUE = re.compile(r"https?:|www\.|@|\.(?:com|cn|net|org)\b|=|[<>{}]|[？?！!。；;]", re.I)
_BAD_TOKEN = re.compile(r"[\[\]【】()（）<>《》:：\"“”]|\d{3,}")
_STAFF_CODE = re.compile(r"(?<=[\u4e00-\u9fff])_?[A-Z]{1,4}\d{2,6}$|^[A-Z]{1,4}\d{2,6}$")  # 杨倩_NF4425, PN054
_ROLE_PREFIX = re.compile(r"^[\u4e00-\u9fff]{0,6}?" + _ROLE + r"|^[\u4e00-\u9fff]{0,4}?(?:责任编辑|编辑)$")
_HANDLE = re.compile(r"^[A-Za-z][\w.\-&']{0,30}$")


def person_names(value: str | None, limit: int = 8) -> str | None:
    """The names at the start of a labelled value, space-separated; None when the value does
    not start with a name.

    >>> person_names("zboygirl 阅读(1660) 评论(5)"), person_names("赵婕 出自[人民文学出版社")
    ('zboygirl', '赵婕')
    >>> person_names("张晓华、李明"), person_names("你通过什么渠道最快的获取这些信息？")
    ('张晓华 李明', None)
    >>> person_names("https://www.facebook.com/somepaper"), person_names('size="20"')
    (None, None)
    >>> person_names("杨倩_NF4425"), person_names("支全明 SF099"), person_names("宪瑞 人气： 5380 次")
    ('杨倩', '支全明', '宪瑞')
    >>> person_names("本报记者 张三 李四"), person_names("记者张三")
    ('张三 李四', '张三')
    >>> person_names("系统管理员"), person_names("网站编辑"), person_names("Administrator")
    (None, None, None)
    """
    if not value:
        return None
    value = value.strip(" \t\r\n" + _EDGE)
    bad = _BAD_VALUE.search(value)
    if bad:                                        # keep what comes before an address or a "?"
        value = value[:bad.start()]
        if not value or not value[-1].isspace():   # the first word itself is the address
            return None
    names = []
    for token in _TOKEN_SPLIT.split(value):
        if token.endswith((":", "：")):              # the next label (人气：) ends the names
            break
        token = _ROLE_PREFIX.sub("", _STAFF_CODE.sub("", token).strip(_EDGE))
        if not token:                                # 本报记者 张三: the role, then the name
            continue
        if not _name_like(token):
            break
        names.append(token)
        if len(names) >= limit:
            break
    return " ".join(names) or None


# Accounts and roles that sites print where a name belongs: 系统管理员, 网站编辑, admin.
_ROLE_ACCOUNT = re.compile(
    r"^(?:(?:系统|网站|超级|站点|后台|信息|内容|平台)?管理员|(?:网站|本站|本网|网络|新闻|值班)?编辑(?:部|组|室)?|"
    r"小编|站长|网管|(?:信息|发布|录入|审核|宣传)员|admin(?:istrator)?|webmaster|root|system|sysadmin|editor|"
    r"guest|user\d*|匿名用户|游客)$", re.I)


def _name_like(token: str) -> bool:
    if token in _STOP_WORDS or len(token) > 20 or _BAD_TOKEN.search(token) or _ROLE_ACCOUNT.match(token):
        return False
    cjk = sum("\u4e00" <= c <= "\u9fff" for c in token)
    if cjk == len(token.replace("·", "")):          # all Chinese: a name, or a transliteration with ·
        return 2 <= cjk <= (12 if "·" in token else 5)
    if not cjk:
        return bool(_HANDLE.match(token))
    return len(token) <= 12                         # a nickname mixing scripts: 放飞&心情


_UNIT_END = frozenset("区县市局办委科处所站院部会厅室镇乡村省州团队组司校馆社厂网台报")


def surname_name(token: str) -> bool:
    """A 2–3 character Chinese name that starts with a common surname (or a compound one).
    Units that start like one — 高新区, 金融办, 江北区 — end in a unit word and are not names.

    >>> [surname_name(t) for t in ("张倩", "欧阳小明", "高新区", "金融办", "新闻")]
    [True, True, False, False, False]
    """
    if token[-1] in _UNIT_END:
        return False
    if token[:2] in COMPOUND_SURNAMES:
        return 3 <= len(token) <= 4
    return 2 <= len(token) <= 3 and token[0] in SURNAMES and not _NOT_NAMES.match(token)


def _join(*parts: str | None) -> str | None:
    """The names matched by a credit pattern, checked like any labelled value."""
    return person_names(" ".join(p for p in parts if p))


def credit_line(text: str) -> str | None:
    """The author(s) of a line that is nothing but a credit (see the module docstring)."""
    if len(text) > 60:
        return None
    for pattern in (_REPORTER_LINE, _SLASH_LINE, _REPORTED_LINE):
        m = pattern.match(text.strip())
        if m:
            return _join(m["value"], m.groupdict().get("more"))
    return None


_NAME_SPLIT = re.compile(r"[\s、，,]+")


def trailing_credit(text: str) -> str | None:
    """A credit in brackets closing a paragraph (or forming it): ……。（记者 张三）."""
    m = _TRAILING_BRACKET.search(text[-40:])
    if not m:
        return None
    inner = m["inner"]
    found = credit_line(inner)
    if found:
        return found
    only = _NAME_ONLY_BRACKET.match(inner)
    if only:
        names = [n for n in _NAME_SPLIT.split(only["value"]) if n]
        if 1 <= len(names) <= 4 and all(surname_name(n) for n in names):
            return " ".join(names)
    return None


def dateline_author(text: str) -> str | None:
    """The reporter in a news dateline, or a 记者张三/文 credit opening the first paragraph.

    >>> dateline_author("新华社北京3月5日电（记者 张晓华、李明）3月5日上午…")
    '张晓华 李明'
    >>> dateline_author("本报讯（记者 王小二 通讯员 李四）近日…"), dateline_author("据新华社拉萨电（记者 格桑）")
    ('王小二 李四', '格桑')
    >>> dateline_author("市民来电（张先生）反映…") is None
    True
    """
    m = _DATELINE.match(text)
    if m and (m["date"] or m["role"] or m["kind"] == "讯"):
        return _join(m["value"], m["more"])
    m = _LEAD_CREDIT.match(text)
    return _join(m["value"]) if m else None


_FULL_NAME = re.compile(r"^[A-Z][a-z'\-]+(?: [A-Z][a-z'\-.]*)+$")


def meta_author(value: str | None) -> str | None:
    """Author meta tags (``author``, ``article:author``) mostly name the site (网易,
    chinanews): only Chinese personal names (surname first) or a Latin full name count.

    >>> meta_author("网易"), meta_author("倪仕轩"), meta_author("Joel Spolsky"), meta_author("chinanews")
    (None, '倪仕轩', 'Joel Spolsky', None)
    """
    names = person_names(value)
    if not names:
        return None
    if _FULL_NAME.match(names):
        return names
    return names if all(surname_name(t) for t in names.split()) else None


# A line of production credits: 编辑 周一 ｜ 排版 魏二 · 摄影/张三 编辑/李四 · 作者︱春春 ·
# 采写：南都见习记者 林五 · 监 制：高明勇. Author and editor values must read as names.
_CREDIT_ROLES = {
    "author": ("作者", "记者", "采写", "撰文", "执笔"),
    "editor": ("责任编辑", "值班编辑", "本版编辑", "网络编辑", "责编", "编辑"),
    "other": ("总监制", "监制", "摄影", "摄像", "图片", "校对", "审核", "审读", "审校", "制作", "排版", "统筹",
              "策划", "主编", "出品", "设计", "视觉"),
}
_SHORT_ROLES = {"author": ("文",), "other": ("图",)}          # need a separator: 文/张三, 图｜李四
_CREDIT_KIND = {r: k for k, roles in _CREDIT_ROLES.items() for r in roles}
_CREDIT_KIND.update({r: k for k, roles in _SHORT_ROLES.items() for r in roles})
_SEP = r"\s*[:：/／︱|｜]\s*"
_ROLE_AT = re.compile(
    r"(?:^|(?<=[\s|｜·/／︱]))(?P<role>" + "|".join(r"\s?".join(r) for r in sorted(
        (r for roles in _CREDIT_ROLES.values() for r in roles), key=len, reverse=True)) + r")(?=" + _SEP + r"|\s)"
    r"|(?:^|(?<=[\s|｜·]))(?P<short>文|图)(?=" + _SEP + r")")
# the first character of every role: a line with none of them holds no credit
_ROLE_FIRST = frozenset(r[0] for roles in (*_CREDIT_ROLES.values(), *_SHORT_ROLES.values()) for r in roles)
_SENTENCE_MARK = re.compile(r"[，。！？；]")
_SUPPLIED = re.compile(r"^[\u4e00-\u9fff、]{2,20}(?:供稿|提供)$")
_LEADING_SEP = re.compile(r"^" + _SEP)
_NOT_A_NAME_MARK = re.compile(r"[，。！？；,!?;:：]")


def credits_line(text: str) -> dict | None:
    """Author and editor from a line made only of credits; None when the line is anything else.

    >>> credits_line("编辑 周一 ｜ 排版 魏二"), credits_line("作者︱春春")
    ({'editor': '周一'}, {'author': '春春'})
    >>> credits_line("某某支部供稿 摄影/张三 编辑/李四")
    {'editor': '李四'}
    >>> credits_line("编辑部收到了很多来信") is None, credits_line("作者认为，这是好事。") is None
    (True, True)
    """
    text = text.strip()
    if len(text) > 80 or _SENTENCE_MARK.search(text) or _ROLE_FIRST.isdisjoint(text):
        return None                                  # most lines: a sentence, or no role, at once
    marks = list(_ROLE_AT.finditer(text))
    if not marks:
        return None
    lead = text[:marks[0].start()].strip(" ·|｜")
    if lead and not _SUPPLIED.match(lead):
        return None
    found: dict = {}
    for i, m in enumerate(marks):
        role = unspaced(m["role"] or m["short"])
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        value = _LEADING_SEP.sub("", text[m.end():end]).strip(" ·|｜")
        kind = _CREDIT_KIND[role]
        if not value or len(value) > 30 or _NOT_A_NAME_MARK.search(value):
            return None                # a sentence, or more labels (来源：…) for parse_field_line
        if kind in ("author", "editor"):
            names = person_names(value)
            if not names:
                return None
            spaced = not _LEADING_SEP.match(text[m.end():end])   # 编辑 周一: weaker than 编辑/周一
            if spaced and not all(surname_name(n) for n in names.split()):
                return None                                  # 编辑 锁定 讨论 is a toolbar
            found.setdefault(kind, names)
    return found


def credit_fields(text: str) -> dict | None:
    """Fields of a line that is nothing but credits — production credits (编辑|X 校对|Y) or a
    reporter's credit (某某报记者 张三) — or None when the line is anything else."""
    found = credits_line(text)
    if found is not None:
        return found
    author = credit_line(text)
    return {"author": author} if author else None


_LD_AUTHOR = re.compile(r'"author"\s*:\s*(\[[^\[\]]*\]|\{[^{}]*\}|"(?:[^"\\]|\\.)*")')
_LD_LABEL = re.compile(r"^(?:作者|记者|文)\s*[:：/／]\s*")     # "name": "作者：张三"


def jsonld_author(tree, scripts: list | None = None) -> str | None:
    """The author named in schema.org JSON-LD: ``"author": {"@type": "Person", "name": …}``,
    a list of them, or a plain string; organisations are not authors. ``scripts``: the
    page's <script> elements when the caller has them (cleaners.survey)."""
    for script in tree.iter("script") if scripts is None else scripts:
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        for m in _LD_AUTHOR.finditer(script.text):
            try:
                value = json.loads(m.group(1))
            except ValueError:
                continue
            names = []
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    if "organization" in str(item.get("@type", "")).lower():
                        continue
                    item = item.get("name")
                if isinstance(item, str) and item.strip():
                    view = simplified_view(item.strip())
                    found = credit_line(view) or person_names(_LD_LABEL.sub("", view))
                    if found:
                        names.append(found)
            if names:
                return " ".join(dict.fromkeys(names))
    return None

