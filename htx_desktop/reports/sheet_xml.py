"""The body rows of the workbook's list sheets, written as SpreadsheetML text.

Why not through openpyxl: it makes a cell object per value, binds and checks the value, looks
its style up and serialises it through an element tree — for the ~160,000 styled cells of a
province that was 2.1 s of a 3.3 s export, twice the time of writing the same values unstyled
(docs/performance.md). The rows under the headings are the bulk of every sheet and have only a
handful of shapes (text, number, date, empty; each with one style), so they are written here as
text: the same bytes openpyxl 3.1 writes for the same cell and style (tests/reports compare the
two) and spliced into the sheets openpyxl wrote with the headings. Everything else — the style
table, column widths, frozen headings, print set-up, the package parts — is still openpyxl's.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import chain
from typing import Any

from htx_desktop.reports.sheet_print import lines_of, row_height
from htx_desktop.reports.zip_stream import write_chunks

# = openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE: control characters XML 1.0 cannot carry.
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
# A spreadsheet treats text starting with these as a formula (or, for tab/CR, may after an edit).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MAX_TEXT = 32767  # Excel's limit; openpyxl cuts longer text there
# date(1899, 12, 30).toordinal(): serial 0 of the Windows 1900 date system
_EXCEL_EPOCH = 693594
_ROWS_PER_CHUNK = 500
_END = b"</sheetData>"
NO_LIMIT = 1 << 30  # `per_line` of a column whose text never sets the row's height


@dataclass(frozen=True)
class CellStyles:
    """Style ids (positions in the workbook's cell formats) of one column's body cells."""

    text: int
    quoted: int  # text that would start a formula: also quote-prefixed (stays text on edit)
    date: int
    number: int
    other: int  # empty cells and anything else
    percent: int | None = None  # a `Percent` value (`0.0" %"`); else the number style


class Percent(float):
    """A 0–100 percentage, written with its column's percent style (`0.0" %"`): the cell
    holds the figure as data.json does, the format adds the sign."""

    __slots__ = ()


class Column:
    """A column's letter and the opening of each kind of its cells, made once per sheet."""

    __slots__ = ("date", "empty", "letter", "number", "other", "percent", "quoted", "text")

    def __init__(self, letter: str, styles: CellStyles) -> None:
        # Each ends where the cell's value comes next; `"` closes the reference attribute.
        self.letter = letter
        self.text = f'" s="{styles.text}" t="inlineStr"'
        self.quoted = f'" s="{styles.quoted}" t="inlineStr"'
        self.number = f'" s="{styles.number}" t="n">'
        percent = styles.number if styles.percent is None else styles.percent
        self.percent = f'" s="{percent}" t="n">'
        self.date = f'" s="{styles.date}" t="n">'
        self.empty = f'" s="{styles.other}" t="n" />'
        self.other = f'" s="{styles.other}"'


def text_cell(value: str, opening: str, quoted: str) -> str:
    """The rest of a text cell after its reference, as openpyxl writes it (inline string)."""
    text = _ILLEGAL.sub("", value)[:_MAX_TEXT]
    if text.startswith(FORMULA_START):
        opening = quoted
    if not text:
        return opening + " />"
    stripped = text.strip()
    space = ' xml:space="preserve"' if stripped and text != stripped else ""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return f"{opening}><is><t{space}>{text}</t></is></c>"


def _number(value: int | float | Decimal) -> str:
    # openpyxl's safe_string ("%.16g", which takes ints and Decimals as floats); it writes no
    # value for NaN and infinity
    text = format(float(value), ".16g")
    return "<v />" if text in ("nan", "inf", "-inf") else f"<v>{text}</v>"


def _unusual(value: Any, col: Column) -> str:
    """Cells other than text, int, float, date and empty, as openpyxl binds them."""
    if isinstance(value, Percent):
        return f"{col.percent}{_number(value)}</c>"
    if isinstance(value, bool):
        return f'{col.other} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise TypeError("Excel does not support timezones in datetimes.")
        from openpyxl.utils.datetime import to_excel

        return f"{col.date}{_number(to_excel(value))}</c>"
    if isinstance(value, str):
        return text_cell(value, col.text, col.quoted)
    if isinstance(value, int | float):
        return f"{col.number}{_number(value)}</c>"
    if isinstance(value, Decimal):  # numeric, but styled as "other" by the older writer
        return f'{col.other} t="n">{_number(value)}</c>'
    if isinstance(value, date):
        return f"{col.date}<v>{_serial(value)}</v></c>"
    raise TypeError(f"Không ghi được giá trị kiểu {type(value).__name__} vào bảng tính.")


def _serial(value: date) -> str:
    days = value.toordinal() - _EXCEL_EPOCH
    if 0 < days <= 60:  # Excel's phantom 29/02/1900, as openpyxl's to_excel
        days -= 1
    return str(days)


def row_xml(number: int, values: Sequence[Any], columns: Sequence[Column],
            height: float | None = None) -> str:
    """`<row>` element number `number` (1-based) holding `values`, one per column; `height`
    (points) for a row whose wrapped text needs more than one line."""
    r = str(number)
    parts = [f'<row r="{r}">' if height is None
             else f'<row r="{r}" ht="{format(height, "g")}" customHeight="1">']
    add = parts.append
    for value, col in zip(values, columns, strict=True):
        kind = value.__class__
        if kind is str:
            add(f'<c r="{col.letter}{r}{text_cell(value, col.text, col.quoted)}')
        elif kind is int:
            add(f'<c r="{col.letter}{r}{col.number}<v>{format(value, ".16g")}</v></c>')
        elif value is None:
            add(f'<c r="{col.letter}{r}{col.empty}')
        elif kind is date:
            add(f'<c r="{col.letter}{r}{col.date}<v>{_serial(value)}</v></c>')
        elif kind is float:
            add(f'<c r="{col.letter}{r}{col.number}{_number(value)}</c>')
        else:
            add(f'<c r="{col.letter}{r}{_unusual(value, col)}')
    add("</row>")
    return "".join(parts)


def body_chunks(first_row: int, rows: Iterable[Sequence[Any]], columns: Sequence[Column],
                per_line: Sequence[int] | None = None) -> Iterator[bytes]:
    """The rows from `first_row` on, as UTF-8, a few hundred rows at a time (a province at
    20× its size has ~150 MB of sheet text: it is never held whole). `per_line`: characters
    a line of each column holds; a row whose text wraps gets the height of its lines."""
    parts: list[str] = []
    # Only the columns a line can overflow (an unprinted column has no limit).
    checks = [(i, room) for i, room in enumerate(per_line or ()) if room < NO_LIMIT]
    for number, values in enumerate(rows, start=first_row):
        height = None
        if checks:
            lines = 1
            for i, room in checks:
                value = values[i]
                if value.__class__ is str and (len(value) > room or "\n" in value):
                    n = lines_of(value, room)
                    if n > lines:
                        lines = n
            if lines > 1:
                height = row_height(lines)
        parts.append(row_xml(number, values, columns, height))
        if len(parts) == _ROWS_PER_CHUNK:
            yield "".join(parts).encode("utf-8")
            parts.clear()
    if parts:
        yield "".join(parts).encode("utf-8")


def splice(skeleton: bytes, bodies: Mapping[str, Iterable[bytes]]) -> bytes:
    """The xlsx `skeleton` (openpyxl's, headings only) with each `bodies[part]` inserted at the
    end of that worksheet part's `<sheetData>`. Other parts are copied as they are."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(skeleton)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            raw = src.read(info)
            body = bodies.get(info.filename)
            if body is None:
                dst.writestr(info, raw)
                continue
            head, end, tail = raw.rpartition(_END)
            if not end:  # a newer openpyxl writing sheets differently: fail, never corrupt
                raise ValueError(f"{info.filename}: no {_END.decode()} to insert rows before")
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.compress_type = info.compress_type
            entry.external_attr = info.external_attr
            entry.create_system = info.create_system
            write_chunks(dst, entry, chain((head,), body, (end + tail,)))
    return out.getvalue()
