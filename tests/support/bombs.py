"""Decompression bombs for the hardening tests (issue 4 §2), generated on demand and cached.

Every bomb expands to ``EXPANDED`` bytes (1 GiB) of zeros — 32 times the crawler's 32 MiB
``DOWNLOAD_MAXSIZE`` and 16 times the 64 MiB cap of ``govnews clean`` on .gz dumps — while
the compressed payload is at most about 1 MB, so it passes every size check made on the
wire or on disk and only a bound *during decompression* stops it.

Generation is streaming and takes about a second for all of them: the deflate stream of a
zero-filled chunk compressed after a full flush is the same bytes every time, so the raw
deflate stream is one chunk's compressed form repeated, wrapped in a gzip or zlib header
and trailer (checksums computed over the zeros in chunks). Brotli and zstd are compressed
streaming from a zero chunk. Files are cached in ``$TMPDIR/govnews-bombs-v1`` (override
with ``GOVNEWS_BOMB_DIR``), keyed by name and size.

``python tests/bombs.py`` builds them and checks each one really expands past 1 GiB.
"""
from __future__ import annotations

import gzip
import os
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

from tests.support.paths import REPO, SITES

MiB = 1024 * 1024
GiB = 1024 * MiB
EXPANDED = 1 * GiB
CHUNK = 1 * MiB

# Content-Encoding header value → bomb name (the crawl bombs)
ENCODINGS = {
    "gzip": "gzip",
    "deflate": "deflate",
    "br": "br",
    "zstd": "zstd",
    "gzip, gzip": "gzip-gzip",      # a gzip bomb gzipped again: two layers of Content-Encoding
}


