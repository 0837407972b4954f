"""The Qt binding itself: a defect there takes the whole window down, whatever our code does.

PySide6-Essentials 6.12.0 on CPython 3.11 dropped one reference to `None` on every Qt call that
returns nothing; `None` is an ordinary object there (immortal only from 3.12), so after some
tens of thousands of such calls — minutes of an officer's work — the process aborted with
"Fatal Python error: none_dealloc", no dialog, no log. pyproject.toml pins a release without it.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel, QLineEdit, QTableWidget, QTableWidgetItem
from pytestqt.qtbot import QtBot


def test_void_qt_calls_keep_nones_reference_count(qtbot: QtBot) -> None:
    label, line, table = QLabel(), QLineEdit(), QTableWidget(2, 2)
    for widget in (label, line, table):
        qtbot.addWidget(widget)
    before = sys.getrefcount(None)
    for i in range(400):
        label.setText(str(i))
        label.setEnabled(i % 2 == 0)
        line.setText("Nguyễn Thị Hoa")
        table.setItem(0, 0, QTableWidgetItem(str(i)))
        label.hide()
    # Python's own activity may move the count a little either way; the defect moved it by
    # five per round here (2,000). Few rounds: many more would abort the test run itself.
    assert abs(sys.getrefcount(None) - before) < 200
