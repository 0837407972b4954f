"""The formal report as a Word document (`….docx`, issue 22): the same content and Decree 30
layout as the PDF (Times New Roman 13–14, margins 20/20/30/15 mm, the national motto block,
Nơi nhận and the signature block), for officers who finish the report in Word before signing.
It carries the same QR code as the PDF: the code identifies the data, not the wording.

A convenience copy written beside the package, never one of the package's checked files.
"""

from __future__ import annotations

import io
from typing import Any

from htx_desktop.reports.print_code import SIZE_MM, PrintCode, png
from htx_desktop.reports.report_text import ReportContent

FONT = "Times New Roman"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def render_docx(content: ReportContent, *, title: str, author: str,
                print_code: PrintCode | None = None) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Mm, Pt

    doc = Document()
    doc.core_properties.title = title
    doc.core_properties.author = author
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(0)

    def para(cell_or_doc: Any, text: str, *, bold: bool = False, italic: bool = False,
             size: float = 13, align: Any = None, indent: bool = False,
             after: float = 0, before: float = 0) -> Any:
        p = cell_or_doc.add_paragraph()
        run = p.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)
        run.font.name = FONT
        if align is not None:
            p.alignment = align
        fmt = p.paragraph_format
        fmt.space_after, fmt.space_before = Pt(after), Pt(before)
        if indent:
            fmt.first_line_indent = Cm(1.27)
        return p

    centre, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
    # Header: parent and issuing body left, national name and motto right.
    head = doc.add_table(rows=2, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed(head, (Mm(70), Mm(95)))
    left, right = head.rows[0].cells
    left.paragraphs[0].text = ""
    _first(left, content.parent_body, size=13, align=centre)
    para(left, content.issuing_body, bold=True, align=centre)
    para(left, "―――――", align=centre, size=9)
    _first(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12, align=centre)
    para(right, MOTTO, bold=True, align=centre)
    para(right, "――――――――――――", align=centre, size=9)
    number, place = head.rows[1].cells
    _first(number, content.number, align=centre)
    _first(place, content.place_date, italic=True, align=centre)
    if print_code is not None:
        picture = para(doc, "", align=WD_ALIGN_PARAGRAPH.LEFT, before=4)
        picture.runs[0].add_picture(io.BytesIO(png(print_code.text())), width=Mm(SIZE_MM))

    para(doc, "BÁO CÁO", bold=True, size=14, align=centre, before=12)
    para(doc, content.subject, bold=True, size=14, align=centre)
    para(doc, "―――――", align=centre, size=9, after=8)
    for kind, text in content.blocks:
        if kind == "h1" or kind == "h2":
            para(doc, text, bold=True, align=justify, indent=True, after=6,
                 before=6 if kind == "h1" else 0)
        else:
            para(doc, text, align=justify, indent=True, after=6)

    if content.table_rows:
        para(doc, content.table_title, bold=True, align=centre, before=10, after=6)
        heads = ("Mã", "Chỉ tiêu", "Kết quả trong kỳ", "Lũy kế giai đoạn", "Chỉ tiêu",
                 "Tỷ lệ đạt")
        table = doc.add_table(rows=1, cols=len(heads))
        table.style = "Table Grid"
        col_widths = (Mm(14), Mm(65), Mm(22), Mm(20), Mm(20), Mm(24))
        _fixed(table, col_widths)
        _repeat_header(table.rows[0])
        for cell, text, width in zip(table.rows[0].cells, heads, col_widths, strict=True):
            cell.width = width
            _first(cell, text, bold=True, size=11, align=centre)
        for row in content.table_rows:
            new = table.add_row()
            _cant_split(new)
            cells = new.cells
            for i, (cell, text, width) in enumerate(zip(cells, row, col_widths, strict=True)):
                cell.width = width
                _first(cell, text, size=11, align=None if i == 1 else centre)
    if content.closing:
        para(doc, content.closing, align=justify, indent=True, before=8)

    sign = doc.add_table(rows=1, cols=2)
    _fixed(sign, (Mm(80), Mm(85)))
    _cant_split(sign.rows[0])  # Nơi nhận, the code and the signature stay on one page
    to, signer = sign.rows[0].cells
    _first(to, "Nơi nhận:", bold=True, italic=True, size=12)
    for line in content.recipients:
        para(to, line, size=11)
    if print_code is not None:
        picture = para(to, "", before=12)
        picture.runs[0].add_picture(io.BytesIO(png(print_code.text())), width=Mm(SIZE_MM))
        para(to, print_code.caption(), size=8.5)
    _first(signer, content.authority, bold=True, align=centre)
    para(signer, content.position, bold=True, align=centre, after=68)
    para(signer, content.signer_name, bold=True, align=centre)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _fixed(table: Any, widths: tuple[Any, ...]) -> None:
    """Column widths that Word and LibreOffice Writer both keep: the grid's, every cell's, and
    a fixed layout (Writer follows the grid; autofit would even the columns out)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    props = table._tbl.tblPr
    layout = props.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        props.append(layout)
    layout.set(qn("w:type"), "fixed")


def _row_flag(row: Any, tag: str) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement(tag))


def _repeat_header(row: Any) -> None:
    _row_flag(row, "w:tblHeader")


def _cant_split(row: Any) -> None:
    _row_flag(row, "w:cantSplit")


def _first(cell: Any, text: str, *, bold: bool = False, italic: bool = False,
           size: float = 13, align: Any = None) -> None:
    """Write into a table cell's own first paragraph (a new cell has one, empty)."""
    from docx.shared import Pt

    p = cell.paragraphs[0]
    run = p.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    run.font.name = "Times New Roman"
    if align is not None:
        p.alignment = align
