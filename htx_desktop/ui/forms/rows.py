"""An editable table of child rows (yearly figures, OCOP products, positions, funding, …).

Each column is a field widget (see `fields.py`) placed in the cell, so a row is edited with the
same widgets, formats and keyboard as the rest of the form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from htx_desktop.i18n import t


@dataclass
class RowColumn:
    name: str
    title: str
    make: Callable[[], QWidget]
    width: int = 110


class RowsEditor(QWidget):
    changed = Signal()

    def __init__(self, columns: list[RowColumn], add_text: str | None = None) -> None:
        super().__init__()
        self.columns = columns
        self._extras: list[dict[str, Any]] = []  # per-row values not shown (e.g. the row id)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(columns))
        self.table.setHorizontalHeaderLabels([c.title for c in columns])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setDefaultSectionSize(34)
        header = self.table.horizontalHeader()
        for i, c in enumerate(columns):
            header.resizeSection(i, max(c.width, header.sectionSizeFromContents(i).width() + 8))
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(add_text or t("Thêm dòng"))
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button = QPushButton(t("Xóa dòng"))
        self.remove_button.clicked.connect(self.remove_current)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def add_row(self, values: dict[str, Any] | None = None) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        values = dict(values or {})
        for col, c in enumerate(self.columns):
            widget = c.make()
            if c.name in values:
                widget.set_value(values.pop(c.name))  # type: ignore[attr-defined]
            widget.changed.connect(self.changed)  # type: ignore[attr-defined]
            self.table.setCellWidget(row, col, widget)
        self._extras.append(values)
        self.changed.emit()
        return row

    def remove_current(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            row = self.table.rowCount() - 1
        if row >= 0:
            self.table.removeRow(row)
            del self._extras[row]
            self.changed.emit()

    def cell(self, row: int, name: str) -> Any:
        col = [c.name for c in self.columns].index(name)
        return self.table.cellWidget(row, col)

    def value(self) -> list[dict[str, Any]]:
        rows = []
        for row in range(self.table.rowCount()):
            values = dict(self._extras[row])
            for col, c in enumerate(self.columns):
                values[c.name] = self.table.cellWidget(row, col).value()  # type: ignore[attr-defined]
            rows.append(values)
        return rows

    def problem(self) -> str:
        """What cannot be read in the rows (a date typed wrong), row by row."""
        lines = []
        for row in range(self.table.rowCount()):
            for col, c in enumerate(self.columns):
                check = getattr(self.table.cellWidget(row, col), "problem", None)
                message = check() if callable(check) else ""
                if message:
                    lines.append(t("Dòng {row}, cột “{column}”: {message}", row=row + 1,
                                   column=c.title, message=message))
        return "\n".join(lines)

    def set_value(self, rows: Any) -> None:
        self.table.setRowCount(0)
        self._extras.clear()
        for values in rows or []:
            self.add_row(values)
