"""Block-level boilerplate rules inside the article container: phrases, tail markers,
the repeated headline, summary boxes, and labelled metadata lines (来源/作者/责编),
which move from the text into record fields."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from cleaners.blocks import Block
from cleaners.selectors import ATTACHMENT_EXT, BOILERPLATE_MAX_CHARS, BOILERPLATE_PHRASES, FIELD_LABELS, TAIL_MARKERS

_LABEL = re.compile(
    "(?P<label>" + "|".join(f"(?:{alts})" for alts in FIELD_LABELS.values()) + r")\s*[:：]\s*")
_LABEL_KIND = {label: kind for kind, alts in FIELD_LABELS.items() for label in alts.split("|")}
_DATE = re.compile(r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|(?:19|20)\d\d年\d{1,2}月")
_BRACKETED_EDITOR = re.compile(r"^[（(【\[]\s*(?:责任编辑|责编|编辑)\s*[:：]?\s*(?P<value>[^）)】\]]{1,40})[）)】\]]\s*$")
_REPORTER = re.compile(
    r"^(?:[\u4e00-\u9fff]{0,16}?(?:记者|通讯员|特约记者|见习记者))\s*(?P<value>[\u4e00-\u9fff·]{2,4}(?:[\s、，,]+[\u4e00-\u9fff·]{2,4})*)"
    r"(?:\s*(?:通讯员|摄影|报道)\s*[\u4e00-\u9fff·]{2,4})*\s*$")
_SLASH_AUTHOR = re.compile(r"^[(（]?\s*文\s*[/／]\s*(?P<value>[\u4e00-\u9fff·]{2,4}(?:[\s、，,]+[\u4e00-\u9fff·]{2,4})*)\s*[)）]?$")
_SUMMARY = re.compile(r"^(?:核心提示|内容提要|摘要|导读|提要|编者按)\s*[:：]")
_VIEW_COUNT = re.compile(r"^\d{1,7}$")
# what may follow a tail marker on its line: "更多>>", "more", a count, arrows
_MARKER_REST = re.compile(r"^(?:更多|查看更多|more|MORE|[\s>＞»·|｜+\-\d()（）])*$")
_TRAILING_PUNCT = " \t:：,，;；|｜/()（）【】[]"


_WIDGET_WORDS = re.compile(
    r"打印本页|打印|字体|字号|放大|正常|缩小|默认|分享到?|收藏|关闭窗口|关闭|返回|顶部|纠错|我要纠错|"
    r"微信|微博|QQ空间|QQ|朋友圈|复制链接|关注|点赞|在看|举报|评论|大|中|小|[\s【】\[\]()（）:：|｜/·•>＞]")


def is_widget_line(text: str) -> bool:
    """A line made only of widget labels: "打印 字体： 放大 正常 缩小 分享".

    >>> is_widget_line("打印 字体： 放大 正常 缩小 分享"), is_widget_line("中小企业")
    (True, False)
    """
    if len(text) > 60 or _WIDGET_WORDS.sub("", text):
        return False
    words = [w for w in _WIDGET_WORDS.findall(text) if w.strip(" 【】[]()（）:：|｜/·•>＞")]
    return len(words) >= 3 or (len(words) >= 1 and len(text.strip()) >= 2 and words[0] not in "大中小")


def is_boilerplate(text: str) -> bool:
    """Short block naming page furniture (share, print, ICP, disclaimer, view counter…).

    >>> is_boilerplate("【字体：大 中 小】 打印本页 关闭窗口")
    True
    >>> is_boilerplate("企业可登录平台下载申报指南，并于3月31日前提交材料。")
    False
    """
    if len(text) <= BOILERPLATE_MAX_CHARS and BOILERPLATE_PHRASES.search(text):
        return True
    if text.startswith(("免责声明", "声明：", "版权声明")):
        return True
    return bool(_VIEW_COUNT.match(text)) or is_widget_line(text)


def is_tail_marker(text: str) -> bool:
    """A heading after which only other articles follow (相关阅读, 上一篇 …).

    >>> is_tail_marker("相关阅读"), is_tail_marker("上一篇：关于开展2023年申报的通知")
    (True, True)
    >>> is_tail_marker("相关企业要在3月底前完成申报工作。")
    False
    """
    if len(text) > 40:
        return False
    m = TAIL_MARKERS.match(text)
    if not m:
        return False
    rest = text[m.end():]
    return not rest or text.startswith(("上一", "下一")) or bool(_MARKER_REST.match(rest))


def parse_field_line(text: str) -> tuple[dict, bool]:
    """Labelled fields in one short line, and whether the line is nothing but fields.

    >>> parse_field_line("发布时间：2023-02-21 来源：鹤壁市科学技术局 浏览次数：39")
    ({'source': '鹤壁市科学技术局'}, True)
    >>> parse_field_line("(责编:周婉婷、焦隆)")
    ({'editor': '周婉婷、焦隆'}, True)
    >>> parse_field_line("张掖市融媒体中心记者 陈海")
    ({'author': '陈海'}, True)
    """
    if len(text) > 120:
        return {}, False
    m = _BRACKETED_EDITOR.match(text)
    if m:
        return {"editor": m["value"].strip()}, True
    if len(text) <= 40:
        for pattern in (_REPORTER, _SLASH_AUTHOR):
            m = pattern.match(text)
            if m:
                return {"author": " ".join(re.split(r"[\s、，,]+", m["value"].strip()))}, True
    matches = list(_LABEL.finditer(text))
    if not matches:
        return {}, False
    found: dict = {}
    leftover = text[: matches[0].start()]
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = text[m.end():end].strip(_TRAILING_PUNCT + " ")
        kind = _LABEL_KIND.get(m["label"], "misc")
        if kind in ("source", "author", "editor") and value and kind not in found:
            # a value runs to the first wide gap: "来源：张掖日报 2023-07-04" keeps only the name
            value = re.split(r"\s{2,}|\s(?=(?:19|20)\d\d)", value)[0].strip(_TRAILING_PUNCT)
            if 0 < len(value) <= 40:
                found[kind] = value
    leftover = _DATE.sub("", leftover).strip(_TRAILING_PUNCT + " ")
    pure = len(leftover) <= 20 and not re.search(r"[，。！？]", leftover)
    return found, pure


def _links_attachment(block: Block) -> bool:
    """附件：1.申报指南.docx stays in the text although it is all link."""
    return any(ATTACHMENT_EXT.search(a.get("href") or "") or ATTACHMENT_EXT.search(a.text_content() or "")
               for a in block.anchors)


def header_fields(blocks: list[Block]) -> dict:
    """Fields from the metadata lines just above the article (发布时间… 来源… 作者…)."""
    found: dict = {}
    for block in blocks:
        fields, pure = parse_field_line(block.text)
        if pure:
            for key, value in fields.items():
                found.setdefault(key, value)
    return found


def date_lines(blocks: list[Block]) -> list[str]:
    """Short lines carrying a date (publish-date candidates for cleaners.dates)."""
    return [b.text for b in blocks if len(b.text) <= 120 and _DATE.search(b.text)]


@dataclass
class Filtered:
    blocks: list = field(default_factory=list)
    fields: dict = field(default_factory=dict)
    date_lines: list = field(default_factory=list)


def _same_text(a: str, b: str | None) -> bool:
    if not b:
        return False
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    return squash(a) == squash(b)


def filter_blocks(blocks: list[Block], *, title: str | None = None, edge: int = 4) -> Filtered:
    """Keep the article's paragraphs among the container's blocks."""
    out = Filtered()
    kept: list[Block] = []
    body_chars = sum(b.chars for b in blocks) or 1
    seen_chars = kept_chars = 0
    for i, block in enumerate(blocks):
        text = block.text
        seen_chars += block.chars
        if not block.chars:
            continue
        if is_tail_marker(text) and kept and (seen_chars > 0.3 * body_chars or kept_chars >= 150):
            break
        if _same_text(text, title) and len(kept) < edge:
            continue
        near_edge = len(kept) < edge or i >= len(blocks) - edge
        fields, pure = parse_field_line(text) if (near_edge or len(text) <= 40) else ({}, False)
        if pure and (fields or _DATE.search(text)):
            for key, value in fields.items():
                out.fields.setdefault(key, value)
            if _DATE.search(text):
                out.date_lines.append(text)
            continue
        if is_boilerplate(text):
            if _DATE.search(text) and len(text) <= 120:
                out.date_lines.append(text)
            continue
        if block.link_density > 0.6 and (block.chars < 60 or not block.punct) and not _links_attachment(block):
            continue
        if _SUMMARY.match(text) and not kept:
            continue  # 核心提示/导读 repeats the opening paragraph
        kept.append(block)
        kept_chars += block.chars
    out.blocks = kept
    return out
