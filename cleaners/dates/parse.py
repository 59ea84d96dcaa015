"""Date strings → timezone-aware datetimes: ISO and Chinese formats (2023年2月21日, 二〇二三年
二月二十一日, full-width digits, 10∶08), US month-first dates (7/5/2005 9:23:57 PM), English
month names, compact 20230221; and every date in a page's text at once (:func:`scan_dates`).

Times without an offset are China time (+08:00); an explicit ``Z`` or offset is kept. Years
before ``MIN_YEAR`` or after next year are no dates.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

CST = timezone(timedelta(hours=8))
MIN_YEAR = 1990


# Length-preserving fold of full-width ASCII (２０２３－０２－２１, １０：０８) and look-alikes.
_FOLD = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FOLD.update({0x2236: ":", 0xFE55: ":", 0x2010: "-", 0x2011: "-", 0x2012: "-", 0x2013: "-",
              0x2014: "-", 0x2212: "-", 0x2215: "/", 0x30FB: "."})
_FOLD = {k: (chr(v) if isinstance(v, int) else v) for k, v in _FOLD.items()}
_NEEDS_FOLD = re.compile(r"[\uff01-\uff5e\u2236\ufe55\u2010-\u2014\u2212\u2215\u30fb]")


def _fold(s: str) -> str:
    return s.translate(_FOLD) if _NEEDS_FOLD.search(s) else s


_TIME = (
    r"(?:\s*(?:星期[一二三四五六日天]|周[一二三四五六日天]|礼拜[一二三四五六日天]|\([^()\d]{1,4}\))?"
    r"\s*(?:T|\s)?\s*"
    r"(?P<H>[01]?\d|2[0-3])(?:\s?:\s?(?P<M>[0-5]\d)(?:\s?:\s?(?P<S>[0-5]\d|60)(?:[.,]\d{1,9})?)?"
    r"|\s?[时時点點]\s?(?:(?P<M2>[0-5]?\d)\s?分(?:\s?(?P<S2>[0-5]?\d)\s?秒)?)?)"
    r"(?:\s?(?P<tz>Z(?![A-Za-z])|[+-](?:0\d|1[0-4]):?[0-5]\d(?!\d)))?"
    r")?"
)
_Y = r"(?<![\d.])(?P<y>(?:19|20)\d{2})"
DATE_PATTERNS = [
    # 2023-02-21, 2023/2/21, 2023.02.21, 2023 / 03 / 12 (+ time, ISO T / Z / offset)
    re.compile(_Y + r"\s?(?P<sep>[-/.])\s?(?P<m>\d{1,2})\s?(?P=sep)\s?(?P<d>\d{1,2})(?!\d|\.\d)" + _TIME),
    # 2023年2月21日, 2023年02月21日 08:40, 2020年05月22日08:40, 2023年2月21日 星期二
    re.compile(_Y + r"\s?年\s?(?P<m>\d{1,2})\s?月\s?(?P<d>\d{1,2})\s?[日号號]" + _TIME),
]
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_CN_DIGIT.update({"零": 0, "○": 0, "Ｏ": 0, "O": 0, "o": 0, "0": 0})
_CN_DATE = re.compile(
    r"(?P<y>[〇零○ＯOo0一二三四五六七八九]{4})\s?年\s?(?P<m>[一二三四五六七八九十]{1,2})\s?月"
    r"\s?(?P<d>[一二三四五六七八九十]{1,3})\s?[日号]")
_CN_YEAR_HINT = re.compile(r"[〇零○Ｏ一二三四五六七八九]年")
_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_MON = r"(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_EN_PATTERNS = [
    re.compile(r"(?<![\w])(?P<d>\d{1,2})\s+" + _MON + r",?\s+(?P<y>(?:19|20)\d{2})(?!\d)" + _TIME, re.I),
    re.compile(r"(?<![\w])" + _MON + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{2})(?!\d)"
               + _TIME, re.I),
]
# 7/5/2005 9:23:57 PM: what ASP / .NET print under the en-US locale (Now(), DateTime). Month
# first, unless the first number cannot be a month (25/12/2005). The 12-hour clock is read.
_US_DATE = re.compile(
    r"(?<![\d/.-])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>(?:19|20)\d{2})(?![\d/])"
    r"(?:\s+(?P<H>[01]?\d|2[0-3]):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d))?"
    r"(?:\s*(?P<ap>[AaPp])\.?[Mm]\.?(?![A-Za-z]))?)?")
# 20230221, 202302211413(00), 20230221 14:13: only when that is the whole fragment.
_COMPACT = re.compile(r"\s*(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)"
                      r"(?:(?P<H>[01]\d|2[0-3])(?P<M>[0-5]\d)(?P<S>[0-5]\d)?)?(?P<rest>(?:[\sT].*)?)$")
# where a date can start in page text: a 4-digit year, full-width digits, a Chinese-numeral year
_YEAR_HIT = re.compile(r"(?:19|20)\d\d|[\uff11\uff12][\uff10-\uff19]{3}|[〇零○]")


def _cn_int(s: str) -> int:
    """一 … 九, 十, 十二, 二十, 二十一, 三十一 → int (-1 when malformed)."""
    if "十" not in s:
        return _CN_DIGIT.get(s, -1) if len(s) == 1 else -1
    tens, _, ones = s.partition("十")
    t = _CN_DIGIT.get(tens, -1) if tens else 1
    o = _CN_DIGIT.get(ones, -1) if ones else 0
    return -1 if t < 0 or o < 0 else t * 10 + o


def build_date(y: int, m: int, d: int, H=None, M=None, S=None, tz: str | None = None) -> datetime | None:
    if not (MIN_YEAR <= y <= date.today().year + 1):
        return None
    try:
        tzinfo = CST
        if tz:
            if tz.upper() == "Z":
                tzinfo = timezone.utc
            else:
                sign = -1 if tz[0] == "-" else 1
                digits = tz[1:].replace(":", "")
                tzinfo = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))
        return datetime(y, m, d, int(H) if H else 0, int(M) if M else 0, min(int(S) if S else 0, 59),
                        tzinfo=tzinfo)
    except (ValueError, TypeError):
        return None


def _from_match(m: re.Match) -> datetime | None:
    g = m.groupdict()
    month = _MONTHS[g["mon"][:3].lower()] if g.get("mon") else int(g["m"])
    return build_date(int(g["y"]), month, int(g["d"]), g.get("H"), g.get("M") or g.get("M2"),
                  g.get("S") or g.get("S2"), g.get("tz"))


def _from_us(m: re.Match) -> datetime | None:
    a, b = int(m["a"]), int(m["b"])
    month, day = (b, a) if a > 12 >= b else (a, b)
    hour, minute, second = m["H"], m["M"], m["S"]
    if hour is not None and m["ap"]:
        h = int(hour)
        if 1 <= h <= 12:
            hour = h % 12 + (12 if m["ap"] in "Pp" else 0)
        else:                                   # "13:00 PM": keep the day, drop the clock
            hour = minute = second = None
    return build_date(int(m["y"]), month, day, hour, minute, second)


def _us_date_at(j: str, p: int) -> re.Match | None:
    """The month-first date whose year starts at ``p`` (the text before it ends in '/')."""
    for s in range(max(0, p - 6), p - 3):
        mm = _US_DATE.match(j, s)
        if mm and mm.start("y") == p:
            return mm
    return None


def _find_dates(s: str) -> list[tuple[int, int, datetime]]:
    """All valid dates in ``s`` (already folded) as (start, end, datetime), in text order."""
    found: list[tuple[int, int, datetime]] = []
    for pat in DATE_PATTERNS:
        for m in pat.finditer(s):
            dt = _from_match(m)
            if dt is not None:
                found.append((m.start(), m.end(), dt))
    if "年" in s and _CN_YEAR_HINT.search(s):
        for m in _CN_DATE.finditer(s):
            y = "".join(str(_CN_DIGIT.get(c, "x")) for c in m["y"])
            mo, d = _cn_int(m["m"]), _cn_int(m["d"])
            if y.isdigit() and mo > 0 and d > 0:
                dt = build_date(int(y), mo, d)
                if dt is not None:
                    found.append((m.start(), m.end(), dt))
    if not found and "/" in s:
        for m in _US_DATE.finditer(s):
            dt = _from_us(m)
            if dt is not None:
                found.append((m.start(), m.end(), dt))
    if not found:
        for pat in _EN_PATTERNS:
            for m in pat.finditer(s):
                dt = _from_match(m)
                if dt is not None:
                    found.append((m.start(), m.end(), dt))
    found.sort(key=lambda t: t[0])
    return found


def _compact(s: str) -> datetime | None:
    """20230221 / 202302211413(00) / 20230221 14:13 when that is the whole fragment."""
    m = _COMPACT.match(s)
    if not m:
        return None
    rest = m["rest"].strip()
    if rest:
        if m["H"]:
            return None
        full = DATE_PATTERNS[0].fullmatch(f"{m['y']}-{m['m']}-{m['d']} {rest}")
        return _from_match(full) if full else None
    return build_date(int(m["y"]), int(m["m"]), int(m["d"]), m["H"], m["M"], m["S"])


def parse_date(s: str) -> datetime | None:
    """First date (with its time when given) in a string fragment, timezone-aware.

    Times without an offset are China time (+08:00); an explicit ``Z`` or offset is kept.
    Two-digit years, year-month only, and years outside MIN_YEAR..next year give None.
    """
    if not s:
        return None
    s = _fold(s)
    dt = _compact(s)
    if dt is not None:
        return dt
    found = _find_dates(s)
    return found[0][2] if found else None


def scan_dates(j: str) -> list:
    """Every date in ``j`` as (start, end, datetime, 0), in order. One fast scan for year-like
    digits, then the full patterns only at those places."""
    out = []
    last_end = -1
    for m in _YEAR_HIT.finditer(j):
        p = m.start()
        if p < last_end:
            continue
        c = j[p]
        if c == "1" or c == "2":
            for pat in DATE_PATTERNS:
                mm = pat.match(j, p)
                if mm:
                    dt = _from_match(mm)
                    if dt is not None:
                        out.append((p, mm.end(), dt, 0))
                        last_end = mm.end()
                    break
            else:
                if p > 3 and j[p - 1] == "/":
                    mm = _us_date_at(j, p)
                    dt = _from_us(mm) if mm else None
                    if dt is not None:
                        out.append((mm.start(), mm.end(), dt, 0))
                        last_end = mm.end()
        elif c in "\uff11\uff12":                  # full-width digits
            w = _fold(j[p:p + 48])
            for pat in DATE_PATTERNS:
                mm = pat.match(w)
                if mm:
                    dt = _from_match(mm)
                    if dt is not None:
                        out.append((p, p + mm.end(), dt, 0))
                        last_end = p + mm.end()
                    break
        else:                                        # 〇 inside a Chinese-numeral year
            ws = max(0, p - 3)
            w = j[ws:p + 16]
            mm = _CN_DATE.search(w)
            if mm and ws + mm.start() <= p:
                for s, e, dt in _find_dates(w[mm.start():]):
                    out.append((ws + mm.start(), ws + mm.start() + e, dt, 0))
                    last_end = ws + mm.start() + e
                    break
    return out
