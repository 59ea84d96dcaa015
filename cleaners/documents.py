"""The canonical fields of a government document (政府信息公开): index number, document
number, issuer, dates, topic, subject words, validity and form, as ``record["doc"]``.

They come from the 信息公开 header table in its many layouts — label and value in one cell
(索引号：…), in neighbouring cells, dt/dd or span pairs, or a row of labels over a row of
values; labels padded with spaces (索  引 号, 发文机关　) — from gov meta tags where a site
puts them, and from the document number printed under the title (甘科计〔2023〕12号). The
raw ``doc_info`` (label → value of the lines lifted out of the text) is read too and kept.
A page that is no document gets an empty ``doc``.
"""
from __future__ import annotations

import re

from cleaners.dates import parse_date
from cleaners.spaces import squash, unspaced
from cleaners.tree import text_of

# canonical key → labels, longest first where one is the start of another
LABELS = {
    "index_no": ("信息索引号", "内容索引号", "索引号"),
    "number": ("发文字号", "发文文号", "文件编号", "文件字号", "发文号", "文号"),
    "issuer": ("发文机关", "发文机构", "发文单位", "发布机构", "发布单位", "成文单位", "制发机关", "发布机关"),
    "written_at": ("成文日期", "成文时间", "印发日期", "签发日期", "发文日期"),
    "published_at": ("发布日期", "公开日期", "公开时间", "发布时间"),
    "topic": ("主题分类", "信息分类", "组配分类", "所属主题", "分类"),
    "subject_words": ("主题词",),
    "validity": ("有效性", "效力状态", "时效性", "是否有效", "有效状态"),
    "effective_at": ("实施日期", "生效日期", "施行日期", "生效时间", "施行时间"),
    "expires_at": ("废止日期", "失效日期", "失效时间", "废止时间"),
    "form": ("体裁分类", "公文种类", "体裁", "文种"),
}
_KEY_OF = {label: key for key, labels in LABELS.items() for label in labels}
_DATE_KEYS = ("written_at", "published_at", "effective_at", "expires_at")
# the keys that make a page a document (a 发布日期 alone does not)
_DOCUMENT_KEYS = ("index_no", "number", "written_at", "validity", "subject_words", "effective_at", "expires_at")
# gov meta tags some CMSs write for documents (names lower-cased)
_META = {"indexnumber": "index_no", "index_no": "index_no", "syh": "index_no", "fileno": "number", "docno": "number",
         "fwzh": "number", "wh": "number", "fbjg": "issuer", "fwjg": "issuer", "cwrq": "written_at",
         "writtendate": "written_at"}

_SPACES = r"[\s\u3000\u00a0]*"
_LABEL_RE = "|".join(_SPACES.join(map(re.escape, label)) for label in sorted(_KEY_OF, key=len, reverse=True))
# a cell that starts with a label: 索  引 号：1162…, 发文机关 某某局, 成文日期
_LABELLED = re.compile(r"^[\s\u3000\u00a0【\[]*(?P<label>" + _LABEL_RE + r")[\s\u3000\u00a0】\]]*[:：]?[\s\u3000\u00a0]*(?P<value>.*)$",
                       re.S)
# labels only document pages print: a page without one of them skips the table scan
_ANY_LABEL = re.compile(_LABEL_RE)
# each label → where shows_a_label looks first in it: a character the label shares with others,
# rare in text, and whose low byte is no printable ASCII (str.find in a UCS-2 string first
# looks for that byte: 索 U+7D22 stops at every '"' of a page, 号 U+53F7 at hardly anything)
_QUICK_ANCHOR = {"索引号": "号", "文号": "号", "字号": "号", "成文日期": "期", "废止日期": "期", "发文机关": "文",
                 "有效性": "效", "效力状态": "效", "主题分类": "题", "主题词": "题", "发布机构": "布"}
_QUICK_LABELS = tuple(_QUICK_ANCHOR)
_QUICK = re.compile("|".join(_SPACES.join(label) for label in _QUICK_LABELS))
_QUICK_AT: dict[str, list[tuple[str, int]]] = {}       # anchor → (label, the anchor's place in it)
for _label, _anchor in _QUICK_ANCHOR.items():
    _QUICK_AT.setdefault(_anchor, []).append((_label, _label.index(_anchor)))
# a cell's text starts with a label only if its first character (after spaces and 【 [) is
# the first character of one
_LABEL_FIRST = frozenset(label[0] for label in _KEY_OF)
_FIRST_CHAR = re.compile(r"[^\s\u3000\u00a0【\[]")
_CELL_TAGS = ("td", "th", "dt", "dd", "li", "span", "div", "p", "strong", "b", "label", "em", "font", "i")
_MAX_CELL = 160
_MAX_VALUE = 200

# 甘科计〔2023〕12号, 国发 [2015] 40号, 京政办发（2021）3号, 财预【2022】第5号
_NUMBER = re.compile(r"(?P<org>[\u4e00-\u9fffA-Za-z]{1,14})\s*[〔\[（(【［]\s*(?P<year>(?:19|20)\d{2}|[１２][０-９]{3})\s*"
                     r"[〕\]）)】］]\s*(?:第\s*)?(?P<seq>[\d０-９]{1,6})\s*号")
