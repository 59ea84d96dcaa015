"""Finding and reading the saved pages `govnews clean` works on (WARC files among them are
read by :mod:`govnews.warc_input`)."""
from __future__ import annotations

import glob
import gzip
import os
import stat
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
WARC_SUFFIXES = (".warc", ".warc.gz")
MAX_PAGE_BYTES = 64 * 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"


class InputError(Exception):
    """A file that cannot be read as a page; the message is the record's reason."""


@dataclass(frozen=True)
class Input:
    path: str           # as found (relative when the argument was)
    rel: str            # relative to the directory or glob root it was found under (for --url-base)


def is_page_name(name: str) -> bool:
    """
    >>> [is_page_name(n) for n in ("t2023_1.shtml", "A.HTM.gz", "x.pdf", "x.html.bak", "x.gz")]
    [True, True, False, False, False]
    """
    name = name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return name.endswith(HTML_SUFFIXES)


def is_warc_name(name: str) -> bool:
    """
    >>> [is_warc_name(n) for n in ("CC-MAIN-1.warc.gz", "a.WARC", "a.warc.open", "a.html")]
    [True, True, False, False]
    """
    return name.lower().endswith(WARC_SUFFIXES)


def is_input_name(name: str) -> bool:
    return is_page_name(name) or is_warc_name(name)


def _walk(root: str) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=None, followlinks=False):
        dirnames.sort()
        found += [os.path.join(dirpath, f) for f in sorted(filenames) if is_input_name(f)]
    return found


def _glob_root(pattern: str) -> str:
    """The directory part of a glob before its first wildcard.

    >>> _glob_root("archive/2023/**/*.html.gz"), _glob_root("*.html")
    ('archive/2023', '.')
    """
    parts = Path(pattern).parts
    fixed = []
    for part in parts:
        if glob.has_magic(part):
            break
        fixed.append(part)
    return str(Path(*fixed)) if fixed else "."


def find_inputs(args: list[str]) -> tuple[list[Input], list[str], list[str]]:
    """Expand files, directories (recursively) and globs into page files, in a stable order.

    Named files are taken whatever their suffix; directories and glob matches give only
    ``.html .htm .shtml .xhtml`` (and ``.gz`` of them) and ``.warc .warc.gz``. Returns ``(inputs, missing,
    warnings)``: ``missing`` names arguments that do not exist, ``warnings`` globs and
    directories that hold no page.
    """
    inputs: list[Input] = []
    missing: list[str] = []
    warnings: list[str] = []
    seen: set[str] = set()

    def add(path: str, root: str | None):
        real = os.path.realpath(path)
        if real in seen:
            return
        seen.add(real)
        rel = os.path.relpath(path, root) if root is not None else os.path.basename(path)
        inputs.append(Input(path, Path(rel).as_posix()))

    for arg in args:
        before = len(inputs)
        if os.path.isdir(arg):
            for path in _walk(arg):
                add(path, arg)
        elif os.path.exists(arg) or os.path.islink(arg):
            add(arg, None)
        elif glob.has_magic(arg):
            root = _glob_root(arg)
            for match in sorted(glob.glob(arg, recursive=True)):
                if os.path.isdir(match):
                    for path in _walk(match):
                        add(path, root)
                elif is_input_name(match):
                    add(match, root)
        else:
            missing.append(f"{arg}: no such file or directory")
            continue
        if len(inputs) == before and not os.path.isfile(arg):
            warnings.append(f"{arg}: no .html/.htm/.shtml/.xhtml(.gz) or .warc(.gz) file here")
    return inputs, missing, warnings


def url_for(base: str, rel: str) -> str:
    """The URL a dumped page was saved from: ``base`` + its relative path (``.gz`` dropped).

    >>> url_for("http://", "kjj.zhangye.gov.cn/kjdt/t20230221_1000.html")
    'http://kjj.zhangye.gov.cn/kjdt/t20230221_1000.html'
    >>> url_for("http://www.most.gov.cn", "kjbgz/202401/t20240115_190000.html.gz")
    'http://www.most.gov.cn/kjbgz/202401/t20240115_190000.html'
    """
    if rel.lower().endswith(".gz"):
        rel = rel[:-3]
    if not base.endswith(("/", "://")):
        base += "/"
    return base + rel.lstrip("/")


def read_page(path: str, limit: int = MAX_PAGE_BYTES) -> bytes:
    """The bytes of a saved page, gunzipped when gzip-compressed (by content, whatever the
    name), never more than ``limit`` bytes in memory. Raises :class:`InputError`."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)   # a FIFO must not block the batch
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise InputError("not a regular file")
        with open(fd, "rb") as handle:
            magic = handle.read(2)
            handle.seek(0)
            if magic == GZIP_MAGIC:
                return _gunzip(handle, limit)
            data = handle.read(limit + 1)
    except InputError:
        raise
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise InputError(f"file size exceeds {limit // (1024 * 1024)} MiB")
    return data


def _gunzip(handle, limit: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=handle) as gz:
            data = gz.read(limit + 1)   # bounded: a gzip bomb stops here
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise InputError(f"broken gzip file: {exc}") from None
    if len(data) > limit:
        raise InputError(f"decompressed size exceeds {limit // (1024 * 1024)} MiB")
    return data


def page_root(item: Input) -> str:
    """The folder ``item`` was found under (its ``rel`` is relative to it).

    >>> page_root(Input("dumps/kjj/2023/a.html", "kjj/2023/a.html")), page_root(Input("a.html", "a.html"))
    ('dumps', '')
    """
    root = item.path
    for _ in Path(item.rel).parts:
        root = os.path.dirname(root)
    return root


def local_attachment(item: Input, url: str, url_base: str | None = None) -> str | None:
    """The file an attachment link of a dumped page points to, when it is a file under the
    folder the page was found in: a relative link (resolved from the page's own folder),
    or with ``url_base`` a URL under that base. Anything else (another site, a link
    climbing out of the dump) is None."""
    parts = urlsplit(url)
    if url_base:
        base = url_base if url_base.endswith(("/", "://")) else url_base + "/"
        if not url.startswith(base):
            return None
        local = os.path.join(page_root(item), unquote(urlsplit(url[len(base):]).path).lstrip("/"))
    elif parts.scheme or parts.netloc or not parts.path:
        return None
    elif parts.path.startswith("/"):
        local = os.path.join(page_root(item), unquote(parts.path).lstrip("/"))
    else:
        local = os.path.join(os.path.dirname(item.path), unquote(parts.path))
    root = os.path.realpath(page_root(item) or ".")
    real = os.path.realpath(local)
    if not real.startswith(root + os.sep) or not os.path.isfile(real):
        return None
    return os.path.normpath(local)
