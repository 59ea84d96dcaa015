"""Decoded text → lxml tree, and the page-level checks around extraction: is this HTML
at all, and is it a page that is not an article (anti-bot challenge, captcha, login wall,
firewall, soft 404)?"""
from __future__ import annotations

import re

import lxml.html
from lxml import etree

from cleaners import selectors
from cleaners.antibot import is_ruishu_shell

# Pages built from included fragments close </body></html> in the middle; libxml2 then
# drops everything after. Removing the closing tags is harmless: they close at EOF anyway.
_EARLY_CLOSE = re.compile(r"</\s*(?:html|body)\s*>", re.I)
# The same in UTF-8 bytes, for a page whose bytes are its text in UTF-8 (no encoding pass):
# every character that \s matches in a str pattern, as its UTF-8 sequence.
UNICODE_SPACES = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                  "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_UTF8_SPACE = b"(?:" + b"|".join(re.escape(c.encode("utf-8")) for c in UNICODE_SPACES) + b")"
# (what may follow "</": a space's first byte or h/b; the lookahead turns away </div> & co.
# before the 29 alternatives are tried)
_AFTER_SLASH = b"(?=[" + b"".join(re.escape(bytes([b])) for b in sorted({c.encode("utf-8")[0] for c in UNICODE_SPACES}
                                                                      | set(b"hHbB"))) + b"])"
_EARLY_CLOSE_UTF8 = re.compile(b"</" + _AFTER_SLASH + _UTF8_SPACE + b"*(?:html|body)" + _UTF8_SPACE + b"*>", re.I)
# libxml2 rejects NUL and most C0 controls in its input: they become spaces.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_TO_SPACE = bytes(32 if c < 32 and c not in (9, 10, 13) or c == 127 else c for c in range(256))
_TAG = re.compile(r"<\s*(?:html|head|body|div|p|table|meta|title|a|span|br|!doctype)\b", re.I)
_DOC_TAG = re.compile(r"<\s*(?:html|head|body|!doctype)\b", re.I)
# Runs of bare opening tags deeper than libxml2 nests (it stops at 256 levels without
# HUGE_TREE and drops what is inside) are collapsed, so the text at the bottom of a
# 100,000-deep <div> pile survives. No Python recursion ever sees a deep tree.
_DEEP_RUN = re.compile(
    rb"(?:<(?:div|span|section|article|font|b|i|u|p|td|tr|table|tbody|li|ul|ol|blockquote|center|strong|em|a)"
    rb"\b[^<>]{0,200}>\s*){128,}", re.I)
_MANY_TAGS = 20_000
# A start tag longer than this (100,000 attributes, a 5 MB attribute) costs libxml2 and every
# later attribute scan quadratic time; its attributes are dropped, the element is kept.
_GIANT = 20_000
_GIANT_TAG = re.compile(rb"<([A-Za-z][\w:-]{0,30})\s[^<>]{%d,}>" % _GIANT)
_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>")
# The decoded page goes to libxml2 as UTF-8 bytes: its own path, faster than a str (which
# lxml hands over as UCS-4); control characters go in one bytes.translate, and a giant
# tag (counted in bytes) is looked for only where a run between two delimiters is that long.
# No table of id attributes: nothing asks for an element by its id through libxml2 (XPath
# id(), getElementById); the cleaners test @id like any attribute.
_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True,
                               huge_tree=False, default_doctype=False, collect_ids=False)
# Every element an HtmlElement, chosen in C: lxml.html's own lookup is a Python call per
# element proxy (a tenth of cleaning time). The cleaners use no form-element API.
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction))
SHORT_ARTICLE_CHARS = 80
_LOGIN_PAGE_MAX_CHARS = 400    # a login wall or captcha page has hardly any text of its own
_BLOCK_PAGE_MAX_CHARS = 2000   # block pages are short; longer pages are never called one


