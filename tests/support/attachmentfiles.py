"""Attachments of every format the cleaner reads, made with the real writers, each holding a
known Chinese sentence; and hostile ones. Used by the attachment tests and bench/attachments.py.

Writers: reportlab with its CID font STSong-Light (PDF), python-docx (DOCX), LibreOffice
headless (DOC from HTML; WPS = the Word binary format under a .wps name, as Kingsoft WPS
writes it), openpyxl (XLSX), xlwt (XLS), the standard library's zipfile + lxml for OFD
(the GB/T 33190 package: OFD.xml → Doc_0/Document.xml → Pages/Page_0/Content.xml, fonts in
PublicRes.xml), GB18030 bytes for TXT, zipfile (ZIP) and rars (RAR 5; Debian has no RAR
writer). Hostile: a PDF with a user password (pypdf), a DOCX cut in half, a ZIP member of
1 GiB of zeros (cached like tests/support/bombs.py), a PDF whose 2,000 pages share one
content stream of 400,000 text operators (hours of parsing in ≈100 KB), a PDF above the
size cap (random bytes embedded as a file), a scan (one picture, no text layer).
"""
from __future__ import annotations

import io
import os
import random
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from tests.support.bombs import cache_dir

SENTENCES = {
    "pdf": "张掖市科技局组织开展科技型中小企业评价工作，请各单位于六月底前完成申报。",
    "docx": "兰州市科技局印发关于加强科技成果转化的实施意见，自发布之日起施行。",
    "doc": "鹤壁市科学技术局公布二〇二三年度市级重点研发专项拟立项项目名单。",
    "wps": "河南省科学技术厅关于征集二〇二四年度省重大科技专项项目需求的通知。",
    "xlsx": "广西壮族自治区科技计划项目经费预算明细表",
    "xls": "甘肃省科技创新券兑付企业名单及兑付金额汇总表",
    "ofd": "科学技术部关于发布国家重点研发计划重点专项申报指南的通知。",
    "txt": "平凉市科技局开展二〇二三年科技活动周宣传活动的情况说明。",
    "zip": "白银市科技局关于组织申报省级科技计划项目的通知。",
    "rar": "酒泉市科技局科技特派员工作站建设情况统计说明。",
}
TABLE_ROW = ("项目名称", "经费（万元）")      # a header row: read back as a tab-separated line
TABLE_LINE = "\t".join(TABLE_ROW)
# the XLS is written in traditional characters throughout and must read back simplified
TRADITIONAL = {"xls": ("甘肅省科技創新券兌付企業名單及兌付金額匯總表", ("項目名稱", "經費（萬元）"), "科技型企業")}
FILLER = "各有关单位要高度重视，认真组织，按照要求做好材料的审核和推荐工作，确保申报材料真实、准确、完整。"
NAMES = {                              # attachment file names on the fixture site
    "pdf": "P020230510_guide.pdf", "docx": "P020230510_opinion.docx", "doc": "P020230510_list.doc",
    "wps": "P020230510_notice.wps", "xlsx": "P020230510_budget.xlsx", "xls": "P020230510_vouchers.xls",
    "ofd": "P020230510_guide.ofd", "txt": "P020230510_note.txt", "zip": "P020230510_forms.zip",
    "rar": "P020230510_stats.rar",
}
HOSTILE = {                            # name → the status it must end with
    "encrypted.pdf": "encrypted", "truncated.docx": "error", "bomb.zip": "too_large",
    "spin.pdf": "error", "huge.pdf": "too_large", "scan.pdf": "no_text",
}
MiB = 1024 * 1024


# -- writers -----------------------------------------------------------------------------
def pdf_bytes(sentence: str, paragraphs: int = 6) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cn", fontName="STSong-Light", fontSize=11, leading=16, wordWrap="CJK")
    story = [Paragraph(sentence, style)] + [Paragraph(f"{i + 1}．{FILLER}{sentence}", style) for i in range(paragraphs)]
    story.append(Table([TABLE_ROW, ("科技创新券", "50")], style=[("FONT", (0, 0), (-1, -1), "STSong-Light")]))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(story)
    return out.getvalue()


