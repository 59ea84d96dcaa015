"""Near-duplicate signatures of a record's cleaned text: MinHash over 5-character shingles.

A republished notice differs from its original by the site's script (traditional pages),
punctuation width, spaces and line breaks, an added 编者按 or 来源 line, a cut last
paragraph. The signature ignores the first four:

* :func:`fold` — NFC, traditional-only characters → simplified one by one
  (:func:`cleaners.script.simplified_chars`; a record's text is simplified already by the
  cleaner, so this is for stray characters), then only letters, digits and CJK
  ideographs kept, full-width letters and digits made ASCII, lower case;
* :func:`minhash` — one-permutation MinHash (one tuple hash per shingle, :data:`WIDTH` bins,
  the smallest hash of each bin; empty bins filled from the next full one, "rotation
  densification"), so its cost is one hash per shingle plus a short sort, in plain Python;
  the fraction of equal bins of two signatures estimates the Jaccard similarity of their
  shingle sets (:func:`similarity`);
* :func:`bands` — LSH: :data:`BANDS` bands of :data:`ROWS` bins, each hashed to one integer
  (its band number in the top byte); two texts of Jaccard 0.8 share a band with
  probability 1 − (1 − 0.8⁴)¹⁶ ≈ 0.9998, two of 0.3 with 0.12.

Texts shorter than :data:`SHORT` folded characters get no bands: they match only on the
exact hash of their folded text (:func:`signature` ``exact``). bench/dedupe.py measures
the speed of this module beside datasketch's MinHash.

>>> a = signature("科技部关于组织开展2024年度科技创新项目申报工作的通知。" * 6)
>>> b = signature("科技部關於組織開展２０２４年度科技創新項目申報工作的通知，" * 6)
>>> a["exact"] == b["exact"], similarity(a["minhash"], b["minhash"])
(True, 1.0)
"""
from __future__ import annotations

import hashlib
import re
from array import array
import unicodedata

from cleaners.script import simplified_chars

__all__ = ["fold", "shingles", "minhash", "bands", "similarity", "signature",
           "SHINGLE", "WIDTH", "BANDS", "ROWS", "SHORT", "VERSION"]

SHINGLE = 5         # characters per shingle
WIDTH = 64          # MinHash bins
BANDS, ROWS = 16, 4     # LSH bands × bins per band = WIDTH
SHORT = 100         # folded characters: below, only exact copies match
VERSION = 1         # raised when a change makes old signatures incomparable

assert BANDS * ROWS == WIDTH

