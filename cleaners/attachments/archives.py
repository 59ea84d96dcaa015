"""ZIP and RAR archives, one level deep: each member (at most ``max_members``) is unpacked
into the reading process's own folder, within ``max_bytes`` a member and ``max_unpacked``
together, and read by its own reader; an archive inside is not opened. ZIP through the
standard library (names in GBK, as Chinese Windows writes them, are decoded); RAR listed by
rarfile and unpacked by Debian's bsdtar (libarchive-tools) or unar.

Also the guard for formats that are zip packages (DOCX, XLSX, OFD): the sizes their
members declare are summed before any reader unpacks one; the standard library never
unpacks a member past its declared size, so the sum holds."""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import zipfile

from cleaners.attachments.result import Read, Unreadable

MAX_PACKAGE_MEMBERS = 10_000
COPY_CHUNK = 1024 * 1024


def _mib(n: int) -> str:
    return f"{n / 1048576:,.0f} MiB" if n >= 1048576 else f"{n:,} bytes"


def check_package(path: str, limits, label: str) -> None:
    """Raise ``too_large`` for a package whose members unpack beyond the limits (a zip
    bomb), ``error`` for one that is no zip at all."""
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Unreadable("error", f"broken {label}: {exc} (truncated?)") from None
    total = sum(info.file_size for info in infos)
    if len(infos) > MAX_PACKAGE_MEMBERS or total > limits.max_unpacked:
        raise Unreadable("too_large", f"{label} unpacks to {_mib(total)} in {len(infos):,} parts, above the "
                                      f"{_mib(limits.max_unpacked)} limit (a zip bomb?)")


def zip_name(info: zipfile.ZipInfo) -> str:
    """A member's name; without the UTF-8 flag, the bytes read as GBK when they can be
    (the standard library read them as cp437).

    >>> info = zipfile.ZipInfo("附件1.pdf".encode("gbk").decode("cp437"))
    >>> zip_name(info)
    '附件1.pdf'
    """
    name = info.filename
    if not info.flag_bits & 0x800 and not name.isascii():
        try:
            return name.encode("cp437").decode("gb18030")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return name
    return name


def _copy(source, target: str, limit: int) -> int:
    written = 0
    with open(target, "wb") as out:
        while chunk := source.read(COPY_CHUNK):
            written += len(chunk)
            if written > limit:
                raise Unreadable("too_large", f"unpacks beyond {_mib(limit)}")
            out.write(chunk)
    return written


class _Members:
    """Reads members one by one and keeps their entries and texts."""

    def __init__(self, limits, workdir: str, read_member):
        self.limits, self.workdir, self.read_member = limits, workdir, read_member
        self.entries: list[dict] = []
        self.texts: list[str] = []
        self.unpacked = 0

    def skip(self, name: str, status: str, reason: str) -> None:
        self.entries.append({"name": name, "status": status, "reason": reason, "text_length": 0})

    def add(self, name: str, size: int, opener) -> None:
        if size > self.limits.max_bytes:
            return self.skip(name, "too_large", f"unpacks to {_mib(size)}, above the {_mib(self.limits.max_bytes)} cap")
        if self.unpacked + size > self.limits.max_unpacked:
            return self.skip(name, "too_large", f"the archive unpacks beyond {_mib(self.limits.max_unpacked)}")
        target = os.path.join(self.workdir, f"member-{len(self.entries)}")
        try:
            with opener() as source:
                self.unpacked += _copy(source, target, min(self.limits.max_bytes, self.limits.max_unpacked - self.unpacked))
        except Unreadable as exc:
            return self.skip(name, exc.status, exc.reason)
        got = self.read_member(target, name)
        os.unlink(target)
        self.entries.append({"name": name, **{k: v for k, v in got.items() if k != "text"}})
        if got["status"] == "ok":
            self.texts.append(f"{name}\n{got['text']}")

    def result(self, skipped: int) -> Read:
        if skipped:
            self.skip(f"({skipped} more)", "too_large", f"only the first {self.limits.max_members} files are read")
        if not self.texts:
            failed = [e for e in self.entries if e["status"] not in ("ok", "no_text")]
            if failed:
                first = failed[0]
                raise Unreadable(first["status"], f"no file inside could be read: {first['name']}: {first['reason']}",
                                 members=self.entries)
        return Read("\n\n".join(self.texts), members=self.entries)


def read_zip(path: str, limits, workdir: str, read_member) -> Read:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Unreadable("error", f"broken ZIP: {exc} (truncated?)") from None
    with archive:
        files = [info for info in archive.infolist() if not info.is_dir()]
        members = _Members(limits, workdir, read_member)
        for info in files[:limits.max_members]:
            name = zip_name(info)
            if info.flag_bits & 0x1:
                members.skip(name, "encrypted", "protected with a password")
                continue
            try:
                members.add(name, info.file_size, lambda info=info: archive.open(info))
            except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError) as exc:
                members.skip(name, "error", f"cannot unpack: {exc}"[:300])
        return members.result(max(0, len(files) - limits.max_members))


_GLOB = re.compile(r"([][*?\\])")


def _unpacker() -> str | None:
    """The tool that unpacks RAR members here: bsdtar, else unar, else None."""
    return next((tool for tool in ("bsdtar", "unar") if shutil.which(tool)), None)


def _unpack_command(tool: str, path: str, name: str) -> list[str]:
    """The command with which ``tool`` writes one member of a RAR archive to its standard
    output (names are patterns to bsdtar, so wildcards are escaped)."""
    if tool == "bsdtar":
        return ["bsdtar", "-x", "--to-stdout", "-f", path, _GLOB.sub(r"\\\1", name)]
    return ["unar", "-q", "-o", "-", path, name]


@contextlib.contextmanager
def _unpacked(tool: str, path: str, name: str):
    """One member of the archive at ``path`` as a stream, unpacked by the tool from the
    archive itself. (rarfile unpacks a member from a one-member archive it writes first, which
    both tools refuse for archives some writers make.)"""
    command = _unpack_command(tool, path, name)
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL) as proc:
        try:
            yield proc.stdout
        finally:
            proc.kill()
            stderr = proc.stderr.read(2000).decode("utf-8", "replace").strip()
            code = proc.wait()
    if code not in (0, -9):
        raise Unreadable("error", f"cannot unpack: {stderr or f'{command[0]} exited with {code}'}"[:300])


def read_rar(path: str, limits, workdir: str, read_member) -> Read:
    import rarfile

    tool = _unpacker()
    if tool is None:
        raise Unreadable("unsupported", "no RAR unpacker here: install libarchive-tools or unar (Debian)")
    try:
        archive = rarfile.RarFile(path)
        if archive.needs_password():
            raise Unreadable("encrypted", "RAR protected with a password")
    except rarfile.PasswordRequired:
        raise Unreadable("encrypted", "RAR protected with a password (names hidden too)") from None
    except (rarfile.Error, OSError) as exc:
        raise Unreadable("error", f"broken RAR: {exc}"[:300]) from None
    with archive:
        files = [info for info in archive.infolist() if not info.is_dir()]
        members = _Members(limits, workdir, read_member)
        for info in files[:limits.max_members]:
            if info.needs_password():
                members.skip(info.filename, "encrypted", "protected with a password")
                continue
            try:
                members.add(info.filename, info.file_size, lambda info=info: _unpacked(tool, path, info.filename))
            except (rarfile.Error, OSError) as exc:
                members.skip(info.filename, "error", f"cannot unpack: {exc}"[:300])
        return members.result(max(0, len(files) - limits.max_members))
