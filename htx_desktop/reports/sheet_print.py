"""How each workbook sheet prints (issue 22): A4, the orientation and scale its columns need,
never text below 8 pt, wide sheets in column groups, page numbers, row heights for wrapped text.

Widths are in Excel's units (characters of the default font's digit, 7 px + 5 px padding at
96 dpi); body text is Times New Roman 11 pt, so a sheet may be shrunk to fit the page width
only down to 8/11 ≈ 73 %: below that it is printed in groups of columns, page after page, with
its key columns (row number, name) repeated on every page instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

A4_WIDTH, A4_HEIGHT = 595.3, 841.9  # points
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM = 0.4, 0.55, 0.6  # inches
HEADER_MARGIN, FOOTER_MARGIN = 0.25, 0.3
BODY_PT, MIN_PT = 11.0, 8.0
# Fit to width only while the text stays ≥ 8 pt; a small reserve for the spreadsheet's rounding.
MIN_FIT_SCALE = 0.76
GROUP_SCALE = 90  # column groups print at 90 % (9.9 pt)
FOOTER = "Trang &P/&N"
FOOTER_LEFT = "&A"  # the sheet's name: which table a loose page belongs to
LINE_PT = 13.0  # one line of Times New Roman 11 in a wrapped cell


def column_points(width: float) -> float:
    return (width * 7 + 5) * 0.75


def usable_width(landscape: bool) -> float:
    paper = A4_HEIGHT if landscape else A4_WIDTH
    return paper - 2 * MARGIN_SIDE * 72


@dataclass(frozen=True)
class PrintPlan:
    landscape: bool
    fit_width: bool  # shrink to one page wide (the scale stays ≥ MIN_FIT_SCALE)
    scale: int  # when not fitting to width
    printed: int  # the first `printed` columns are the print area; the rest are internal
    title_columns: int  # repeated on every page of a sheet printed in column groups
    breaks: tuple[int, ...]  # page breaks after these (1-based) columns


def plan(widths: Sequence[float], *, keys: int = 0, internal: int = 0,
         groups: Sequence[str] | None = None) -> PrintPlan:
    """The print set-up for columns of `widths`: the last `internal` are not printed; the
    first `keys` are repeated on each page when the sheet is printed in column groups;
    `groups[i]` names column i's group (columns of one group stay on one page if they can)."""
    printed = len(widths) - internal
    points = [column_points(w) for w in widths[:printed]]
    total = sum(points)
    if total <= usable_width(False):
        return PrintPlan(False, False, 100, printed, 0, ())
    if total <= usable_width(True):
        return PrintPlan(True, False, 100, printed, 0, ())
    if total * MIN_FIT_SCALE <= usable_width(True):
        return PrintPlan(True, True, 100, printed, 0, ())
    page = usable_width(True) * 100 / GROUP_SCALE - sum(points[:keys])
    names = list(groups) if groups is not None else [str(i) for i in range(len(widths))]
    breaks: list[int] = []
    used = 0.0
    i = keys
    while i < printed:
        j = i
        while j + 1 < printed and names[j + 1] == names[i]:
            j += 1
        width = sum(points[i:j + 1])
        if used and used + width > page:
            breaks.append(i)  # after column i (1-based): the group starting at index i
            used = 0.0
        used += width
        i = j + 1
    return PrintPlan(True, False, GROUP_SCALE, printed, keys, tuple(breaks))


def chars_per_line(width: float, bold: bool = False) -> int:
    """How many characters of Times New Roman 11 a wrapped cell of `width` holds per line
    (a little under, so that an estimate never makes a row too short)."""
    return max(1, int((width * 7 - 4) / (7.6 if bold else 6.6)))


def lines_of(text: str, per_line: int) -> int:
    """Lines `text` takes wrapped at `per_line` characters (words do not break: a line holds
    on average half a word less than its width)."""
    if "\n" not in text:
        return 1 if len(text) <= per_line else -(-(len(text) + 4) // per_line)
    return sum(max(1, -(-(len(part) + 4) // per_line)) for part in text.split("\n"))


def row_height(lines: int, line_pt: float = LINE_PT) -> float | None:
    """A wrapped row's height in points, or None for one line (the default height)."""
    if lines <= 1:
        return None
    return round(lines * line_pt + 3, 1)


def apply(ws: Any, plan_: PrintPlan, last_row: int | None = None) -> None:
    """Set `ws` (an openpyxl worksheet, write-only or not) up for `plan_`; `last_row`: the
    sheet's last row, needed for a print area that leaves internal columns out."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break, ColBreak

    w = ws
    setup = w.page_setup
    setup.paperSize = "9"  # A4
    setup.orientation = "landscape" if plan_.landscape else "portrait"
    props = w.sheet_properties.pageSetUpPr
    if plan_.fit_width:
        setup.fitToWidth = 1
        setup.fitToHeight = 0  # as many pages down as needed
        props.fitToPage = True
    else:
        setup.scale = plan_.scale
        props.fitToPage = False
    margins = w.page_margins
    margins.left = margins.right = MARGIN_SIDE
    margins.top, margins.bottom = MARGIN_TOP, MARGIN_BOTTOM
    margins.header, margins.footer = HEADER_MARGIN, FOOTER_MARGIN
    w.print_options.horizontalCentered = not plan_.landscape
    footer = w.oddFooter.center
    footer.text, footer.size, footer.font = FOOTER, 10, "Times New Roman,Regular"
    left = w.oddFooter.left
    left.text, left.size, left.font = FOOTER_LEFT, 10, "Times New Roman,Italic"
    if last_row is not None:
        area = f"A1:{get_column_letter(plan_.printed)}{last_row}"
        w.print_area = area
    if plan_.title_columns:
        w.print_title_cols = f"A:{get_column_letter(plan_.title_columns)}"
    if plan_.breaks:
        breaks = ColBreak()
        for column in plan_.breaks:
            breaks.append(Break(id=column))
        w.col_breaks = breaks
