"""The calm error dialog and the exception hook: log the details, tell the officer calmly,
offer "copy details", and keep the program running (Anki `qt/aqt/errors.py`)."""

from __future__ import annotations

import logging
import sys
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from htx_desktop import __version__
from htx_desktop.errors import Refusal
from htx_desktop.i18n import t

log = logging.getLogger("htx_desktop")


class ErrorDialog(QDialog):
    def __init__(self, details: str, log_path: Path | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t("Chương trình gặp lỗi"))
        self.details = details
        layout = QVBoxLayout(self)
        text = t(
            "Chương trình gặp một lỗi không lường trước. Dữ liệu đã lưu vẫn an toàn; "
            "bạn có thể tiếp tục làm việc.\n"
            "Nếu lỗi lặp lại, hãy bấm \"Sao chép chi tiết\" và gửi cho người hỗ trợ kỹ thuật.")
        intro = QLabel(text)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        if log_path is not None:
            where = QLabel(t("Nhật ký lỗi được ghi tại: {path}", path=str(log_path)))
            where.setWordWrap(True)
            where.setTextInteractionFlags(where.textInteractionFlags()
                                          | where.textInteractionFlags().TextSelectableByMouse)
            layout.addWidget(where)
        self.details_box = QPlainTextEdit(details)
        self.details_box.setReadOnly(True)
        self.details_box.setVisible(False)
        layout.addWidget(self.details_box, 1)
        buttons = QHBoxLayout()
        self.toggle = QPushButton(t("Xem chi tiết"))
        self.toggle.clicked.connect(self._toggle)
        self.copy_button = QPushButton(t("Sao chép chi tiết"))
        self.copy_button.clicked.connect(self.copy_details)
        close = QPushButton(t("Đóng"))
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons.addWidget(self.toggle)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.resize(560, 220)

    def _toggle(self) -> None:
        self.details_box.setVisible(not self.details_box.isVisible())
        if self.details_box.isVisible():
            self.resize(self.width(), 420)

    def copy_details(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.details)


def setup_logging(log_dir: Path | None) -> Path | None:
    """Log to data_dir/logs/htx-desktop.log (the user's temp folder when the data folder
    cannot be written); returns the file path."""
    if log_dir is None:
        return None
    from htx_desktop.store.paths import writable_or_temp

    path = writable_or_temp(log_dir) / "htx-desktop.log"
    if not any(isinstance(h, logging.FileHandler) for h in log.handlers):
        try:
            handler = logging.FileHandler(path, encoding="utf-8")
        except OSError:
            return None
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    return path


def format_details(exc_type: type[BaseException], exc: BaseException,
                   tb: TracebackType | None) -> str:
    lines = traceback.format_exception(exc_type, exc, tb)
    head = (f"HTX Desktop {__version__}, Python {sys.version.split()[0]}, "
            f"{datetime.now().isoformat(timespec='seconds')}\n")
    return head + "".join(lines)


class ExceptionHook:
    """sys.excepthook: log, then tell the officer (never two dialogs at once). A failure of the
    PC and a refusal (`htx_desktop/errors.py`) are told in their own plain sentence; anything
    else is a defect, shown as the calm error dialog with the details to copy."""

    def __init__(self, log_path: Path | None) -> None:
        self.log_path = log_path
        self._showing = False
        self.last_details = ""

    def __call__(self, exc_type: type[BaseException], exc: BaseException,
                 tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        details = format_details(exc_type, exc, tb)
        if getattr(exc, "quiet", False):  # expected, and handled elsewhere: log only
            log.info("Interrupted: %s", details)
            return
        from htx_desktop.store.os_errors import os_failure

        failure = os_failure(exc)
        if failure is not None:  # the PC's fault: one sentence, not "an unexpected error"
            log.warning("%s\n%s", failure.kind, details)
            self._tell(t("Chưa ghi được dữ liệu"), failure.user_message)
            return
        if isinstance(exc, Refusal):  # refused, with its reason: not a fault of the program
            log.info("Refused: %s\n%s", exc.user_message, details)
            self._tell(t("Chưa làm được"), exc.user_message)
            return
        self.last_details = details
        log.error("Unhandled error\n%s", details)
        if self._showing or QApplication.instance() is None:
            return
        self._showing = True
        try:
            dialog = ErrorDialog(details, self.log_path, self._parent())
            dialog.exec()
        finally:
            self._showing = False

    @staticmethod
    def _parent() -> QWidget | None:
        # never over a window already hidden (a form closing): it would take the dialog with
        # it when it goes
        parent = QApplication.activeWindow()
        return parent if parent is not None and parent.isVisible() else None

    def _tell(self, title: str, message: str) -> None:
        """`message` in a plain message box (an expected failure: no details to copy)."""
        if self._showing or QApplication.instance() is None:
            return
        self._showing = True
        try:
            from htx_desktop.ui.dialogs import show_message

            show_message(self._parent(), title, message, warning=True)
        finally:
            self._showing = False


def install_excepthook(log_dir: Path | None) -> ExceptionHook:
    hook = ExceptionHook(setup_logging(log_dir))
    sys.excepthook = hook
    return hook
