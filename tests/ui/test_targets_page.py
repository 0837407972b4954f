"""The targets page: the province's own targets shown read only, allocation to its communes
with the sum checked as one types, one-transaction save, and the saved values on reload."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from htx_desktop.store.engine import Database
from htx_desktop.store.models import AuditEntry
from htx_desktop.store.settings import home_unit
from htx_desktop.store.targets import (
    COUNT_INDICATORS,
    AllocationGap,
    allocate_target,
    allocation_gaps,
    targets_for,
)
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.pages.home_page import make_page as make_home
from htx_desktop.ui.pages.targets_page import TargetsPage

GAP_2025 = ("CT1: Tổng chỉ tiêu giao cho các đơn vị (48) chưa bằng chỉ tiêu của tỉnh (50): "
            "còn thiếu 2.")


@pytest.fixture
def province_ctx(db: Database) -> AppContext:
    ctx = AppContext.load(db)
    assert ctx is not None
    return ctx


def _page(qtbot: QtBot, ctx: AppContext) -> TargetsPage:
    page = TargetsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 900)
    page.show()
    return page


def _cell(table: QTableWidget, row: int, col: int) -> str:
    item = table.item(row, col)
    return item.text() if item is not None else ""


def _own_row(page: TargetsPage, code: str) -> list[str]:
    table = page.own_table
    for r in range(table.rowCount()):
        if _cell(table, r, 0) == code:
            return [_cell(table, r, c) for c in range(table.columnCount())]
    raise AssertionError(code)


def test_own_targets_are_shown_including_percent_and_yearly(qtbot: QtBot,
                                                            province_ctx: AppContext) -> None:
    page = _page(qtbot, province_ctx)
    assert _own_row(page, "CT1")[2:] == ["50", "100", ""]
    assert _own_row(page, "CT9")[2:] == ["80 %", "90 %", ""]
    assert _own_row(page, "CT7")[2:4] == ["150", "—"]  # no 2030 target for CT7
    assert _own_row(page, "III.1")[2:] == ["—", "—", "2"]
    assert page.own_table.editTriggers() == QTableWidget.EditTrigger.NoEditTriggers
    assert page.table.rowCount() == 92
    assert [page.summary.horizontalHeaderItem(c).text()  # type: ignore[union-attr]
            for c in range(1, page.summary.columnCount())] == list(COUNT_INDICATORS)


def test_allocate_see_the_gap_save_and_reload(qtbot: QtBot, province_ctx: AppContext,
                                              db: Database, tmp_path: Path) -> None:
    page = _page(qtbot, province_ctx)
    (a, _na), (b, _nb) = page.children_units[:2]
    assert not page.save_button.isEnabled()
    page.set_value(a, "CT1", 30)
    page.set_value(b, "CT1", 18)
    col = 1 + COUNT_INDICATORS.index("CT1")
    assert [_cell(page.summary, r, col) for r in range(3)] == ["48", "50", "-2"]
    gap_cell = page.summary.item(2, col)
    assert gap_cell is not None and gap_cell.background().color().name() == "#fde2e1"
    assert page.notes.text() == GAP_2025
    assert page.save_button.isEnabled()
    assert db_targets(db, a) == {}  # nothing written before saving

    screenshot = os.environ.get("HTX_SCREENSHOT_DIR")
    if screenshot:
        page.grab().save(str(Path(screenshot) / "targets_page.png"))

    assert page.save()
    assert db_targets(db, a) == {("CT1", 2025): 30} and db_targets(db, b) == {("CT1", 2025): 18}
    with db.session() as session:
        home = home_unit(session)
        assert home is not None
        assert allocation_gaps(session, home.id) == [AllocationGap("CT1", 2025, 50, 48)]
        logged = session.query(AuditEntry).filter_by(table_name="targets").count()
        assert logged == 2
    assert page.notes.text() == GAP_2025  # the gap stays until the allocation adds up
    assert not page.save_button.isEnabled()

    again = _page(qtbot, province_ctx)
    row_a = [uid for uid, _n in again.children_units].index(a)
    assert again.value_at(row_a, "CT1") == 30
    assert again.notes.text() == GAP_2025
    # Completing the allocation removes the note and turns the difference green.
    (c, _nc) = again.children_units[2]
    again.set_value(c, "CT1", 2)
    assert again.notes.text() == ""
    assert _cell(again.summary, 2, col) == "0"
    assert again.summary.item(2, col).background().color().name() == "#e3f4e1"  # type: ignore[union-attr]


def db_targets(db: Database, unit_id: int) -> dict[tuple[str, int], float]:
    with db.session() as session:
        return targets_for(session, unit_id)


def test_edits_of_both_years_are_kept_and_saved_together(qtbot: QtBot,
                                                         province_ctx: AppContext,
                                                         db: Database) -> None:
    page = _page(qtbot, province_ctx)
    a = page.children_units[0][0]
    page.set_value(a, "CT3", 100)
    page.year_box.setCurrentIndex(1)  # 2030
    assert page.value_at(0, "CT3") is None
    assert "(700)" in page.notes.text() or page.notes.text() == ""
    page.set_value(a, "CT3", 200)
    assert "CT3" in page.notes.text() and "(200)" in page.notes.text()
    page.year_box.setCurrentIndex(0)
    assert page.value_at(0, "CT3") == 100
    assert len(page.changes()) == 2
    assert page.save()
    assert db_targets(db, a) == {("CT3", 2025): 100, ("CT3", 2030): 200}
    # Clearing a cell removes that target.
    page.set_value(a, "CT3", None)
    assert page.save()
    assert db_targets(db, a) == {("CT3", 2030): 200}


def test_a_commune_sees_what_it_was_given_and_has_nothing_to_allocate(
        qtbot: QtBot, commune_db: Database) -> None:
    with commune_db.session() as session:
        commune = home_unit(session)
        assert commune is not None and commune.parent_id is not None
        allocate_target(session, parent_id=commune.parent_id, child_id=commune.id,
                        indicator="CT1", year=2025, value=3)
    ctx = AppContext.load(commune_db)
    assert ctx is not None
    page = _page(qtbot, ctx)
    assert _own_row(page, "CT1")[2:4] == ["3", "—"]
    assert "do cấp trên giao" in page.own_title.text()
    assert page.table.isHidden() and page.save_button.isHidden()
    assert "không có đơn vị trực thuộc" in page.alloc_title.text()


def test_the_overview_hub_has_the_targets_tab(qtbot: QtBot, province_ctx: AppContext) -> None:
    hub = make_home(province_ctx)
    qtbot.addWidget(hub)
    titles = [hub.tabs.tabText(i) for i in range(hub.tabs.count())]
    assert titles[-1] == "Chỉ tiêu và phân bổ"
    assert isinstance(hub.tab(len(titles) - 1), TargetsPage)
