"""A loopback site whose one notice links an attachment of every format the cleaner reads
and every hostile kind (tests/support/attachmentfiles.py), beside a plain article.

The fixture root is built in a temp directory for ``crawler.fixtureserver``: host
``kjj.attachments.example.gov.cn``, list ``/tzgg/index.html``, the notice
``/tzgg/202305/t20230510_1.html`` (a real fixture article with its attachment box replaced)
and the plain article ``/tzgg/202305/t20230511_2.html``; the files sit beside the notice
and are linked relatively, as TRS sites do.
"""
from __future__ import annotations

import html
import json
import os
from pathlib import Path

from tests.support import attachmentfiles as af
from tests.support.paths import SITES

HOST = "kjj.attachments.example.gov.cn"
SOURCE = SITES / "kjj.zhangye.gov.cn" / "kjdt" / "gzdt" / "202303" / "t20230310_1004.html"
LIST_URL = f"http://{HOST}/tzgg/index.html"
NOTICE_URL = f"http://{HOST}/tzgg/202305/t20230510_1.html"
PLAIN_URL = f"http://{HOST}/tzgg/202305/t20230511_2.html"
TITLE = "张掖市科技局关于印发科技计划项目申报材料的通知"


def article(title: str, links: list[tuple[str, str]]) -> str:
    page = SOURCE.read_text("utf-8").replace("张掖市科技局推进科技创新工作第5期", title)
    box = "".join(f'<p><a href="./{html.escape(href)}">附件{n}：{html.escape(text)}</a></p>'
                  for n, (href, text) in enumerate(links, 1))
    start, end = page.index('<div class="fj">'), page.index("</div>", page.index('<div class="fj">'))
    return page[:start] + (f'<div class="fj"><p>附件：</p>{box}' if links else "") + page[end + len("</div>"):]


def link_texts(files: dict[str, Path]) -> dict[str, str]:
    """Key → the link text naming the file (what the record's ``name`` becomes)."""
    return {key: f"申报材料{n}.{path.suffix.lstrip('.')}" for n, (key, path) in enumerate(files.items(), 1)}


def build_site(root: Path, files: dict[str, Path]) -> dict[str, str]:
    """Write the site under ``root``, copying (hard-linking) ``files`` beside the notice;
    returns key → the attachment's absolute URL."""
    site = Path(root) / HOST
    folder = site / "tzgg" / "202305"
    folder.mkdir(parents=True, exist_ok=True)
    (site / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    (site / "_site.json").write_text(json.dumps({"charset": "utf-8"}))
    names = link_texts(files)
    urls = {}
    for key, path in files.items():
        target = folder / path.name
        if not target.exists():
            try:
                os.link(path, target)
            except OSError:
                target.write_bytes(path.read_bytes())
        urls[key] = f"http://{HOST}/tzgg/202305/{path.name}"
    (folder / "t20230510_1.html").write_text(article(TITLE, [(p.name, names[k]) for k, p in files.items()]), "utf-8")
    (folder / "t20230511_2.html").write_text(article("张掖市科技局召开科技特派员工作推进会", []), "utf-8")
    items = "".join(f'<li><a href="{u}">{t}</a><span>2023-05-1{n}</span></li>'
                    for n, (u, t) in enumerate(((NOTICE_URL, TITLE), (PLAIN_URL, "科技特派员工作推进会")), 0))
    (site / "tzgg" / "index.html").write_text(
        f"<html><head><meta charset='utf-8'><title>通知公告</title></head><body><ul>{items}</ul></body></html>", "utf-8")
    return urls
