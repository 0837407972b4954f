"""The workbook's fast row writer (reports/sheet_xml.py) writes exactly what openpyxl writes for
the same values and styles, and the spliced workbook is a valid one openpyxl reads back."""

from __future__ import annotations

import io
import math
import zipfile
from copy import copy
from datetime import date, datetime
from typing import Any

import pytest

from htx_desktop.reports.sheet_xml import (
    FORMULA_START,
    CellStyles,
    Column,
    body_chunks,
    row_xml,
    splice,
)

openpyxl = pytest.importorskip("openpyxl")

VALUES: list[Any] = [
    "Hợp tác xã Bá Xuyên", "", " ", "  lề trái", "lề phải ", "a & b < c > d", "dòng 1\ndòng 2",
    "=HYPERLINK(\"http://x\")", "=", "+84", "-Chia sẻ", "@tên", "\tthụt", "điều\x01khiển\x1f",
    "x" * 40000, "#REF", 0, 7, -12, 1226000000, 12345678901234567, 2**63,
    1.5, 0.1, 1 / 3, -0.0, 1e20, math.nan, math.inf, date(2025, 12, 31), date(1900, 2, 28),
    date(1900, 3, 1), date(1899, 12, 31), None, True, False,
    datetime(2025, 1, 2, 13, 30),
]


def _sheet_data(book: bytes, part: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(book)) as zf:
        xml = zf.read(part)
    return xml[xml.index(b"<sheetData>") + 11:xml.index(b"</sheetData>")]


def _styles(ws: Any) -> dict[str, Any]:
    """Five distinct style arrays, made the way the workbook writer makes its body styles."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    arrays = {}
    for kind in ("text", "quoted", "date", "number", "other"):
        cell = WriteOnlyCell(ws)
        cell.font = Font(name="Times New Roman", size=11)
        if kind in ("text", "quoted"):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.quotePrefix = kind == "quoted"
        elif kind == "date":
            cell.number_format = "DD/MM/YYYY"
        elif kind == "number":
            cell.number_format = "#,##0"
        cell.style_id  # noqa: B018 - registers the style in the workbook
        arrays[kind] = cell._style
    return arrays


def _openpyxl_cell(ws: Any, value: Any, arrays: dict[str, Any]) -> Any:
    """The cell the writer made before the fast path (reports/workbook.py until issue 10)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        cell = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        kind = "text"
        if cell.value.startswith(FORMULA_START):
            cell.data_type, kind = "s", "quoted"
    else:
        cell = WriteOnlyCell(ws, value=value)
        kind = ("date" if isinstance(value, date) else
                "number" if isinstance(value, int | float) and not isinstance(value, bool)
                else "other")
    cell._style = copy(arrays[kind])
    return cell


def test_rows_are_byte_for_byte_what_openpyxl_writes() -> None:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Mẫu")
    arrays = _styles(ws)
    ids = {kind: wb._cell_styles.add(array) for kind, array in arrays.items()}
    columns = [Column("A", CellStyles(**ids)), Column("B", CellStyles(**ids))]
    # Each value in column A, next to a number in B, on rows 1, 2, …
    rows = [[value, i] for i, value in enumerate(VALUES)]
    for row in rows:
        ws.append([_openpyxl_cell(ws, v, arrays) for v in row])
    out = io.BytesIO()
    wb.save(out)
    theirs = _sheet_data(out.getvalue(), "xl/worksheets/sheet1.xml").decode("utf-8")
    ours = "".join(row_xml(n, row, columns) for n, row in enumerate(rows, start=1))
    for n, (a, b) in enumerate(zip(theirs.split("</row>"), ours.split("</row>"),
                                   strict=True)):
        assert a == b, (n, VALUES[n] if n < len(VALUES) else None)
    assert theirs == ours


def test_a_text_like_an_error_code_stays_text() -> None:
    """openpyxl would write "#N/A" typed by an officer as an error value; it is her text."""
    xml = row_xml(4, ["#N/A"], [Column("A", CellStyles(1, 2, 3, 4, 5))])
    assert xml == '<row r="4"><c r="A4" s="1" t="inlineStr"><is><t>#N/A</t></is></c></row>'


def test_unknown_values_are_refused() -> None:
    columns = [Column("A", CellStyles(1, 2, 3, 4, 5))]
    with pytest.raises(TypeError):
        row_xml(4, [object()], columns)
    with pytest.raises(ValueError):  # one value per column, never shifted
        row_xml(4, ["a", "b"], columns)


def test_spliced_sheet_reads_back_in_order() -> None:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    ws.append(["Tiêu đề"])
    arrays = _styles(ws)
    ids = {kind: wb._cell_styles.add(array) for kind, array in arrays.items()}
    skeleton = io.BytesIO()
    wb.save(skeleton)
    columns = [Column(letter, CellStyles(**ids)) for letter in "ABC"]
    rows = ([i, f"Tên {i}", date(2025, 1, 1 + i % 28)] for i in range(1, 1201))
    book = splice(skeleton.getvalue(), {"xl/worksheets/sheet1.xml":
                                        body_chunks(2, rows, columns)})
    read = openpyxl.load_workbook(io.BytesIO(book))["Danh sách"]
    values = list(read.iter_rows(values_only=True))
    assert values[0] == ("Tiêu đề", None, None) and len(values) == 1201
    assert values[1200] == (1200, "Tên 1200", datetime(2025, 1, 1 + 1200 % 28))
    assert read.cell(row=2, column=3).number_format == "DD/MM/YYYY"
    assert read.cell(row=2, column=2).alignment.wrap_text


def test_a_sheet_without_sheet_data_is_refused_not_corrupted() -> None:
    book = io.BytesIO()
    with zipfile.ZipFile(book, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"<worksheet/>")
    with pytest.raises(ValueError):
        splice(book.getvalue(), {"xl/worksheets/sheet1.xml": iter([b"<row/>"])})


def test_a_tall_row_is_what_openpyxl_writes_for_its_height() -> None:
    """A wrapped row's height (issue 22) in the same bytes as openpyxl's row dimension."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Mẫu")
    arrays = _styles(ws)
    ids = {kind: wb._cell_styles.add(array) for kind, array in arrays.items()}
    ws.row_dimensions[1].height = 29.0
    ws.row_dimensions[2].height = 42.5
    rows = [["dòng một dài", 1], ["dòng hai", 2]]
    for row in rows:
        ws.append([_openpyxl_cell(ws, v, arrays) for v in row])
    out = io.BytesIO()
    wb.save(out)
    theirs = _sheet_data(out.getvalue(), "xl/worksheets/sheet1.xml").decode("utf-8")
    columns = [Column("A", CellStyles(**ids)), Column("B", CellStyles(**ids))]
    ours = row_xml(1, rows[0], columns, 29.0) + row_xml(2, rows[1], columns, 42.5)
    assert theirs == ours
