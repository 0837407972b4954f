"""Point 8 of "what must work": a copy away from the PC. One click (and `backup --to
FOLDER`) writes a checked backup to a USB stick; on a new PC, `restore FILE` (and the first-run
wizard's "Khôi phục từ bản sao lưu") starts from that copy without `init`."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from htx_desktop.cli import run
from htx_desktop.store.backup import check_backup
from htx_desktop.store.engine import Database
from htx_desktop.store.paths import DataDir
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.first_run import FirstRunDialog
from htx_desktop.ui.pages.backup_page import BackupPage


def _officer(path: Path) -> str | None:
    with closing(sqlite3.connect(path)) as conn:
        row = conn.execute("SELECT value FROM settings WHERE key='officer_name'").fetchone()
    return row[0] if row else None


@pytest.fixture
def old_pc(tmp_path: Path) -> DataDir:
    data_dir = DataDir(tmp_path / "may-cu")
    assert run(["--data-dir", str(data_dir.root), "init", "--unit", "19",
                "--officer", "Nguyễn Thị Hoa"]) == 0
    return data_dir


def test_backup_to_a_usb_then_restore_on_a_new_pc(old_pc: DataDir, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    usb = tmp_path / "USB (E:)"
    capsys.readouterr()
    assert run(["--data-dir", str(old_pc.root), "backup", "--to", str(usb)]) == 0
    copies = list(usb.glob("htx-saoluu-*.sqlite3"))
    assert len(copies) == 1 and check_backup(copies[0]) is None
    assert str(copies[0]) in capsys.readouterr().out

    new_pc = tmp_path / "may-moi"  # nothing there: no init
    assert run(["--data-dir", str(new_pc), "restore", str(copies[0])]) == 0
    assert "Đã khôi phục" in capsys.readouterr().out
    assert _officer(new_pc / "htx.sqlite3") == "Nguyễn Thị Hoa"
    assert run(["--data-dir", str(new_pc), "summary"]) == 0


def test_one_click_copy_away_and_the_wizard_restores_it(qtbot: Any, old_pc: DataDir,
                                                       tmp_path: Path) -> None:
    db = Database.open(old_pc)
    try:
        page = BackupPage(db, old_pc)
        qtbot.addWidget(page)
        assert "Các bản sao lưu chiếm" in page.usage.text()
        made = page.backup_away(tmp_path / "USB")
        assert made is not None and check_backup(made) is None
        assert str(made) in page.status.text()
    finally:
        db.close()

    new_pc = DataDir(tmp_path / "may-moi")
    fresh = Database.open(new_pc)  # what the window opens on a new PC
    try:
        wizard = FirstRunDialog(fresh)
        qtbot.addWidget(wizard)
        assert wizard.restore_button.text() == "Khôi phục từ bản sao lưu…"
        assert wizard.restore_file(made)
        assert wizard.result() == FirstRunDialog.DialogCode.Accepted
        ctx = AppContext.load(fresh, new_pc.root)  # the window goes on from the copy
        assert ctx is not None and ctx.officer == "Nguyễn Thị Hoa"
    finally:
        fresh.close()


def test_the_wizard_says_why_a_file_is_refused(qtbot: Any, tmp_path: Path) -> None:
    fresh = Database.open(DataDir(tmp_path / "may-moi"))
    try:
        wizard = FirstRunDialog(fresh)
        qtbot.addWidget(wizard)
        not_a_backup = tmp_path / "anh.sqlite3"
        not_a_backup.write_bytes(b"\x89PNG" + b"\0" * 5000)
        assert not wizard.restore_file(not_a_backup)
        assert "không phải là cơ sở dữ liệu" in wizard.error.text()
        assert wizard.result() != FirstRunDialog.DialogCode.Accepted
    finally:
        fresh.close()
