"""The drop-down of every form and table row (issue 15 points 2 and 3).

The wheel never changes it unless it has the focus. A long list (more than `SEARCH_FROM`
choices: communes, plan lines, ethnic groups, lenders …) can be typed into: the list under it
keeps the choices that contain what she typed, without regard to diacritics ("con minh" finds
"Xã Côn Minh"), also when a Vietnamese typing method (Telex/VNI) edits the word in place.
Leaving the field with a text that is no choice puts the chosen one back: the value is always
one of the choices.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit

from htx_desktop.domain.text import fold
from htx_desktop.i18n import t
from htx_desktop.ui.wheel_guard import NoWheelComboBox

SEARCH_FROM = 10
FOLD_ROLE = Qt.ItemDataRole.UserRole + 1


class FoldCompleter(QCompleter):
    """Matches the folded text of the choices against the folded text typed."""

    def splitPath(self, path: str) -> list[str]:
        return [fold(path)]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        return str(index.data(Qt.ItemDataRole.DisplayRole) or "")


class ChoiceField(NoWheelComboBox):
    changed = Signal()

    def __init__(self, choices: list[tuple[Any, str]], optional: bool = False,
                 searchable: bool | None = None) -> None:
        super().__init__()
        if optional:
            self.addItem("", None)
        for code, label in choices:
            self.addItem(label, code)
        for i in range(self.count()):
            self.setItemData(i, fold(self.itemText(i)), FOLD_ROLE)
        self.setMinimumContentsLength(12)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMaxVisibleItems(15)
        if searchable if searchable is not None else len(choices) > SEARCH_FROM:
            self._make_searchable()
        self.currentIndexChanged.connect(self.changed)

    def _make_searchable(self) -> None:
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line = self.lineEdit()
        assert line is not None
        line.setPlaceholderText(t("Gõ để tìm…"))
        completer = FoldCompleter(self.model(), self)
        completer.setCompletionRole(FOLD_ROLE)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setMaxVisibleItems(12)
        self.setCompleter(completer)
        line.editingFinished.connect(self.settle)

    def settle(self) -> None:
        """After typing: the choice she meant (one match), else the choice as it was."""
        if not self.isEditable():
            return
        typed = fold(self.currentText())
        index = self.currentIndex()
        if index >= 0 and fold(self.itemText(index)) == typed:
            if self.currentText() != self.itemText(index):
                self.setEditText(self.itemText(index))
            return
        folded = [str(self.itemData(i, FOLD_ROLE)) for i in range(self.count())]
        exact = [i for i, f in enumerate(folded) if f == typed]
        found = exact or ([i for i, f in enumerate(folded) if typed in f] if typed else
                          [i for i in range(self.count()) if self.itemData(i) is None])
        if len(found) == 1 and found[0] != index:
            self.setCurrentIndex(found[0])
            self.activated.emit(found[0])  # her choice, as if picked from the list
        self.setEditText(self.itemText(self.currentIndex()) if self.currentIndex() >= 0 else "")

    def focusOutEvent(self, event: Any) -> None:
        super().focusOutEvent(event)
        completer = self.completer()
        popup = completer.popup() if completer is not None else None
        if popup is None or not popup.isVisible():
            self.settle()

    def value(self) -> Any:
        return self.currentData()

    def set_value(self, value: Any) -> None:
        index = self.findData(value)
        self.setCurrentIndex(max(index, 0))


def suggest(field: QLineEdit, texts: list[str]) -> QCompleter:
    """Free text with the values already used offered as she types (diacritic-insensitive):
    "ngan hang chinh" offers "Ngân hàng Chính sách xã hội"."""
    model = QStandardItemModel(field)
    for text in texts:
        item = QStandardItem(text)
        item.setData(fold(text), FOLD_ROLE)
        model.appendRow(item)
    completer = FoldCompleter(model, field)
    completer.setCompletionRole(FOLD_ROLE)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    field.setCompleter(completer)
    return completer
