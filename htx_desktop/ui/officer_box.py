"""The officer who prepares the reports: name, position, phone (first-run wizard, settings)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLineEdit

from htx_desktop.i18n import t


class OfficerBox(QGroupBox):
    def __init__(self, title: str) -> None:
        super().__init__(title)
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.name.setObjectName("officer_name")
        self.position = QLineEdit()
        self.position.setObjectName("officer_position")
        self.phone = QLineEdit()
        self.phone.setObjectName("officer_phone")
        form.addRow(t("Họ và tên"), self.name)
        form.addRow(t("Chức vụ"), self.position)
        form.addRow(t("Điện thoại"), self.phone)