def docx_bytes(sentence: str, paragraphs: int = 4) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(sentence)
    for i in range(paragraphs):
        document.add_paragraph(f"{i + 1}．{FILLER}")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate((TABLE_ROW, ("科技创新券", "50"))):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(title: str, rows: int = 20) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "预算"
    sheet.append([title])
    sheet.append(list(TABLE_ROW))
    for i in range(rows):
        sheet.append([f"重点研发项目{i + 1}", 50 + i])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xls_bytes(title: str, header=TABLE_ROW, row_name: str = "科技型企业", rows: int = 20) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名单")
    sheet.write(0, 0, title)
    for c, value in enumerate(header):
        sheet.write(1, c, value)
    for i in range(rows):
        sheet.write(i + 2, 0, f"{row_name}{i + 1}")
        sheet.write(i + 2, 1, 10 + i)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def word97_files(sentences: dict[str, str], paragraphs: int = 4) -> dict[str, bytes]:
    """{key: bytes of a Word 97 .doc} written by LibreOffice headless from HTML (a heading,
    paragraphs and a table). Raises RuntimeError without LibreOffice."""
    if soffice() is None:
        raise RuntimeError("LibreOffice (soffice) is not installed: Debian libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory(prefix="govnews-word97-") as tmp:
        sources = []
        for key, sentence in sentences.items():
            body = "".join(f"<p>{i + 1}．{FILLER}</p>" for i in range(paragraphs))
            cells = "".join(f"<td>{v}</td>" for v in TABLE_ROW)
            html = (f"<html><head><meta charset='utf-8'></head><body><p>{sentence}</p>{body}"
                    f"<table border='1'><tr>{cells}</tr><tr><td>科技创新券</td><td>50</td></tr></table></body></html>")
            path = Path(tmp) / f"{key}.html"
            path.write_text(html, "utf-8")
            sources.append(str(path))
        subprocess.run([soffice(), f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
                        "--convert-to", "doc:MS Word 97", "--outdir", tmp, *sources],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=180, check=True)
        return {key: (Path(tmp) / f"{key}.doc").read_bytes() for key in sentences}


OFD_NS = "http://www.ofdspec.org/2016"


def ofd_bytes(sentence: str, lines: int = 6) -> bytes:
    """An OFD package per GB/T 33190: OFD.xml (DocBody → DocRoot), Doc_0/Document.xml
    (CommonData with PageArea and PublicRes, Pages), Doc_0/PublicRes.xml (the font),
    Doc_0/Pages/Page_0/Content.xml (a layer of TextObjects, one per line, and a
    two-cell table row)."""
    from lxml import etree

    def element(parent, name, text=None, **attrs):
        el = etree.SubElement(parent, f"{{{OFD_NS}}}{name}", {k: str(v) for k, v in attrs.items()}) \
            if parent is not None else etree.Element(f"{{{OFD_NS}}}{name}", {k: str(v) for k, v in attrs.items()},
                                                      nsmap={"ofd": OFD_NS})
        if text is not None:
            el.text = str(text)
        return el

    def xml(root) -> bytes:
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    ofd = element(None, "OFD", Version="1.0", DocType="OFD")
    body = element(ofd, "DocBody")
    info = element(body, "DocInfo")
    element(info, "DocID", "6d2a1f0c4b8e4f0c9a3e2b7d5c1f0a9e")
    element(info, "Title", sentence)
    element(info, "CreationDate", "2023-05-10")
    element(body, "DocRoot", "Doc_0/Document.xml")

    document = element(None, "Document")
    common = element(document, "CommonData")
    element(common, "MaxUnitID", 100)
    area = element(common, "PageArea")
    element(area, "PhysicalBox", "0 0 210 297")
    element(common, "PublicRes", "PublicRes.xml")
    pages = element(document, "Pages")
    element(pages, "Page", ID=1, BaseLoc="Pages/Page_0/Content.xml")

    res = element(None, "Res", BaseLoc="Res")
    fonts = element(res, "Fonts")
    element(fonts, "Font", ID=2, FontName="宋体", FamilyName="宋体")

    page = element(None, "Page")
    content = element(page, "Content")
    layer = element(content, "Layer", ID=3)
    texts = [sentence] + [f"{i + 1}．{FILLER[:30]}" for i in range(lines)]
    next_id = 10
    for n, text in enumerate(texts):
        obj = element(layer, "TextObject", ID=next_id, Boundary=f"20 {30 + 8 * n} 170 7", Font=2, Size=4.2)
        element(obj, "TextCode", text, X=0, Y=4.2, DeltaX=f"g {len(text) - 1} 4.2")
        next_id += 1
    row_y = 30 + 8 * len(texts)
    for x, text in ((20, TABLE_ROW[0]), (110, TABLE_ROW[1])):   # a table row: two runs far apart
        obj = element(layer, "TextObject", ID=next_id, Boundary=f"{x} {row_y} 80 7", Font=2, Size=4.2)
        element(obj, "TextCode", text, X=0, Y=4.2)
        next_id += 1

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("OFD.xml", xml(ofd))
        package.writestr("Doc_0/Document.xml", xml(document))
        package.writestr("Doc_0/PublicRes.xml", xml(res))
        package.writestr("Doc_0/Pages/Page_0/Content.xml", xml(page))
    return out.getvalue()


def txt_bytes(sentence: str) -> bytes:
    return (sentence + "\r\n" + FILLER + "\r\n").encode("gb18030")     # GBK, as Chinese Windows saves


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def rar_bytes(members: dict[str, bytes]) -> bytes:
    import rars

    builder = rars.RarBuilder(format="rar50")
    for name, data in members.items():
        builder.add_bytes(data, name)
    return bytes(builder.to_bytes())


# -- hostile -------------------------------------------------------------------------------
def encrypted_pdf_bytes() -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(pdf_bytes("本文件设有打开密码。")))
    writer.encrypt(user_password="kjj2023", owner_password="owner2023", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def spin_pdf_bytes(pages: int = 2000, operators: int = 400_000) -> bytes:
    """Every page draws the same content stream of ``operators`` text operators: ≈100 KB
    on disk, hours for a text extractor."""
    import pypdf
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = pypdf.PdfWriter()
    font = writer._add_object(DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                                                NameObject("/Subtype"): NameObject("/Type1"),
                                                NameObject("/BaseFont"): NameObject("/Helvetica")}))
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 1 Tf 0 0 Td (a) Tj ET\n" * operators)
    stream = writer._add_object(stream.flate_encode())
    for _ in range(pages):
        page = writer.add_blank_page(200, 200)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
        page[NameObject("/Contents")] = stream
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def huge_pdf_bytes(size: int) -> bytes:
    """A real PDF (text and all) past ``size`` bytes: random bytes embedded as a file."""
    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(pdf_bytes("本文件体积超过上限。")))
    writer.add_attachment("数据.bin", random.Random(7).randbytes(size + MiB))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def scan_pdf_bytes() -> bytes:
    """One page holding only a picture (a scan): no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (600, 800), 255)
    draw = ImageDraw.Draw(image)
    for y in range(60, 760, 24):
        draw.line((50, y, 550, y), fill=40, width=6)        # lines of "print"
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.drawImage(ImageReader(image), 40, 40, width=515, height=760)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def zip_bomb() -> Path:
    """A ZIP whose one member is 1 GiB of zeros (≈1 MB packed), cached across runs."""
    path = cache_dir() / "zipbomb-1g.zip"
    if not path.exists():
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        zero = bytes(MiB)
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            with archive.open("数据.txt", "w", force_zip64=True) as member:
                for _ in range(1024):
                    member.write(zero)
        os.replace(tmp, path)
    return path


# -- the lot -------------------------------------------------------------------------------
def write_all(folder: Path, *, huge_size: int) -> dict[str, Path]:
    """Every format (keys of NAMES) and every hostile file (keys of HOSTILE) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    words = word97_files({"doc": SENTENCES["doc"], "wps": SENTENCES["wps"]})
    made = {
        "pdf": pdf_bytes(SENTENCES["pdf"]),
        "docx": docx_bytes(SENTENCES["docx"]),
        "doc": words["doc"],
        "wps": words["wps"],
        "xlsx": xlsx_bytes(SENTENCES["xlsx"]),
        "xls": xls_bytes(*TRADITIONAL["xls"]),
        "ofd": ofd_bytes(SENTENCES["ofd"]),
        "txt": txt_bytes(SENTENCES["txt"]),
        "zip": zip_bytes({"申报通知.docx": docx_bytes(SENTENCES["zip"]), "说明.txt": txt_bytes("请按时提交。")}),
        "rar": rar_bytes({"统计说明.pdf": pdf_bytes(SENTENCES["rar"])}),
    }
    paths = {}
    for key, data in made.items():
        paths[key] = folder / NAMES[key]
        paths[key].write_bytes(data)
    whole = docx_bytes("本文件在传输中被截断。")
    hostile = {
        "encrypted.pdf": encrypted_pdf_bytes(),
        "truncated.docx": whole[: len(whole) // 2],
        "spin.pdf": spin_pdf_bytes(),
        "huge.pdf": huge_pdf_bytes(huge_size),
        "scan.pdf": scan_pdf_bytes(),
    }
    for name, data in hostile.items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    paths["bomb.zip"] = folder / "bomb.zip"
    try:
        os.link(zip_bomb(), paths["bomb.zip"])
    except OSError:
        shutil.copyfile(zip_bomb(), paths["bomb.zip"])
    return paths
