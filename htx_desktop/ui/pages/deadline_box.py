"""The receive page's reporting calendar and timeliness (issue 21 point 4): the period's
deadline, editable (typed dd/mm/yyyy, or back to the default), and each unit's timeliness in
words with a colour and a mark beside them — never colour alone.

Kept apart from `receive_page.py`, which only places these widgets and calls `fill_cell`.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from htx_desktop.domain.periods import Period
from htx_desktop.i18n import t
from htx_desktop.store.engine import Database
from htx_desktop.store.timeliness import LATE, MISSING, ON_TIME, OVERDUE, Timeliness
from htx_desktop.ui.forms.date_field import DateField

# state → (mark, text colour, background): the words say it, the colour helps find it.
_LOOKS: dict[str, tuple[str, str, str]] = {
    ON_TIME: ("✔", "#1b5e20", "#e6f4ea"),
    LATE: ("⚠", "#7a4f00", "#fff4d6"),
    MISSING: ("○", "#3c4043", ""),
    OVERDUE: ("✘", "#b3261e", "#fdecea"),
    "returned": ("↩", "#5b2c91", "#f1e8fb"),
}


def looks_of(unit: Timeliness) -> tuple[str, str, str]:
    return _LOOKS["returned" if unit.awaiting_resend else unit.state]


def fill_cell(item: QTableWidgetItem, unit: Timeliness, due: date) -> None:
    """A completeness cell: mark and words, coloured, with the dates behind them as a tip."""
    mark, colour, background = looks_of(unit)
    item.setText(f"{mark} {unit.label()}")
    item.setForeground(QBrush(QColor(colour)))
    if background:
        item.setBackground(QBrush(QColor(background)))
    item.setToolTip(unit.detail(due))


class DeadlineEditor(QWidget):
    """"Hạn nộp của kỳ: [25/12/2026] [Lưu hạn nộp] [Dùng hạn mặc định]", and below it, only
    when there is something to say, what was saved or why not."""

    changed = Signal()  # a deadline was saved: the list is counted again

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.period: Period | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        row = QHBoxLayout()
        row.addWidget(QLabel(t("Hạn nộp của kỳ:")))
        self.due = DateField(optional=True)
        self.due.setObjectName("deadline_due")
        self.due.setToolTip(t("Gõ ngày/tháng/năm, ví dụ 15/12/2026; gói đến trong ngày này "
                              "vẫn là đúng hạn."))
        self.due.returnPressed.connect(self.save)
        row.addWidget(self.due)
        self.save_button = QPushButton(t("Lưu hạn nộp"))
        self.save_button.setObjectName("deadline_save")
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.save_button)
        self.default_button = QPushButton(t("Dùng hạn mặc định"))
        self.default_button.setObjectName("deadline_default")
        self.default_button.setToolTip(t("Hạn mặc định: ngày 25/12 của năm cuối kỳ báo cáo."))
        self.default_button.clicked.connect(self.use_default)
        row.addWidget(self.default_button)
        row.addStretch(1)
        outer.addLayout(row)
        self.note = QLabel()
        self.note.setObjectName("deadline_note")
        self.note.setWordWrap(True)
        self.note.hide()
        outer.addWidget(self.note)

    def set_period(self, period: Period) -> None:
        from htx_desktop.store.deadlines import deadline_of

        if period != self.period:
            self._say("")
        self.period = period
        with self.db.session() as session:
            found = deadline_of(session, period)
        self.due.set_value(found.due)
        self.default_button.setEnabled(not found.is_default)

    def _say(self, text: str, problem: bool = False) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))
        self.note.setStyleSheet("color: #b3261e;" if problem else "color: #1b5e20;")

    def save(self) -> None:
        self.due.tidy()
        if self.period is None:
            return
        value = self.due.value()
        if value is None:
            self._say(self.due.problem() or t("Hãy gõ hạn nộp, ví dụ 25/12/2026."), True)
            return
        self._store(value)

    def use_default(self) -> None:
        if self.period is not None:
            self._store(None)

    def _store(self, value: date | None) -> None:
        from htx_desktop.reports.unit_keys import officer_name
        from htx_desktop.store.deadlines import Deadline, DeadlineError, set_deadline

        assert self.period is not None
        from htx_desktop.ui.writes import write

        period = self.period

        def store() -> Deadline:  # one transaction, again while another writer holds it
            with self.db.session() as session:
                return set_deadline(session, period, value, by=officer_name(self.db, session))

        try:
            found = write(store)
        except DeadlineError as exc:
            self._say(exc.user_message, True)  # nothing was saved (one transaction)
            return
        self._say(t("Đã lưu hạn nộp báo cáo {title}: {due}.", title=self.period.title,
                    due=found.describe()))
        self.set_period(self.period)
        self.changed.emit()
