"""Supervision visits in the window (issue 26): the form is filled and saved from the keyboard
alone, and the list under "Hỗ trợ HTX" shows the demo's visits."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from htx_desktop.cli import run
from htx_desktop.store.engine import Database
from htx_desktop.store.models import Cooperative, SupervisionVisit
from htx_desktop.store.paths import DataDir
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.forms.date_field import DateField
from htx_desktop.ui.forms.fields import PickerField
from htx_desktop.ui.forms.registry import make_form
from htx_desktop.ui.list_page import ListPage
from htx_desktop.ui.main_window import MainWindow
from htx_desktop.ui.record_dialogs import PickerDialog
from tests.ui.conftest import type_text, when_dialog


@pytest.mark.filterwarnings("ignore:Function:DeprecationWarning")  # setActiveWindow, below
def test_visit_entered_and_saved_by_keyboard(qtbot: Any, ctx: AppContext,
                                             seeded: dict[str, str]) -> None:
    form = make_form(ctx, "supervision_visit")
    form.show()
    with qtbot.waitActive(form):
        form.activateWindow()
    assert form.windowTitle() == "Thêm chuyến giám sát"
    picker = form.widgets["cooperative_id"]
    assert isinstance(picker, PickerField)
    assert form.focusWidget() is picker.choose_button  # the first field without a default

    def choose(dialog: PickerDialog) -> None:
        type_text(dialog.search, "che dai tu")
        QTest.keyClick(dialog.search, Qt.Key.Key_Return)  # the one match is taken

    when_dialog(PickerDialog, choose)
    QTest.keyClick(picker.choose_button, Qt.Key.Key_Space)
    assert picker.value() == seeded["cooperative"]
    # Back from the picker: offscreen Qt leaves the closed dialog active (a real window
    # manager gives the form back its activation).
    form.activateWindow()
    QApplication.setActiveWindow(form)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form, timeout=2000)

    QTest.keyClick(picker.choose_button, Qt.Key.Key_Tab)
    assert form.focusWidget() is picker.new_button  # "Thêm mới…", as in every picker
    QTest.keyClick(picker.new_button, Qt.Key.Key_Tab)
    on = form.widgets["on"]
    assert isinstance(on, DateField) and form.focusWidget() is on
    on.selectAll()
    QTest.keyClicks(on, "12/3/2025")
    QTest.keyClick(on, Qt.Key.Key_Tab)
    visitors = form.widgets["visitors"]
    assert form.focusWidget() is visitors
    type_text(visitors, "Chủ tịch Hội LHPN xã; cán bộ phụ trách HTX")
    QTest.keyClick(visitors, Qt.Key.Key_Tab)
    findings = form.widgets["findings"]
    assert form.focusWidget() is findings
    QTest.keyClick(findings, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert form.saved_id, form.banner.text()
    with ctx.db.session() as session:
        visit = session.get(SupervisionVisit, form.saved_id)
        coop = session.get(Cooperative, seeded["cooperative"])
        assert visit is not None and coop is not None
        assert (visit.on, visit.visitors, visit.follow_up_done) == (
            date(2025, 3, 12), "Chủ tịch Hội LHPN xã; cán bộ phụ trách HTX", False)
        assert visit.unit_id == coop.unit_id  # the cooperative's commune


def test_a_follow_up_due_before_the_visit_is_refused(qtbot: Any, ctx: AppContext,
                                                     seeded: dict[str, str]) -> None:
    with ctx.db.session() as session:
        before = session.scalar(select(func.count()).select_from(SupervisionVisit))
    form = make_form(ctx, "supervision_visit")
    form.show()
    form.widgets["cooperative_id"].set_value(seeded["cooperative"])  # type: ignore[attr-defined]
    form.widgets["on"].set_value(date(2025, 5, 10))  # type: ignore[attr-defined]
    type_text(form.widgets["visitors"], "Cán bộ phụ trách HTX")
    form.widgets["follow_up_due"].set_value(date(2025, 4, 1))  # type: ignore[attr-defined]
    assert not form.save()
    assert "Hạn khắc phục" in form.errors["follow_up_due"].text()
    with ctx.db.session() as session:
        assert session.scalar(select(func.count()).select_from(SupervisionVisit)) == before


def test_the_list_shows_the_demo_visits(qtbot: Any, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    assert run(["--data-dir", str(folder), "init", "--unit", "05443"]) == 0
    assert run(["--data-dir", str(folder), "demo", "--seed", "4"]) == 0
    db = Database.open(DataDir(folder))
    try:
        with db.session() as session:
            stored = session.scalar(select(func.count()).select_from(SupervisionVisit)
                                    .where(SupervisionVisit.deleted_at.is_(None)))
        assert stored
        ctx = AppContext.load(db, folder)
        assert ctx is not None
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.show()
        page: Any = window.go("support")
        titles = [page.tabs.tabText(i) for i in range(page.tabs.count())]
        assert titles == ["Hỗ trợ HTX", "Kiểm tra, giám sát"]
        visits: ListPage = page.lists["supervision_visit"]
        qtbot.waitUntil(lambda: visits.model.rowCount() == stored, timeout=5000)
        headers = [visits.model.headerData(i, Qt.Orientation.Horizontal)
                   for i in range(visits.model.columnCount())]
        assert headers[:3] == ["Hợp tác xã/THT", "Ngày", "Thành phần đoàn"]
        # the first nine sections keep their order (Ctrl+1…9)
        from htx_desktop.ui.main_window import SECTIONS
        assert [key for key, _t, _m in SECTIONS][:9] == [
            "overview", "cooperatives", "people", "events", "jobs", "support",
            "communication", "plan", "reports"]
    finally:
        db.close()
