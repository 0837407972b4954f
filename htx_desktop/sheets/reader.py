"""Read a workbook as offices really keep them: find the header row wherever it is, undo merged
cells, and hand back the data rows with text in NFC, dates as dates and blank and total rows
left out. Values are only tidied here; what a cell means is the importer's business.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from htx_desktop.domain.text import fold, nfc
from htx_desktop.i18n import t
from htx_desktop.sheets.columns import COLUMNS, column_for, header_key
from htx_desktop.sheets.errors import SheetError

HEADER_SCAN = 30  # the header row is looked for among the first rows of a sheet
_TOTAL_WORDS = {"tong cong", "cong", "tong", "tong so", "cong tong", "tong cong toan tinh"}
_SKIP_SHEETS = {"huong dan", "danhsach", "danh sach"}


@dataclass
class SheetRow:
    number: int  # as the spreadsheet shows it (1-based)
    values: list[Any]

    def get(self, index: int) -> Any:
        return self.values[index] if 0 <= index < len(self.values) else None


@dataclass
class SheetTable:
    sheet: str
    header_row: int
    headers: list[str]
    rows: list[SheetRow]
    skipped_totals: list[int] = field(default_factory=list)


def tidy(value: Any) -> Any:
    """A cell value in the form the importer expects: text NFC and trimmed (empty → None),
    a date without a time of day as a date, an integral float as an int."""
    if isinstance(value, str):
        text = nfc(value).strip()
        return text or None
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_workbook(path: Path, kinds: tuple[str, ...] | None = None) -> SheetTable:
    """The best table of the workbook for these kinds (all kinds when None)."""
    from openpyxl import load_workbook

    from htx_desktop.receiving.limits import LimitExceeded
    from htx_desktop.sheets.extent import check_workbook_extent

    try:
        check_workbook_extent(Path(path))
    except LimitExceeded as exc:
        raise SheetError(t("Không đọc được tệp “{path}”: {reason}", path=path,
                           reason=str(exc))) from exc
    try:
        wb = load_workbook(path, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise SheetError(t("Không đọc được tệp “{path}”: tệp không phải là bảng tính Excel "
                           "(.xlsx) hoặc đã bị hỏng. Hãy mở tệp bằng Excel và lưu lại dạng "
                           ".xlsx.", path=path)) from exc
    except Exception as exc:  # openpyxl raises its own classes for malformed parts
        raise SheetError(t("Không đọc được tệp “{path}”: tệp không phải là bảng tính Excel "
                           "(.xlsx) hoặc đã bị hỏng. Hãy mở tệp bằng Excel và lưu lại dạng "
                           ".xlsx.", path=path)) from exc
    best: tuple[int, SheetTable] | None = None
    for ws in wb.worksheets:
        if ws.sheet_state != "visible" or fold(ws.title) in _SKIP_SHEETS:
            continue
        grid = _grid(ws)
        found = _find_header(grid, ws, kinds or tuple(COLUMNS))
        if found is None:
            continue
        score, header_row, data_start, headers = found
        if best is None or score > best[0]:
            rows, totals = _data_rows(grid, data_start)
            best = (score, SheetTable(ws.title, header_row, headers, rows, totals))
    wb.close()
    if best is None:
        raise SheetError(t("Không tìm thấy dòng tiêu đề trong tệp “{path}”. Hãy để các tên cột "
                           "(ví dụ «Tên HTX/THT», «Họ và tên») trên một dòng, phía trên dữ "
                           "liệu.", path=path))
    return best[1]


def _grid(ws: Any) -> list[list[Any]]:
    """The sheet's values, a merged range's value copied into every cell it covers."""
    grid = [[tidy(v) for v in row] for row in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        top = grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(grid) else None
        for r in range(merged.min_row, min(merged.max_row, len(grid)) + 1):
            row = grid[r - 1]
            for c in range(merged.min_col, merged.max_col + 1):
                if c - 1 < len(row):
                    row[c - 1] = top
    return grid


def _header_texts(grid: list[list[Any]], r: int, ws: Any) -> list[tuple[str, str]]:
    """For each column of row r: (own text, text with the group title above it). A group title
    is a cell merged across several columns in the row above ("Số lao động" over "Tổng", "Nữ")."""
    spans: dict[int, str] = {}
    if r > 0:
        for merged in ws.merged_cells.ranges:
            if merged.max_row == r and merged.max_col > merged.min_col:  # row above, 1-based
                title = grid[r - 1][merged.min_col - 1]
                for c in range(merged.min_col, merged.max_col + 1):
                    spans[c - 1] = str(title or "")
    out = []
    for c, value in enumerate(grid[r]):
        own = str(value) if value is not None else ""
        parent = spans.get(c, "")
        out.append((own, f"{parent} {own}".strip() if parent and parent != own else own))
    return out


def _find_header(grid: list[list[Any]], ws: Any, kinds: tuple[str, ...],
                 ) -> tuple[int, int, int, list[str]] | None:
    best: tuple[int, int, int, list[str]] | None = None
    for r in range(min(HEADER_SCAN, len(grid))):
        texts = _header_texts(grid, r, ws)
        for kind in kinds:
            headers: list[str] = []
            matched: set[str] = set()
            for own, combined in texts:
                column = column_for(kind, combined) if combined else None
                chosen = combined
                if column is None and own:
                    column, chosen = column_for(kind, own), own
                headers.append(chosen if column is not None else (combined or own))
                if column is not None:
                    matched.add(column.key)
            if len(matched) >= 2 and (best is None or len(matched) > best[0]):
                best = (len(matched), r + 1, _data_start(ws, r + 1), headers)
    return best


def _data_start(ws: Any, header_row: int) -> int:
    """The first data row: below the header and any header cell merged downwards."""
    end = header_row
    for merged in ws.merged_cells.ranges:
        if merged.min_row <= header_row <= merged.max_row:
            end = max(end, merged.max_row)
    return end + 1


def _is_total(values: list[Any]) -> bool:
    for value in values:
        if isinstance(value, str):
            key = header_key(value)
            if key in _TOTAL_WORDS or key.startswith("tong cong "):
                return True
    return False


def _is_numbering(values: list[Any]) -> bool:
    """The "(1) (2) (3) …" row many official forms put under their header."""
    present = [v for v in values if v is not None]
    if len(present) < 3:
        return False
    digits = [header_key(str(v)) for v in present]
    if not all(d.isdigit() and len(d) < 4 for d in digits):
        return False
    first = int(digits[0])
    return [int(d) for d in digits] == list(range(first, first + len(digits)))


def _data_rows(grid: list[list[Any]], start: int) -> tuple[list[SheetRow], list[int]]:
    rows: list[SheetRow] = []
    totals: list[int] = []
    for number in range(start, len(grid) + 1):
        values = grid[number - 1]
        if all(v is None for v in values):
            continue
        if _is_total(values):
            totals.append(number)
            continue
        if not rows and _is_numbering(values):
            continue
        rows.append(SheetRow(number, list(values)))
    return rows, totals


def as_text(value: Any) -> str:
    """A cell as text for messages and text fields (a date written the Vietnamese way)."""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)
