"""A workbook's sheets measured before openpyxl loads them (issue 20): a 5 KB file with one
cell at T200000 or XFD1048576 would otherwise make the reader build a grid of millions of
empty cells (25 s and a gigabyte, or out of memory).

Each worksheet part is read as a stream (bounded memory): its declared extent
(`<dimension ref="A1:T200000"/>`) and the row and column of every cell and row are taken,
and a sheet too wide, too long or too large is refused with a Vietnamese reason. The parts'
sizes and expansion ratios are checked from the ZIP's headers first, and the ZIP's own
directory before that (receiving.limits), so a zip bomb is refused before any inflating.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from htx_desktop.i18n import t
from htx_desktop.receiving.limits import LimitExceeded, check_entry

# Far above a province's list (tens of thousands of people, ~40 columns), far below trouble.
MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_CELLS = 4_000_000
MAX_PARTS = 2_000
MAX_PART_BYTES = 256 * 1024 * 1024
MAX_RATIO = 1_000
RATIO_FLOOR = 16 * 1024 * 1024
_CHUNK = 1024 * 1024
_OVERLAP = 256
_REF = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?(c|row|dimension)\b[^<>]{0,200}?\b(r|ref)="'
                  rb'(?:[A-Z]{1,3}[0-9]{1,7}:)?\$?([A-Z]{0,3})\$?([0-9]{0,9})"')


class SheetTooLarge(LimitExceeded):
    """A sheet's extent is beyond the limits; the message is the Vietnamese reason."""


def column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def check_workbook_extent(path: Path) -> None:
    """Raise SheetTooLarge (a LimitExceeded) if a worksheet of the .xlsx at `path` is too
    large to load; anything that is not a readable ZIP is left to openpyxl's own message."""
    from htx_desktop.receiving.limits import check_zip_layout

    try:
        check_zip_layout(path, max_entries=MAX_PARTS, max_directory=MAX_PARTS * 512)
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile):
        return
    with zf:
        for info in zf.infolist():
            check_entry(info, MAX_PART_BYTES, MAX_RATIO, RATIO_FLOOR)
        for info in zf.infolist():
            name = info.filename
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                _check_sheet(zf, info)


def _check_sheet(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    max_row = max_col = rows_seen = 0
    tail = b""
    read = 0
    with zf.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            read += len(chunk)
            if read > MAX_PART_BYTES:
                raise _too_large(info.filename, 0, 0)
            data = tail + chunk
            for m in _REF.finditer(data):
                if m.end() <= len(tail):
                    continue  # already counted in the previous chunk
                tag, letters, digits = m.group(1), m.group(3), m.group(4)
                row = int(digits) if digits else 0
                col = column_number(letters) if letters else 0
                if tag == b"row":
                    rows_seen += 1
                max_row, max_col = max(max_row, row, rows_seen), max(max_col, col)
                if max_row > MAX_ROWS or max_col > MAX_COLUMNS or max_row * max_col > MAX_CELLS:
                    raise _too_large(info.filename, max_row, max_col)
            tail = data[-_OVERLAP:]


def _too_large(part: str, rows: int, cols: int) -> SheetTooLarge:
    return SheetTooLarge(t(
        "một trang tính ({part}) quá lớn để đọc ({rows} dòng × {cols} cột; tối đa {max_rows} "
        "dòng, {max_cols} cột). Thường là do có một ô ở rất xa phía dưới hoặc bên phải: hãy "
        "mở tệp bằng Excel, xoá các dòng, cột thừa rồi lưu lại.",
        part=part.rsplit("/", 1)[-1], rows=f"{rows:,}".replace(",", "."),
        cols=f"{cols:,}".replace(",", "."), max_rows=f"{MAX_ROWS:,}".replace(",", "."),
        max_cols=MAX_COLUMNS))
