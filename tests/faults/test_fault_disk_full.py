"""Fault 4: a full disk. Saving gave the generic "lỗi không lường trước" dialog, the draft
autosave popped it again while she typed, commands printed tracebacks even when they
succeeded, failed backups left .part, .part-wal and .part-shm files behind."""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import func, select

from htx_desktop.cli import run
from htx_desktop.store.backup import list_backups
from htx_desktop.store.engine import Database
from htx_desktop.store.models import Draft, Person
from htx_desktop.store.paths import DataDir
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.error_dialog import ErrorDialog
from htx_desktop.ui.forms.registry import make_form
from tests.faults.conftest import fill, leftovers
from tests.ui.conftest import type_text

FULL = "Ổ đĩa đã đầy"


@pytest.fixture
def on_small_disk(small_disk: Path) -> DataDir:
    data_dir = DataDir(small_disk / "du lieu")
    assert run(["--data-dir", str(data_dir.root), "init", "--unit", "19"]) == 0
    return data_dir


def _units(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT count(*) FROM units").fetchone()[0])


def _people(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT count(*) FROM people").fetchone()[0])


def test_commands_on_a_full_disk_say_so_in_one_sentence(
        on_small_disk: DataDir, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(on_small_disk.root)
    filler = fill(on_small_disk.root)
    capsys.readouterr()

    # Not a byte free: even reading needs SQLite's -shm file. One sentence, exit 1.
    assert run(["--data-dir", root, "summary"]) == 1
    captured = capsys.readouterr()
    assert FULL in captured.err and "không bị mất" in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert len(captured.err.strip().splitlines()) == 1

    # Room for the command but not for today's backup: the command succeeds and says, in
    # one line, that the backup could not be made.
    os.truncate(filler, filler.stat().st_size - 256 * 1024)
    assert run(["--data-dir", root, "summary"]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "daily backup failed" not in captured.err
    assert FULL in captured.err and "sao lưu tự động" in captured.err
    assert len(captured.err.strip().splitlines()) == 1

    # A backup asked for: one sentence, exit 1, no half-written file left.
    assert run(["--data-dir", root, "backup"]) == 1
    captured = capsys.readouterr()
    assert FULL in captured.err and "không bị mất" in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert len(captured.err.strip().splitlines()) == 1
    assert leftovers(on_small_disk.root) == []
    assert list_backups(on_small_disk.backups) == []
    assert _people(on_small_disk.db_path) == 0 and _units(on_small_disk.db_path) > 90

    # With room again, everything works and nothing was lost.
    filler.unlink()
    assert run(["--data-dir", root, "backup"]) == 0
    assert len(list_backups(on_small_disk.backups)) >= 1


def test_leftover_part_files_are_removed_on_the_next_run(on_small_disk: DataDir) -> None:
    for suffix in (".part", ".part-wal", ".part-shm"):
        left = on_small_disk.backups / f"htx-20250101-000000-hang-ngay.sqlite3{suffix}"
        left.write_bytes(b"\0" * 1000)
        os.utime(left, (time.time() - 3600, time.time() - 3600))  # a killed run's, an hour ago
    assert run(["--data-dir", str(on_small_disk.root), "summary"]) == 0
    assert leftovers(on_small_disk.root) == []


@pytest.fixture
def window_ctx(on_small_disk: DataDir) -> Any:
    db = Database.open(on_small_disk)
    ctx = AppContext.load(db, on_small_disk.root)
    assert ctx is not None
    yield ctx
    db.close()


def _no_error_dialog() -> None:
    shown = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, ErrorDialog | QMessageBox) and w.isVisible()]
    assert shown == []


def test_save_and_draft_on_a_full_disk(qtbot: Any, window_ctx: AppContext,
                                       on_small_disk: DataDir) -> None:
    form = make_form(window_ctx, "person")  # closed by the conftest (it would ask)
    form.show()
    type_text(form.widgets["full_name"], "Lường Thị Nguyệt")
    form.widgets["birth_year"].set_value(1988)  # type: ignore[attr-defined]
    form.widgets["gender"].set_value("female")  # type: ignore[attr-defined]
    filler = fill(on_small_disk.root)

    # The draft autosave: no dialog, a quiet line under the form, tried again later.
    form.save_draft_now()
    _no_error_dialog()
    assert form.draft_status.isVisible()
    assert "Chưa lưu nháp được" in form.draft_status.text() and FULL in form.draft_status.text()

    # Lưu: the form stays open with what she typed, and says what happened and what to do.
    assert not form.save()
    _no_error_dialog()
    assert form.isVisible() and form.banner.isVisible()
    assert FULL in form.banner.text() and "không bị mất" in form.banner.text()
    assert form.widgets["full_name"].value() == "Lường Thị Nguyệt"  # type: ignore[attr-defined]

    filler.unlink()
    form.save_draft_now()  # the retry succeeds
    assert form.draft_status.text() == "Đã lưu nháp."
    with window_ctx.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Draft)) == 1
    assert form.save(), form.banner.text()
    with window_ctx.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Person).where(
            Person.full_name == "Lường Thị Nguyệt")) == 1
        assert session.scalar(select(func.count()).select_from(Draft)) == 0


def test_error_hook_tells_a_full_disk_plainly(qtbot: Any, tmp_path: Path) -> None:
    import errno

    from htx_desktop.ui.error_dialog import ExceptionHook

    hook = ExceptionHook(None)
    seen: list[str] = []

    def read_box() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QMessageBox) and w.isVisible():
                seen.append(w.text())
                w.done(0)
                return
        QTimer.singleShot(20, read_box)

    from PySide6.QtCore import QTimer

    QTimer.singleShot(20, read_box)
    error = OSError(errno.ENOSPC, "No space left on device")
    hook(OSError, error, None)
    assert len(seen) == 1 and FULL in seen[0]
