"""Fault 8: backups piled up (every import made a full backup, none pruned within the day: 312
backups, 1.6 GB in a day of imports). A day keeps its first backup and the newest few; the
backup page reports their total size and warns when the disk is short."""

from __future__ import annotations

import shutil
from collections import namedtuple
from pathlib import Path
from typing import Any

import pytest

from htx_desktop.cli import run
from htx_desktop.receiving.importer import backup_before_change
from htx_desktop.store.backup import KEEP_PER_DAY, list_backups
from htx_desktop.store.engine import Database
from htx_desktop.store.paths import DataDir


@pytest.fixture
def folder(tmp_data_dir: DataDir) -> DataDir:
    assert run(["--data-dir", str(tmp_data_dir.root), "init", "--unit", "19",
                "--officer", "Nguyễn Thị Hoa"]) == 0
    return tmp_data_dir


def test_a_day_of_imports_keeps_the_first_backup_and_the_newest_few(folder: DataDir) -> None:
    db = Database.open(folder)
    try:
        first = list_backups(folder.backups)[-1] if list_backups(folder.backups) else None
        made = []
        for _ in range(12):  # twelve imports in a day: one backup before each
            backup_before_change(db)
            made.append(list_backups(folder.backups)[0])
    finally:
        db.close()
    kept = list_backups(folder.backups)
    assert len(kept) == KEEP_PER_DAY
    assert kept[:KEEP_PER_DAY - 1] == list(reversed(made))[:KEEP_PER_DAY - 1]  # the newest
    assert kept[-1] == (first or made[0])  # and the day's first


def test_the_backup_page_reports_the_size_and_warns_when_the_disk_is_short(
        qtbot: Any, folder: DataDir, monkeypatch: pytest.MonkeyPatch) -> None:
    from htx_desktop.ui.pages.backup_page import BackupPage

    db = Database.open(folder)
    try:
        page = BackupPage(db, folder)
        qtbot.addWidget(page)
        page.backup_button.click()
        assert "Các bản sao lưu chiếm" in page.usage.text()
        assert "ổ đĩa còn trống" in page.usage.text() and "sắp đầy" not in page.usage.text()
        usage = namedtuple("usage", "total used free")
        real = shutil.disk_usage

        def short(path: Any) -> Any:
            if Path(path) == folder.root:
                return usage(10 << 30, (10 << 30) - (50 << 20), 50 << 20)  # 50 MB left
            return real(path)

        monkeypatch.setattr(shutil, "disk_usage", short)
        page.refresh()
        assert "Ổ đĩa sắp đầy" in page.usage.text()
    finally:
        db.close()
