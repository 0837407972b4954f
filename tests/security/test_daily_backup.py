"""Rotating backups: the first start of each day backs up (verified) and prunes to the
`backup_keep` setting; restore from each kind of backup brings its state back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from htx_desktop.cli import run
from htx_desktop.store.backup import (
    backup_to_dir,
    daily_backup,
    describe_backup,
    list_backups,
)
from htx_desktop.store.engine import Database
from htx_desktop.store.models import Communication, Unit
from htx_desktop.store.paths import DataDir
from htx_desktop.store.restore import restore_database
from htx_desktop.store.settings import set_setting


def _communications(data_dir: DataDir) -> int:
    db = Database.open(data_dir)
    try:
        with db.session() as s:
            return int(s.scalar(select(func.count()).select_from(Communication)) or 0)
    finally:
        db.close()


def _add_communication(data_dir: DataDir, topic: str) -> None:
    from htx_desktop.store.service import RecordService

    db = Database.open(data_dir)
    try:
        with db.session() as s:
            unit = s.scalar(select(Unit).where(Unit.code == "19"))
            assert unit is not None
            RecordService(s, "test").create("communication", {
                "unit_id": unit.id, "on": date(2025, 3, 8), "form": "conference",
                "topic": topic, "reach": 10})
    finally:
        db.close()


@pytest.fixture
def inited(tmp_data_dir: DataDir) -> DataDir:
    assert run(["--data-dir", str(tmp_data_dir.root), "init", "--unit", "19"]) == 0
    return tmp_data_dir


def test_first_command_of_the_day_backs_up_once(inited: DataDir) -> None:
    daily = [p for p in list_backups(inited.backups) if "hang-ngay" in p.name]
    assert daily == []  # `init` created the database: nothing to keep yet
    assert run(["--data-dir", str(inited.root), "units", "--json"]) == 0
    assert run(["--data-dir", str(inited.root), "summary", "--json"]) == 0
    daily = [p for p in list_backups(inited.backups) if "hang-ngay" in p.name]
    assert len(daily) == 1
    info = describe_backup(daily[0])
    assert info.problem is None and info.reason == "hang-ngay" and info.size > 0
    assert info.made_at.date() == date.today()


def test_a_new_day_backs_up_again_and_prunes_to_the_setting(inited: DataDir) -> None:
    db = Database.open(inited)
    with db.session() as s:
        set_setting(s, "backup_keep", 3)
    db.close()
    for _ in range(4):
        backup_to_dir(inited.db_path, inited.backups, reason="thu")
    made = daily_backup(inited, today=date(2099, 1, 1))
    assert made is not None and made.exists()
    listed = list_backups(inited.backups)
    assert len(listed) == 3 and made in listed
    assert daily_backup(inited) is None  # today's daily backup exists already


def test_no_database_no_backup(tmp_data_dir: DataDir) -> None:
    assert daily_backup(tmp_data_dir) is None
    assert list_backups(tmp_data_dir.backups) == []


@pytest.mark.parametrize("kind", ["daily", "manual", "before-restore"])
def test_restore_from_each_kind_of_backup(inited: DataDir, kind: str) -> None:
    _add_communication(inited, "Trước sao lưu")
    if kind == "daily":
        backup = daily_backup(inited, today=date(2099, 1, 1))
    elif kind == "manual":
        assert run(["--data-dir", str(inited.root), "backup"]) == 0
        backup = next(p for p in list_backups(inited.backups) if "hang-ngay" not in p.name)
    else:
        spare = backup_to_dir(inited.db_path, inited.backups, reason="tam")
        _add_communication(inited, "Sẽ bị thay")
        backup = restore_database(spare, inited)  # the state with two records, kept aside
        assert _communications(inited) == 1
    assert backup is not None
    expected = 2 if kind == "before-restore" else 1
    _add_communication(inited, "Sau sao lưu")
    previous = restore_database(backup, inited)
    assert previous is not None and previous.exists()  # the current state was kept first
    assert _communications(inited) == expected
    assert describe_backup(previous).reason == "truoc-khoi-phuc"


def test_damaged_database_is_never_backed_up_over_good_ones(inited: DataDir) -> None:
    good = backup_to_dir(inited.db_path, inited.backups, reason="tot")
    raw = bytearray(inited.db_path.read_bytes())
    quarter = len(raw) // 4
    raw[quarter:3 * quarter] = b"\x5a" * (2 * quarter)
    inited.db_path.write_bytes(bytes(raw))
    from htx_desktop.store.errors import StoreError

    with pytest.raises(StoreError):
        daily_backup(inited, today=date(2099, 1, 2), keep=1)
    assert good.exists()
    assert [p for p in list_backups(inited.backups) if "hang-ngay" in p.name] == []


def test_backup_keep_setting_must_be_positive(inited: DataDir) -> None:
    db = Database.open(inited)
    from htx_desktop.store.errors import StoreError

    with db.session() as s, pytest.raises(StoreError):
        set_setting(s, "backup_keep", 0)
    db.close()
    assert isinstance(inited.root, Path)
