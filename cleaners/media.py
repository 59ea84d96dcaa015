"""Images (with captions) and attachment links of the article container."""
from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit

from cleaners.selectors import ATTACHMENT_EXT

_WS = re.compile(r"\s+")
_CAPTION_MAX = 40
_IMG_SRC_ATTRS = ("src", "data-src", "data-original", "original-src", "oldsrc", "data-echo")
_SKIP_IMG = re.compile(r"(?:logo|icon|spacer|blank|pixel|qrcode|ewm|erweima|share|print|close|loading)", re.I)
_ATTACHMENT_PREFIX = re.compile(r"^(?:附件\s*\d*\s*[:：.、]?\s*|\d+\s*[.、]\s*)")


def _abs(base: str | None, href: str) -> str | None:
    href = (href or "").strip()
    if not href or href.startswith(("javascript:", "data:", "mailto:", "#")):
        return None
    full = urljoin(base or "", href)
    return full if full.startswith(("http://", "https://")) or not base else None


def _squash(text: str | None) -> str:
    return _WS.sub(" ", (text or "").replace("\u3000", " ").replace("\xa0", " ")).strip()


def _caption_for(img, block_texts: set) -> str | None:
    figure = next((a for a in img.iterancestors() if a.tag == "figure"), None)
    if figure is not None:
        cap = figure.find(".//figcaption")
        if cap is not None and _squash(cap.text_content()):
            return _squash(cap.text_content())
    holder = img.getparent()
    while holder is not None and holder.tag in ("a", "span", "strong", "b", "font", "center"):
        holder = holder.getparent()
    if holder is None:
        return None
    own = _squash(holder.text_content())
    if own and len(own) <= _CAPTION_MAX and own in block_texts:
        return own
    nxt = holder.getnext()
    if nxt is not None and len(_squash(holder.text_content())) == 0:
        text = _squash(nxt.text_content())
        if text and len(text) <= _CAPTION_MAX and text in block_texts and not re.search(r"[。！？]$", text):
            return text
    return None


def images(container, base_url: str | None, blocks) -> list[dict]:
    texts = {b.text for b in blocks}
    found, seen = [], set()
    for img in container.iter("img"):
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


def attachments(container, base_url: str | None) -> list[dict]:
    found, seen = [], set()
    scopes = [container, *_following(container)]
    for scope in scopes:
        if not isinstance(scope.tag, str):
            continue
        for a in scope.iter("a"):
            href = a.get("href") or ""
            name = _squash(a.text_content())
            m = ATTACHMENT_EXT.search(urlsplit(href).path) or ATTACHMENT_EXT.search(name)
            if not m:
                continue
            url = _abs(base_url, href)
            if not url or url in seen:
                continue
            seen.add(url)
            name = _ATTACHMENT_PREFIX.sub("", name) or unquote(urlsplit(href).path.rsplit("/", 1)[-1])
            found.append({"name": name, "url": url, "ext": m.group(1).lower()})
    return found
