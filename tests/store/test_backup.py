"""Backups and restore: consistent copies, verified, refused when not a database."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from htx_desktop.store.backup import (
    backup_database,
    backup_to_dir,
    check_backup,
    default_backup_path,
    list_backups,
    newest_good_backup,
    prune_backups,
)
from htx_desktop.store.engine import Database
from htx_desktop.store.errors import DatabaseDamagedError, StoreError
from htx_desktop.store.paths import DataDir
from htx_desktop.store.reference import load_ethnic_groups
from htx_desktop.store.restore import restore_database
from htx_desktop.store.settings import get_setting, set_setting


def _open_with_officer(data_dir: DataDir, name: str) -> Database:
    db = Database.open(data_dir)
    with db.session() as session:
        load_ethnic_groups(session)
        set_setting(session, "officer_name", name)
    return db


def _officer(data_dir: DataDir) -> str | None:
    db = Database.open(data_dir)
    try:
        with db.session() as session:
            return get_setting(session, "officer_name")
    finally:
        db.close()


def test_backup_then_restore_gives_the_same_data(tmp_data_dir: DataDir) -> None:
    db = _open_with_officer(tmp_data_dir, "Nguyễn Thị Hoa")
    # Taken while the database is open in WAL mode: the backup API sees committed pages.
    backup = backup_to_dir(tmp_data_dir.db_path, tmp_data_dir.backups, reason="manual")
    with db.session() as session:
        set_setting(session, "officer_name", "Trần Thị Lan")
    db.close()
    assert check_backup(backup) is None
    assert backup.name.startswith("htx-") and backup.name.endswith("-manual.sqlite3")

    before_restore = restore_database(backup, tmp_data_dir)

    assert _officer(tmp_data_dir) == "Nguyễn Thị Hoa"
    assert before_restore is not None and before_restore.exists()
    with closing(sqlite3.connect(before_restore)) as conn:  # what was overwritten is kept
        row = conn.execute("SELECT value FROM settings WHERE key='officer_name'").fetchone()
    assert row == ("Trần Thị Lan",)


def test_restore_refuses_garbage_and_changes_nothing(tmp_data_dir: DataDir,
                                                     tmp_path: Path) -> None:
    _open_with_officer(tmp_data_dir, "Nguyễn Thị Hoa").close()
    before = tmp_data_dir.db_path.read_bytes()
    garbage = tmp_path / "bao-cao.sqlite3"
    garbage.write_bytes(b"Day khong phai co so du lieu " * 200)

    with pytest.raises(StoreError) as refused:
        restore_database(garbage, tmp_data_dir)

    assert "không phải là cơ sở dữ liệu" in refused.value.user_message
    assert tmp_data_dir.db_path.read_bytes() == before
    assert list_backups(tmp_data_dir.backups) == []
    assert _officer(tmp_data_dir) == "Nguyễn Thị Hoa"


def test_restore_refuses_a_database_of_another_program(tmp_data_dir: DataDir,
                                                       tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(other)) as conn, conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="không phải là cơ sở dữ liệu của HTX Desktop"):
        restore_database(other, tmp_data_dir)
    assert not tmp_data_dir.db_path.exists()


def test_damaged_database_names_the_newest_good_backup(tmp_data_dir: DataDir) -> None:
    _open_with_officer(tmp_data_dir, "Nguyễn Thị Hoa").close()
    good = backup_to_dir(tmp_data_dir.db_path, tmp_data_dir.backups)
    # A later backup that is itself damaged must be skipped.
    bad = default_backup_path(tmp_data_dir.backups, "hong")
    bad.write_bytes(b"\0" * 4096)
    tmp_data_dir.db_path.write_bytes(b"hong " * 1000)
    for extra in ("-wal", "-shm"):
        Path(str(tmp_data_dir.db_path) + extra).unlink(missing_ok=True)

    with pytest.raises(DatabaseDamagedError) as damaged:
        Database.open(tmp_data_dir)

    assert damaged.value.backup == good
    assert str(good) in damaged.value.user_message
    assert "bị hỏng" in damaged.value.user_message


def test_backup_of_a_missing_database_fails_plainly(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        backup_database(tmp_path / "none" / "htx.sqlite3", tmp_path / "out.sqlite3")
    assert not (tmp_path / "out.sqlite3").exists()


def test_list_newest_and_prune(tmp_data_dir: DataDir) -> None:
    _open_with_officer(tmp_data_dir, "Nguyễn Thị Hoa").close()  # an empty one never counts
    made = [backup_to_dir(tmp_data_dir.db_path, tmp_data_dir.backups) for _ in range(4)]
    (tmp_data_dir.backups / "notes.txt").write_text("not a backup", encoding="utf-8")

    listed = list_backups(tmp_data_dir.backups)
    assert listed == list(reversed(made))  # newest first, other files ignored
    assert newest_good_backup(tmp_data_dir.backups) == made[-1]

    removed = prune_backups(tmp_data_dir.backups, keep=2)
    assert sorted(removed) == sorted(made[:2])
    assert list_backups(tmp_data_dir.backups) == [made[3], made[2]]
    assert (tmp_data_dir.backups / "notes.txt").exists()


def test_backup_file_is_standalone(tmp_data_dir: DataDir) -> None:
    db = _open_with_officer(tmp_data_dir, "Nguyễn Thị Hoa")
    try:
        backup = backup_to_dir(tmp_data_dir.db_path, tmp_data_dir.backups)
    finally:
        db.close()
    with closing(sqlite3.connect(backup)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert conn.execute("SELECT count(*) FROM ethnic_groups").fetchone() == (54,)
