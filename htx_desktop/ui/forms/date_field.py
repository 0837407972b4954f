"""The one date field of every form and table row (issue 15 point 1).

A plain line edit: she types the date as she writes it (15/03/2026, 15/3/2026, 15032026,
15/3/26); when she leaves the field it shows 15/03/2026. Tab always leaves it. A text that is
not a date stays as typed, marked in red with a Vietnamese message (`problem_changed`), and the
form refuses to save until it is corrected: nothing is silently changed or blanked. The
calendar button (or Alt+↓ / F4) opens a Vietnamese calendar, Monday first, at the field's date
or today. Empty stays empty.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QLocale, QPoint, QRegularExpression, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QGuiApplication,
    QIcon,
    QKeyEvent,
    QPainter,
    QPixmap,
    QRegularExpressionValidator,
)
from PySide6.QtWidgets import QCalendarWidget, QFrame, QLineEdit, QVBoxLayout, QWidget

from htx_desktop.domain.typed_date import FIRST_YEAR, LAST_YEAR, full_year, read_date, show_date
from htx_desktop.i18n import language, t

_ERROR_STYLE = "QLineEdit{border:2px solid #b3261e; background:#fdecea;}"
_icon: list[QIcon] = []


def calendar_icon() -> QIcon:
    """A small drawn calendar (no image file to ship)."""
    if not _icon:
        pixmap = QPixmap(16, 16)
        pixmap.fill(Qt.GlobalColor.transparent)
        p = QPainter(pixmap)
        p.setPen(QColor("#5f6368"))
        p.drawRect(1, 2, 13, 12)
        p.fillRect(1, 2, 14, 4, QColor("#6d3fb3"))
        for row in range(2):
            for col in range(3):
                p.fillRect(3 + col * 4, 8 + row * 3, 2, 2, QColor("#5f6368"))
        p.end()
        _icon.append(QIcon(pixmap))
    return _icon[0]


def vietnamese_locale() -> QLocale:
    if language() == "en":
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    return QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)


class CalendarPopup(QFrame):
    """A calendar in a pop-up under a date field; `picked` gives the chosen date."""

    picked = Signal(QDate)

    def __init__(self, parent: QWidget, start: date) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.Box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        self.calendar = QCalendarWidget()
        self.calendar.setObjectName("calendar")
        self.calendar.setLocale(vietnamese_locale())
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(
            QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setMinimumDate(QDate(1900, 1, 1))
        self.calendar.setMaximumDate(QDate(2100, 12, 31))
        self.calendar.setSelectedDate(QDate(start.year, start.month, start.day))
        self.calendar.clicked.connect(self._choose)
        self.calendar.activated.connect(self._choose)
        layout.addWidget(self.calendar)

    def _choose(self, day: QDate) -> None:
        self.picked.emit(day)
        self.close()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)


class DateField(QLineEdit):
    """A date typed as dd/mm/yyyy (see the module's text); `value()` is a date or None."""

    changed = Signal()
    problem_changed = Signal(str)  # the Vietnamese message, "" once the date is right

    def __init__(self, optional: bool = True) -> None:
        super().__init__()
        self.optional = optional
        self._problem = ""
        self.popup: CalendarPopup | None = None
        self.setPlaceholderText(t("ngày/tháng/năm"))
        self.setMaxLength(16)
        self.setValidator(QRegularExpressionValidator(
            QRegularExpression(r"[0-9/.\- ]{0,16}"), self))
        self.calendar_action = self.addAction(
            calendar_icon(), QLineEdit.ActionPosition.TrailingPosition)
        self.calendar_action.setToolTip(t("Chọn ngày trên lịch (Alt+↓)"))
        self.calendar_action.triggered.connect(self.open_calendar)
        self.setMinimumWidth(130)
        self.setMaximumWidth(180)
        self.textChanged.connect(self.changed)
        self.textEdited.connect(self._editing)
        self.editingFinished.connect(self.tidy)
        if not optional:
            self.set_value(date.today())

    # ------------------------------------------------------------------ value

    def value(self) -> date | None:
        return read_date(self.text()).value

    def set_value(self, value: Any) -> None:
        if isinstance(value, str) and value:
            reading = read_date(value)
            value = reading.value if reading.value else value
        if isinstance(value, date):
            self.setText(show_date(value))
        elif isinstance(value, str):
            self.setText(value)  # kept as it came (a draft of a mistyped date)
        else:
            self.setText("" if self.optional else show_date(date.today()))
        self.tidy()

    def problem(self) -> str:
        """Why the text is not a date ("" when it is one, or empty)."""
        return read_date(self.text()).problem

    # ------------------------------------------------------------------ typing

    def _editing(self, _text: str) -> None:
        # the red mark goes while she corrects; it comes back if she leaves it wrong
        if self._problem:
            self._show_problem("")

    def tidy(self) -> None:
        """On leaving: show the date as dd/mm/yyyy, or mark what is wrong."""
        reading = read_date(self.text())
        if reading.value is not None:
            shown = show_date(reading.value)
            if shown != self.text():
                self.setText(shown)
        self._show_problem(reading.problem, always=True)

    def _show_problem(self, message: str, always: bool = False) -> None:
        self.setStyleSheet(_ERROR_STYLE if message else "")
        self.setToolTip(message)
        if always or message != self._problem:
            self._problem = message
            self.problem_changed.emit(message)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.tidy()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        alt_down = (event.key() == Qt.Key.Key_Down
                    and event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if alt_down or event.key() == Qt.Key.Key_F4:
            self.open_calendar()
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ calendar

    def _month_typed(self) -> date | None:
        """The month and year of a date typed wrong (31/02/2026 → February 2026)."""
        parts = re.findall(r"\d+", self.text())
        if len(parts) != 3:
            return None
        month, year = int(parts[1]), full_year(int(parts[2]), len(parts[2]))
        if 1 <= month <= 12 and FIRST_YEAR <= year <= LAST_YEAR:
            return date(year, month, 1)
        return None

    def open_calendar(self) -> CalendarPopup:
        """At the field's date, the month of a date typed wrong, or today."""
        start = self.value() or self._month_typed() or date.today()
        popup = CalendarPopup(self, start)
        popup.picked.connect(self._picked)
        popup.adjustSize()
        below = self.mapToGlobal(QPoint(0, self.height()))
        screen = QGuiApplication.screenAt(below) or QGuiApplication.primaryScreen()
        x, y = below.x(), below.y()
        if screen is not None:
            area = screen.availableGeometry()
            x = max(area.left(), min(x, area.right() - popup.width()))
            if y + popup.height() > area.bottom():
                y = self.mapToGlobal(QPoint(0, 0)).y() - popup.height()
        popup.move(x, y)
        popup.show()
        popup.calendar.setFocus()
        self.popup = popup
        return popup

    def _picked(self, day: QDate) -> None:
        self.setText(show_date(date(day.year(), day.month(), day.day())))
        self.tidy()
        self.setFocus()
