"""PDF through pypdf: the text layer of every page, wrapped lines of Chinese prose joined
again. A PDF locked with an owner password only opens (as in any viewer); one that needs a
user password is ``encrypted``; pages with no text layer (scans) give ``no_text``."""
from __future__ import annotations

import logging
import re

from cleaners.attachments.result import Read, Unreadable

# a line ending here ends a sentence, a clause or a quotation: the next line is new
_ENDS = frozenset("。！？；：…”」』）)】!?;:")
_CJK_CHAR = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_WRAP_SHARE = 0.8     # a line this close to the page's longest one ran to the margin
_WRAP_MIN = 15        # pages whose lines are all shorter have no prose to join


def _wrapped(prev: str, line: str, width: int) -> bool:
    return (width >= _WRAP_MIN and len(prev) >= _WRAP_SHARE * width and prev[-1] not in _ENDS
            and bool(_CJK_CHAR.match(prev[-1])) and bool(_CJK_CHAR.match(line[0]) or line[0].isdigit()))


def reflow(page_text: str) -> str:
    """Join the lines a PDF broke at the right margin in the middle of Chinese sentences;
    short lines (titles, table cells, list items) and lines ending a sentence stay.

    >>> print(reflow("关于开展申报工作的通知\\n各市州科技局要加强科技创新券的管理，推动中\\n小企业技术创新。\\n项目"))
    关于开展申报工作的通知
    各市州科技局要加强科技创新券的管理，推动中小企业技术创新。
    项目
    """
    lines = [line.strip() for line in page_text.split("\n")]
    width = max((len(line) for line in lines), default=0)
    out: list[str] = []
    for line in lines:
        if out and out[-1] and line and _wrapped(out[-1], line, width):
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


def read(path: str, limits, workdir: str) -> Read:
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(path, strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except DependencyError as exc:
                raise Unreadable("unsupported", f"encrypted PDF and no decryption library: {exc}") from None
            if not opened:
                raise Unreadable("encrypted", "PDF protected with a password")
        pages = len(reader.pages)
    except FileNotDecryptedError:
        raise Unreadable("encrypted", "PDF protected with a password") from None
    except PdfReadError as exc:
        raise Unreadable("error", f"broken PDF: {exc}"[:300]) from None
    texts, chars, failed = [], 0, 0
    for page in reader.pages:
        try:
            text = page.extract_text() or ""
        except (PdfReadError, KeyError, ValueError, TypeError, AttributeError):
            failed += 1                 # one broken page does not lose the others
            continue
        texts.append(reflow(text))
        chars += len(text)
        if chars > limits.max_chars:
            break
    if failed and failed == pages:
        raise Unreadable("error", f"broken PDF: no page could be read ({pages} pages)")
    return Read("\n".join(texts), pages=pages)
