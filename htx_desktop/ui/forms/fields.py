"""Field widgets with one protocol: `value()`, `set_value(v)`, a `changed` signal.

Dates are typed and shown dd/mm/yyyy with a calendar pop-up and may be empty
(`date_field.py`); long drop-downs filter as she types (`choice_field.py`); money is typed as digits
and shown with the Vietnamese thousands separator (1.500.000).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from htx_desktop.i18n import t
from htx_desktop.ui.formatting import fmt_money, parse_money
from htx_desktop.ui.forms.choice_field import ChoiceField
from htx_desktop.ui.forms.date_field import DateField

__all__ = ["BoolField", "ChoiceField", "DateField", "IntField", "MoneyField", "MultilineField",
           "PickerField", "TextField"]


class TextField(QLineEdit):
    changed = Signal()

    def __init__(self, max_length: int = 300) -> None:
        super().__init__()
        self.setMaxLength(max_length)
        self.textChanged.connect(self.changed)

    def value(self) -> str | None:
        text = self.text().strip()
        return text or None

    def set_value(self, value: Any) -> None:
        self.setText("" if value is None else str(value))


class MultilineField(QPlainTextEdit):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setTabChangesFocus(True)
        self.setFixedHeight(64)
        self.textChanged.connect(self.changed)

    def value(self) -> str | None:
        text = self.toPlainText().strip()
        return text or None

    def set_value(self, value: Any) -> None:
        self.setPlainText("" if value is None else str(value))


class IntField(QLineEdit):
    changed = Signal()

    def __init__(self, minimum: int = 0, maximum: int = 999_999_999) -> None:
        super().__init__()
        self.setValidator(QIntValidator(minimum, maximum, self))
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setMaximumWidth(140)
        self.textChanged.connect(self.changed)

    def value(self) -> int | None:
        text = self.text().strip()
        return int(text) if text.lstrip("-").isdigit() else None

    def set_value(self, value: Any) -> None:
        self.setText("" if value is None else str(int(value)))


class MoneyField(QLineEdit):
    """VND: digits only, shown with dots every three digits, "đồng" after the box."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setMaximumWidth(180)
        self.setPlaceholderText("0")
        self.textEdited.connect(self._reformat)
        self.textChanged.connect(self.changed)

    def _reformat(self, text: str) -> None:
        digits_before = sum(ch.isdigit() for ch in text[: self.cursorPosition()])
        formatted = fmt_money(parse_money(text))
        with QSignalBlocker(self):
            self.setText(formatted)
        pos, seen = 0, 0
        while pos < len(formatted) and seen < digits_before:
            seen += formatted[pos].isdigit()
            pos += 1
        self.setCursorPosition(pos)
        self.changed.emit()

    def value(self) -> int | None:
        return parse_money(self.text())

    def set_value(self, value: Any) -> None:
        self.setText(fmt_money(value) if value not in (None, "") else "")


class BoolField(QCheckBox):
    changed = Signal()

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.toggled.connect(self.changed)

    def value(self) -> bool:
        return self.isChecked()

    def set_value(self, value: Any) -> None:
        self.setChecked(bool(value))


class PickerField(QWidget):
    """A chosen record (person, cooperative) shown by name, with buttons to choose or add.

    `pick` opens a search dialog and returns (id, name) or None; `create` opens a new-record
    form and returns (id, name) or None.
    """

    changed = Signal()

    def __init__(self, pick: Callable[[], tuple[str, str] | None],
                 create: Callable[[], tuple[str, str] | None] | None = None,
                 describe: Callable[[str], str] | None = None) -> None:
        super().__init__()
        self._pick, self._create, self._describe = pick, create, describe
        self._id: str | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.display = QLineEdit()
        self.display.setReadOnly(True)
        self.display.setPlaceholderText(t("Chưa chọn"))
        self.display.setMinimumWidth(240)
        layout.addWidget(self.display, 1)
        self.choose_button = QPushButton(t("Chọn…"))
        self.choose_button.clicked.connect(self._on_pick)
        layout.addWidget(self.choose_button)
        if create is not None:
            self.new_button = QPushButton(t("Thêm mới…"))
            self.new_button.clicked.connect(self._on_create)
            layout.addWidget(self.new_button)
        self.setFocusProxy(self.choose_button)

    def _on_pick(self) -> None:
        chosen = self._pick()
        if chosen:
            self._set(*chosen)

    def _on_create(self) -> None:
        assert self._create is not None
        made = self._create()
        if made:
            self._set(*made)

    def _set(self, record_id: str | None, name: str) -> None:
        self._id = record_id
        self.display.setText(name)
        self.changed.emit()

    def value(self) -> str | None:
        return self._id

    def set_value(self, value: Any) -> None:
        name = self._describe(value) if (value and self._describe) else ""
        self._set(value or None, name)
