"""The backup page: lists backups with their check result, backs up on demand, restores one
after asking (the current state is backed up first)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from htx_desktop.cli import run
from htx_desktop.store.backup import backup_to_dir, default_backup_path, list_backups
from htx_desktop.store.engine import Database
from htx_desktop.store.models import Communication, Unit
from htx_desktop.store.paths import DataDir
from htx_desktop.store.service import RecordService
from htx_desktop.ui import dialogs
from htx_desktop.ui.pages.backup_page import BackupPage


@pytest.fixture
def opened(tmp_data_dir: DataDir) -> Database:
    assert run(["--data-dir", str(tmp_data_dir.root), "init", "--unit", "19"]) == 0
    return Database.open(tmp_data_dir)


def add_one(db: Database) -> None:
    with db.session() as s:
        unit = s.scalar(select(Unit).where(Unit.code == "19"))
        assert unit is not None
        RecordService(s, "test").create("communication", {
            "unit_id": unit.id, "on": date(2025, 3, 8), "form": "conference",
            "topic": "Tuyên truyền", "reach": 10})


def count(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(Communication)) or 0)


def test_lists_backups_and_marks_damaged_ones(opened: Database, tmp_data_dir: DataDir,
                                              qtbot: QtBot) -> None:
    backup_to_dir(tmp_data_dir.db_path, tmp_data_dir.backups, reason="hang-ngay")
    bad = default_backup_path(tmp_data_dir.backups, "manual")
    bad.write_bytes(b"not a database" * 100)
    page = BackupPage(opened, tmp_data_dir)
    qtbot.addWidget(page)
    assert page.table.rowCount() == 2
    texts = {page.table.item(r, 1).text(): page.table.item(r, 3).text() for r in range(2)}
    assert texts == {"Tự động hằng ngày": "Tốt", "Sao lưu thủ công": "Hỏng — không dùng được"}
    damaged_row = next(r for r in range(2) if page.infos[r].path == bad)
    page.table.selectRow(damaged_row)
    assert not page.restore_button.isEnabled()
    opened.close()


def test_backup_now_adds_a_verified_backup(opened: Database, tmp_data_dir: DataDir,
                                           qtbot: QtBot) -> None:
    page = BackupPage(opened, tmp_data_dir)
    qtbot.addWidget(page)
    assert page.table.rowCount() == 0
    page.backup_button.click()
    assert page.table.rowCount() == 1
    assert page.table.item(0, 3).text() == "Tốt"
    assert "Đã sao lưu" in page.status.text()
    opened.close()


def test_restore_asks_keeps_the_current_state_and_puts_the_backup_back(
        opened: Database, tmp_data_dir: DataDir, qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    add_one(opened)
    page = BackupPage(opened, tmp_data_dir)
    qtbot.addWidget(page)
    chosen = page.backup_now()
    assert chosen is not None
    add_one_more = 2
    with opened.session() as s:
        unit = s.scalar(select(Unit).where(Unit.code == "19"))
        assert unit is not None
        RecordService(s, "test").create("communication", {
            "unit_id": unit.id, "on": date(2025, 4, 8), "form": "news",
            "topic": "Bài báo", "reach": 5})
    assert count(opened) == add_one_more
    answers: list[str] = []
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda _p, _t, text: answers.append(text)
                        or False)
    monkeypatch.setattr(dialogs, "show_message", lambda *a, **k: answers.append("msg"))
    page.table.selectRow(0)
    assert page.restore_selected() is None  # the officer said no: nothing changes
    assert count(opened) == 2
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *_a: True)
    with qtbot.waitSignal(page.restored, timeout=5000):
        assert page.restore_selected() == chosen
    reopened = Database.open(tmp_data_dir)
    try:
        assert count(reopened) == 1
    finally:
        reopened.close()
    kept = [p for p in list_backups(tmp_data_dir.backups) if "truoc-khoi-phuc" in p.name]
    assert len(kept) == 1 and page.table.rowCount() == 2
    assert "mở lại chương trình" in page.status.text()
    assert isinstance(kept[0], Path)