_NUMBER_OPENERS = "〔[（(【［"
_FULL_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_FORM = re.compile(r"(实施意见|实施细则|实施方案|工作要点|管理办法|暂行办法|通知|通告|公告|意见|办法|决定|规定|细则|方案|计划|"
                   r"规划|批复|复函|函|报告|通报|公示|指南|纲要|条例|要点|命令|令|决议|纪要)(?:[（(][^（）()]{1,20}[）)])?$")
_VALIDITY = (("repealed", re.compile(r"废止|已废止|撤销")), ("invalid", re.compile(r"失效|无效|已失效|过期")),
             ("valid", re.compile(r"有效|现行|生效")))
_SPLIT_WORDS = re.compile(r"[\s\u3000,，;；、/|]+")


def normalise_number(raw: str) -> str:
    """A document number with 〔〕 brackets, ASCII digits and no spaces.

    >>> normalise_number("甘科计［２０２３］ 12 号"), normalise_number("国发 (2015) 第40号")
    ('甘科计〔2023〕12号', '国发〔2015〕40号')
    """
    m = _NUMBER.search(raw)
    if not m:
        return unspaced(raw.translate(_FULL_DIGITS))
    return f"{m['org']}〔{m['year'].translate(_FULL_DIGITS)}〕{int(m['seq'].translate(_FULL_DIGITS))}号"


def validity_of(raw: str) -> str:
    """valid | invalid | repealed | unknown.

    >>> [validity_of(v) for v in ("有效", "已废止", "失效", "—")]
    ['valid', 'repealed', 'invalid', 'unknown']
    """
    for value, pattern in _VALIDITY:
        if pattern.search(raw):
            return value
    return "unknown"


def form_of_title(title: str | None) -> str | None:
    """The document form a title ends with: …的通知 → 通知.

    >>> form_of_title("关于印发《某某管理办法》的通知"), form_of_title("某市召开科技大会")
    ('通知', None)
    """
    m = _FORM.search(title or "")
    return m.group(1) if m else None


def _number_in(text: str):
    """``_NUMBER.search(text)``, skipped when the text lacks what every match holds: 号 and
    an opening bracket (the pattern starts with a run of letters, tried at every character).

    >>> _number_in("甘科计〔2023〕12号").group(), _number_in("全市科技工作会议召开") is None
    ('甘科计〔2023〕12号', True)
    """
    if "号" not in text or not any(b in text for b in _NUMBER_OPENERS):
        return None
    return _NUMBER.search(text)


# What may follow a document number on its own line: the line's end, or a space before the
# signer (签发人：…) or the date.
_AFTER_NUMBER_LINE = re.compile(r"\s*$|[\s\u3000]")


def number_line(text: str):
    r"""The match of a document number standing on a line of its own among the first lines of
    ``text`` (as under a notice's headline), else None. A number inside a sentence
    ("根据甘科计〔2023〕12号文件精神…") cites another document: it is not this one's.

    >>> number_line("甘科计〔2023〕12号\n各县区科技局：").group()
    '甘科计〔2023〕12号'
    >>> number_line("  甘科计〔2023〕12号    签发人：张三").group()
    '甘科计〔2023〕12号'
    >>> number_line("根据甘科计〔2023〕12号文件精神，现将有关事项通知如下。") is None
    True
    """
    for line in text.split("\n", 6)[:6]:
        m = _number_in(line)
        if m and not line[:m.start()].strip() and _AFTER_NUMBER_LINE.match(line, m.end()):
            return m
    return None


def _label_key(label: str) -> str | None:
    return _KEY_OF.get(unspaced(label))


def _value_after(cell) -> str | None:
    """The value of a label-only cell: the next non-empty sibling (td → td, dt → dd, span →
    span), else the cell in the same column of the next row (a row of labels over a row of
    values)."""
    for sib in cell.itersiblings():
        if not isinstance(sib.tag, str):
            continue
        text = squash(text_of(sib))
        if text:
            label = _LABELLED.match(text)
            if label and _label_key(label["label"]):
                break                              # the next label: the values are in the row below
            return text
        if sib.tag not in ("td", "th", "dd", "span", "div"):
            break
    if cell.tag in ("td", "th"):
        row = cell.getparent()
        below = row.getnext() if row is not None else None
        if below is not None and below.tag == "tr":
            index = [c for c in row if c.tag in ("td", "th")].index(cell)
            cells = [c for c in below if c.tag in ("td", "th")]
            if index < len(cells):
                text = squash(text_of(cells[index]))
                return text or None
    return None


