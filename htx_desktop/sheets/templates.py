"""A blank workbook per kind for offices without the program (docs/INTERFACES.md §1 `template`).

The first sheet holds one header row of Vietnamese column names and room for the data; the
instructions sheet ("Hướng dẫn") follows; a hidden sheet holds the lists the drop-downs refer
to. Input checks are Excel data validations, which LibreOffice Calc enforces as well: whole
numbers ≥ 0, years, dates, list values and text length.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from htx_desktop.domain.text import fold
from htx_desktop.i18n import t
from htx_desktop.os_errors import os_error_text
from htx_desktop.sheets.columns import COLUMNS, KIND_LABELS, Column
from htx_desktop.sheets.errors import SheetError
from htx_desktop.sheets.lists import labels
from htx_desktop.store.models import EthnicGroup
from htx_desktop.store.reference import descendant_units
from htx_desktop.store.settings import home_unit

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

DATA_SHEET = "Dữ liệu"
HELP_SHEET = "Hướng dẫn"
LISTS_SHEET = "DanhSach"  # ASCII: it is named inside validation formulas
ROWS = 1000  # rows prepared with drop-downs and checks (an office may add more)
EXCEL_EPOCH = date(1899, 12, 30)
EARLIEST = date(1950, 1, 1)


@dataclass(frozen=True)
class TemplateLists:
    """The lists behind the drop-downs, as the hidden sheet holds them (one per column)."""

    lists: dict[str, list[str]]


def template_lists(session: Session) -> TemplateLists:
    """Units of the home unit's tree by name (home unit first), ethnic groups, closed lists."""
    home = home_unit(session)
    if home is None:
        raise SheetError(t("Chưa chọn đơn vị sử dụng chương trình. "
                           "Hãy chạy: htx-desktop init --unit MÃ_ĐƠN_VỊ"))
    units = descendant_units(session, home.id, include_self=True)
    others = sorted({u.name for u in units if u.id != home.id} - {home.name}, key=fold)
    names = [home.name, *others]
    groups = [g.name for g in session.scalars(select(EthnicGroup).order_by(EthnicGroup.code))]
    lists = {"unit": names, "ethnicity": groups}
    for name in ("coop_kind", "sector", "gender", "position", "event_type", "attendance_role",
                 "job_role", "bool"):
        lists[name] = labels(name)
    return TemplateLists(lists)


def write_template(session: Session, kind: str, path: Path) -> Path:
    """Write the template of `kind` to `path` (an .xlsx file) and return the path."""
    from openpyxl import Workbook

    if kind not in COLUMNS:
        raise SheetError(t("Không có mẫu «{kind}». Hãy chọn một trong: {kinds}.",
                           kind=kind, kinds=", ".join(COLUMNS)))
    lists = template_lists(session).lists
    wb = Workbook()
    data = wb.active
    assert data is not None
    data.title = DATA_SHEET
    columns = COLUMNS[kind]
    _write_header(data, columns)
    _write_help(wb.create_sheet(HELP_SHEET), kind, columns)
    refs = _write_lists(wb.create_sheet(LISTS_SHEET), lists)
    _add_checks(data, columns, refs)
    try:
        wb.save(path)
    except OSError as exc:
        raise SheetError(t("Không ghi được tệp “{path}”: {error}", path=path,
                           error=os_error_text(exc))) from exc
    return path


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))


def _write_header(ws: Worksheet, columns: tuple[Column, ...]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for i, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i, value=column.title)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[_letter(i)].width = max(14, min(40, len(column.title) + 4))
        if column.type == "date":
            for row in range(2, ROWS + 2):
                ws.cell(row=row, column=i).number_format = "DD/MM/YYYY"
        elif column.type in ("tax_code", "phone", "id_number"):
            # As text, so that leading zeros survive (0912…, 0100233488).
            for row in range(2, ROWS + 2):
                ws.cell(row=row, column=i).number_format = "@"
    ws.freeze_panes = "A2"


