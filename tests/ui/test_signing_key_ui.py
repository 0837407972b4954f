"""Cài đặt shows the unit's signing key as a short code, and exports it to a file protected by
a passphrase (issue 19)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog

from htx_desktop.reports.signing import import_key_file
from htx_desktop.reports.unit_keys import own_key
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.main_window import MainWindow
from htx_desktop.ui.pages.signing_key_box import PassphraseDialog
from tests.ui.conftest import answer_next_box, type_text, when_dialog


def test_settings_show_the_key_and_export_it(qtbot: Any, ctx: AppContext, tmp_path: Path,
                                             monkeypatch: Any) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    page: Any = window.go("settings").tab(0)  # type: ignore[attr-defined]
    key = own_key(ctx.db)
    assert key is not None
    shown = page.signing_key.code.text()
    assert shown == key.short_code
    groups = shown.split(" ")
    assert len(groups) == 6 and all(len(g) == 4 and g.isdigit() for g in groups)
    if os.environ.get("HTX_SHOTS"):
        window.show()
        qtbot.waitExposed(window)
        window.grab().save(str(Path(os.environ["HTX_SHOTS"]) / "settings-signing-key.png"))

    target = tmp_path / "khoa.htxkey"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), ""))

    def fill(dialog: PassphraseDialog) -> None:
        type_text(dialog.passphrase, "mat-khau-dai")
        assert dialog.repeat is not None
        type_text(dialog.repeat, "mat-khau-khac")
        dialog.ok_button.click()
        assert dialog.isVisible() and "không giống" in dialog.problem.text()
        dialog.repeat.clear()
        type_text(dialog.repeat, "mat-khau-dai")
        dialog.ok_button.click()

    when_dialog(PassphraseDialog, fill)
    answer_next_box("Đóng")
    page.signing_key.export_button.click()
    opened = import_key_file(target.read_bytes(), "mat-khau-dai")
    assert opened.key.fingerprint == key.fingerprint
