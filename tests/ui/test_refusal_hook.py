"""The window's exception hook tells any refusal (`htx_desktop/errors.py`) plainly — its own
sentence in a message box, never the "unexpected error" dialog — whatever part of the program
raised it; anything else still is a defect, shown with its details (issue 26 point 2)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from htx_desktop.errors import Refusal
from htx_desktop.receiving.crypto import CryptoError
from htx_desktop.sheets.errors import SheetError
from htx_desktop.store.errors import StoreError
from htx_desktop.ui.error_dialog import ErrorDialog, ExceptionHook, install_excepthook


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """The hook's log file for this test; the handler goes again afterwards (the program sets
    it once per run, and the next test's hook must set its own)."""
    logger = logging.getLogger("htx_desktop")
    before, level = list(logger.handlers), logger.level
    yield tmp_path / "logs" / "htx-desktop.log"
    for handler in logger.handlers[:]:
        if handler not in before:
            logger.removeHandler(handler)
            handler.close()
    logger.setLevel(level)


def _raise_into(hook: ExceptionHook, exc: BaseException) -> dict[str, list[str]]:
    """Raise `exc` into the hook; what the officer was shown: message boxes (title, text)
    and error dialogs."""
    seen: dict[str, list[str]] = {"box": [], "title": [], "crash": []}

    def read() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QMessageBox) and w.isVisible():
                seen["box"].append(w.text())
                seen["title"].append(w.windowTitle())
                w.done(0)
                return
            if isinstance(w, ErrorDialog) and w.isVisible():
                seen["crash"].append(w.details)
                w.done(0)
                return
        QTimer.singleShot(20, read)

    QTimer.singleShot(20, read)
    try:
        raise exc
    except BaseException:
        hook(*sys.exc_info())  # type: ignore[arg-type]
    return seen


@pytest.mark.parametrize("exc", [
    SheetError("Không tìm thấy dòng tiêu đề trong tệp “ds.xlsx”."),
    CryptoError("Mật khẩu bảo vệ khoá phải có ít nhất 8 ký tự."),
    StoreError("Không khôi phục được: tệp này chính là cơ sở dữ liệu đang dùng."),
])
def test_a_refusal_is_told_in_its_own_words(qtbot: Any, log_file: Path,
                                            exc: Refusal) -> None:
    hook = install_excepthook(log_file.parent)
    try:
        seen = _raise_into(hook, exc)
    finally:
        sys.excepthook = sys.__excepthook__
    assert seen["box"] == [exc.user_message]
    assert seen["title"] == ["Chưa làm được"]
    assert seen["crash"] == [] and hook.last_details == ""  # not a crash
    log = log_file.read_text(encoding="utf-8")
    assert f"Refused: {exc.user_message}" in log and "Unhandled error" not in log


def test_any_refusal_of_a_new_kind_is_told_the_same(qtbot: Any) -> None:
    class NotYetNamed(Refusal):
        pass

    seen = _raise_into(ExceptionHook(None), NotYetNamed("Chưa chọn đơn vị."))
    assert seen["box"] == ["Chưa chọn đơn vị."] and seen["crash"] == []


def test_a_message_on_something_else_is_still_a_defect(qtbot: Any) -> None:
    """The hook decides by type: an exception that only looks like a refusal is a crash."""

    class Lookalike(Exception):
        user_message = "Không nên hiện như lời từ chối."

    hook = ExceptionHook(None)
    seen = _raise_into(hook, Lookalike("chi tiết"))
    assert seen["box"] == []
    assert len(seen["crash"]) == 1 and "Lookalike: chi tiết" in seen["crash"][0]
