"""Block-level boilerplate rules inside the article container: phrases, tail markers,
the repeated headline, summary boxes, and labelled metadata lines (来源/作者/责编),
which move from the text into record fields."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from cleaners import bylines, furniture, titles
from cleaners.blocks import Block
from cleaners.options import DEFAULT_OPTIONS, CleanOptions
from cleaners.script import simplified_view
from cleaners.spaces import unspaced
from cleaners.tree import text_of, within
from cleaners.selectors import (ATTACHMENT_EXT, BOILERPLATE_LINES, BOILERPLATE_MAX_CHARS, BOILERPLATE_PHRASES, FIELD_LABELS,
                                TAIL_MARKERS)

_LABEL_KIND = {label: kind for kind, labels in FIELD_LABELS.items() for label in labels}
# a label starts a line or follows a space/bracket/punctuation: 会议时间： is body text
_LABEL_ALTS = "|".join(r"\s*".join(map(re.escape, label)) for label in sorted(_LABEL_KIND, key=len, reverse=True))
_LABEL = re.compile(r"(?<![\u4e00-\u9fffA-Za-z])(?P<label>" + _LABEL_ALTS + r")\s*[:：]\s*")
_LABEL_ONLY = re.compile(r"^(?P<label>" + _LABEL_ALTS + r")\s*[:：]?\s*$")  # a table's label cell
_DATE = re.compile(r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|(?:19|20)\d\d年\d{1,2}月")
_BRACKETED_EDITOR = re.compile(
    r"^[（(【\[]\s*[\u4e00-\u9fff]{0,8}?(?:责任编辑|责编|编辑)\s*[:：]?\s*(?P<value>[^）)】\]]{1,40})[）)】\]]\s*$")

_SENTENCE = re.compile(r"[，。？！?!]")
# markup residue (size="20"), pager text: never a source
_NOT_A_SOURCE = re.compile(r"^\w+\s*=|<<|>>|上一页|下一页|第\s*\d+\s*页|共\s*\d+\s*页")
_SUMMARY = re.compile(r"^(?:核心提示|内容提要|摘要|导读|提要|编者按)\s*[:：]")
_VIEW_COUNT = re.compile(r"^\d{1,7}$")
_BOX_MAX_CHARS = 600
_DATE_ONLY = re.compile(r"^[\d\s:：\-/.年月日时分秒]+$")
_WEB_ADDRESS = re.compile(r"www\.|https?://|\.(?:com|cn|net|org)\b", re.I)
# what may follow a tail marker on its line: "更多>>", "more", a count, arrows
_MARKER_REST = re.compile(r"^(?:更多|查看更多|more|MORE|[\s>＞»·|｜+\-\d()（）])*$")
_TRAILING_PUNCT = " \t:：,，;；|｜/()（）【】[]"
_VALUE_PUNCT = " \t:：,，;；|｜/【】[]"    # brackets stay: 财经网(北京); fields.tidy_value balances them


# (every alternative starts with a literal or a class: see selectors.BOILERPLATE_PHRASES)
_WIDGET_WORDS = re.compile(
    r"打印本页|打印|字体|字号|放大|正常|缩小|默认|分享到?|收藏|关闭窗口|关闭|返回|顶部|纠错|我要纠错|"
    r"微信|微博|QQ空间|QQ|qq|朋友圈|复制链接|关注|点赞|在看|举报|评论|[Pp][Dd][Ff]下载|[Ww][Oo][Rr][Dd]下载|"
    r"[Ww][Pp][Ss]下载|[Oo][Ff][Dd]下载|[Dd][Oo][Cc]下载|下载|大|中|小|[\s【】\[\]()（）:：|｜/·•>＞+＋]")


# every character a widget line can hold: a quick "no" for the lines that hold any other
_WIDGET_CHARS = frozenset("打印本页字体号放大正常缩小默认分享到收藏关闭窗口返回顶部纠错我要微信博QQqq空间朋友圈复制链接关注点赞在看举报评论"
                          "PDFpdfWORDwordWPSwpsOFDofdDOCdoc下载中小【】[]()（）:：|｜/·•>＞+＋") | frozenset(
    c for c in map(chr, range(0x3001)) if c.isspace())


def is_widget_line(text: str) -> bool:
    """A line made only of widget labels: "打印 字体： 放大 正常 缩小 分享".

    >>> is_widget_line("打印 字体： 放大 正常 缩小 分享"), is_widget_line("中小企业")
    (True, False)
    """
    if len(text) > 60 or not _WIDGET_CHARS.issuperset(text) or _WIDGET_WORDS.sub("", text):
        return False
    words = [w for w in _WIDGET_WORDS.findall(text) if w.strip(" 【】[]()（）:：|｜/·•>＞+＋")]
    return len(words) >= 3 or (len(words) >= 1 and len(text.strip()) >= 2 and words[0] not in "大中小")


def is_boilerplate(text: str, options: CleanOptions = DEFAULT_OPTIONS, lines: bool = True,
                   family: str | None = "?") -> bool:
    """Short block naming page furniture (share, print, ICP, disclaimer, view counter…), or
    (``lines``) a line of a player, an encyclopedia, a footer or a promotion (``family``:
    its furniture.kind when the caller already has it).

    >>> is_boilerplate("【字体：大 中 小】 打印本页 关闭窗口")
    True
    >>> is_boilerplate("企业可登录平台下载申报指南，并于3月31日前提交材料。")
    False
    """
    if len(text) <= BOILERPLATE_MAX_CHARS:
        if _short_phrase_or_widget(text, options.on("phrases"), options.on("widget_lines")):
            return True
    elif options.on("phrases") and (text.startswith(("免责声明", "声明：", "版权声明")) or _VIEW_COUNT.match(text)):
        return True
    if not lines:
        return False
    return (furniture.kind(text, options) if family == "?" else family) is not None


@functools.lru_cache(maxsize=8192)      # the container vote and the filters ask about the same lines
def _short_phrase_or_widget(text: str, phrases: bool, widgets: bool) -> bool:
    """A short line (≤ BOILERPLATE_MAX_CHARS) that is a furniture phrase or a view counter
    (``phrases``), or a line of widget labels (``widgets``); longer lines are never widget
    lines and are tested for phrases only at their start, by is_boilerplate itself."""
    if phrases:
        if BOILERPLATE_PHRASES.search(text) or BOILERPLATE_LINES.match(text):
            return True
        if text.startswith(("免责声明", "声明：", "版权声明")) or _VIEW_COUNT.match(text):
            return True
    return widgets and is_widget_line(text)


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


_WIDE_GAP = re.compile(r"\s{2,}")
_SOURCE_END = re.compile(r"\s{2,}|\s(?=(?:19|20)\d\d)")
_SENTENCE_END = re.compile(r"[，。！？]")


def parse_field_line(text: str) -> tuple[dict, bool]:
    """Labelled fields in one short line, and whether the line is nothing but fields.

    >>> parse_field_line("发布时间：2023-02-21 来源：鹤壁市科学技术局 浏览次数：39")
    ({'source': '鹤壁市科学技术局'}, True)
    >>> parse_field_line("(责编:周婉婷、焦隆)")
    ({'editor': '周婉婷 焦隆'}, True)
    >>> parse_field_line("张掖市融媒体中心记者 陈海")
    ({'author': '陈海'}, True)
    """
    if len(text) > 120:
        return {}, False
    m = _BRACKETED_EDITOR.match(text)
    if m:
        names = bylines.person_names(m["value"])
        return ({"editor": names} if names else {}), True    # （责任编辑： HN666）: a credit, no name
    credits = bylines.credit_fields(text)      # 编辑 周一 ｜ 排版 魏二, 某某报记者 张三
    if credits is not None:
        return credits, True
    # every label is followed by a colon: a line without one (most lines) holds none
    matches = list(_LABEL.finditer(text)) if ":" in text or "：" in text else None
    if not matches:
        return {}, False
    found: dict = {}
    leftover = text[: matches[0].start()]
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = text[m.end():end].strip(_VALUE_PUNCT)
        label = unspaced(m["label"])
        kind = _LABEL_KIND.get(label, "misc")
        if kind == "doc" and value:
            found.setdefault("doc_info", {}).setdefault(label, value[:200])
        elif kind in ("author", "editor") and value:
            names = bylines.person_names(_WIDE_GAP.split(value)[0])
            if names is None and (len(value) > 12 or _SENTENCE.search(value)):
                return {}, False   # 记者：您怎么看……？ is an interview question, not a byline
            if names and kind not in found:
                found[kind] = names
        elif kind == "source" and value and kind not in found:
            # a value runs to the first wide gap: "来源：张掖日报 2023-07-04" keeps only the name
            value = _SOURCE_END.split(value)[0].strip(_VALUE_PUNCT)
            if 0 < len(value) <= 40 and not _NOT_A_SOURCE.search(value):
                found[kind] = value
    leftover = _DATE.sub("", leftover).strip(_TRAILING_PUNCT + " ")
    pure = len(leftover) <= 20 and not _SENTENCE_END.search(leftover)
    return found, pure


_CLOCK = re.compile(r"\d{1,2}:\d\d(?::\d\d)?")
_CLAUSE_MARK = re.compile(r"[，。！？、；,.!?;]")


def _byline_with_date(text: str) -> bool:
    """A line above the text made of a date (a time, a count) and at most a short name or two:
    a date line, or the account line of a WeChat article. Never a sentence.

    >>> _byline_with_date("2022-10-24 14:13:44 125"), _byline_with_date("原创 某某科技 2020-02-12 22:17")
    (True, True)
    >>> _byline_with_date("2020年2月12日，全市科技工作会议召开。")
    False
    """
    rest = _CLOCK.sub("", _DATE.sub("", text))
    if _DATE_ONLY.match(rest or " "):
        return True
    rest = rest.strip()
    return len(rest) <= 14 and not _CLAUSE_MARK.search(rest) and len(rest.split()) <= 3


def _links_attachment(block: Block) -> bool:
    """附件：1.申报指南.docx stays in the text although it is all link."""
    return any(ATTACHMENT_EXT.search(a.get("href") or "") or ATTACHMENT_EXT.search(text_of(a))
               for a in block.anchors[:50])


def fill(fields: dict, found: dict) -> dict:
    """Add the ``found`` fields that ``fields`` lacks (the first value seen wins); the labels
    of a 信息公开 table (``doc_info``) are merged.

    >>> fill({"source": "甲"}, {"source": "乙", "editor": "张三", "doc_info": {"索引号": "1"}})
    {'source': '甲', 'editor': '张三', 'doc_info': {'索引号': '1'}}
    """
    for key, value in found.items():
        if key == "doc_info":
            fields.setdefault(key, {}).update(value)
        else:
            fields.setdefault(key, value)
    return fields


def header_fields(blocks: list[Block]) -> dict:
    """Fields from metadata lines just outside the article (发布时间… 来源… above it,
    【责任编辑：…】 below it)."""
    found: dict = {}
    for block in blocks:
        fields, pure = parse_field_line(simplified_view(block.text) if len(block.text) <= 160 else block.text)
        if pure:
            fill(found, fields)
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
    return unspaced(a) == unspaced(b)


def _box_heading(text: str) -> bool:
    """A boilerplate label that introduces a box of its own items (温馨提示：, 免责声明：)."""
    return len(text) <= 12 and text.rstrip().endswith((":", "："))


def _repeated_furniture(blocks: list[Block]) -> set:
    """Short lines with a web address that occur twice or more in the container: a site's
    advertising line repeated above and below the article. (Repeated cells of a table are
    content, so lines without an address are never dropped for repeating.)"""
    counts: dict = {}
    for b in blocks:
        if 6 <= len(b.text) <= 60:
            counts[b.text] = counts.get(b.text, 0) + 1
    return {t for t, n in counts.items() if n >= 2 and _WEB_ADDRESS.search(t)}


def _drop_teasers(kept: list[Block], window: int = 4) -> list[Block]:
    """Drop an opening teaser (文章导读 box, summary) that the article repeats verbatim."""
    out = []
    flat = [unspaced(b.text) for b in kept[:window + 11]]     # each line squashed once
    for i, block in enumerate(kept):
        if i < window and len(block.text) >= 30:
            probe = flat[i].rstrip("。.…")[-40:]
            later = "".join(flat[i + 1:i + 12])
            if probe and probe in later:
                continue
        out.append(block)
    return out


def filter_blocks(blocks: list[Block], *, title: str | None = None, edge: int = 4,
                  is_chrome=lambda block: False, options: CleanOptions = DEFAULT_OPTIONS,
                  container=None, site_name: str | None = None) -> Filtered:
    """Keep the article's paragraphs among the container's blocks.

    Rules see a simplified view of each short block, so traditional pages (責編, 相關閱讀)
    match the same phrases.
    """
    out = Filtered()
    kept: list[Block] = []
    body_chars = sum(b.chars for b in blocks) or 1
    seen_chars = kept_chars = 0
    repeated = _repeated_furniture(blocks) if options.on("repeated_furniture") else set()
    skip_box = pending = None
    wiki = False                 # the page showed encyclopedia furniture (an infobox, edit marks)
    closed = False               # a 责任编辑 line closed the article: only credit lines may follow
    boxes: dict = {}
    tail_markers, field_lines, link_lines = (options.on(r) for r in ("tail_markers", "field_lines", "link_lines"))
    for i, block in enumerate(blocks):
        seen_chars += block.chars
        if not block.chars:
            continue
        text = simplified_view(block.text) if len(block.text) <= 160 else block.text
        family = furniture.kind(text, options)
        if tail_markers and is_tail_marker(text) or \
                furniture.ends_text(text, kept_chars, options, wiki, family):
            if kept and (seen_chars > 0.3 * body_chars or kept_chars >= 150):
                # 【纠错】 / 分享 widgets often sit between the text and its 责任编辑 line
                fill(out.fields, header_fields(blocks[i + 1:i + 1 + edge]))
                break
            continue
        if skip_box is not None and within(block.owner, skip_box):
            continue
        skip_box = None
        if furniture.in_box(block.owner, stop=container, options=options, memo=boxes):
            wiki = True
            continue
        stripped = furniture.strip_edit_marks(block.text, options)
        if stripped != block.text:
            wiki = True
            block.text = stripped
            text = simplified_view(stripped) if len(stripped) <= 160 else stripped
            family = furniture.kind(text, options)
        if is_chrome(block) or block.text in repeated:
            if i >= len(blocks) - edge:       # a 责任编辑 line inside the share/纠错 bar under the text
                fill(out.fields, header_fields([block]))
            continue
        if pending is not None:   # the value cell of a label cell (索 引 号： | 1162…)
            kind, label = pending
            pending = None
            if len(text) <= 100 and _store(out.fields, kind, label, text):
                if kind == "date":
                    out.date_lines.append(f"{label}：{text}")
                continue
        only = _LABEL_ONLY.match(text) if field_lines else None
        if only and (len(kept) < edge or i >= len(blocks) - edge or _EDITOR_CREDIT.match(text)) and (
                text.rstrip().endswith((":", "：")) or len(only["label"]) >= 3):
            label = unspaced(only["label"])
            pending = (_LABEL_KIND.get(label, "misc"), label)
            closed = closed or (kept_chars >= 150 and bool(_EDITOR_CREDIT.match(text)))
            continue
        if len(kept) < edge and _same_text(text, title):
            continue
        near_edge = len(kept) < edge or i >= len(blocks) - edge
        fields, pure = parse_field_line(text) if field_lines and (near_edge or len(text) <= 40) \
            else ({}, False)
        if pure and not near_edge and not ({"source", "author", "editor"} & fields.keys()):
            pure = False  # mid-body "时间：…" lines are content; only bylines move out there
        if pure:
            closed = closed or (kept_chars >= 150 and bool(_EDITOR_CREDIT.search(text)))
            fill(out.fields, fields)
            if _DATE.search(text):
                out.date_lines.append(text)
            continue
        if closed and tail_markers and not _NOTE.match(text):
            break                      # another story or a box after the article's 责任编辑 line
        if tail_markers and kept_chars >= 150 and _teaser_then_date(block, blocks[i + 1:i + 2]):
            break                      # "…创业板暴涨创..." + "2019-09-09 21:38": a list of other stories
        if field_lines and not kept and len(text) <= 40 and _DATE.search(text) \
                and _byline_with_date(text):
            out.date_lines.append(text)  # "2022-10-24 14:13:44 125", "原创 某某公众号 2020-02-12 22:17"
            continue
        if is_boilerplate(text, options, family=family):
            wiki = wiki or family == "wiki"
            if _DATE.search(text) and len(text) <= 120:
                out.date_lines.append(text)
            box = block.owner.getparent()
            if (_box_heading(text) or family == "comment") and box is not None \
                    and len(text_of(box)) <= _BOX_MAX_CHARS:
                skip_box = box  # the items under 温馨提示： go with it, and a comment's text with its header
            continue
        if link_lines and block.link_density > 0.6 and (block.chars < 60 or not block.punct) \
                and not _links_attachment(block):
            if kept and kept[-1].index == block.index - 1 and _box_label(kept[-1]):
                kept_chars -= kept.pop().chars    # 重点推荐 / 证券要闻: the heading of a link box
            continue
        kept.append(block)
        kept_chars += block.chars
    if options.on("teasers"):
        kept = _drop_repeats(_drop_teasers(kept))
    out.blocks = _trim_head(kept, title, out.date_lines, site_name) if field_lines else kept
    for block in out.blocks[:2]:
        author = bylines.dateline_author(simplified_view(block.text[:80]))
        if author:
            out.fields.setdefault("author", author)
    for block in reversed(out.blocks[-3:]):
        if "author" in out.fields:
            break
        author = bylines.trailing_credit(simplified_view(block.text[-40:]))
        if author:
            out.fields["author"] = author
    return out


_EDITOR_CREDIT = re.compile(r"^[（(【\[]?\s*(?:责任编辑|责编)")
_NOTE = re.compile(r"^[（(【\[][^（）()【】\[\]]{2,60}[）)】\]]$")     # (综合整理自澎湃新闻等) after the credit


def _teaser_then_date(block: Block, following: list[Block]) -> bool:
    """A summary cut off with '...' followed by a line that is only a date: an item of a list
    of other stories below the article."""
    if not following or not block.text.rstrip().endswith(("...", "…")):    # "……" ends with "…" too
        return False
    nxt = following[0].text
    return len(nxt) <= 30 and bool(_DATE.search(nxt)) and bool(_DATE_ONLY.match(_CLOCK.sub("", nxt)))


def _box_label(block: Block) -> bool:
    """A short line with no punctuation: the heading of the link list that follows it."""
    return block.chars <= 8 and not block.punct and block.link_density == 0 and len(block.text) <= 12


_HEAD_LINES = 5
_LEADING_DATE = re.compile(r"\s*(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?(?:\s*\d{1,2}:\d\d(?::\d\d)?)?")


def _trim_head(kept: list[Block], title: str | None, date_lines: list[str], site_name: str | None = None
               ) -> list[Block]:
    """Lines above the first paragraph that belong to the header: parts of a headline printed
    on several lines (引题 / 主题 / 副题), a date alone on its line, the site's name (or a
    banner starting with it) or web address. Stops at the first line that is none of these."""
    want = unspaced(title or "")
    site = unspaced(site_name or "")
    start = 0
    for block in kept[:_HEAD_LINES]:
        text = block.text.strip()
        flat = unspaced(text)
        if want and len(flat) >= 4 and (flat in want or (want in flat and len(flat) <= len(want) + 8)):
            start += 1                              # a line of the headline
        elif _DATE.search(text) and _DATE_ONLY.match(_CLOCK.sub("", text)) and len(text) <= 30:
            date_lines.append(text)                 # 2024-05-20 13:09
            start += 1
        elif (m := _LEADING_DATE.match(text)) and len(text) - m.end() <= 24 and not _SENTENCE.search(text):
            date_lines.append(text)                 # 2024-05-18 16:56发布于北京 某某官方账号
            start += 1
        elif len(flat) <= 30 and not _SENTENCE.search(text) and (
                _WEB_ADDRESS.search(text) or (len(flat) <= 12 and titles.is_site_like(flat))
                or (len(site) >= 4 and flat.startswith(site))):
            start += 1                              # 中国新闻网 / 某某政府门户网站 www.example.gov.cn
        else:
            break
    return kept[start:] if start < len(kept) else kept


def _drop_repeats(kept: list[Block]) -> list[Block]:
    """A paragraph printed twice (a page that carries its text twice, a mobile copy) is kept once;
    short lines may repeat (备注 lines of a list, code)."""
    seen, out = set(), []
    for block in kept:
        key = unspaced(block.text)
        if block.chars >= 60 and key in seen:
            continue
        seen.add(key)
        out.append(block)
    return out


def _store(fields: dict, kind: str, label: str, value: str) -> bool:
    """Record the value cell of a label cell; False when it is no value of that kind (a
    paragraph after a lone 作者： is kept as text)."""
    if kind == "doc":
        fields.setdefault("doc_info", {}).setdefault(label, value)
    elif kind in ("author", "editor"):
        names = bylines.person_names(value)
        if not names:
            return False
        fields.setdefault(kind, names)
    elif kind == "source":
        if _NOT_A_SOURCE.search(value):
            return False
        fields.setdefault(kind, value)
    return True


