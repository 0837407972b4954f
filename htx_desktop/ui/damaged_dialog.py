"""The dialog shown at start when the database file is damaged: it says so plainly and offers
the newest good backup. The damaged file is never opened for writing (store/health.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from htx_desktop.i18n import t
from htx_desktop.store.errors import StoreError
from htx_desktop.store.health import StartCheck, check_database_at_start
from htx_desktop.store.paths import DataDir
from htx_desktop.store.restore import restore_after_damage


class DamagedDatabaseDialog(QDialog):
    """Accepted once the newest good backup is in place; rejected if the officer leaves."""

    def __init__(self, data_dir: DataDir, check: StartCheck,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.check = check
        self.moved_aside: Path | None = None
        self.setWindowTitle(t("Dữ liệu bị hỏng"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.text = QLabel(check.message)
        self.text.setWordWrap(True)
        layout.addWidget(self.text)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.restore_button = QPushButton(t("Khôi phục bản sao lưu mới nhất"))
        self.restore_button.setEnabled(check.backup is not None)
        self.restore_button.clicked.connect(self.restore)
        self.quit_button = QPushButton(t("Thoát chương trình"))
        self.quit_button.clicked.connect(self.reject)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.quit_button)
        layout.addLayout(buttons)
        if check.backup is not None:
            self.restore_button.setDefault(True)
        else:
            self.restore_button.hide()

    def restore(self) -> None:
        if self.check.backup is None:
            return
        try:
            self.moved_aside = restore_after_damage(self.data_dir, self.check.backup)
        except StoreError as exc:
            self.error.setText(exc.user_message)
            self.error.show()
            return
        self.accept()


def ensure_database_sound(parent: QWidget | None, data_dir: DataDir,
                          check: StartCheck | None = None) -> bool:
    """At start: True if the program may open the database (sound, or restored just now).
    `check`: the start check if it already ran (app.py runs it while modules import)."""
    if check is None:
        check = check_database_at_start(data_dir)
    if check.ok:
        return True
    dialog = DamagedDatabaseDialog(data_dir, check, parent)
    return dialog.exec() == QDialog.DialogCode.Accepted
