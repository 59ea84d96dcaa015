"""Word documents. DOCX through python-docx: paragraphs in order, tables as tab-separated
rows. DOC and WPS (Kingsoft WPS and Word write the same binary format) through Debian's
LibreOffice headless, converted to DOCX and read the same way; without LibreOffice through
catdoc (text only, tables are lost); with neither installed, ``unsupported``."""
from __future__ import annotations

import os
import shutil
import subprocess
import zipfile

from lxml.etree import LxmlError

from cleaners.attachments.archives import check_package
from cleaners.attachments.result import Read, Unreadable

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIP = frozenset((_FALLBACK, W + "del", W + "instrText", W + "rPr", W + "pPr"))
_BREAKS = {W + "tab": "\t", W + "br": "\n", W + "cr": "\n"}


def _runs(element, out: list[str]) -> None:
    """Text of an element in document order; deleted revisions and the fallback copy of
    drawings (text boxes appear once) skipped."""
    for child in element:
        tag = child.tag
        if tag in _SKIP:
            continue
        if tag == W + "t":
            out.append(child.text or "")
        elif tag in _BREAKS:
            out.append(_BREAKS[tag])
        else:
            _runs(child, out)


def _cell_text(cell) -> str:
    out: list[str] = []
    for part in cell.iter(W + "p"):
        if out:
            out.append(" ")
        _runs(part, out)
    return "".join(out).replace("\t", " ").replace("\n", " ").strip()


def body_lines(body):
    """Lines of a document body: a paragraph a line, a table row a tab-separated line."""
    for child in body:
        tag = child.tag
        if tag == W + "p":
            out: list[str] = []
            _runs(child, out)
            yield "".join(out)
        elif tag == W + "tbl":
            for row in child.iter(W + "tr"):
                cells = [_cell_text(cell) for cell in row.iterchildren(W + "tc")]
                if any(cells):
                    yield "\t".join(cells).rstrip("\t")
        elif tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                yield from body_lines(content)


def read_docx(path: str, limits, workdir: str) -> Read:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_package(path, limits, "DOCX")
    try:
        document = docx.Document(path)
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, LxmlError) as exc:
        raise Unreadable("error", f"broken DOCX: {exc}"[:300]) from None
    return Read("\n".join(body_lines(document.element.body)))


def _wall(limits) -> float:
    """Wall time for a tool: a little less than the sandbox waits, so the tool's own
    reason is the one reported."""
    return limits.seconds + 4.0


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_doc(path: str, limits, workdir: str) -> Read:
    if soffice():
        return _via_libreoffice(path, limits, workdir)
    if shutil.which("catdoc"):
        return _via_catdoc(path, limits)
    raise Unreadable("unsupported", "no reader for .doc/.wps here: install LibreOffice "
                                    "(Debian libreoffice-writer-nogui) or catdoc")


def _via_libreoffice(path: str, limits, workdir: str) -> Read:
    src = os.path.join(workdir, "in.doc")      # its own name: soffice names the output after it
    os.symlink(os.path.abspath(path), src)
    outdir = os.path.join(workdir, "converted")
    cmd = [soffice(), f"-env:UserInstallation=file://{os.path.join(workdir, 'lo-profile')}", "--headless",
           "--norestore", "--nolockcheck", "--convert-to", "docx", "--outdir", outdir, src]
    try:
        subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=_wall(limits), check=False)
    except subprocess.TimeoutExpired:
        raise Unreadable("error", f"LibreOffice took more than {_wall(limits):g} s") from None
    out = os.path.join(outdir, "in.docx")
    if not os.path.exists(out):
        raise Unreadable("error", "LibreOffice could not open it (broken, or not a Word document)")
    return read_docx(out, limits, workdir)


def _via_catdoc(path: str, limits) -> Read:
    try:
        proc = subprocess.run(["catdoc", "-d", "utf-8", "-w", path], stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=_wall(limits), check=False)
    except subprocess.TimeoutExpired:
        raise Unreadable("error", f"catdoc took more than {_wall(limits):g} s") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise Unreadable("error", "catdoc could not read it" + (f": {message[-1][:200]}" if message else ""))
    return Read(proc.stdout[:limits.max_bytes].decode("utf-8", "replace"))
