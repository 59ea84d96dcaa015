"""One attachment file → the fields its entry gains (see :mod:`cleaners.attachments.result`),
in this process. Every failure ends as a status with a reason; only the sandbox
(:mod:`cleaners.attachments.sandbox`) guards against a reader that loops or eats memory."""
from __future__ import annotations

import os
import tempfile
from functools import partial

from cleaners.attachments import archives, ofd, pdf, sheets, text, word
from cleaners.attachments.limits import Limits
from cleaners.attachments.result import Unreadable, entry
from cleaners.attachments.sniff import kind

READERS = {
    "pdf": pdf.read,
    "docx": word.read_docx,
    "doc": word.read_doc,
    "xlsx": sheets.read_xlsx,
    "xls": sheets.read_xls,
    "ofd": ofd.read,
    "txt": text.read,
}
ARCHIVES = {"zip": archives.read_zip, "rar": archives.read_rar}


def _mib(n: int) -> str:
    return f"{n / 1048576:,.1f} MiB"


def _read(path: str, name: str | None, limits: Limits, workdir: str, nested: bool) -> dict:
    fmt = None
    try:
        size = os.path.getsize(path)
        if size > limits.max_bytes:
            raise Unreadable("too_large", f"{_mib(size)}, above the {_mib(limits.max_bytes)} cap")
        fmt = kind(path, name)
        if fmt == "ooxml-encrypted":
            raise Unreadable("encrypted", "Office document protected with a password")
        if fmt.startswith("broken:"):
            raise Unreadable("error", f"not a readable .{fmt[7:]} file: its first bytes are no such format "
                                      "(truncated, damaged or mislabelled)")
        if fmt.startswith("other:"):
            raise Unreadable("unsupported", f"no reader for .{fmt[6:]} files")
        if fmt in ARCHIVES:
            if nested:
                raise Unreadable("unsupported", "an archive inside an archive is not opened")
            member = partial(_read, limits=limits, workdir=workdir, nested=True)
            got = ARCHIVES[fmt](path, limits, workdir, member)
        else:
            got = READERS[fmt](path, limits, workdir)
        extra = {"members": got.members} if got.members is not None else {}
        return entry(got.text, pages=got.pages, format=fmt, max_chars=limits.max_chars, **extra)
    except Unreadable as exc:
        return entry(error=exc, format=fmt)
    except MemoryError:
        return entry(error=Unreadable("too_large", f"needs more than {limits.memory_mib} MiB of memory"), format=fmt)
    except RecursionError:
        return entry(error=Unreadable("error", "nested too deeply to read"), format=fmt)
    except Exception as exc:    # a reader library's own failure on a bad file: a status, never a crash
        return entry(error=Unreadable("error", f"{type(exc).__name__}: {exc}"[:300]), format=fmt)


def read(path: str, name: str | None = None, limits: Limits = Limits(), workdir: str | None = None) -> dict:
    """Read one attachment in this process (no time or memory bound: see
    :func:`cleaners.attachments.sandbox.read_sandboxed`). ``name`` (the link text or URL)
    helps tell a format apart when the bytes leave a choice."""
    if workdir is not None:
        return _read(path, name, limits, workdir, nested=False)
    with tempfile.TemporaryDirectory(prefix="govnews-attachment-") as tmp:
        return _read(path, name, limits, tmp, nested=False)