def _starts_with_label_char(cell) -> bool:
    """Does the cell's text start (after spaces and 【 [) with a label's first character? Read
    from its first text nodes only — its own text, then down its first children (<td><a><span>)
    — so that most cells of a page (a link, a paragraph, a whole column) say no without their
    whole text being joined.

    >>> from lxml import html
    >>> [_starts_with_label_char(html.fromstring(s)) for s in ("<td> 【<b>索</b>引号】</td>", "<p>全市<b>索引号</b></p>",
    ...                                                       "<td><!-- 索 --><a>全市</a></td>", "<td><img>索引号</td>")]
    [True, False, False, True]
    >>> _starts_with_label_char(html.fromstring("<table><td><!-- x -->索引号</td></table>").find(".//td"))
    True
    """
    node = cell
    while True:
        text = node.text
        m = _FIRST_CHAR.search(text) if text else None
        if m:
            return m.group() in _LABEL_FIRST
        if not len(node):
            break
        node = node[0]
        if not isinstance(node.tag, str):
            break                                  # a comment: its text is not the cell's
    if node is cell:
        return False
    text = node.tail                               # <td><img>索引号, <td><!-- x -->索引号
    m = _FIRST_CHAR.search(text) if text else None
    if m:
        return m.group() in _LABEL_FIRST
    for piece in cell.itertext():
        m = _FIRST_CHAR.search(piece)
        if m:
            return m.group() in _LABEL_FIRST
    return False


def table_pairs(tree) -> dict:
    """Canonical key → raw value from the 信息公开 header table (first occurrence wins)."""
    found: dict = {}
    for cell in tree.iter(*_CELL_TAGS):
        if len(cell) > 8 or not _starts_with_label_char(cell):
            continue                              # a wrapper, not a cell; or no label first
        text = text_of(cell)
        if len(text) > _MAX_CELL:
            continue
        flat = squash(text)
        m = _LABELLED.match(flat)
        if not m or len(_ANY_LABEL.findall(flat)) > 1:
            continue                              # no label, or a box holding several cells
        key = _label_key(m["label"])
        if key is None or key in found:
            continue
        value = m["value"].strip()
        if value and _LABELLED.match(value):       # the next label came right after: no value here
            value = ""
        value = value or (_value_after(cell) or "")
        if value and len(value) <= _MAX_VALUE:
            found[key] = value
    return found


def shows_a_label(raw_text: str) -> bool:
    """Does the page print one of the labels only document pages print? (``_QUICK.search``
    over the whole page, but a label is tried only around its anchor character
    (_QUICK_ANCHOR): str.find skips the rest of a 100 KB page several times faster than the
    regex engine.)

    >>> shows_a_label("<td>索 引 号：</td>"), shows_a_label("<p>文件下载</p>"), shows_a_label("索引\u3000号")
    (True, False, True)
    """
    match = _QUICK.match
    for anchor, labels in _QUICK_AT.items():
        at = raw_text.find(anchor)
        while at != -1:
            for label, place in labels:
                start = _label_start(raw_text, at, label, place)
                if start >= 0 and match(raw_text, start):
                    return True
            at = raw_text.find(anchor, at + 1)
    return False


def _label_start(text: str, at: int, label: str, place: int) -> int:
    """Where ``label`` would start in ``text`` if its character ``place`` stands at ``at``,
    white space allowed between its characters (as in _QUICK); -1 when it does not."""
    for char in reversed(label[:place]):
        at -= 1
        while at >= 0 and text[at].isspace():
            at -= 1
        if at < 0 or text[at] != char:
            return -1
    return at


_ANY_DIGIT = re.compile(r"[\d０-９]")


def document(tree, *, title: str | None, text: str, doc_info: dict, meta: dict, raw_text: str | None = None) -> dict:
    """``record["doc"]``: the canonical document fields the page shows (empty when it is no
    document). ``raw_text`` (the decoded page) lets pages without any label skip the table scan."""
    pairs: dict = {}
    for name, key in _META.items():
        if meta.get(name):
            pairs.setdefault(key, meta[name])
    if raw_text is None or shows_a_label(raw_text):
        for key, value in table_pairs(tree).items():
            pairs.setdefault(key, value)
    for label, value in (doc_info or {}).items():
        key = _label_key(label)
        if key and value:
            pairs.setdefault(key, value)
    if "number" not in pairs:
        m = number_line(text) if text else None
        if m:
            pairs["number"] = m.group()
    if not any(k in pairs for k in _DOCUMENT_KEYS):
        return {}
    doc: dict = {}
    for key, value in pairs.items():
        value = squash(value)
        if key == "number":
            if not _ANY_DIGIT.search(value):
                continue                          # 无, —: no number
            doc["number_raw"] = value
            doc["number"] = normalise_number(value)
        elif key == "validity":
            doc["validity_raw"] = value
            doc["validity"] = validity_of(value)
        elif key in _DATE_KEYS:
            when = parse_date(value)
            if when is not None:
                doc[key] = when.isoformat(timespec="seconds")
        elif key == "subject_words":
            doc[key] = [w for w in _SPLIT_WORDS.split(value) if w]
        else:
            doc[key] = value
    if "form" not in doc:
        form = form_of_title(title)
        if form:
            doc["form"] = form
    return doc
