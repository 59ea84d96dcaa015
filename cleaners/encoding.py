"""Bytes → text for Chinese government pages whose declared encodings often lie.

Evidence, strongest first (later steps run only when earlier ones fail):

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) decides outright;
2. bytes that are valid UTF-8 and contain non-ASCII are UTF-8, whatever is declared
   (re-serialised pages stored as UTF-8 keep their old ``charset=gb2312`` meta);
3. the HTTP ``Content-Type`` charset, then ``<meta charset>`` / ``<meta http-equiv>``
   (or an ``<?xml encoding?>`` declaration) in the first :data:`META_SCAN_BYTES`,
   each used only if the bytes decode strictly with it. Single-byte charsets
   (``iso-8859-1`` is a Java server's default header, a common lie over GBK bytes)
   decode anything, so they are kept for step 8;
4. bytes that are *almost* valid UTF-8 (a few corrupt sequences among many valid ones);
5. GB18030 and Big5 (big5hkscs, cp950) by strict validity. Big5 bytes are usually
   valid GB18030 too (and short GB2312 texts valid Big5): a tie goes to the reading
   with more common hanzi, then to chardet limited to those two. The same check
   overrules a *declared* GB or Big5 charset whose rival reads clearly better;
6. a multi-byte candidate with errors in at most :data:`SINGLE_BYTE_ERROR_SHARE` of the
   non-ASCII bytes (GBK pages with a few broken characters) — no chardet needed;
7. chardet on the first :data:`DETECT_SAMPLE_BYTES` (UTF-16 without BOM, Western pages);
8. the candidate with the fewest errors, decoded with ``errors="replace"``;
   ``info["replacements"]`` counts the U+FFFD produced. Single-byte candidates win
   only when every multi-byte one errs on more than that share.

A candidate whose strict decoding fails only in the last :data:`TAIL_BYTES` bytes (a page
cut inside a multi-byte character) counts as decoding: the partial character is dropped
and reported as one replacement.

GB2312/GBK/cp936 labels decode as GB18030 (its superset); Big5 labels decode as
big5hkscs, or cp950 when only that decodes. Limitation: undeclared EUC-KR/Shift_JIS
pages may decode as GB18030 (the cleaner is for Chinese pages).

>>> decode("鹤壁市科技局".encode("gbk"), "text/html; charset=utf-8").info["used"]
'gb18030'
>>> d = decode('<meta charset="gb2312"><p>科技</p>'.encode("utf-8"))
>>> d.text, d.info["reason"]
('<meta charset="gb2312"><p>科技</p>', 'bytes valid utf-8 despite declared gb2312')
>>> decode(b"").info["reason"]
'empty'
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import NamedTuple

from cleaners.charsets import (BIG5_CODECS, RIVALS, TIE_CHARDET_BIG5, TIE_MARGIN_BIG5, TIE_MARGIN_GB, TIE_MIN_CHARS,
                               UNICODE_WIDE, charset_from_content_type, charset_from_meta, common_share,
                               is_single_byte, normalise_label, rival, sniff_bom, wide_layout)

try:  # chardet is a declared dependency; without it detection is simply skipped
    import chardet
except ImportError:  # pragma: no cover
    chardet = None

__all__ = ["Decoded", "decode", "normalise_label", "charset_from_content_type",
           "charset_from_meta", "META_SCAN_BYTES", "DETECT_SAMPLE_BYTES", "TAIL_BYTES"]

META_SCAN_BYTES = 8192          # where <meta charset> is looked for
DETECT_SAMPLE_BYTES = 65536     # what chardet sees
TAIL_BYTES = 3                  # a strict failure this close to the end is a truncated tail
MOSTLY_UTF8_MIN_CHARS = 20      # "almost UTF-8": at least this many valid multi-byte chars …
MOSTLY_UTF8_RATIO = 50          # … and at most one error per this many of them
CONFIDENT_SINGLE_BYTE = 0.8     # chardet single-byte guesses below this wait for step 8
SINGLE_BYTE_ERROR_SHARE = 0.02  # errors per non-ASCII byte still taken as "this encoding, damaged"

REPLACEMENT = "\ufffd"


@dataclass(frozen=True)
class Decoded:
    """Decoded page text and how the encoding was chosen.

    ``info`` keys: ``declared_http``, ``declared_meta`` (labels as declared, or None),
    ``bom`` (codec name or None), ``detected`` (chardet's label or None, only when it
    ran), ``used`` (Python codec name), ``reason`` (short phrase), ``replacements``
    (U+FFFD produced by decoding, not present in the original).

    ``utf8``: the page's bytes when ``text`` is exactly their UTF-8 decoding (valid UTF-8
    or ASCII, no BOM), so that the parser can take them instead of encoding ``text`` again.
    """

    text: str
    info: dict
    utf8: bytes | None = None


class _Candidate(NamedTuple):
    codec: str    # Python codec name to decode with
    source: str   # "http header", "meta", "chardet", "fallback"
    label: str    # what the source said, lower-cased (for reasons)


def _expand(codec: str, source: str, label: str, raw: bytes, notes: list[str]) -> list[_Candidate]:
    """Concrete candidates for one normalised label (Big5 family, wide Unicode checks)."""
    if codec == "big5":
        return [_Candidate(c, source, label) for c in BIG5_CODECS]
    if codec.replace("_", "-") in UNICODE_WIDE:
        layout = wide_layout(raw)
        family = codec.replace("_", "-")[:6]          # "utf-16" / "utf-32"
        if layout and layout.startswith(family) and (len(codec) == 6 or layout == codec):
            return [_Candidate(layout, source, label)]
        notes.append(f"{source} {label} ignored: bytes are not {family}")
        return []
    return [_Candidate(codec, source, label)]


def _declared(label: str | None, source: str, raw: bytes, notes: list[str]) -> list[_Candidate]:
    if label is None:
        return []
    codec = normalise_label(label)
    if codec is None:
        notes.append(f"unknown {source} charset {label.strip()[:40]!r} ignored")
        return []
    return _expand(codec, source, label.strip().lower(), raw, notes)


# --- decoding helpers -----------------------------------------------------------------

def _strict(raw: bytes, codec: str) -> tuple[str, int] | None:
    """Strict decode; a failure only in the last TAIL_BYTES drops that partial character
    and counts 1 replacement. None if the bytes are invalid elsewhere.

    >>> _strict("科技".encode("utf-8")[:-1], "utf-8")
    ('科', 1)
    """
    try:
        return raw.decode(codec), 0
    except UnicodeDecodeError as exc:
        if exc.start < len(raw) - TAIL_BYTES:
            return None
        try:
            head = raw[: exc.start].decode(codec)
        except (UnicodeDecodeError, LookupError):
            return None
        tail = raw[exc.start:].decode(codec, "replace").replace(REPLACEMENT, "")
        return head + tail, 1
    except LookupError:
        return None


def _replaced(raw: bytes, codec: str) -> tuple[str, int]:
    """Decode with errors="replace"; count the U+FFFD that were not in the original."""
    text = raw.decode(codec, "replace")
    produced = text.count(REPLACEMENT)
    if produced:
        try:
            produced -= raw.count(REPLACEMENT.encode(codec))
        except (UnicodeError, LookupError):
            pass
    return text, max(produced, 0)


def _utf8_counts(raw: bytes) -> tuple[str, int, int]:
    """(text decoded with replacements, valid multi-byte characters, errors)."""
    text, bad = _replaced(raw, "utf-8")
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return text, non_ascii - text.count(REPLACEMENT), bad


def _mostly_utf8(raw: bytes) -> tuple[str, int] | None:
    """UTF-8 with a few corrupt sequences among many valid multi-byte characters.

    A 32 KB sample rejects legacy-encoded pages before the whole page is decoded."""
    if len(raw) > 32768:
        _, good, bad = _utf8_counts(raw[:32768])
        if bad > 1 and bad * MOSTLY_UTF8_RATIO > good:   # 1: the sample may cut a character
            return None
    text, good, bad = _utf8_counts(raw)
    if good >= MOSTLY_UTF8_MIN_CHARS and bad * MOSTLY_UTF8_RATIO <= good:
        return text, bad
    return None


def _detect(raw: bytes, only: tuple[str, ...] | None = None) -> tuple[str | None, float]:
    """chardet on the first DETECT_SAMPLE_BYTES, optionally limited to some encodings."""
    if chardet is None:
        return None, 0.0
    try:
        if only:
            with warnings.catch_warnings():   # "no_match_encoding excluded" warning
                warnings.simplefilter("ignore")
                result = chardet.detect(raw[:DETECT_SAMPLE_BYTES], include_encodings=only)
        else:
            result = chardet.detect(raw[:DETECT_SAMPLE_BYTES])
    except Exception:
        return None, 0.0
    return result.get("encoding"), float(result.get("confidence") or 0.0)


def _info(http: str | None, meta: str | None, bom: str | None) -> dict:
    return {"declared_http": http, "declared_meta": meta, "bom": bom, "detected": None,
            "used": "utf-8", "reason": "", "replacements": 0}


def _finish(info: dict, text: str, codec: str, reason: str, replacements: int,
            notes: list[str] = (), utf8: bytes | None = None) -> Decoded:
    if text.startswith("\ufeff"):
        text, utf8 = text[1:], None
    info.update(used=codec, reason="; ".join([*notes, reason]), replacements=replacements)
    return Decoded(text, info, utf8)


# --- the decision -------------------------------------------------------------------

def decode(raw: bytes, content_type: str | None = None) -> Decoded:
    """Decode page bytes using BOM, header, meta, validity and detection (see module doc).

    Never raises for bytes input.

    >>> d = decode("蘭州市科技局".encode("big5"), "text/html; charset=big5")
    >>> d.text, d.info["used"], d.info["reason"]
    ('蘭州市科技局', 'big5hkscs', 'http header')
    """
    if not isinstance(raw, (bytes, bytearray, memoryview)):
        raise TypeError(f"raw must be bytes, not {type(raw).__name__}")
    raw = bytes(raw)
    try:
        return _decode(raw, content_type)
    except Exception as exc:  # last line of defence: a bug here must not stop a batch
        text, count = _replaced(raw, "utf-8")
        info = _info(None, None, None)
        reason = f"internal error {type(exc).__name__}; utf-8 replace"
        return _finish(info, text, "utf-8", reason, count)


def _decode(raw: bytes, content_type: str | None) -> Decoded:
    if not raw:
        return _finish(_info(None, None, None), "", "utf-8", "empty", 0)

    http_label = charset_from_content_type(content_type)
    bom = sniff_bom(raw)
    head = raw[:META_SCAN_BYTES]
    if bom and bom[0] != "utf-8":   # report a meta written in UTF-16/32 too (it loses to the BOM)
        wide_head = raw[bom[1]: bom[1] + META_SCAN_BYTES * (2 if "16" in bom[0] else 4)]
        head = wide_head.decode(bom[0], "ignore").encode("utf-8")
    meta_label = charset_from_meta(head)
    info = _info(http_label, meta_label, bom[0] if bom else None)

    if bom:
        codec, size = bom
        body = raw[size:]
        result = _strict(body, codec) or _replaced(body, codec)
        return _finish(info, result[0], codec, "bom", result[1])

    notes: list[str] = []
    declared = (_declared(http_label, "http header", raw, notes)
                + _declared(meta_label, "meta", raw, notes))
    strong = [c for c in declared if not is_single_byte(c.codec)]
    weak = [c for c in declared if is_single_byte(c.codec)]
    is_ascii = raw.isascii()

    # Valid UTF-8 with non-ASCII content beats any declaration.
    if not is_ascii:
        result = _strict(raw, "utf-8")
        if result and not (result[1] and result[0].isascii()):
            if declared and declared[0].codec == "utf-8":
                reason = declared[0].source
            elif declared:
                reason = f"bytes valid utf-8 despite declared {declared[0].label}"
            else:
                reason = "no declaration; bytes valid utf-8"
            return _finish(info, result[0], "utf-8", reason, result[1], notes, None if result[1] else raw)

    tried: list[_Candidate] = []

    def attempt(cands: list[_Candidate], phrase) -> Decoded | None:
        for i, cand in enumerate(cands):
            if all(cand.codec != t.codec for t in tried):
                tried.append(cand)
                result = _strict(raw, cand.codec)
                if result:
                    better = rival(raw, cand.codec, result[0]) if cand.codec in RIVALS else None
                    if better:
                        other, text, mine, theirs = better
                        reason = (f"{cand.source} {cand.label} reads as mojibake; {other} by "
                                  f"common hanzi ({theirs:.2f} vs {mine:.2f})")
                        return _finish(info, text, other, reason, 0, notes)
                    return _finish(info, result[0], cand.codec, phrase(cand), result[1], notes)
            last_of_label = all(c[1:] != cand[1:] for c in cands[i + 1:])
            if cand.source in ("http header", "meta") and last_of_label:
                note = f"declared {cand.label} invalid"
                if note not in notes:
                    notes.append(note)
        return None

    def declared_phrase(cand: _Candidate) -> str:
        return f"{cand.source} {cand.label}" if notes else cand.source

    found = attempt(strong, declared_phrase)
    if found:
        return found
    if is_ascii:   # no declaration, or only unusable ones
        found = attempt(weak, declared_phrase)
        if not found and b"\x00" in raw:
            layout = wide_layout(raw)
            if layout:
                found = attempt([_Candidate(layout, "layout", layout)],
                                lambda c: f"no BOM; {c.codec} by NUL layout")
        return found or _finish(info, raw.decode("ascii"), "utf-8", "ascii only", 0, notes, raw)

    result = _mostly_utf8(raw)
    if result:
        return _finish(info, result[0], "utf-8",
                       f"mostly valid utf-8 ({result[1]} replacements)", result[1], notes)

    # GB18030 vs Big5 by validity; chardet only breaks a tie (both valid) or, when
    # neither is valid, proposes something else (Shift_JIS, UTF-16 without BOM, …).
    gb = _Candidate("gb18030", "fallback", "gb18030")
    big5 = [_Candidate(c, "fallback", c) for c in BIG5_CODECS]
    gb_result = _strict(raw, gb.codec) if all(t.codec != gb.codec for t in tried) else None
    big5_pick = None
    for cand in big5:
        if all(t.codec != cand.codec for t in tried):
            result = _strict(raw, cand.codec)
            if result:
                big5_pick = (cand, result)
                break
    tried += [gb, *big5]
    if gb_result and big5_pick:
        # Mainland pages are the norm: Big5 must read clearly better, or chardet be fairly sure.
        gb_share, _ = common_share(gb_result[0])
        big5_share, big5_count = common_share(big5_pick[1][0])
        if big5_share >= gb_share + TIE_MARGIN_BIG5 and big5_count >= TIE_MIN_CHARS:
            cand, result = big5_pick
            phrase = f"{cand.codec} by common hanzi ({big5_share:.2f} vs {gb_share:.2f})"
            return _finish(info, result[0], cand.codec, phrase, result[1], notes)
        if gb_share >= big5_share + TIE_MARGIN_GB:
            phrase = f"gb18030 by common hanzi ({gb_share:.2f} vs {big5_share:.2f})"
            return _finish(info, gb_result[0], "gb18030", phrase, gb_result[1], notes)
        label, confidence = _detect(raw, ("gb18030", "big5"))
        info["detected"] = label.lower() if label else None
        if label and normalise_label(label) == "big5" and confidence >= TIE_CHARDET_BIG5:
            cand, result = big5_pick
        else:
            cand, result = gb, gb_result
        phrase = f"chardet {cand.codec} ({confidence:.2f})" if label else f"fallback {cand.codec}"
        return _finish(info, result[0], cand.codec, phrase, result[1], notes)
    if gb_result or big5_pick:
        cand, result = (gb, gb_result) if gb_result else big5_pick
        return _finish(info, result[0], cand.codec, f"fallback {cand.codec}", result[1], notes)

    # Nothing decodes strictly. A few broken characters in a GBK page (a title cut
    # mid-character) should not cost a full chardet run.
    multi = [c for c in tried if not is_single_byte(c.codec)]
    nearest = _fewest_errors(raw, multi)
    if nearest[0] <= SINGLE_BYTE_ERROR_SHARE * _non_ascii(raw):
        return _replaced_result(info, nearest, notes)

    label, confidence = _detect(raw)
    detected: list[_Candidate] = []
    if label:
        info["detected"] = label.lower()
        codec = normalise_label(label)
        if codec:
            detected = _expand(codec, "chardet", label.lower(), raw, notes)
    confident = [c for c in detected
                 if not is_single_byte(c.codec) or confidence >= CONFIDENT_SINGLE_BYTE]
    unsure = [c for c in detected if c not in confident]
    found = attempt(confident, lambda c: f"chardet {c.codec} ({confidence:.2f})")
    if found:
        return found

    # Still nothing: fewest errors among multi-byte candidates, unless they all err a
    # lot and a single-byte candidate (weak declaration, unsure chardet guess) decodes.
    # A single-byte codec decodes almost anything, so alone it is no evidence.
    best = min(nearest, _fewest_errors(raw, [c for c in confident if c not in multi], first=50))
    single = [c for c in tried if is_single_byte(c.codec)] + weak + unsure
    if single and best[0] > SINGLE_BYTE_ERROR_SHARE * _non_ascii(raw):
        best = min(best, _fewest_errors(raw, single, first=100))
    if best[0] == 0:
        cand = best[2]
        phrase = (f"chardet {cand.codec} ({confidence:.2f})" if cand.source == "chardet"
                  else f"{cand.source} {cand.label}")
        return _finish(info, best[3], cand.codec, f"{phrase}; multi-byte candidates fail", 0, notes)
    return _replaced_result(info, best, notes)


_NO_CANDIDATE = (1 << 62, 1 << 62, _Candidate("utf-8", "fallback", "utf-8"), "")


def _fewest_errors(raw: bytes, cands: list[_Candidate], first: int = 0
                   ) -> tuple[int, int, _Candidate, str]:
    """(errors, priority, candidate, text) of the candidate with the fewest replacements;
    UTF-8 always competes. Ties go to the earlier candidate."""
    best = _NO_CANDIDATE
    seen = set()
    for priority, cand in enumerate([*cands, _Candidate("utf-8", "fallback", "utf-8")], first):
        if cand.codec in seen:
            continue
        seen.add(cand.codec)
        try:
            text, errors = _replaced(raw, cand.codec)
        except LookupError:
            continue
        best = min(best, (errors, priority, cand, text), key=lambda s: s[:2])
    return best


def _non_ascii(raw: bytes) -> int:
    return len(raw) - len(raw.decode("ascii", "ignore"))


def _replaced_result(info: dict, scored: tuple[int, int, _Candidate, str],
                     notes: list[str]) -> Decoded:
    errors, _, cand, text = scored
    return _finish(info, text, cand.codec, f"fallback {cand.codec} with {errors} replacements",
                   errors, notes)
