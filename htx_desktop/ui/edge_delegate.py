"""A cell cut by its table's right edge is drawn within what shows, ended with "…": a number
behind the edge is never read short ("4.500" of 4.500.000). Issue 15 point 6."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
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
    """Every table inside `root` (built already) with Qt's plain delegate gets this one."""
    views = root.findChildren(QAbstractItemView)
    for view in [root, *views] if isinstance(root, QAbstractItemView) else views:
        if type(view.itemDelegate()) is QStyledItemDelegate:
            view.setItemDelegate(EdgeDelegate(view))
