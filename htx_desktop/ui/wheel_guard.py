"""The mouse wheel scrolls the form, never the value of a field that does not have the focus
(issue 15 point 2): drop-downs, number boxes and dates, in forms and in table rows.

Form fields (`ChoiceField`, `NoWheelComboBox`) refuse the wheel themselves (`wheel_refused`);
`guard_wheel(page)` does the same for the other drop-downs and number boxes of a page.
A refused wheel event is handed to the scrolling area around: the form or table scrolls.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QWidget,
)


def wheel_refused(widget: QWidget, event: QWheelEvent) -> bool:
    """True (and the wheel given to the scrolling area around) when `widget` has no focus."""
    if widget.hasFocus():
        return False
    scroll_around(widget, event)
    return True


def scroll_around(widget: QWidget, event: QWheelEvent) -> None:
    """Hand the wheel to the nearest scrolling area around `widget` (the form, the table)."""
    event.accept()  # handled here: Qt must not hand it on a second time
    area = widget.parentWidget()
    while area is not None and not isinstance(area, QAbstractScrollArea):
        area = area.parentWidget()
    if area is None:
        return
    viewport = area.viewport()
    at = QPointF(viewport.mapFromGlobal(event.globalPosition().toPoint()))
    QApplication.sendEvent(viewport, QWheelEvent(
        at, event.globalPosition(), event.pixelDelta(), event.angleDelta(), event.buttons(),
        event.modifiers(), event.phase(), event.inverted(), event.source()))


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
                and isinstance(event, QWheelEvent) and not watched.hasFocus()):
            scroll_around(watched, event)
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
