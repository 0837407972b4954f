"""Message boxes with the program's own Vietnamese button texts (Qt ships no Vietnamese)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from htx_desktop.i18n import t


def ask_yes_no(parent: QWidget | None, title: str, text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton,
                      parent)
    yes = box.addButton(t("Có"), QMessageBox.ButtonRole.YesRole)
    no = box.addButton(t("Không"), QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes


def show_message(parent: QWidget | None, title: str, text: str, warning: bool = False) -> None:
    icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    close = box.addButton(t("Đóng"), QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(close)
    box.setEscapeButton(close)
    box.exec()
