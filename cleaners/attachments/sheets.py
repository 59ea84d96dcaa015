"""Spreadsheets, a row a tab-separated line (empty rows skipped, a heading line per sheet
when there are several): XLSX through openpyxl (read-only, cached values), XLS through xlrd."""
from __future__ import annotations

import datetime as dt
import zipfile

from cleaners.attachments.archives import check_package
from cleaners.attachments.result import Read, Unreadable


def cell(value) -> str:
    """
    >>> [cell(v) for v in (None, 12.0, 0.5, dt.datetime(2023, 5, 1), " 项目\\n名称 ")]
    ['', '12', '0.5', '2023-05-01', '项目 名称']
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    return " ".join(str(value).split())


class _Lines:
    def __init__(self, max_chars: int):
        self.lines: list[str] = []
        self.chars, self.max_chars = 0, max_chars

    def add(self, line: str) -> bool:
        """False once enough text is kept."""
        self.lines.append(line)
        self.chars += len(line) + 1
        return self.chars <= self.max_chars

    def add_row(self, values) -> bool:
        line = "\t".join(cell(v) for v in values).rstrip("\t")
        return self.add(line) if line.strip() else True


def read_xlsx(path: str, limits, workdir: str) -> Read:
    import openpyxl

    check_package(path, limits, "XLSX")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise Unreadable("error", f"broken XLSX: {exc}"[:300]) from None
    out = _Lines(limits.max_chars)
    try:
        for sheet in book.worksheets:
            if len(book.worksheets) > 1 and not out.add(sheet.title):
                break
            if not all(out.add_row(row) for row in sheet.iter_rows(values_only=True)):
                break
    finally:
        book.close()
    return Read("\n".join(out.lines))


def read_xls(path: str, limits, workdir: str) -> Read:
    import xlrd

    try:
        book = xlrd.open_workbook(path, on_demand=True)
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise Unreadable("encrypted", "XLS protected with a password") from None
        raise Unreadable("error", f"broken XLS: {exc}"[:300]) from None
    except (AssertionError, IndexError, ValueError, KeyError, EOFError) as exc:   # xlrd's checks on bad records
        raise Unreadable("error", f"broken XLS: {type(exc).__name__} {exc}"[:300]) from None
    out = _Lines(limits.max_chars)
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            if book.nsheets > 1 and not out.add(sheet.name):
                break
            if not all(out.add_row(_xls_row(book, sheet, r)) for r in range(sheet.nrows)):
                break
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return Read("\n".join(out.lines))


def _xls_row(book, sheet, r: int) -> list:
    import xlrd

    values = []
    for c in sheet.row(r):
        if c.ctype == xlrd.XL_CELL_DATE:
            try:
                values.append(xlrd.xldate.xldate_as_datetime(c.value, book.datemode))
                continue
            except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                pass
        values.append(c.value)
    return values
