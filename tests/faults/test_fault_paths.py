"""Fault 1: the data folder's name is never interpreted. With "x y" and "x%20y" side by side,
`--data-dir x%20y` worked on "x y/htx.sqlite3" (the working connection decoded the path as a
URI): her records went into the other folder and her own list showed "0 hồ sơ"."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from htx_desktop.cli import run
from htx_desktop.store.backup import backup_to_dir, list_backups
from htx_desktop.store.engine import Database
from htx_desktop.store.paths import DataDir
from htx_desktop.store.settings import get_setting, set_setting

# Each odd name, and the name SQLite or a URL parser would turn it into.
PAIRS = [("x%20y", "x y"), ("%41", "A"), ("HTX #2", "HTX "), ("Dữ liệu Hội?a=b", "Dữ liệu Hội"),
         ("D%E1%BB%AF", "Dữ")]


def _officer(path: Path) -> str | None:
    with closing(sqlite3.connect(path)) as conn:
        row = conn.execute("SELECT value FROM settings WHERE key='officer_name'").fetchone()
    return row[0] if row else None


@pytest.mark.parametrize(("odd", "decoded"), PAIRS)
def test_the_working_database_is_exactly_the_named_file(tmp_path: Path, odd: str,
                                                         decoded: str) -> None:
    other = DataDir(tmp_path / decoded).ensure()
    Database.open(other).close()  # the neighbour that a decoded path would reach
    before = other.db_path.read_bytes()
    mine = DataDir(tmp_path / odd)
    assert run(["--data-dir", str(mine.root), "init", "--unit", "19"]) == 0
    db = Database.open(mine)
    try:
        with db.session() as session:
            set_setting(session, "officer_name", "Nguyễn Thị Hoa")
        with db.session() as session:
            assert get_setting(session, "officer_name") == "Nguyễn Thị Hoa"
    finally:
        db.close()
    assert _officer(mine.db_path) == "Nguyễn Thị Hoa"  # in her folder's file
    assert other.db_path.read_bytes() == before  # the neighbour untouched
    backup = backup_to_dir(mine.db_path, mine.backups, reason="tay")  # copies her file
    assert _officer(backup) == "Nguyễn Thị Hoa"
    assert list_backups(other.backups) == []


def test_a_very_long_folder_name(tmp_path: Path) -> None:
    deep = tmp_path
    for i in range(6):  # over Windows' old 260-character limit
        deep = deep / (f"Hội Liên hiệp Phụ nữ tỉnh Thái Nguyên {i} %20 #")
    mine = DataDir(deep)
    assert len(str(mine.db_path)) > 260
    assert run(["--data-dir", str(mine.root), "init", "--unit", "19"]) == 0
    assert mine.db_path.is_file() and mine.db_path.stat().st_size > 0
    assert run(["--data-dir", str(mine.root), "summary"]) == 0
