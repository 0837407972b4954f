"""The table every list of records shows (a kind's list page, the trash, the history)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QTableView

from htx_desktop.ui.edge_delegate import EdgeDelegate


class RecordTable(QTableView):
    """A table view over a lazy model that opens the current row on Enter."""

    activated_row = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSortingEnabled(True)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(28)
        self.verticalHeader().hide()
        self.horizontalHeader().setStretchLastSection(True)
        self.setItemDelegate(EdgeDelegate(self))
        self.doubleClicked.connect(lambda index: self.activated_row.emit(index.row()))

    def keyPressEvent(self, event: Any) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_row.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)
