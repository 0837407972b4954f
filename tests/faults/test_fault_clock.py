"""Fault 9: a wrong clock. Backups named with a wrong date were taken as older than they are;
at 2010 an edit was refused with a message blaming the record. Now backups are ordered by their
sequence number, and a save under a clock that went back warns once, naming the clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from htx_desktop.cli import run
from htx_desktop.store import clock, clock_check
from htx_desktop.store.backup import backup_to_dir, list_backups, newest_good_backup
from htx_desktop.store.engine import Database
from htx_desktop.store.paths import DataDir
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.forms import base
from htx_desktop.ui.forms.registry import make_form
from tests.ui.conftest import type_text

WRONG = "Đồng hồ của máy tính có vẻ sai"


@pytest.fixture
def folder(tmp_data_dir: DataDir) -> DataDir:
    assert run(["--data-dir", str(tmp_data_dir.root), "init", "--unit", "19",
                "--officer", "Nguyễn Thị Hoa"]) == 0
    return tmp_data_dir


def test_backups_are_ordered_by_their_number_not_their_date(folder: DataDir) -> None:
    first = backup_to_dir(folder.db_path, folder.backups, reason="tot")
    second = backup_to_dir(folder.db_path, folder.backups, reason="tot")
    # The second was made while the PC's clock was 5 days behind: its name says so.
    behind = (datetime.now() - timedelta(days=5)).strftime("%Y%m%d-%H%M%S")
    moved = second.with_name(f"htx-{behind}-" + second.name.split("-", 3)[3])
    second.rename(moved)
    assert moved.name < first.name  # by its date it would be the older one
    assert list_backups(folder.backups)[:2] == [moved, first]
    assert newest_good_backup(folder.backups) == moved


@pytest.fixture
def window_ctx(folder: DataDir) -> Iterator[AppContext]:
    db = Database.open(folder)
    ctx = AppContext.load(db, folder.root)
    assert ctx is not None
    base._clock_warned.clear()
    yield ctx
    base._clock_warned.clear()
    db.close()


def _save_person(ctx: AppContext, name: str, monkeypatch: pytest.MonkeyPatch
                 ) -> tuple[bool, list[str]]:
    seen: list[str] = []
    from htx_desktop.ui import dialogs

    monkeypatch.setattr(dialogs, "show_message",
                        lambda _parent, _title, text, warning=False: seen.append(text))
    form = make_form(ctx, "person")  # closed by the conftest (it would ask)
    form.show()
    type_text(form.widgets["full_name"], name)
    form.widgets["birth_year"].set_value(1990)
    form.widgets["gender"].set_value("female")
    return form.save(), seen


def test_a_clock_gone_back_is_named_once_and_the_save_goes_on(
        qtbot: Any, window_ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    saved, seen = _save_person(window_ctx, "Ma Thị Hằng", monkeypatch)
    assert saved and seen == []  # a right clock: nothing said
    base._clock_warned.clear()
    real = clock.utcnow()
    monkeypatch.setattr(clock, "utcnow", lambda: real - timedelta(days=5))
    saved, seen = _save_person(window_ctx, "Lò Thị Mai", monkeypatch)
    assert saved and len(seen) == 1 and WRONG in seen[0]
    assert "Windows" in seen[0] and "vẫn được lưu" in seen[0]
    saved, seen = _save_person(window_ctx, "Hà Thị Nga", monkeypatch)
    assert saved and seen == []  # once per run


def test_a_clock_at_2010_is_named(window_ctx: AppContext,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2010, 1, 1, 8, tzinfo=UTC))
    with window_ctx.db.session() as session:
        problem = clock_check.clock_problem(session)
    assert problem is not None and WRONG in problem and "trước cả khi chương trình" in problem


def test_an_amendment_under_a_clock_days_behind_reaches_the_next_package(
        folder: DataDir, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json
    import sqlite3
    import zipfile
    from contextlib import closing
    from datetime import date

    from sqlalchemy import select

    from htx_desktop.store.models import Unit
    from htx_desktop.store.service import RecordService

    reason = "Sai số người tham dự, đã đối chiếu danh sách ký tên"
    db = Database.open(folder)
    with db.session() as session:
        unit = session.scalar(select(Unit).where(Unit.code == "19"))
        assert unit is not None
        ev = RecordService(session, "Lan").create("event", {
            "unit_id": unit.id, "type": "tap_huan", "title": "Tập huấn", "count_total": 40,
            "start": date(2025, 5, 1), "count_female": 30}).id
    db.close()
    out = tmp_path / "goi"
    root = str(folder.root)
    assert run(["--data-dir", root, "export", "--period", "2025", "--out", str(out)]) == 0
    db = Database.open(folder)
    with db.session() as session:
        RecordService(session, "Lan").update("event", ev, {"count_total": 39}, reason=reason)
    db.close()
    # Made while the PC's clock was 5 days behind: the change log says so.
    with closing(sqlite3.connect(folder.db_path)) as conn:
        conn.execute("UPDATE audit_log SET at = datetime(at, '-5 days') WHERE action='update'")
        conn.commit()
    capsys.readouterr()
    assert run(["--data-dir", root, "export", "--period", "2025", "--out", str(out)]) == 0
    second = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert second.name.endswith("_v2.zip")
    with zipfile.ZipFile(second) as zf:
        data = json.loads(zf.read("data.json"))
    assert [(a["id"], a["reason"]) for a in data["amendments"]] == [(ev, reason)]
