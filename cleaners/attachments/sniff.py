"""Which format a file is, from its first bytes and the names inside it; the name's
extension only where the bytes leave a choice (a Word or an Excel compound file) or say
nothing (plain text)."""
from __future__ import annotations

import zipfile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RAR_MAGICS = (b"Rar!\x1a\x07\x00", b"Rar!\x1a\x07\x01\x00")
TEXT_EXTS = ("txt", "csv", "text")
WORD_EXTS = ("doc", "wps", "dot", "wpt", "rtf")
SHEET_EXTS = ("xls", "et", "xlt", "ett")
HEAD_BYTES = 2048


def extension(name: str | None) -> str:
    """
    >>> extension("附件1.申报表.XLSX"), extension("http://x.gov.cn/a.pdf?id=3"), extension(None)
    ('xlsx', 'pdf', '')
    """
    name = (name or "").split("?", 1)[0].split("#", 1)[0].rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _ole_kind(head: bytes, ext: str, path: str) -> str:
    """A compound file: encrypted Office 2007+ package, Excel workbook or Word document."""
    with open(path, "rb") as handle:
        data = handle.read()        # the directory naming the streams (UTF-16LE) may sit anywhere; size is capped
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "ooxml-encrypted"
    if ext in SHEET_EXTS or ("Workbook".encode("utf-16-le") in data and "WordDocument".encode("utf-16-le") not in data):
        return "xls"
    return "doc"


def _zip_kind(path: str, ext: str) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        # a broken package: its own reader says what is wrong with it
        return ext if ext in ("docx", "xlsx", "ofd") else "zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "OFD.xml" in names or "ofd.xml" in names:
        return "ofd"
    return "zip"


def kind(path: str, name: str | None = None) -> str:
    """``pdf docx xlsx ofd zip doc xls rar txt ooxml-encrypted`` or ``other:<ext>``."""
    ext = extension(name) or extension(path)
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(path, ext)
    if head.startswith(OLE_MAGIC):
        return _ole_kind(head, ext, path)
    if head.startswith(RAR_MAGICS):
        return "rar"
    if ext in TEXT_EXTS:
        return "txt"
    if ext in ("pdf", "docx", "xlsx", "ofd", "zip", "rar", "doc", "wps", "xls", "et"):
        return "broken:" + ext      # named like a format we read, but its bytes are not
    return "other:" + (ext or "?")
