"""The formal report (`bao-cao.pdf`) in the Vietnamese administrative format of Decree
30/2020/NĐ-CP, Appendix I, as the Union applies it.

A4 portrait; margins top/bottom 20 mm, left 30 mm, right 15 mm; Tinos (metric-compatible with
Times New Roman, full Vietnamese) embedded, because an office PC opening the file may lack the
font and reportlab's own fonts have no ơ, ư or dot-below letters.
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from htx_desktop.reports.print_code import PrintCode
from htx_desktop.reports.report_text import ReportContent
from htx_desktop.resources import resource_path

FONT = "Tinos"
_FACES = {"": "Regular", "-Bold": "Bold", "-Italic": "Italic", "-BoldItalic": "BoldItalic"}
BODY_SIZE = 13
MOTTO = "Độc lập - Tự do - Hạnh phúc"
MARGIN_CODE_MM = 21.0  # the first page's QR, in the 30 mm left margin


@cache
def register_fonts() -> str:
    """Register Tinos with reportlab once; `<b>`/`<i>` in paragraphs map to its faces."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for suffix, face in _FACES.items():
        path = resource_path("fonts", f"Tinos-{face}.ttf")
        pdfmetrics.registerFont(TTFont(f"{FONT}{suffix}", str(path)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=f"{FONT}-Bold",
                                  italic=f"{FONT}-Italic", boldItalic=f"{FONT}-BoldItalic")
    return FONT


def _styles() -> dict[str, Any]:
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm

    base = ParagraphStyle("base", fontName=FONT, fontSize=BODY_SIZE, leading=17)
    centre = ParagraphStyle("centre", base, alignment=TA_CENTER, leading=16)
    return {
        "parent": ParagraphStyle("parent", centre),
        "issuer": ParagraphStyle("issuer", centre, fontName=f"{FONT}-Bold"),
        "nation": ParagraphStyle("nation", centre, fontName=f"{FONT}-Bold", fontSize=12),
        "motto": ParagraphStyle("motto", centre, fontName=f"{FONT}-Bold", fontSize=13),
        "number": ParagraphStyle("number", centre),
        "date": ParagraphStyle("date", centre, fontName=f"{FONT}-Italic"),
        "title": ParagraphStyle("title", centre, fontName=f"{FONT}-Bold", fontSize=14,
                                leading=18, spaceBefore=14),
        "subject": ParagraphStyle("subject", centre, fontName=f"{FONT}-Bold", fontSize=14,
                                  leading=18),
        "p": ParagraphStyle("p", base, alignment=TA_JUSTIFY, firstLineIndent=1.27 * cm,
                            spaceAfter=6),
        # Headings and the table's title never end a page: keepWithNext.
        "h1": ParagraphStyle("h1", base, fontName=f"{FONT}-Bold", alignment=TA_JUSTIFY,
                             firstLineIndent=1.27 * cm, spaceBefore=6, spaceAfter=6,
                             keepWithNext=1),
        "h2": ParagraphStyle("h2", base, fontName=f"{FONT}-Bold", alignment=TA_JUSTIFY,
                             firstLineIndent=1.27 * cm, spaceAfter=6, keepWithNext=1),
        "table_title": ParagraphStyle("table_title", centre, fontName=f"{FONT}-Bold",
                                      spaceBefore=10, spaceAfter=6, keepWithNext=1),
        "cell": ParagraphStyle("cell", base, fontSize=11, leading=13, alignment=TA_LEFT),
        "cell_c": ParagraphStyle("cell_c", base, fontSize=11, leading=13, alignment=TA_CENTER),
        "cell_h": ParagraphStyle("cell_h", base, fontName=f"{FONT}-Bold", fontSize=11,
                                 leading=13, alignment=TA_CENTER),
        "sign": ParagraphStyle("sign", centre, fontName=f"{FONT}-Bold"),
        "to_head": ParagraphStyle("to_head", base, fontName=f"{FONT}-BoldItalic", fontSize=12,
                                  leading=15),
        "to": ParagraphStyle("to", base, fontSize=11, leading=13),
        "code": ParagraphStyle("code", base, fontSize=8.5, leading=10),
    }


def _rule(width: float, thickness: float = 0.6) -> Any:
    """A centred horizontal line, as wide as `width` points."""
    from reportlab.platypus import Flowable

    class Rule(Flowable):
        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            self.avail = avail_width
            return avail_width, 6

        def draw(self) -> None:
            # Drawn at the bottom of a 6 pt box, clear of the descenders of the line above.
            x = (self.avail - width) / 2
            self.canv.setLineWidth(thickness)
            self.canv.line(x, 1, x + width, 1)

    return Rule()


def _signature_space(height: float, layout: dict[str, Any] | None) -> Any:
    """The empty space between the signer's position and name (where she signs on paper);
    drawn, it records where it landed as `layout["signature_box"]` (page index, rectangle in
    points), the place of a digital signature's appearance (reports/pdf_signing.py)."""
    from reportlab.platypus import Flowable

    class SignatureSpace(Flowable):
        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            self.avail = avail_width
            return avail_width, height

        def draw(self) -> None:
            if layout is None:
                return
            from htx_desktop.reports.signature_box import SignatureBox

            x, y = self.canv.absolutePosition(0, 0)
            # 2 pt clear of the lines above and below
            layout["signature_box"] = SignatureBox(self.canv.getPageNumber() - 1, x, y + 2,
                                                   x + self.avail, y + height - 2)

    return SignatureSpace()


def render_pdf(content: ReportContent, *, title: str, author: str,
               print_code: PrintCode | None = None,
               layout: dict[str, Any] | None = None) -> bytes:
    """The report as PDF bytes. `print_code`: the package's code (reports/print_code.py),
    drawn as a QR code in the left margin of the first page, beside the issuing body and the
    number, and under "Nơi nhận" on the last page, clear of the signature and seal.
    `layout`: when given, receives "signature_box" (see `_signature_space`)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    register_fonts()
    st = _styles()
    page_w, page_h = A4
    left, right, top, bottom = 30 * mm, 15 * mm, 20 * mm, 20 * mm
    frame_w = page_w - left - right
    left_w, right_w = 70 * mm, frame_w - 70 * mm

    def para(text: str, style: str) -> Any:
        return Paragraph(escape(text), st[style])

    # Header: parent and issuing body left, national name and motto right (Decree 30 layout).
    issuer_w = min(max(stringWidth(line, f"{FONT}-Bold", BODY_SIZE)
                       for line in content.issuing_body.splitlines() or [""]), left_w)
    motto_w = stringWidth(MOTTO, f"{FONT}-Bold", 13)
    header = Table(
        [[[para(content.parent_body, "parent"), para(content.issuing_body, "issuer"),
           _rule(issuer_w * 0.4)],
          [para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "nation"), para(MOTTO, "motto"),
           _rule(motto_w)]],
         [para(content.number, "number"), para(content.place_date, "date")]],
        colWidths=[left_w, right_w])
    # A table sets its cells' font even around paragraphs: name ours, or reportlab's default
    # Helvetica ends up in the file, unembedded.
    cell_font = ("FONTNAME", (0, 0), (-1, -1), FONT)
    header.setStyle(TableStyle([
        cell_font, ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 1), (-1, 1), 6),
    ]))
    story: list[Any] = [header, para("BÁO CÁO", "title"), para(content.subject, "subject"),
                        Spacer(1, 2), _rule(frame_w / 4), Spacer(1, 10)]
    story += [para(text, kind) for kind, text in content.blocks]

    if content.table_rows:
        widths = [14 * mm, frame_w - 100 * mm, 22 * mm, 20 * mm, 20 * mm, 24 * mm]
        head = [para(h, "cell_h") for h in
                ("Mã", "Chỉ tiêu", "Kết quả trong kỳ", "Lũy kế giai đoạn", "Chỉ tiêu",
                 "Tỷ lệ đạt")]
        body = [[para(r[0], "cell_c"), para(r[1], "cell"),
                 *(para(c, "cell_c") for c in r[2:])] for r in content.table_rows]
        table = Table([head, *body], colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle([
            cell_font, ("GRID", (0, 0), (-1, -1), 0.5, "black"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, 0), "#E8E8E8"),
        ]))
        story += [para(content.table_title, "table_title"), table, Spacer(1, 8)]
    if content.closing:
        story.append(para(content.closing, "p"))

    # Signature block right, "Nơi nhận:" left on the same level (Decree 30).
    to = [para("Nơi nhận:", "to_head"),
          *(para(line, "to") for line in content.recipients)]
    if print_code is not None:
        from htx_desktop.reports.print_code import SIZE_MM, flowable

        to += [Spacer(1, 6 * mm), flowable(print_code.text(), SIZE_MM * mm), Spacer(1, 2 * mm),
               para(print_code.caption(), "code")]
    sign = [para(content.authority, "sign"), para(content.position, "sign"),
            _signature_space(24 * mm, layout), para(content.signer_name, "sign")]
    signature = Table([[to, sign]], colWidths=[frame_w * 0.48, frame_w * 0.52])
    signature.setStyle(TableStyle([
        cell_font, ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]))
    story.append(KeepTogether([Spacer(1, 8), signature]))

    def first_page(canvas: Any, doc: Any) -> None:
        # The QR in the left margin (30 mm): 4.5 mm from the paper's edge, 4.5 mm clear of
        # the text, from just below the top margin, level with the issuing body and number.
        if print_code is not None:
            from htx_desktop.reports.print_code import draw_matrix, matrix

            size = MARGIN_CODE_MM * mm
            draw_matrix(canvas, matrix(print_code.text()), 4.5 * mm,
                        page_h - top - 2 * mm - size, size)

    def page_number(canvas: Any, doc: Any) -> None:
        # From page 2 on, centred in the top margin.
        canvas.saveState()
        canvas.setFont(FONT, BODY_SIZE)
        canvas.drawCentredString(left + frame_w / 2, page_h - top / 2 - 4, str(doc.page))
        canvas.restoreState()

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=left, rightMargin=right,
                            topMargin=top, bottomMargin=bottom, title=title, author=author,
                            creator="htx-desktop", subject=content.subject,
                            # else every page starts in reportlab's unembedded Helvetica
                            initialFontName=FONT, initialFontSize=BODY_SIZE)
    doc.build(story, onFirstPage=first_page, onLaterPages=page_number)
    return out.getvalue()