def _write_help(ws: Worksheet, kind: str, columns: tuple[Column, ...]) -> None:
    from openpyxl.styles import Font

    lines: list[tuple[str, str]] = [
        (t("Mẫu nhập liệu: {what}", what=t(KIND_LABELS[kind])), ""),
        (t("Nhập mỗi dòng một bản ghi ở trang «{sheet}», bắt đầu từ dòng 2; không sửa dòng "
           "tiêu đề.", sheet=DATA_SHEET), ""),
        (t("Cột có dấu (*) là bắt buộc. Chọn giá trị trong danh sách thả xuống khi có."), ""),
        (t("Ngày ghi theo dạng ngày/tháng/năm, ví dụ 25/12/2024; số tiền ghi bằng đồng, "
           "không ghi chữ."), ""),
        ("", ""),
        (t("Cột"), t("Cách ghi")),
    ]
    for column in columns:
        lines.append((column.title, _how(column)))
    for r, (a, b) in enumerate(lines, start=1):
        ws.cell(row=r, column=1, value=a)
        ws.cell(row=r, column=2, value=b)
    ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 90


_HOW: dict[str, str] = {
    "text": "chữ",
    "int": "số nguyên từ 0 trở lên",
    "year": "năm, 4 chữ số, ví dụ 2024",
    "date": "ngày/tháng/năm, ví dụ 25/12/2024",
    "bool": "Có hoặc Không",
    "unit": "chọn trong danh sách, hoặc ghi mã đơn vị",
    "tax_code": "10 chữ số (hoặc 13 với mã chi nhánh); không bắt buộc",
    "phone": "10 chữ số, bắt đầu bằng 0",
    "id_number": "12 chữ số (CCCD) hoặc 9 chữ số (CMND)",
}


def _how(column: Column) -> str:
    how = t(_HOW.get(column.type, "chọn trong danh sách"))
    if column.max_len:
        how += t("; tối đa {n} ký tự", n=column.max_len)
    if column.hint:
        how += "; " + t(column.hint)
    return how


def _write_lists(ws: Worksheet, lists: dict[str, list[str]]) -> dict[str, str]:
    """One list per column of the hidden sheet; returns {list name: absolute range}."""
    refs: dict[str, str] = {}
    for i, (name, values) in enumerate(lists.items(), start=1):
        ws.cell(row=1, column=i, value=name)
        for r, value in enumerate(values, start=2):
            ws.cell(row=r, column=i, value=value)
        col = _letter(i)
        refs[name] = f"{LISTS_SHEET}!${col}$2:${col}${max(2, len(values) + 1)}"
    ws.sheet_state = "hidden"
    return refs


def _add_checks(ws: Worksheet, columns: tuple[Column, ...], refs: dict[str, str]) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    for i, column in enumerate(columns, start=1):
        options = _check_for(column, refs)
        if options is None:
            continue
        dv = DataValidation(allow_blank=True, showErrorMessage=True, showInputMessage=True,
                            errorTitle=t("Giá trị không hợp lệ"),
                            promptTitle=column.header[:32], **options)
        col = _letter(i)
        dv.add(f"{col}2:{col}{ROWS + 1}")
        ws.add_data_validation(dv)


def _check_for(column: Column, refs: dict[str, str]) -> dict[str, Any] | None:
    earliest = str((EARLIEST - EXCEL_EPOCH).days)
    list_name = "bool" if column.type == "bool" else column.type
    if list_name in refs:
        return {"type": "list", "formula1": refs[list_name],
                "error": t("Hãy chọn một giá trị trong danh sách."),
                "prompt": t("Chọn trong danh sách")}
    if column.type == "int":
        return {"type": "whole", "operator": "greaterThanOrEqual", "formula1": "0",
                "error": t("Hãy nhập một số nguyên từ 0 trở lên, không có chữ."),
                "prompt": t("Số nguyên ≥ 0")}
    if column.type == "year":
        return {"type": "whole", "operator": "between", "formula1": "1930",
                "formula2": "2100", "error": t("Hãy nhập năm bằng 4 chữ số, ví dụ 2024."),
                "prompt": t("Năm, ví dụ 2024")}
    if column.type == "date":
        return {"type": "date", "operator": "greaterThanOrEqual", "formula1": earliest,
                "error": t("Hãy nhập ngày theo dạng ngày/tháng/năm, từ năm 1950."),
                "prompt": t("Ngày/tháng/năm")}
    if column.max_len:
        return {"type": "textLength", "operator": "lessThanOrEqual",
                "formula1": str(column.max_len),
                "error": t("Quá dài: tối đa {n} ký tự.", n=column.max_len),
                "prompt": t("Tối đa {n} ký tự", n=column.max_len)}
    return None
