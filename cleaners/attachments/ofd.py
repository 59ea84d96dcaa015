"""OFD (GB/T 33190, China's fixed-layout format): a zip of XML read with the standard
library and lxml. ``OFD.xml`` names each document's root (``DocRoot``), the document lists
its pages (``Pages/Page@BaseLoc``), each page's ``TextObject``/``TextCode`` elements carry the
text with its position; runs on one baseline make a line, a wide gap between runs a tab."""
from __future__ import annotations

import posixpath
import zipfile

from lxml import etree

from cleaners.attachments.archives import check_package
from cleaners.attachments.result import Read, Unreadable

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _children(el, name: str):
    return [c for c in el.iter() if _local(c) == name]


def _floats(text: str | None) -> list[float]:
    out = []
    for part in (text or "").replace(",", " ").split():
        try:
            out.append(float(part))
        except ValueError:
            pass            # "g 3 5.2" repeats in DeltaX: the counts are not widths
    return out


def _width(delta_x: str | None, text: str, size: float) -> float:
    """How far a run reaches: its DeltaX advances (``g N d`` repeats d N times) plus one
    character, else a full-width character per character.

    >>> _width("g 3 5 4", "科技创新局", 5.0), _width(None, "科技", 5.0), _width("g x", "科", 5.0)
    (24.0, 10.0, 5.0)
    """
    parts, deltas = (delta_x or "").split(), []
    try:
        i = 0
        while i < len(parts):
            if parts[i] == "g":
                deltas += [float(parts[i + 2])] * int(parts[i + 1])
                i += 3
            else:
                deltas.append(float(parts[i]))
                i += 1
    except (ValueError, IndexError):
        deltas = []
    if not deltas:
        return len(text) * size
    return sum(deltas[:max(len(text) - 1, 0)]) + size


def _resolve(base_file: str, loc: str) -> str:
    """A BaseLoc relative to the file it appears in, or absolute from the package root.

    >>> _resolve("Doc_0/Document.xml", "Pages/Page_0/Content.xml"), _resolve("Doc_0/Document.xml", "/Doc_0/P.xml")
    ('Doc_0/Pages/Page_0/Content.xml', 'Doc_0/P.xml')
    """
    loc = loc.strip().replace("\\", "/")
    if loc.startswith("/"):
        return posixpath.normpath(loc.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_file), loc))


def page_lines(content) -> list[str]:
    """Lines of one page's Content.xml, top to bottom, runs left to right."""
    runs = []   # (y, x, end, size, text)
    for obj in _children(content, "TextObject"):
        box = _floats(obj.get("Boundary")) + [0.0, 0.0]
        size = (_floats(obj.get("Size")) or [3.5])[0]
        x = y = 0.0
        for code in _children(obj, "TextCode"):
            text = code.text or ""
            x = _floats(code.get("X"))[0] if code.get("X") else x
            y = _floats(code.get("Y"))[0] if code.get("Y") else y
            width = _width(code.get("DeltaX"), text, size)
            runs.append((box[1] + y, box[0] + x, box[0] + x + width, size, text))
            x += width
    runs.sort(key=lambda r: (round(r[0], 1), r[1]))
    lines: list[list] = []
    for run in runs:
        if lines and abs(run[0] - lines[-1][0][0]) <= run[3] * 0.5:
            lines[-1].append(run)
        else:
            lines.append([run])
    out = []
    for line in lines:
        line.sort(key=lambda r: r[1])
        text = line[0][4]
        for prev, run in zip(line, line[1:]):
            text += ("\t" if run[1] - prev[2] > 2 * run[3] else "") + run[4]
        out.append(text)
    return out


def read(path: str, limits, workdir: str) -> Read:
    check_package(path, limits, "OFD")
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            if "Encryptions.xml" in names:
                raise Unreadable("encrypted", "OFD with encrypted parts (GM/T 0099)")

            def xml(name: str):
                if name not in names:
                    raise Unreadable("error", f"broken OFD: {name} is missing")
                return etree.fromstring(package.read(name), _PARSER)

            root_name = "OFD.xml" if "OFD.xml" in names else "ofd.xml"
            lines, pages = [], 0
            for doc_root in _children(xml(root_name), "DocRoot"):
                doc_name = _resolve(root_name, doc_root.text or "")
                for page in _children(xml(doc_name), "Page"):
                    pages += 1
                    if page.get("BaseLoc"):
                        lines += page_lines(xml(_resolve(doc_name, page.get("BaseLoc"))))
                        lines.append("")
    except (zipfile.BadZipFile, OSError, etree.LxmlError) as exc:
        raise Unreadable("error", f"broken OFD: {exc}"[:300]) from None
    if not pages:
        raise Unreadable("error", "broken OFD: no page listed")
    return Read("\n".join(lines), pages=pages)
