"""Before the text is read: drop what a browser never shows (script, style, hidden
elements, a <title> in the body), keep what inline scripts print (a date written with
document.write), and write a WeChat article's publish time into its empty slot."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from lxml import etree

from cleaners.survey import Survey, survey
from cleaners.tree import text_of, within

__all__ = ["prune"]


# Widgets that a sloppy page leaves open (<button/>, an unclosed <textarea>) swallow the
# rest of the document in the parsed tree; past this much text they are unwrapped instead.
_WIDGET_TAGS = ("button", "select", "textarea", "option")
_WIDGET_MAX_CHARS = 300


# CMS templates often print the date or source with a one-line inline script:
# <script>document.write("2020-04-17")</script>, showDate("…"). What a browser would show
# is kept as text; anything longer than a one-liner is code and goes.
_SCRIPT_WRITE = re.compile(
    r"""(?:document\.write(?:ln)?|show\w*|write\w*)\s*\(\s*(["'])([^"'<>]{2,80})\1""")
_INLINE_SCRIPT_MAX = 300


def _rendered_script_text(el, tag: str) -> str | None:
    if tag != "script" or el.get("src"):
        return None
    code = el.text or ""
    if len(code) > _INLINE_SCRIPT_MAX:
        return None
    found = [m.group(2) for m in _SCRIPT_WRITE.finditer(code)]
    return " ".join(found) if found else None


# WeChat articles fill <em id="publish_time"> from `var ct = "<Unix time>"`: empty in the
# HTML, or a word relative to when the page was saved (昨天, 3天前). The script's time is the
# publish time, so the cleaner writes it in before scripts are dropped.
_WECHAT_CT = re.compile(r"""\bvar\s+(?:[\w$]+\s*=\s*["'][^"']*["']\s*,\s*)*ct\s*=\s*["'](\d{10})["']""")
# what every match of _WECHAT_CT holds: a literal start, so the regex engine skips ahead to
# "ct" (the full pattern, starting at a word boundary, is tried at every character of a script)
_CT_VALUE = re.compile(r"""ct\s*=\s*["']\d{10}["']""")
_PUBLISH_TIME_SLOT = etree.XPath("//*[@id='publish_time']")
_RELATIVE_DAY = re.compile(r"^(?:刚刚|今天|昨天|前天|\d{1,2}\s*(?:分钟|小时|天|周|星期)前)?$")


def _fill_script_date(tree, scripts: list) -> None:
    for script in scripts:          # a few elements; the id lookup scans the tree
        code = script.text
        m = _WECHAT_CT.search(code) if code and _CT_VALUE.search(code) else None
        if m:
            slots = [el for el in _PUBLISH_TIME_SLOT(tree) if _RELATIVE_DAY.match(text_of(el).strip())]
            if slots:
                when = datetime.fromtimestamp(int(m.group(1)), timezone(timedelta(hours=8)))
                slots[0].text = when.strftime("%Y-%m-%d %H:%M")
            return


def prune(tree, surveyed: Survey | None = None) -> None:
    """Drop what a browser never shows. ``surveyed``: the page's survey (cleaners.survey:
    its scripts, <title>s, DROP_TAGS elements and possibly hidden elements) when the caller
    has made it before anything changed the tree."""
    if surveyed is None:
        surveyed = survey(tree)
    _fill_script_date(tree, surveyed.tags["script"])
    body = tree.find("body")
    for el in [t for t in surveyed.tags["title"] if within(t, body)] if body is not None else ():
        el.drop_tree()          # a <title> inside the body (saved pages, wrappers) is never shown
    for el in surveyed.dropped:
        parent = el.getparent()
        if parent is None or el.get("type") == "application/ld+json":
            continue  # JSON-LD stays for cleaners.dates; blocks skip script text
        tag = el.tag
        shown = _rendered_script_text(el, tag)
        if shown:
            el.tail = " " + shown + " " + (el.tail or "")
        if tag in _WIDGET_TAGS and len(el) and len(text_of(el)) > _WIDGET_MAX_CHARS:
            el.drop_tag()
            continue
        if el.tail:  # keep the text that follows the dropped element
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + el.tail
            else:
                parent.text = (parent.text or "") + el.tail
        parent.remove(el)
    for el in surveyed.hidden:   # the style test in Python: XPath translate() on every element is slow
        if el.get("hidden") is None and "display:none" not in el.get("style", "").replace(" ", ""):
            continue
        if el.getparent() is not None and el.tag not in ("html", "body"):
            el.drop_tree()
