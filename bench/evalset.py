"""Read ../shared/evalset and score extracted text exactly as its README defines.

Token: one CJK character (U+3400–U+9FFF, U+F900–U+FAFF, kana, hangul) or one run of
Latin/Cyrillic/Arabic letters and digits, lower-cased; both texts go through OpenCC t2s
first. F1 is over bags (multisets) of tokens.
"""
from __future__ import annotations

import csv
import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from opencc import OpenCC

EVALSET = Path(os.environ.get("GOVNEWS_EVALSET",
                              Path(__file__).resolve().parents[2] / "shared" / "evalset"))

_TOKEN = re.compile(
    r"[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\u31f0-\u31ff\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]"
    r"|[0-9A-Za-z\u00c0-\u024f\u0400-\u04ff\u0600-\u06ff]+"
)


@dataclass(frozen=True)
class Page:
    name: str
    gt_type: str
    page_type: str
    url: str | None
    truth: dict

    @property
    def html_path(self) -> Path:
        return EVALSET / f"{self.name}.html"

    def raw(self) -> bytes:
        return self.html_path.read_bytes()


def load_pages(gt_types: tuple[str, ...] | None = None) -> list[Page]:
    pages = []
    with open(EVALSET / "MANIFEST.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if gt_types and row["gt_type"] not in gt_types:
                continue
            jpath = EVALSET / f"{row['name']}.json"
            truth = json.loads(jpath.read_text("utf-8")) if jpath.exists() else {}
            url = truth.get("url") or row.get("url") or None
            pages.append(Page(row["name"], row["gt_type"], row["page_type"], url, truth))
    return pages


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    return OpenCC("t2s")


def tokens(text: str) -> Counter:
    return Counter(t.lower() for t in _TOKEN.findall(_t2s().convert(text or "")))


def f1(extracted: str, truth: str) -> float:
    got, want = tokens(extracted), tokens(truth)
    if not got and not want:
        return 1.0
    shared = sum((got & want).values())
    if not shared:
        return 0.0
    precision, recall = shared / sum(got.values()), shared / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def prf(extracted: str, truth: str) -> tuple[float, float, float]:
    got, want = tokens(extracted), tokens(truth)
    shared = sum((got & want).values())
    p = shared / sum(got.values()) if got else 0.0
    r = shared / sum(want.values()) if want else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


_NAME_SPLIT = re.compile(r"[\s、，,;；/／|]+")
_NAME_JUNK = re.compile(r"[\s\W_]+")


def name_match(truth: str | None, got: str | None) -> bool:
    """A person's name from the truth is the extracted value: every name in the truth
    occurs in it (both t2s, spaces and punctuation ignored), and it is not much longer, so a
    whole line that happens to contain the name does not count."""
    if not truth or not got:
        return False
    convert = _t2s().convert
    names = [_NAME_JUNK.sub("", convert(n)).lower() for n in _NAME_SPLIT.split(truth)]
    names = [n for n in names if n]
    flat = _NAME_JUNK.sub("", convert(got)).lower()
    return bool(names) and all(n in flat for n in names) and len(flat) <= sum(map(len, names)) + 6


def title_match(truth: str | None, got: str | None) -> bool:
    """The extracted title is the truth's headline: equal once t2s and spaces are ignored,
    or the truth is that headline plus a site suffix (蔡健雅_百度百科) and the title is its
    first part."""
    if not truth or not got:
        return False
    convert = _t2s().convert
    t, g = (re.sub(r"\s+", "", convert(x)) for x in (truth, got))
    return t == g or (len(g) >= 2 and t.startswith(g) and t[len(g)] in "_|｜-–—@:：")
