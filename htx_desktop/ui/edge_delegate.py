"""A cell cut by its table's right edge is drawn within what shows, ended with "…": a number
behind the edge is never read short ("4.500" of 4.500.000). Issue 15 point 6."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)


class EdgeDelegate(QStyledItemDelegate):
    """Give it the view as parent: `view.setItemDelegate(EdgeDelegate(view))`."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        view = self.parent()
        if isinstance(view, QAbstractItemView):
            shown = option.rect.intersected(view.viewport().rect())
            if shown.width() < option.rect.width():
                option = QStyleOptionViewItem(option)
                option.rect = shown
                option.textElideMode = Qt.TextElideMode.ElideRight
        super().paint(painter, option, index)


def cut_cells_at_edges(root: QWidget) -> None:
    """Every table inside `root` (built already) with Qt's plain delegate gets this one, and
    no column narrower than its header's text (the user may still narrow it)."""
    views = root.findChildren(QAbstractItemView)
    for view in [root, *views] if isinstance(root, QAbstractItemView) else views:
        if type(view.itemDelegate()) is not QStyledItemDelegate:
            continue  # its own delegate (the lists': they keep her widths themselves)
        view.setItemDelegate(EdgeDelegate(view))
        if isinstance(view, QTableView):
            header = view.horizontalHeader()
            for i in range(header.count() - (1 if header.stretchLastSection() else 0)):
                if header.sectionResizeMode(i) != QHeaderView.ResizeMode.Interactive:
                    continue
                wanted = header.sectionSizeFromContents(i).width() + 6
                if header.sectionSize(i) < wanted:
                    header.resizeSection(i, wanted)
