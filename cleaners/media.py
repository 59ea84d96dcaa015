"""Images (with captions) and attachment links of the article."""
from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit

from cleaners.selectors import ATTACHMENT_EXT
from cleaners.spaces import squash
from cleaners.tree import text_of

_CAPTION_MAX = 40
_INLINE = frozenset(("a", "span", "strong", "b", "font", "em", "i", "u"))
_IMG_SRC_ATTRS = ("src", "data-src", "data-original", "original-src", "oldsrc", "data-echo")
_SKIP_IMG = re.compile(r"(?:logo|icon|spacer|blank|pixel|qrcode|ewm|erweima|share|print|close|loading|"
                       r"dot\.gif|new\.gif|gaba|beian|thumb)", re.I)
_IMAGE_HREF = re.compile(r"\.(?:jpe?g|png|gif|bmp|webp)(?:$|\?)", re.I)
_PICTURE_CAPTION = re.compile(r"^(?:图为|图片|上图|下图|图\s*\d*\s*[:：]|（图|\(图|资料图)")
_MAX_LINKS_PER_SCOPE = 500   # a 10 MB comment board below the article is not an attachment list
_DOWNLOAD_HREF = re.compile(r"download|attach|fileid|getfile|downfile|fujian", re.I)
# what urlsplit deletes from a URL (so the path may show an extension that the href splits)
_URL_DROPPED = re.compile(r"[\t\r\n]")
_ATTACHMENT_PREFIX = re.compile(r"^(?:附件\s*\d*\s*[:：.、]?\s*|\d+\s*[.、]\s*)")


def _abs(base: str | None, href: str) -> str | None:
    href = (href or "").strip()
    if not href or href.startswith(("javascript:", "data:", "mailto:", "#")):
        return None
    full = urljoin(base or "", href)
    return full if full.startswith(("http://", "https://")) or not base else None


_SENTENCE_AT_END = re.compile(r"[。！？；]$")


def _looks_like_caption(text: str) -> bool:
    if not text or len(text) > _CAPTION_MAX:
        return False
    return bool(_PICTURE_CAPTION.match(text)) or not _SENTENCE_AT_END.search(text)


def _caption_for(img, block_texts: set) -> str | None:
    """figcaption; else the short text sharing the image's block (<center><img><br>图为…);
    else the short line right after the image's own block."""
    figure = next(img.iterancestors("figure"), None)
    if figure is not None:
        cap = figure.find(".//figcaption")
        caption = squash(text_of(cap)) if cap is not None else ""
        if caption:
            return caption
    holder = img.getparent()
    while holder is not None and holder.tag in _INLINE:
        holder = holder.getparent()
    if holder is None:
        return None
    own = squash(text_of(holder))
    if own:
        return own if own in block_texts and _looks_like_caption(own) else None
    nxt = holder.getnext()
    if nxt is not None and isinstance(nxt.tag, str):
        text = squash(text_of(nxt))
        if text in block_texts and _looks_like_caption(text) and not nxt.findall(".//img"):
            return text
    return None


def _thumbnail(img, container) -> bool:
    """An image inside a link to another page or inside a list item: a teaser thumbnail."""
    for anc in img.iterancestors():
        if anc is container:
            return False
        if anc.tag == "li":
            return True
        if anc.tag == "a" and anc.get("href") and not _IMAGE_HREF.search(anc.get("href")):
            return True
    return False


def images(container, base_url: str | None, kept_blocks) -> list[dict]:
    """Content images of the container, up to the end of the kept text."""
    imgs = list(container.iter("img"))
    if not imgs:
        return []           # no need to number the elements (a 10 MB table has 1.6 million)
    texts = {b.text for b in kept_blocks}
    order = {el: i for i, el in enumerate(container.iter())}
    last = max((order.get(b.last_el, 0) for b in kept_blocks), default=len(order))
    found, seen = [], set()
    for img in imgs:
        if order.get(img, 0) > last + 3 or _thumbnail(img, container):
            continue
        src = next((img.get(a) for a in _IMG_SRC_ATTRS if img.get(a)), None)
        src = _abs(base_url, src) if src else None
        if not src or src in seen or _SKIP_IMG.search(src):
            continue
        width = img.get("width", "")
        if width.isdigit() and int(width) < 50:
            continue
        seen.add(src)
        found.append({"src": src, "caption": _caption_for(img, texts)})
    return found


def _following(container, limit: int = 12):
    """Elements just after the container (attachment boxes often sit below the body)."""
    node, steps = container, 0
    while node is not None and steps < 3:
        sib = node.getnext()
        count = 0
        while sib is not None and count < limit:
            yield sib
            sib, count = sib.getnext(), count + 1
        node, steps = node.getparent(), steps + 1


def _in_link_list(a, scope) -> bool:
    """A link inside a list of links (related documents), not an attachment line."""
    for anc in a.iterancestors():
        if anc.tag in ("ul", "ol") and len(anc.findall(".//a")) >= 3:
            return True
        if anc is scope:
            return False
    return False


def attachments(container, base_url: str | None) -> list[dict]:
    """Links to files in the container, or just below it when the href itself is a file.

    >>> from lxml import html
    >>> box = html.fromstring('<div><a href="/f/1.pd\\nf"><span>报告</span></a>'
    ...                       '<a href="/d?id=2"><span>名单.xls</span></a><a href="/n/3.html"><b>新闻</b></a></div>')
    >>> [(f["name"], f["ext"]) for f in attachments(box, "http://x.gov.cn/")]
    [('报告', 'pdf'), ('名单.xls', 'xls')]
    """
    found, seen = [], set()
    for scope in [container, *_following(container)]:
        if not isinstance(scope.tag, str):
            continue
        for n, a in enumerate(scope.iter("a")):
            if n >= _MAX_LINKS_PER_SCOPE:
                break
            href = a.get("href") or ""
            text = a.text or ""
            href_file = ATTACHMENT_EXT.search(href)
            if not (href_file or ATTACHMENT_EXT.search(text) or len(a)):
                continue  # cheap reject: most links are plain page links
            raw_name = text_of(a)
            if not href_file and "." not in raw_name and not _URL_DROPPED.search(href):
                continue  # a link around a <span> or an <img>: neither its path nor its name has a file extension
            name = squash(raw_name)
            by_href = ATTACHMENT_EXT.search(urlsplit(href).path)
            by_name = ATTACHMENT_EXT.search(name)
            labelled = by_name and (_DOWNLOAD_HREF.search(href) or "附件" in squash(text_of(a.getparent())))
            m = by_href or (by_name if scope is container or labelled else None)
            if not m or (not by_href and not labelled and _in_link_list(a, scope)):
                continue
            url = _abs(base_url, href)
            if not url or url in seen:
                continue
            seen.add(url)
            name = _ATTACHMENT_PREFIX.sub("", name) or unquote(urlsplit(href).path.rsplit("/", 1)[-1])
            found.append({"name": name, "url": url, "ext": m.group(1).lower()})
    return found
