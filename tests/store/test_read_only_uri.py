"""Read-only SQLite URIs for any data folder name (start-up check, backups, quick read).

A folder named "HTX #2" made SQLite open an empty file elsewhere, read-write, and check that
instead: the start-up check always passed and every backup failed its check."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path, PureWindowsPath

import pytest

from htx_desktop.store.backup import check_backup
from htx_desktop.store.health import quick_check_file
from htx_desktop.store.paths import sqlite_uri


@pytest.mark.parametrize("folder", ["HTX #2", "100%AB", "x%20y", "Dữ liệu Hội LHPN", "a?b"])
def test_odd_folder_names_open_the_right_file_read_only(tmp_path: Path, folder: str) -> None:
    where = tmp_path / folder
    where.mkdir()
    db = where / "htx.sqlite3"
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("INSERT INTO t VALUES (42)")
        conn.commit()
    before = sorted(p.name for p in tmp_path.rglob("*"))
    assert quick_check_file(db)
    assert check_backup(db)  # a backup in such a folder passes its own check
    with closing(sqlite3.connect(sqlite_uri(db), uri=True)) as conn:
        assert conn.execute("SELECT x FROM t").fetchone() == (42,)
        with pytest.raises(sqlite3.OperationalError):
            conn.execute("INSERT INTO t VALUES (1)")  # read-only
    # no stray file created beside or above the folder
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_damage_is_still_found_in_such_a_folder(tmp_path: Path) -> None:
    where = tmp_path / "HTX #2"
    where.mkdir()
    db = where / "htx.sqlite3"
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(5000)])
        conn.commit()
    raw = bytearray(db.read_bytes())
    raw[4096:8192] = b"\xff" * 4096
    db.write_bytes(bytes(raw))
    assert not quick_check_file(db)


def test_windows_drives_and_network_shares() -> None:
    assert sqlite_uri(PureWindowsPath(r"C:\Users\Hoa\HTX #2\htx.sqlite3")) == \
        "file:///C:/Users/Hoa/HTX%20%232/htx.sqlite3?mode=ro"
    assert sqlite_uri(PureWindowsPath(r"\\may-chu\du lieu\htx.sqlite3")) == \
        "file:////may-chu/du%20lieu/htx.sqlite3?mode=ro"
    assert sqlite_uri(PureWindowsPath(r"D:\Dữ liệu\htx.sqlite3")) == \
        "file:///D:/D%E1%BB%AF%20li%E1%BB%87u/htx.sqlite3?mode=ro"
