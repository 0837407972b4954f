"""What the window remembers for the person at this PC (issue 15 point 6): the window's size
and place, list column widths. Kept in the user's own settings (QSettings: an INI file in her
profile), never in the database: it is not shared data, another officer on the same PC or the
office server keeps her own, and a resize never writes to a database another process may hold.

A remembered size larger than the screen it opens on is reduced to fit (a laptop that was on a
big monitor last time). `HTX_UI_STATE` names another INI file (tests).
"""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import QByteArray, QPoint, QRect, QSettings, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

ORGANISATION, APPLICATION = "Hoi LHPN", "HTX Desktop"
# The area above the taskbar of the smallest screen offices have (1024×768).
SMALLEST_AREA = QSize(1024, 728)


def ui_settings() -> QSettings:
    path = os.environ.get("HTX_UI_STATE")
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION,
                     APPLICATION)


def get_state(key: str) -> Any:
    return ui_settings().value(key)


def set_state(key: str, value: Any) -> None:
    settings = ui_settings()
    settings.setValue(key, value)
    settings.sync()


def get_widths(kind: str) -> list[int] | None:
    value = get_state(f"columns/{kind}")
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple):
        return None
    try:
        return [int(v) for v in value]
    except (TypeError, ValueError):
        return None


def set_widths(kind: str, widths: list[int]) -> None:
    set_state(f"columns/{kind}", ",".join(str(int(w)) for w in widths))


def available_area(widget: QWidget | None = None) -> QRect:
    """The screen's area above the taskbar where `widget` is (or the primary screen)."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(QPoint(0, 0),
                                                                        SMALLEST_AREA)


def fit_into(widget: QWidget, area: QRect | None = None) -> None:
    """Reduce `widget` (a window) to the area and move it wholly inside it."""
    area = area or available_area(widget)
    frame = widget.frameGeometry()
    extra_w = max(0, frame.width() - widget.width())
    extra_h = max(0, frame.height() - widget.height())
    width = min(widget.width(), area.width() - extra_w)
    height = min(widget.height(), area.height() - extra_h)
    if (width, height) != (widget.width(), widget.height()):
        widget.resize(width, height)
    x = min(max(frame.x(), area.left()), area.right() + 1 - width - extra_w)
    y = min(max(frame.y(), area.top()), area.bottom() + 1 - height - extra_h)
    if (x, y) != (frame.x(), frame.y()):
        widget.move(x, y)


def restore_window(widget: QWidget, name: str, default: QSize,
                   area: QRect | None = None) -> None:
    """The size and place she left it at, or `default`: in both cases within the screen."""
    saved = get_state(f"window/{name}")
    restored = isinstance(saved, QByteArray | bytes) and widget.restoreGeometry(
        QByteArray(saved))
    if not restored:
        area = area or available_area(widget)
        widget.resize(min(default.width(), area.width()),
                      min(default.height(), area.height()))
    fit_into(widget, area)


def remember_window(widget: QWidget, name: str) -> None:
    set_state(f"window/{name}", widget.saveGeometry())