def not_html_reason(text: str) -> str | None:
    """Why ``text`` is not an HTML page, or None when it looks like one.

    >>> not_html_reason("%PDF-1.4 ...")
    'PDF document, not HTML'
    >>> not_html_reason('{"code": 200, "data": {"content": "<p>正文</p>"}}')
    'JSON or plain data, not HTML'
    >>> not_html_reason("<html><body><p>正文</p></body></html>") is None
    True
    """
    head = text[:4096].lstrip("\ufeff \t\r\n")
    if head.startswith("%PDF"):
        return "PDF document, not HTML"
    if head[:1] in "{[" and not _DOC_TAG.search(text[:65536]):
        return "JSON or plain data, not HTML"
    sample = text[:8192]
    if sample:
        controls = len(_CONTROL.findall(sample))
        if controls / len(sample) > 0.05 or sample.count("\ufffd") / len(sample) > 0.2:
            return "binary data, not HTML"
    if not _TAG.search(text[:262144]) and "<" not in text[:65536]:
        return "no HTML markup found"
    return None


def defuse_giant_tags(data: bytes) -> bytes:
    r"""``_GIANT_TAG.sub(rb"<\1>", data)``, with the regex run only where it can match.

    A match runs from a '<' to the next '>' with neither in between, and is longer than
    _GIANT bytes, so it covers a whole window of _GIANT // 2 bytes that starts at a multiple
    of that size. Two ``find`` calls in C rule out a window that holds a '<' or a '>' (every
    window of an ordinary page); the stretch around a window that holds neither is tried
    alone. The regex over the whole page tried a match at every tag of the 1 page in 5 that
    has such a stretch (a long inline script, a data: URI, a long text).

    >>> defuse_giant_tags(b"<p>" * 20_000) == b"<p>" * 20_000
    True
    >>> page = b"<b>x</b><img src='" + b"x" * 30_000 + b"'>" + b"y" * 30_000 + b"<i>"
    >>> defuse_giant_tags(page) == b"<b>x</b><img>" + b"y" * 30_000 + b"<i>"
    True
    """
    step = _GIANT // 2
    out, done, start, size = [], 0, 0, len(data)
    while start + step <= size:
        end = start + step
        if data.find(b">", start, end) >= 0 or data.find(b"<", start, end) >= 0:
            start = end
            continue
        left = max(data.rfind(b"<", 0, start), data.rfind(b">", 0, start))
        close, opening = data.find(b">", end), data.find(b"<", end)
        right = close if opening < 0 or 0 <= close < opening else opening    # the next '<' or '>'
        if right < 0:
            break
        if left >= 0 and data[left] == 0x3C and data[right] == 0x3E:        # '<' … '>'
            tag = _GIANT_TAG.fullmatch(data, left, right + 1)
            if tag:
                out += (data[done:left], b"<", tag.group(1), b">")
                done = right + 1
        start = (right // step + 1) * step
    if not out:
        return data
    out.append(data[done:])
    return b"".join(out)


def parse_html(text: str, utf8: bytes | None = None) -> lxml.html.HtmlElement | None:
    """Parse decoded HTML; None when libxml2 finds no document. ``utf8``: the page's bytes
    when ``text`` is exactly their UTF-8 decoding (encoding.Decoded.utf8), which spares
    encoding ``text`` again (see :func:`parser_input`).

    >>> parse_html("<p>一</p></body></html><p>二\\x00</p>").text_content()
    '一二 '
    """
    try:
        return lxml.html.document_fromstring(parser_input(text, utf8), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None


def parser_input(text: str, utf8: bytes | None = None) -> bytes:
    """The bytes libxml2 parses for a page: UTF-8 without early </body></html>, control
    characters as spaces, over-deep tag runs and giant tags defused. From ``utf8`` (the
    page's own bytes, exactly ``text`` in UTF-8) the result is the same, without a pass that
    encodes the whole text.

    >>> parser_input("<p>一</p></BODY\u3000><p>\\x00</p>") == parser_input("", "<p>一</p></BODY\u3000><p>\\x00</p>".encode())
    True
    """
    if utf8 is None:
        data = _EARLY_CLOSE.sub("", text).encode("utf-8", "replace")
    else:
        data = _EARLY_CLOSE_UTF8.sub(b"", utf8)
    data = data.translate(_CONTROL_TO_SPACE)
    if data.count(b"<") > _MANY_TAGS:
        data = _DEEP_RUN.sub(b"<div>", data)
    if len(data) > _GIANT:
        data = defuse_giant_tags(data)
    if data.lstrip().startswith(b"<?xml"):
        data = _XML_DECLARATION.sub(b"", data, count=1)
    return data


def page_signals(tree, text: str, inputs: list | None = None) -> dict:
    """What the raw page says about itself, read before extraction prunes forms and
    scripts: a password box, the <title>; and the decoded text, which :func:`block_reason`
    scans for anti-bot markers (cleaners.antibot, the crawler's own test) only on the short
    pages that can be block pages (the scan of 200,000 characters is the costly part).
    ``inputs``: the page's <input> elements when the caller has them (cleaners.survey)."""
    return {
        "text": text,
        "password": any((el.get("type") or "").lower() == "password"
                        for el in (tree.iter("input") if inputs is None else inputs)),
        "title": tree.findtext("head/title") or tree.findtext(".//title") or "",
    }


_BODIES = etree.XPath("//body")
_BODY_TEXTS = etree.XPath("//body//text()[not(ancestor::script or ancestor::style)]")
_NO_TEXT = frozenset(("script", "style"))


def first_texts(tree, limit: int) -> list[str]:
    """The first ``limit`` text nodes of <body> outside script and style, in document order:
    what ``//body//text()[not(ancestor::script or ancestor::style)]`` lists, from a walk that
    stops there instead of a list of every text node of the page. (libxml2 puts no element
    inside a script or a style, so only the text's own element is tested.)

    >>> page = parse_html("<p>一<script>x()</script>二<b>三</b></p><style>p{}</style>四")
    >>> first_texts(page, 300), first_texts(page, 2)
    (['一', '二', '三', '四'], ['一', '二'])
    """
    bodies = _BODIES(tree)
    if len(bodies) != 1:
        return _BODY_TEXTS(tree)[:limit]
    body, out = bodies[0], []
    for event, el in etree.iterwalk(body, events=("start", "end")):
        if len(out) >= limit:
            break
        if event == "start":
            if el.text is not None and el.tag.__class__ is str and el.tag not in _NO_TEXT:
                out.append(el.text)
        elif el.tail is not None and el is not body:
            out.append(el.tail)
    return out[:limit]


def block_reason(tree, signals: dict, main_text_chars: int, page_chars: int) -> tuple[str, str] | None:
    """(status, reason) for an HTML page that is not an article, else None.

    Only pages with little article text qualify: an article that mentions 登录 or 验证码
    in its body is still an article, and so is a short news item under a login box.
    """
    if main_text_chars > 200 or page_chars > _BLOCK_PAGE_MAX_CHARS:
        return None
    if is_ruishu_shell(signals["text"], limit=200_000):
        return "blocked", "anti-bot challenge page (Ruishu/412 JavaScript shell)"
    visible = signals["title"] + " " + " ".join(t.strip() for t in first_texts(tree, 300))
    if selectors.FIREWALL_WORDS.search(visible):
        return "blocked", "firewall / access-denied page"
    if selectors.NOT_FOUND_WORDS.search(visible):
        return "empty", "page says it does not exist (soft 404)"
    if main_text_chars > SHORT_ARTICLE_CHARS or page_chars > _LOGIN_PAGE_MAX_CHARS:
        return None  # a short post on a page that also carries a login box is still a post
    if selectors.CAPTCHA_WORDS.search(visible) and not signals["password"]:
        return "blocked", "captcha page"
    if signals["password"] and selectors.LOGIN_WORDS.search(visible):
        return "blocked", "login wall"
    return None
