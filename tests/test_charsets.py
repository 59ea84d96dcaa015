"""cleaners/charsets.py: what a page declares about its encoding, and how labels normalise."""
from __future__ import annotations

import pytest

from cleaners import charsets

@pytest.mark.parametrize("head,label", [
    (b'<meta charset="GBK">', "GBK"),
    (b"<META CHARSET=gb2312>", "gb2312"),
    (b"<meta charset = 'utf-8' />", "utf-8"),
    (b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gb2312"),
    (b"<meta content='text/html;charset=GBK' http-equiv='content-type'>", "GBK"),
    (b'<meta\n  http-equiv = "Content-Type"\n  content = "text/html;  charset = big5 " >', "big5"),
    (b'<Meta Content="text/html; Charset=&quot;utf-8&quot;">', None),
    (b"<!-- <meta charset=big5> --><meta charset=gbk>", "gbk"),
    (b'<meta name="keywords" content="a,b"><meta charset="utf-8">', "utf-8"),
    (b'<?xml version="1.0" encoding="GB2312"?><html>', "GB2312"),
    (b"<html><head><title>x</title></head>", None),
])
def test_charset_from_meta(head, label):
    assert charsets.charset_from_meta(head) == label


@pytest.mark.parametrize("value,label", [
    ("text/html; charset=GBK", "GBK"), ('text/html; charset="utf-8"', "utf-8"),
    ("text/html;charset=gb2312;", "gb2312"), ("TEXT/HTML; CHARSET = big5", "big5"),
    (b"text/html; charset=utf-8", "utf-8"), ("text/html", None), (None, None), ("", None),
])
def test_charset_from_content_type(value, label):
    assert charsets.charset_from_content_type(value) == label


@pytest.mark.parametrize("label,codec", [
    ("gb2312", "gb18030"), ("GBK", "gb18030"), ("x-gbk", "gb18030"), ("gb_2312-80", "gb18030"),
    ("cp936", "gb18030"), ("GB18030", "gb18030"), ("csgb2312", "gb18030"), ("euc-cn", "gb18030"),
    ("big5", "big5"), ("Big5-HKSCS", "big5"), ("x-x-big5", "big5"), ("cp950", "big5"),
    ("utf8", "utf-8"), ("UTF-8", "utf-8"), ('"utf-8"', "utf-8"), ("utf-16le", "utf-16-le"),
    ("iso-8859-1", "cp1252"), ("us-ascii", "cp1252"), ("shift_jis", "shift_jis"),
    ("utf-7", None), ("base64", None), ("", None), ("no-such", None), ("x" * 300, None),
])
def test_normalise_label(label, codec):
    assert charsets.normalise_label(label) == codec
