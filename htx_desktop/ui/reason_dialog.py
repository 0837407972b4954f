"""Asks why a locked record (one of a period whose package already went up) is being changed.

The reason is required: it goes into the audit log and travels in the next package's
`amendments`, so "Lưu" stays disabled until something is typed. Qt's QInputDialog would show
English buttons and accept an empty text, hence this small dialog.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from htx_desktop.i18n import t

MAX_REASON = 500


class ReasonDialog(QDialog):
    def __init__(self, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reasonDialog")
        self.setWindowTitle(t("Sửa hồ sơ đã khoá sổ"))
        self.setModal(True)
        layout = QVBoxLayout(self)
        self.message = QLabel(message)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addWidget(QLabel(t("Lý do thay đổi (bắt buộc):")))
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setObjectName("reason")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setPlaceholderText(
            t("Ví dụ: nhập sai số lao động nữ, đã đối chiếu lại sổ sách"))
        self.reason_edit.setFixedHeight(80)
        self.reason_edit.textChanged.connect(self._update)
        layout.addWidget(self.reason_edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_button = QPushButton(t("Lưu"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.accept)
        self.cancel_button = QPushButton(t("Hủy"))
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        self._update()
        self.resize(520, 260)

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()[:MAX_REASON]

    def _update(self) -> None:
        self.save_button.setEnabled(bool(self.reason()))

    def accept(self) -> None:
        if self.reason():  # Enter or a click while empty does nothing: a reason is required
            super().accept()


def ask_reason(parent: QWidget | None, message: str) -> str | None:
    """The reason typed, or None when the officer cancels."""
    dialog = ReasonDialog(message, parent)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        return dialog.reason()
    return None


def run_with_reason(parent: QWidget | None, action: Callable[[str | None], None]) -> bool:
    """Run `action(reason)`; when it touches a locked record (LockedRecordError), ask why and
    run it again with the reason. False when the officer cancels."""
    from htx_desktop.store.locks import LockedRecordError

    reason: str | None = None
    while True:
        try:
            action(reason)
            return True
        except LockedRecordError as exc:
            reason = ask_reason(parent, str(exc))
            if reason is None:
                return False
