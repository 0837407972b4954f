"""Helpers for the spreadsheet tests: workbooks written cell by cell, as an office would."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any


def write_rows(path: Path, rows: Sequence[Sequence[Any]], merges: Sequence[str] = (),
               title: str = "Sheet1") -> Path:
    """A workbook whose first sheet holds these rows from A1 (None = empty cell)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    for rng in merges:
        ws.merge_cells(rng)
    wb.save(path)
    return path


def fill_template(template: Path, rows: Sequence[Sequence[Any]], out: Path) -> Path:
    """The template with data typed from row 2 of its first sheet."""
    from openpyxl import load_workbook

    wb = load_workbook(template)
    ws = wb.worksheets[0]
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    wb.save(out)
    return out