# Kept: ASCII letters and digits, full-width ones, CJK ideographs (〇, Ext A, URO, compatibility, Ext B+);
# the runs of them are found and joined (a quarter faster than substituting what lies between).
_KEEP_RUN = re.compile("[0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
                       "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
_FULLWIDTH = {c: c - 0xFEE0 for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_FULLWIDTH_RE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_BIN = WIDTH - 1
_EMPTY = 1 << 32            # no 32-bit value: a bin not filled yet
_KEEP = 600
_LOWEST, _HIGHEST = -(1 << 63), (1 << 63) - 1     # range of hash()
_HASH_PROBE = (31185, 25216, 21019, 26032, 39033)      # 科技创新项
_HASH_CHECK = 3365762116323043502                      # its hash on 64-bit CPython 3.8+


def fold(text: str) -> str:
    """The text as compared: simplified script, letters/digits/ideographs only, ASCII, lower case.

    >>> fold("（一）申報時間：２０２４年３月1日 — Ａpril\\n")
    '一申报时间2024年3月1日april'
    """
    text = simplified_chars(unicodedata.normalize("NFC", text))
    text = "".join(_KEEP_RUN.findall(text))
    if _FULLWIDTH_RE.search(text):
        text = text.translate(_FULLWIDTH)
    return text.lower()


def shingles(folded: str, size: int = SHINGLE) -> set[str]:
    """The set of ``size``-character substrings (the whole text when shorter).

    >>> sorted(shingles("科技创新项目", 5))
    ['技创新项目', '科技创新项']
    """
    if len(folded) <= size:
        return {folded} if folded else set()
    return {folded[i:i + size] for i in range(len(folded) - size + 1)}


def minhash(folded: str) -> list[int]:
    """One-permutation MinHash of the text's shingles: :data:`WIDTH` 32-bit values.

    Each shingle is hashed once, as the tuple of its code points with CPython's tuple hash
    (xxHash-based; unlike ``hash(str)`` it is not salted per process, so signatures agree
    across processes and machines — ``_HASH_CHECK`` pins it, see :func:`hash_is_stable`).
    Its low 6 bits pick the bin, the order of the hashes is the permutation. Only the
    smallest few hundred hashes can be a bin's minimum, so only those are sorted.

    >>> len(minhash("国家科技重大专项管理办法")), minhash("") == [0] * WIDTH
    (64, True)
    """
    if not folded:
        return [0] * WIDTH
    if len(folded) < SHINGLE:
        folded = folded.ljust(SHINGLE, "\0")
    c = array("I", folded.encode("utf-32-le")).tolist()      # the code points, in C
    hashes = list(map(hash, zip(c, c[1:], c[2:], c[3:], c[4:])))   # repeats change no minimum
    # only the ~keep smallest hashes can be bin minima: with 64 bins and 600 kept all bins
    # fill 99.5% of the time; else (repeated shingles: fewer distinct hashes) keep more
    keep = _KEEP
    while True:
        cut = _LOWEST + (1 << 64) * keep // len(hashes)
        out = _fill(sorted(filter(cut.__gt__, hashes)) if cut < _HIGHEST else sorted(hashes))
        if _EMPTY not in out or cut >= _HIGHEST:
            break
        keep *= 4
    if _EMPTY in out:
        _densify(out)
    return out


def _fill(ordered: list[int]) -> list[int]:
    out = [_EMPTY] * WIDTH
    left = WIDTH
    for h in ordered:
        b = h & _BIN
        if out[b] == _EMPTY:
            out[b] = (h >> 32) & 0xFFFFFFFF
            left -= 1
            if not left:
                break
    return out


def hash_is_stable() -> bool:
    """Does this Python hash code-point tuples as the signatures in the store were made?

    >>> hash_is_stable()
    True
    """
    return hash(_HASH_PROBE) == _HASH_CHECK


def _densify(out: list[int]) -> None:
    """Fill each empty bin from the next full bin to the right (wrapping), offset by the
    distance, so two texts with the same shingles still fill it alike."""
    full = list(out)
    for i in range(WIDTH):
        if full[i] == _EMPTY:
            step = 1
            while full[(i + step) % WIDTH] == _EMPTY:
                step += 1
            out[i] = (full[(i + step) % WIDTH] + step * 0x9E3779B1) & 0xFFFFFFFF


def bands(values: list[int]) -> list[int]:
    """The LSH band keys of a MinHash: one signed 64-bit integer per band, band number in
    the top bits (so equal rows in different bands never collide).

    >>> keys = bands(list(range(WIDTH)))
    >>> len(keys), len(set(keys)), [k >> 59 for k in keys][:3]
    (16, 16, [0, 0, 0])
    """
    keys = []
    for band in range(BANDS):
        rows = values[band * ROWS:(band + 1) * ROWS]
        digest = hashlib.blake2b(b"".join(v.to_bytes(4, "little") for v in rows), digest_size=7).digest()
        keys.append((band << 56) | int.from_bytes(digest, "little"))   # < 2**63: a BSON int64
    return keys


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity: the share of equal bins.

    >>> similarity([1, 2, 3, 4], [1, 2, 0, 4])
    0.75
    """
    if not a or len(a) != len(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b)) / len(a)


def signature(text: str) -> dict:
    """The ``dedupe`` field of a record: ``{v, exact, length, minhash, bands}``; a text under
    :data:`SHORT` folded characters has no ``minhash`` and empty ``bands``.

    >>> s = signature("关于举办培训班的通知")
    >>> s["length"], s["bands"], "minhash" in s, len(s["exact"])
    (10, [], False, 16)
    """
    folded = fold(text or "")
    exact = hashlib.blake2b(folded.encode("utf-8"), digest_size=8).hexdigest()
    out = {"v": VERSION, "exact": exact, "length": len(folded)}
    if len(folded) < SHORT:
        out["bands"] = []
        return out
    values = minhash(folded)
    out["minhash"] = values
    out["bands"] = bands(values)
    return out
