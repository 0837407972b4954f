"""A damaged database is detected at start, never opened for writing, and the newest good
backup offered by the dialog opens."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from htx_desktop.cli import run
from htx_desktop.store.backup import backup_to_dir
from htx_desktop.store.engine import Database
from htx_desktop.store.health import check_database_at_start
from htx_desktop.store.models import Unit
from htx_desktop.store.paths import DataDir
from htx_desktop.store.restore import restore_after_damage
from htx_desktop.ui.damaged_dialog import DamagedDatabaseDialog


def corrupt(path: Path) -> None:
    """Overwrite the middle half of the file's pages (the engine is disposed and the WAL
    checkpointed first, so the damage is in the file SQLite will read)."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = bytearray(path.read_bytes())
    page = 4096
    pages = len(raw) // page
    first, last = pages // 4, 3 * pages // 4
    raw[first * page:last * page] = b"\xa5" * ((last - first) * page)
    path.write_bytes(bytes(raw))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def folder(tmp_data_dir: DataDir) -> DataDir:
    assert run(["--data-dir", str(tmp_data_dir.root), "init", "--unit", "19"]) == 0
    return tmp_data_dir


def test_sound_and_missing_databases_pass(folder: DataDir, tmp_path: Path) -> None:
    assert check_database_at_start(folder).ok
    assert check_database_at_start(DataDir(tmp_path / "new")).ok
    # A WAL left behind by a program that was killed still reads as sound.
    with closing(sqlite3.connect(folder.db_path)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("INSERT INTO settings(key, value) VALUES ('x', 'y')")
        conn.commit()
        assert check_database_at_start(folder).ok


def test_corruption_is_detected_and_the_backup_offered_opens(folder: DataDir) -> None:
    good = backup_to_dir(folder.db_path, folder.backups, reason="tot")
    corrupt(folder.db_path)
    damaged = digest(folder.db_path)
    check = check_database_at_start(folder)
    assert not check.ok and check.backup == good
    assert "bị hỏng" in check.message and "không mở tệp hỏng" in check.message
    assert digest(folder.db_path) == damaged  # the check did not write to it
    aside = restore_after_damage(folder, good)
    assert digest(aside) == damaged  # kept, untouched, outside the database's place
    assert check_database_at_start(folder).ok
    db = Database.open(folder)
    try:
        with db.session() as s:
            assert (s.scalar(select(func.count()).select_from(Unit)) or 0) > 90
    finally:
        db.close()


def test_no_good_backup_says_so(folder: DataDir) -> None:
    corrupt(folder.db_path)
    check = check_database_at_start(folder)
    assert not check.ok and check.backup is None
    assert "không có bản sao lưu tốt" in check.message


def test_dialog_restores_the_newest_good_backup(folder: DataDir, qtbot: QtBot) -> None:
    good = backup_to_dir(folder.db_path, folder.backups, reason="tot")
    corrupt(folder.db_path)
    dialog = DamagedDatabaseDialog(folder, check_database_at_start(folder))
    qtbot.addWidget(dialog)
    assert dialog.restore_button.isEnabled() and good.exists()
    dialog.restore_button.click()
    assert dialog.result() == DamagedDatabaseDialog.DialogCode.Accepted
    assert dialog.moved_aside is not None and dialog.moved_aside.exists()
    Database.open(folder).close()


def test_dialog_without_backup_offers_only_to_leave(folder: DataDir, qtbot: QtBot) -> None:
    corrupt(folder.db_path)
    dialog = DamagedDatabaseDialog(folder, check_database_at_start(folder))
    qtbot.addWidget(dialog)
    assert dialog.restore_button.isHidden()
    dialog.quit_button.click()
    assert dialog.result() == DamagedDatabaseDialog.DialogCode.Rejected
