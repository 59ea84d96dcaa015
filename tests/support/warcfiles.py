"""WARC helpers the tests and benchmarks share: the standard WARC reader's check (``warcio
check``, the command of the library that reads and writes them), the records of a folder
of WARC files, and pages to put in them."""
from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
from pathlib import Path

from storage.warc import HttpExchange, WarcWriter
from storage.warcread import RecordInfo, scan

WARCIO = shutil.which("warcio", path=str(Path(sys.executable).parent)) or "warcio"


def warcio_check(paths) -> subprocess.CompletedProcess:
    """``warcio check -v`` over ``paths``: exit status 0 when every record's digests match."""
    return subprocess.run([WARCIO, "check", "-v", *map(str, paths)], capture_output=True, text=True, timeout=300)


def warc_files(directory) -> list[Path]:
    return sorted(Path(directory).glob("*.warc.gz"))


def records(directory, rec_type: str | None = None) -> list[tuple[Path, RecordInfo]]:
    """The whole records of every WARC file in ``directory`` (of ``rec_type`` only, when given)."""
    out = []
    for path in warc_files(directory):
        out += [(path, rec) for rec in scan(path).records if rec_type in (None, rec.type)]
    return out


def article_page(n: int, site: str = "测试市科学技术局", *, paras: int = 6) -> bytes:
    """A government news article page, different for each ``n``."""
    body = "".join(f"<p>第{n}号通知第{k + 1}段：全市科技创新工作稳步推进，高新技术企业数量持续增长，"
                   f"科技成果转化率进一步提高，为经济高质量发展提供了有力支撑。</p>" for k in range(paras))
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>科技动态{n}_{site}</title>"
            f"<meta name='ArticleTitle' content='{site}科技工作动态第{n}期'>"
            f"<meta name='PubDate' content='2024-03-{n % 28 + 1:02d} 09:30'>"
            f"<meta name='ContentSource' content='{site}'></head><body>"
            f"<div class='nav'><a href='/'>首页</a> <a href='/kjdt/'>科技动态</a></div>"
            f"<h1>{site}科技工作动态第{n}期</h1><div class='info'>发布时间：2024-03-{n % 28 + 1:02d} 来源：{site}</div>"
            f"<div class='TRS_Editor'>{body}</div><div class='footer'>版权所有 ICP备05000001号</div>"
            f"</body></html>").encode("utf-8")


def html_answer(url: str, body: bytes, *, status: int = 200, gzipped: bool = False,
                content_type: str = "text/html; charset=utf-8", date=None) -> HttpExchange:
    headers = [("Content-Type", content_type), ("ETag", f'"{len(body)}"')]
    if gzipped:
        body = gzip.compress(body)
        headers.append(("Content-Encoding", "gzip"))
    return HttpExchange(url, status, headers, body, request_headers=[("User-Agent", "govnews-test")], date=date)


def write_warc(directory, answers, **writer_options) -> list[dict]:
    """Write ``answers`` (HttpExchange) as response records; their positions."""
    with WarcWriter(directory, **writer_options) as writer:
        return [writer.write_response(answer) for answer in answers]