def cache_dir() -> Path:
    path = Path(os.environ.get("GOVNEWS_BOMB_DIR") or Path(tempfile.gettempdir()) / "govnews-bombs-v1")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _raw_deflate_zeros(size: int) -> bytes:
    """A raw deflate stream (no header) of ``size`` zero bytes; ``size`` a multiple of CHUNK."""
    assert size % CHUNK == 0
    zero = bytes(CHUNK)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = comp.compress(zero) + comp.flush(zlib.Z_FULL_FLUSH)
    again = comp.compress(zero) + comp.flush(zlib.Z_FULL_FLUSH)   # state reset: same bytes each time
    assert again == comp.compress(zero) + comp.flush(zlib.Z_FULL_FLUSH)
    end = comp.flush()
    return first + again * (size // CHUNK - 1) + end


def _checksums(size: int) -> tuple[int, int]:
    zero = bytes(CHUNK)
    crc, adler = 0, 1
    for _ in range(size // CHUNK):
        crc = zlib.crc32(zero, crc)
        adler = zlib.adler32(zero, adler)
    return crc, adler


def _generate(name: str, size: int) -> bytes:
    if name in ("gzip", "deflate", "gzip-gzip"):
        raw = _raw_deflate_zeros(size)
        crc, adler = _checksums(size)
        gz = (b"\x1f\x8b\x08\x00" + b"\x00\x00\x00\x00" + b"\x02\xff" + raw
              + struct.pack("<II", crc, size & 0xFFFFFFFF))
        if name == "gzip":
            return gz
        if name == "gzip-gzip":
            return gzip.compress(gz, 9, mtime=0)
        return b"\x78\xda" + raw + struct.pack(">I", adler)          # zlib stream, as HTTP "deflate"
    zero = bytes(CHUNK)
    if name == "br":
        import brotli
        comp = brotli.Compressor(quality=5)
        parts = [comp.process(zero) for _ in range(size // CHUNK)]
        return b"".join(parts) + comp.finish()
    if name == "zstd":
        try:
            from compression import zstd      # Python 3.14+
        except ImportError:
            from backports import zstd        # what Scrapy uses on 3.11 (a Scrapy dependency)
        comp = zstd.ZstdCompressor(level=3)
        parts = [comp.compress(zero) for _ in range(size // CHUNK)]
        return b"".join(parts) + comp.flush()
    raise ValueError(f"unknown bomb {name!r}")


def bomb(name: str, size: int = EXPANDED) -> Path:
    """Path of the cached bomb ``name`` (gzip, deflate, br, zstd, gzip-gzip) expanding to ``size``."""
    path = cache_dir() / f"{name}-{size}.bin"
    if not path.exists():
        data = _generate(name, size)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    return path


def expanded_size(name: str, data: bytes, stop: int = 2 * GiB) -> int:
    """Decompress ``data`` streaming (bounded memory) and count the output bytes."""
    total = 0
    if name in ("gzip", "deflate"):
        d = zlib.decompressobj(31 if name == "gzip" else 15)
        buf = data
        while buf and total < stop and not d.eof:
            total += len(d.decompress(buf, CHUNK))
            buf = d.unconsumed_tail
        return total
    if name == "br":
        import brotli
        d = brotli.Decompressor()
        out = d.process(data, output_buffer_limit=CHUNK)
        total = len(out)
        while not d.is_finished() and total < stop:
            out = d.process(b"", output_buffer_limit=CHUNK)
            if not out:
                break
            total += len(out)
        return total
    if name == "zstd":
        import io
        try:
            from compression import zstd
        except ImportError:
            from backports import zstd
        with zstd.ZstdFile(io.BytesIO(data)) as f:
            while total < stop and (chunk := f.read(CHUNK)):
                total += len(chunk)
        return total
    if name == "gzip-gzip":
        return expanded_size("gzip", gzip.decompress(data), stop)
    raise ValueError(name)



# -- .gz dumps for `govnews clean` ------------------------------------------------------------
def write_dump_batch(folder: Path) -> dict[str, str]:
    """A dump directory for `govnews clean`: two good pages around the bombs.

    Returns ``{file name: kind}`` where kind is ``ok`` (must be cleaned) or ``bomb``
    (must become an error record)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    page = (SITES / "kjj.zhangye.gov.cn" / "kjdt" / "gzdt" / "202302"
            / "t20230221_1000.html").read_bytes()
    files = {
        "a_good.html": ("ok", page),
        "b_bomb.html.gz": ("bomb", bomb("gzip").read_bytes()),                      # 1 GiB of zeros
        "c_gzip_of_gzip.html.gz": ("bomb", bomb("gzip-gzip").read_bytes()),          # gzip → gzip bomb
        "d_bomb_named_html.html": ("bomb", bomb("gzip").read_bytes()),              # gzip by content, not name
        "e_multimember.html.gz": ("bomb", bomb("gzip").read_bytes() * 2),            # two members, 2 GiB
        "f_good.html.gz": ("ok", gzip.compress(page, mtime=0)),
    }
    for name, (_, data) in files.items():
        (folder / name).write_bytes(data)
    return {name: kind for name, (kind, _) in files.items()}


# A tiny launcher between the caller and the measured command. Linux carries the RSS high
# water mark of the pre-exec (forked or vforked) copy of the parent into the child's
# ru_maxrss, so a 300 MB test process would make every child look 300 MB big; forked from
# this ~10 MB launcher instead, the figure is the command's own (and its children's).
_LAUNCHER = r"""
import os, sys
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
os._exit(code if code >= 0 else 128 - code)
"""


def run_with_rusage(cmd: list[str], *, cwd=None, env=None, timeout: float = 120):
    """Run ``cmd``; return ``(returncode, seconds, peak RSS in MB, stderr text, timed_out)``.

    Peak RSS is the kernel's ``ru_maxrss`` for the command and its waited-for descendants
    (worker processes), collected with ``os.wait4`` by a small launcher process."""
    with tempfile.TemporaryDirectory(prefix="govnews-rusage-") as tmp:
        rss_file = Path(tmp) / "maxrss"
        with open(Path(tmp) / "stderr", "w+b") as err:
            started = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-S", "-c", _LAUNCHER, str(rss_file), *cmd], cwd=cwd, env=env,
                                    stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
            timed_out = False
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)   # launcher and command: their own process group
                proc.wait()
            seconds = time.perf_counter() - started
            err.seek(0)
            stderr = err.read().decode("utf-8", "replace")
        peak_kb = int(rss_file.read_text()) if rss_file.exists() else 0
    return proc.returncode, seconds, peak_kb / 1024, stderr, timed_out


def clean_with_rusage(args: list[str], timeout: float = 120):
    """``python -m govnews.cli clean ARGS`` through :func:`run_with_rusage`."""
    return run_with_rusage([sys.executable, "-m", "govnews.cli", "clean", *args], cwd=REPO, timeout=timeout)



if __name__ == "__main__":
    for name in ENCODINGS.values():
        t = time.perf_counter()
        path = bomb(name)
        made = time.perf_counter() - t
        size = expanded_size(name, path.read_bytes())
        print(f"{name:10} {path.stat().st_size:>9} B compressed → {size:>11} B   ({made:.2f}s)  {path}")
