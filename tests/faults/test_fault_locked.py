"""Fault 5: "database is locked" while another process imports. Writers now wait with a
bounded retry (the whole transaction again), and a lock that outlasts it is told plainly."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from htx_desktop.cli import run
from htx_desktop.store import retry, sqlite_engine
from htx_desktop.store.engine import Database
from htx_desktop.store.models import Person
from htx_desktop.store.paths import DataDir
from htx_desktop.store.settings import get_setting, set_setting
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.forms.registry import make_form
from tests.ui.conftest import type_text


@pytest.fixture
def folder(tmp_data_dir: DataDir) -> DataDir:
    assert run(["--data-dir", str(tmp_data_dir.root), "init", "--unit", "19"]) == 0
    return tmp_data_dir


def _hold_write_lock(path: Path) -> sqlite3.Connection:
    """Another process's writer (an import): a write transaction left open."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO settings(key, value) VALUES ('nhap_goi', 'dang chay')")
    return other


def test_a_transaction_overtaken_by_another_writer_runs_again(folder: DataDir) -> None:
    db = Database.open(folder)
    attempts: list[int] = []
    try:
        def work() -> str | None:
            attempts.append(1)
            with db.session() as session:
                before = get_setting(session, "officer_name")  # the snapshot starts here
                if len(attempts) == 1:  # meanwhile an import commits
                    with closing(sqlite3.connect(folder.db_path)) as other:
                        other.execute("INSERT INTO settings(key, value) VALUES ('x', 'y')")
                        other.commit()
                set_setting(session, "officer_name", "Nguyễn Thị Hoa")
                return before

        waits: list[int] = []
        assert not retry.retry_when_locked(work, on_wait=waits.append, sleep=lambda _s: None)
        assert len(attempts) == 2 and waits == [1]
        with db.session() as session:
            assert get_setting(session, "officer_name") == "Nguyễn Thị Hoa"
            assert get_setting(session, "x") == "y"
    finally:
        db.close()


@pytest.fixture
def window_ctx(folder: DataDir, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    monkeypatch.setattr(sqlite_engine, "BUSY_TIMEOUT_MS", 100)  # short waits: a quick test
    db = Database.open(folder)
    ctx = AppContext.load(db, folder.root)
    assert ctx is not None
    yield ctx
    db.close()


def _people(ctx: AppContext, name: str) -> int:
    with ctx.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(Person).where(
            Person.full_name == name)) or 0)


def _person_form(ctx: AppContext, name: str) -> Any:
    form = make_form(ctx, "person")  # closed by the conftest (it would ask)
    form.show()
    type_text(form.widgets["full_name"], name)
    form.widgets["birth_year"].set_value(1990)
    form.widgets["gender"].set_value("female")
    return form


def test_save_waits_for_another_writer(qtbot: Any, window_ctx: AppContext,
                                       folder: DataDir) -> None:
    other = _hold_write_lock(folder.db_path)
    released = threading.Timer(1.0, lambda: other.execute("COMMIT"))
    released.start()
    try:
        form = _person_form(window_ctx, "Ma Thị Hằng")
        assert form.save(), form.banner.text()  # waited (retrying) until the import ended
    finally:
        released.join()
        other.close()
    assert _people(window_ctx, "Ma Thị Hằng") == 1


def test_a_lock_that_outlasts_the_retry_is_told_plainly(
        qtbot: Any, window_ctx: AppContext, folder: DataDir,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry, "FIRST_WAIT_S", 0.01)
    form = _person_form(window_ctx, "Ma Thị Hằng")
    other = _hold_write_lock(folder.db_path)
    try:
        assert not form.save()
        assert form.isVisible() and "đang được một cửa sổ hoặc lệnh khác" in form.banner.text()
        assert "không bị mất" in form.banner.text()
        form.save_draft_now()  # the autosave stays quiet too
        assert "Chưa lưu nháp được" in form.draft_status.text()
    finally:
        other.execute("COMMIT")
        other.close()
    assert _people(window_ctx, "Ma Thị Hằng") == 0
    assert form.save(), form.banner.text()
    assert _people(window_ctx, "Ma Thị Hằng") == 1


def test_settings_wait_for_another_writer(qtbot: Any, window_ctx: AppContext,
                                          folder: DataDir) -> None:
    from htx_desktop.ui.pages.settings_page import SettingsPage

    page = SettingsPage(window_ctx)
    qtbot.addWidget(page)
    page.name.setText("Nguyễn Thị Hoa")
    other = _hold_write_lock(folder.db_path)
    released = threading.Timer(1.0, lambda: other.execute("COMMIT"))
    released.start()
    try:
        assert page.save()
    finally:
        released.join()
        other.close()
    with window_ctx.db.session() as session:
        assert get_setting(session, "officer_name") == "Nguyễn Thị Hoa"
