"""Fault 2 and 7: an empty (0-byte), truncated, foreign or unreadable htx.sqlite3 started a
fresh installation, the good backup was never offered, and the day's backup of the empty file
became the "newest good backup"; on the command line `restore` refused because its safety copy
of the damaged file failed its check."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from htx_desktop.cli import run
from htx_desktop.store.backup import (
    backup_to_dir,
    holds_data,
    list_backups,
    newest_good_backup,
    prune_backups,
)
from htx_desktop.store.engine import Database
from htx_desktop.store.health import check_database_at_start
from htx_desktop.store.paths import DataDir
from htx_desktop.ui.damaged_dialog import DamagedDatabaseDialog


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _units(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT count(*) FROM units").fetchone()[0])


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _truncated(path: Path) -> None:
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2 + 100])


def _foreign_sqlite(path: Path) -> None:
    path.unlink()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
        conn.commit()


def _text(path: Path) -> None:
    path.write_text("Đây là một tệp văn bản, không phải cơ sở dữ liệu.\n" * 200,
                    encoding="utf-8")


def _header_only(path: Path) -> None:  # what opening a 0-byte file in WAL mode left
    path.unlink()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA user_version=0")
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


SPOILERS = {"empty": _empty, "truncated": _truncated, "foreign": _foreign_sqlite,
            "text": _text, "header-only": _header_only}


@pytest.fixture
def folder(tmp_data_dir: DataDir) -> DataDir:
    assert run(["--data-dir", str(tmp_data_dir.root), "init", "--unit", "19"]) == 0
    with closing(sqlite3.connect(tmp_data_dir.db_path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return tmp_data_dir


@pytest.mark.parametrize("spoil", list(SPOILERS))
def test_spoilt_file_is_damaged_and_the_backup_with_data_is_offered(
        folder: DataDir, spoil: str, capsys: pytest.CaptureFixture[str]) -> None:
    good = backup_to_dir(folder.db_path, folder.backups, reason="tot")
    units = _units(good)
    SPOILERS[spoil](folder.db_path)
    spoilt = _digest(folder.db_path)
    backups_before = list_backups(folder.backups)

    check = check_database_at_start(folder)  # the window's start
    assert not check.ok and check.backup == good

    # Every command refuses, names the backup, and tells how to restore it.
    capsys.readouterr()
    assert run(["--data-dir", str(folder.root), "summary"]) == 1
    err = capsys.readouterr().err
    assert str(good) in err and "htx-desktop restore" in err and "Traceback" not in err
    assert _digest(folder.db_path) == spoilt  # untouched: not rewritten as a new database
    assert list_backups(folder.backups) == backups_before  # no backup of the spoilt file

    # `restore` works from that state; the spoilt file is kept aside, untouched.
    assert run(["--data-dir", str(folder.root), "restore", str(good)]) == 0
    out = capsys.readouterr().out
    aside = list((folder.root / "hong").glob("htx-hong-*.sqlite3"))
    assert len(aside) == 1 and _digest(aside[0]) == spoilt and str(aside[0]) in out
    assert _units(folder.db_path) == units
    assert run(["--data-dir", str(folder.root), "summary"]) == 0


def test_empty_file_in_the_window_offers_the_backup(folder: DataDir, qtbot: QtBot) -> None:
    good = backup_to_dir(folder.db_path, folder.backups, reason="tot")
    _empty(folder.db_path)
    dialog = DamagedDatabaseDialog(folder, check_database_at_start(folder))
    qtbot.addWidget(dialog)
    assert "trống" in dialog.text.text()
    assert dialog.restore_button.isVisible() or not dialog.restore_button.isHidden()
    dialog.restore_button.click()
    assert dialog.result() == DamagedDatabaseDialog.DialogCode.Accepted
    assert dialog.moved_aside is not None and dialog.moved_aside.stat().st_size == 0
    assert _units(folder.db_path) == _units(good)


def test_empty_file_without_any_backup_starts_afresh_keeping_it(tmp_data_dir: DataDir) -> None:
    _empty(tmp_data_dir.db_path)  # a first start that was cut short: nothing to lose
    assert check_database_at_start(tmp_data_dir).ok
    assert run(["--data-dir", str(tmp_data_dir.root), "init", "--unit", "19"]) == 0
    assert _units(tmp_data_dir.db_path) > 0
    aside = list((tmp_data_dir.root / "hong").glob("htx-hong-*.sqlite3"))
    assert len(aside) == 1 and aside[0].stat().st_size == 0


def test_a_backup_of_an_empty_database_is_never_the_good_one(folder: DataDir,
                                                             tmp_path: Path) -> None:
    good = backup_to_dir(folder.db_path, folder.backups, reason="tot")
    empty_dir = DataDir(tmp_path / "trong").ensure()
    Database.open(empty_dir).close()  # the schema, no data
    empties = [backup_to_dir(empty_dir.db_path, folder.backups, reason="hang-ngay")
               for _ in range(3)]  # newer than the good one
    assert not holds_data(empties[-1]) and holds_data(good)
    assert newest_good_backup(folder.backups) == good
    removed = prune_backups(folder.backups, keep=1)
    assert good.exists()  # the empties neither count against it nor outlive it
    assert set(removed) == set(empties)


def test_unreadable_file_is_damaged(folder: DataDir, monkeypatch: pytest.MonkeyPatch) -> None:
    good = backup_to_dir(folder.db_path, folder.backups, reason="tot")
    real_open = Path.open

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        if self == folder.db_path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", refuse)
    check = check_database_at_start(folder)
    assert not check.ok and check.backup == good
    assert "Không đọc được" in check.message
