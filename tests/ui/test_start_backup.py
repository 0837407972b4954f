"""The daily backup at start-up (app._start_daily_backup): made off the UI thread once the
window has painted, then said in the status bar — the new copy, or in red why there is none."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from htx_desktop import app
from htx_desktop.cli import run
from htx_desktop.store.engine import Database
from htx_desktop.store.paths import DataDir
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.main_window import MainWindow


@pytest.fixture
def opened(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[Database, MainWindow, DataDir]]:
    folder = DataDir(tmp_path / "data")
    assert run(["--data-dir", str(folder.root), "init", "--unit", "05443"]) == 0
    for made in folder.backups.glob("*"):
        made.unlink()  # so that this start is the first of the day
    db = Database.open(folder)
    try:
        ctx = AppContext.load(db, folder.root)
        assert ctx is not None
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.show()
        yield db, window, folder
    finally:
        db.close()


def test_the_daily_copy_is_made_after_the_first_paint_and_shown(
        qtbot: QtBot, opened: tuple[Database, MainWindow, DataDir]) -> None:
    db, window, folder = opened
    assert window.backup_label.text() == "Sao lưu gần nhất: chưa có"
    app._start_daily_backup(db, window)
    assert list(folder.backups.glob("*")) == []  # not on the way to the window
    qtbot.waitUntil(lambda: window.backup_label.text() != "Sao lưu gần nhất: chưa có",
                    timeout=30_000)
    assert [p.name.endswith("-hang-ngay.sqlite3") for p in folder.backups.iterdir()] == [True]
    assert window.backup_label.text().startswith("Sao lưu gần nhất: ")


def test_a_copy_that_cannot_be_made_is_said_in_red(
        qtbot: QtBot, opened: tuple[Database, MainWindow, DataDir],
        monkeypatch: pytest.MonkeyPatch) -> None:
    db, window, _folder = opened
    made_in: list[int | None] = []

    def full_disk(target: object) -> tuple[Path | None, str | None]:
        made_in.append(threading.get_ident())
        return None, "Chưa tạo được bản sao lưu tự động hôm nay. Ổ đĩa đã đầy."

    monkeypatch.setattr("htx_desktop.store.backup.try_daily_backup", full_disk)
    app._start_daily_backup(db, window)
    qtbot.waitUntil(lambda: window.backup_label.text() == "Chưa sao lưu được hôm nay",
                    timeout=30_000)
    assert window.backup_label.toolTip() == ("Chưa tạo được bản sao lưu tự động hôm nay. "
                                             "Ổ đĩa đã đầy.")
    assert made_in and made_in[0] != threading.main_thread().ident
