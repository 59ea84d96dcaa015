"""Decoded text → lxml tree, and the page-level checks that come before extraction:
is this HTML at all, and is it a block page (anti-bot challenge, captcha, login wall)?"""
from __future__ import annotations

import re

import lxml.html
from lxml import etree

from cleaners import selectors

# libxml2 rejects NUL and most C0 controls in input strings.
# Pages built from included fragments close </body></html> in the middle; libxml2 then
# drops everything after. Removing the closing tags is harmless: they close at EOF anyway.
_EARLY_CLOSE = re.compile(r"</\s*(?:html|body)\s*>", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TAG = re.compile(r"<\s*(?:html|head|body|div|p|table|meta|title|a|span|br|!doctype)\b", re.I)
# Non-libxml2 safety limit: tags more than this deep are flattened by the parser anyway
# (libxml2's HTML parser stops nesting at 256 without HUGE_TREE), so no Python recursion
# on the tree can blow up.
_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True,
                               huge_tree=False, default_doctype=False)


def not_html_reason(text: str) -> str | None:
    """Why ``text`` is not an HTML page, or None when it looks like one.

    >>> not_html_reason("%PDF-1.4 ...")
    'PDF document, not HTML'
    >>> not_html_reason("<html><body><p>正文</p></body></html>") is None
    True
    """
    head = text[:4096].lstrip("\ufeff \t\r\n")
    if head.startswith("%PDF"):
        return "PDF document, not HTML"
    if head[:1] in "{[" and not _TAG.search(text[:65536]):
        return "JSON or plain data, not HTML"
    sample = text[:8192]
    if sample:
        controls = len(_CONTROL.findall(sample))
        if controls / len(sample) > 0.05 or sample.count("\ufffd") / len(sample) > 0.2:
            return "binary data, not HTML"
    if not _TAG.search(text[:262144]) and "<" not in text[:65536]:
        return "no HTML markup found"
    return None


def parse_html(text: str) -> lxml.html.HtmlElement | None:
    """Parse decoded HTML; None when libxml2 finds no document."""
    text = _EARLY_CLOSE.sub("", _CONTROL.sub(" ", text))
    # An XML declaration with an encoding is not allowed in a str input.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text[:200]) + text[200:] if text.lstrip().startswith("<?xml") else text
    try:
        return lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None


def visible_text_length(tree) -> int:
    """Characters of text outside script/style (cheap: used only on short pages)."""
    total = 0
    for node in tree.iter():
        if not isinstance(node.tag, str) or node.tag in ("script", "style", "noscript", "title"):
            continue
        total += len((node.text or "").strip())
        total += len((node.tail or "").strip())
    return total


def block_reason(tree, text: str, main_text_chars: int) -> str | None:
    """Name the kind of block page (anti-bot challenge, captcha, login wall) or None.

    Only pages with little article text can be block pages: an article that mentions
    登录 or 验证码 in its body is still an article.
    """
    if main_text_chars > 200 or visible_text_length(tree) > 1500:
        return None
    head = text[:200_000]
    if any(marker in head for marker in selectors.RUISHU_MARKERS) or tree.xpath('//meta[@r="m"]'):
        return "anti-bot challenge page (Ruishu/412 JavaScript shell)"
    visible = tree.xpath("string(//title)") + " " + " ".join(
        t.strip() for t in tree.xpath("//body//text()[not(ancestor::script or ancestor::style)]")[:200])
    if selectors.CAPTCHA_WORDS.search(visible):
        return "captcha page"
    if tree.xpath('//input[@type="password"]') and selectors.LOGIN_WORDS.search(visible):
        return "login wall"
    return None
