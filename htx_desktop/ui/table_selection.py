"""The one row an officer chose in a table, as the item of the list the table shows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from PySide6.QtWidgets import QAbstractItemView

T = TypeVar("T")


def chosen_item(table: QAbstractItemView, items: Sequence[T]) -> T | None:
    """`items[row]` when exactly one row is selected (cells of several rows, or none: None)."""
    rows = {i.row() for i in table.selectedIndexes()}
    if len(rows) != 1:
        return None
    (r,) = rows
    return items[r] if r < len(items) else None
