"""Fault 10: a leftover -wal beside a database copied back by hand was silently replayed onto
it (the hand restore undone, or two states mixed). Now it is set aside, the copied-back file
opens as it is, and the officer is told once; a WAL left by a crash of the SAME database is
still replayed, nothing saved lost."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from htx_desktop.cli import run
from htx_desktop.store import wal_guard
from htx_desktop.store.engine import Database
from htx_desktop.store.models import Person
from htx_desktop.store.paths import DataDir
from tests.store.test_crash_safety import commune_id

# Saves one person, then dies without closing anything (no checkpoint: the save is only in
# the WAL), the way a power cut or a killed program leaves it.
_WRITE_AND_DIE = """
import os, sys
from pathlib import Path
from htx_desktop.store import wal_guard
from htx_desktop.store.engine import Database
from htx_desktop.store.paths import DataDir
from htx_desktop.store.service import RecordService

root, unit_id, name, limit = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
wal_guard.WAL_LIMIT = limit
db = Database.open(DataDir(root), check=False)
for n in range(int(sys.argv[5])):
    with db.session() as session:
        RecordService(session, "thu").create("person", {
            "unit_id": unit_id, "full_name": f"{name} {n}" if n else name,
            "birth_year": 1990, "note": "Ghi chú " * 400})
print("SAVED", flush=True)
os._exit(0)
"""


@pytest.fixture
def folder(tmp_data_dir: DataDir) -> DataDir:
    assert run(["--data-dir", str(tmp_data_dir.root), "init", "--unit", "19"]) == 0
    return tmp_data_dir


def _write_and_die(folder: DataDir, name: str, *, limit: int = wal_guard.WAL_LIMIT,
                   count: int = 1) -> None:
    unit = commune_id(folder)
    done = subprocess.run(
        [sys.executable, "-c", _WRITE_AND_DIE, str(folder.root), str(unit), name, str(limit),
         str(count)], capture_output=True, text=True, check=False,
        cwd=Path(__file__).resolve().parents[2], timeout=300)
    assert done.returncode == 0 and "SAVED" in done.stdout, done.stderr
    assert wal_guard.has_frames(wal_guard.wal_path(folder.db_path))  # the WAL was left


def _work_a_day(folder: DataDir) -> None:
    """A day's work closed properly: the file itself now differs from an older copy."""
    db = Database.open(folder)
    try:
        with db.session() as session:
            from htx_desktop.store.settings import set_setting

            set_setting(session, "officer_name", "Nguyễn Thị Hoa")
    finally:
        db.close()


def _people(folder: DataDir, name: str) -> int:
    db = Database.open(folder)
    try:
        with db.session() as session:
            return int(session.scalar(select(func.count()).select_from(Person).where(
                Person.full_name == name)) or 0)
    finally:
        db.close()


def _aside_folders(folder: DataDir) -> list[Path]:
    return sorted((folder.root / "hong").glob(wal_guard.ASIDE_PREFIX + "*"))


def test_a_wal_left_by_a_crash_of_the_same_database_is_replayed(
        folder: DataDir, capsys: pytest.CaptureFixture[str]) -> None:
    _write_and_die(folder, "Ma Thị Hằng")
    capsys.readouterr()
    assert run(["--data-dir", str(folder.root), "summary"]) == 0
    assert "nhật ký ghi" not in capsys.readouterr().err
    assert _people(folder, "Ma Thị Hằng") == 1  # nothing saved lost
    assert _aside_folders(folder) == []


def test_a_wal_left_after_the_programs_own_checkpoints_is_replayed(folder: DataDir) -> None:
    # A WAL limit of 0: the program checkpoints after every transaction, and dies after
    # the last one; the file holds the checkpointed saves, the WAL the rest.
    _write_and_die(folder, "Lò Thị Mai", limit=0, count=5)
    assert _people(folder, "Lò Thị Mai") == 1
    assert _people(folder, "Lò Thị Mai 4") == 1
    assert _aside_folders(folder) == []


def test_a_wal_beside_a_database_copied_back_by_hand_is_set_aside(
        folder: DataDir, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    older = tmp_path / "ban-chep-tay.sqlite3"
    shutil.copy2(folder.db_path, older)  # her copy, made while the program was closed
    _work_a_day(folder)
    _write_and_die(folder, "Ma Thị Hằng")  # saved (in the WAL), then the PC lost power
    wal_bytes = wal_guard.wal_path(folder.db_path).read_bytes()
    # She copies her older file back over htx.sqlite3 in Explorer; the -wal stays there.
    shutil.copy2(older, folder.db_path)

    capsys.readouterr()
    assert run(["--data-dir", str(folder.root), "summary"]) == 0
    err = capsys.readouterr().err
    (aside,) = _aside_folders(folder)
    assert "đã được thay bằng một tệp khác" in err and str(aside) in err
    assert "không xoá" in err and "Traceback" not in err
    # Set aside untouched, not deleted; not replayed: the copied-back file is as she put it.
    assert (aside / "htx.sqlite3-wal").read_bytes() == wal_bytes
    assert _people(folder, "Ma Thị Hằng") == 0
    with closing(sqlite3.connect(folder.db_path)) as conn:
        assert [r[0] for r in conn.execute("PRAGMA integrity_check")] == ["ok"]
    # Told once: the next command says nothing more.
    assert run(["--data-dir", str(folder.root), "summary"]) == 0
    assert "đã được thay bằng một tệp khác" not in capsys.readouterr().err
    assert len(_aside_folders(folder)) == 1


def test_the_window_tells_it_once(qtbot: Any, folder: DataDir, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QWidget

    from htx_desktop import app
    from htx_desktop.store.health import DAMAGED_FOLDER
    from htx_desktop.ui import dialogs

    older = tmp_path / "ban-chep-tay.sqlite3"
    shutil.copy2(folder.db_path, older)
    _work_a_day(folder)
    _write_and_die(folder, "Ma Thị Hằng")
    shutil.copy2(older, folder.db_path)
    seen: list[str] = []
    monkeypatch.setattr(dialogs, "show_message",
                        lambda _parent, _title, text, warning=False: seen.append(text))
    # What the window's start does before anything reads the file, then once it is up.
    aside = wal_guard.set_aside_foreign_wal(folder.db_path, folder.root / DAMAGED_FOLDER)
    assert aside is not None
    window = QWidget()
    qtbot.addWidget(window)
    app.show_wal_notices(window)
    assert len(seen) == 1 and str(aside.folder) in seen[0]
    app.show_wal_notices(window)
    assert len(seen) == 1  # once
    assert _people(folder, "Ma Thị Hằng") == 0


def test_a_wal_in_use_by_another_open_database_is_left_alone(folder: DataDir) -> None:
    first = Database.open(folder)
    try:
        with first.session() as session:
            from htx_desktop.store.settings import set_setting

            set_setting(session, "officer_name", "Nguyễn Thị Hoa")
        assert wal_guard.has_frames(wal_guard.wal_path(folder.db_path))
        second = Database.open(folder)  # another window or command, meanwhile
        second.close()
        assert _aside_folders(folder) == []
    finally:
        first.close()
    assert not os.path.exists(wal_guard.wal_path(folder.db_path))  # closed cleanly
