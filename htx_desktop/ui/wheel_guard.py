"""The mouse wheel scrolls the form, never the value of a field that does not have the focus
(issue 15 point 2): drop-downs, number boxes and dates, in forms and in table rows.

Form fields (`ChoiceField`, `NoWheelComboBox`) refuse the wheel themselves (`wheel_refused`);
`guard_wheel(page)` does the same for the other drop-downs and number boxes of a page.
A refused wheel event is handed to the widget's parent, so the form or table around it scrolls.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QWidget


def wheel_refused(widget: QWidget, event: QWheelEvent) -> bool:
    """True (and the event left to the parent) when `widget` has no focus."""
    if widget.hasFocus():
        return False
    event.ignore()  # Qt hands an ignored wheel event to the parent: the form scrolls
    return True


def calm(widget: QWidget) -> None:
    """No focus from the wheel: only a click or Tab gives a drop-down the focus."""
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


class NoWheelComboBox(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        calm(self)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if not wheel_refused(self, event):
            super().wheelEvent(event)


class _Guard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget)
                and not watched.hasFocus()):
            parent = watched.parentWidget()
            if parent is not None:
                QApplication.sendEvent(parent, event)  # scroll what is around it
            return True
        return False


_guards: list[_Guard] = []


def guard_wheel(root: QWidget) -> None:
    """Every drop-down and number box inside `root` (built already) ignores an unfocused
    wheel. One filter per widget, not one over the whole application: the rest of the
    program's events never cross into Python for this."""
    if not _guards:
        _guards.append(_Guard())
    for widget in root.findChildren(QComboBox) + root.findChildren(QAbstractSpinBox):
        if isinstance(widget, NoWheelComboBox):
            continue
        calm(widget)
        widget.installEventFilter(_guards[0])
