"""Every record kind through the real widgets: the list shows rows, a new record is created
with the form, an invalid value is refused with its message beside the field, the list finds
it by a search typed without diacritics, it is edited, deleted (asked) and restored from the
trash, and its history lists those changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from htx_desktop.ui.context import AppContext
from htx_desktop.ui.forms.base import FormDialog
from htx_desktop.ui.list_page import ListPage
from htx_desktop.ui.main_window import MainWindow
from htx_desktop.ui.record_dialogs import HistoryDialog, TrashDialog
from tests.ui.conftest import answer_next_box, type_text, when_dialog

Fill = Callable[[FormDialog, dict[str, str]], None]


@dataclass
class Case:
    page: str  # section key
    tab: int  # tab of a tabbed page
    fill: Fill  # fills a new record's required fields (name field left for `name_field`)
    name_field: str  # a text field typed with Vietnamese
    name: str
    search: str  # typed without diacritics
    invalid: tuple[str, Any]  # a field and a refused value
    edit: tuple[str, str]  # text field and its new value


def _set(target: FormDialog, /, **values: Any) -> None:
    for key, value in values.items():
        target.widgets[key].set_value(value)  # type: ignore[attr-defined]


CASES: dict[str, Case] = {
    "cooperative": Case(
        "cooperatives", -1, lambda f, ids: _set(f, kind="htx", sectors=["handicraft"]),
        "name", "HTX Mây tre đan Hùng Sơn", "may tre dan", ("tax_code", "12345"),
        ("village", "Xóm Đồng")),
    "person": Case(
        "people", 0, lambda f, ids: _set(f, birth_year=1985), "full_name",
        "Lường Thị Hằng", "luong thi hang", ("birth_year", 1800), ("village", "Xóm Cả")),
    "cadre": Case(
        "people", 1, lambda f, ids: _set(f, person_id=ids["person2"], level="xa"),
        "position", "Phó Chủ tịch Hội", "", ("active_to", date(1940, 1, 1)),
        ("position", "Ủy viên Ban Thường vụ")),
    "event": Case(
        "events", -1, lambda f, ids: _set(f, type="hoi_thao", start=date(2024, 9, 5),
                                          count_total=25, topics=["ocop"]),
        "title", "Hội thảo sản phẩm OCOP", "hoi thao ocop", ("count_female", 99),
        ("place", "Nhà văn hóa xã")),
    "job_placement": Case(
        "jobs", -1, lambda f, ids: _set(f, person_id=ids["person2"],
                                        cooperative_id=ids["cooperative"],
                                        start=date(2024, 2, 1), monthly_income_vnd=4_500_000),
        "", "Đặng Thị Ánh", "dang thi anh", ("end", date(2023, 1, 1)), ("", "")),
    "support": Case(
        "support", 0, lambda f, ids: _set(f, cooperative_id=ids["cooperative"],
                                          kind="trade_fair", on=date(2024, 10, 1)),
        "provider", "Hội LHPN huyện Đại Từ", "", ("on", date(1940, 1, 1)),
        ("lender", "Quỹ hỗ trợ phụ nữ")),
    "supervision_visit": Case(
        "support", 1, lambda f, ids: _set(f, cooperative_id=ids["cooperative"],
                                          on=date(2024, 10, 1)),
        "visitors", "Phó Chủ tịch Hội LHPN huyện Đại Từ", "pho chu tich",
        ("on", date(1940, 1, 1)), ("visitors", "Ban Kinh tế Hội LHPN tỉnh")),
    "communication": Case(
        "communication", 0, lambda f, ids: _set(f, on=date(2024, 5, 2), form="tv", reach=900),
        "topic", "Phóng sự phụ nữ khởi nghiệp", "khoi nghiep", ("topic", None),
        ("topic", "Phóng sự phụ nữ khởi nghiệp xanh")),
    "award": Case(
        "communication", 1, lambda f, ids: _set(f, level="xa", on=date(2024, 11, 20)),
        "recipient", "Chị Nguyễn Thị Lan", "nguyen thi lan", ("title", None),
        ("title", "Bằng khen")),
}


def _title_field(case: Case, form: FormDialog) -> None:
    if case.page == "communication" and case.name_field == "recipient":
        _set(form, title="Giấy khen")


def _list(window: MainWindow, case: Case) -> ListPage:
    page = window.go(case.page)
    if case.tab >= 0:
        tabs = page.tabs  # type: ignore[attr-defined]
        tabs.setCurrentIndex(case.tab)
        widget = tabs.currentWidget()
        assert isinstance(widget, ListPage)
        return widget
    assert isinstance(page, ListPage)
    return page


@pytest.fixture
def window(qtbot: Any, ctx: AppContext) -> MainWindow:
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    return w


@pytest.fixture
def ids(ctx: AppContext, seeded: dict[str, str]) -> dict[str, str]:
    from sqlalchemy import select

    from htx_desktop.store import models as m
    with ctx.db.session() as session:
        second = session.scalar(select(m.Person.id).where(m.Person.full_name == "Đặng Thị Ánh"))
    return {**seeded, "person2": str(second)}


@pytest.mark.parametrize("kind", list(CASES))
def test_record_kind_through_the_window(qtbot: Any, window: MainWindow, ids: dict[str, str],
                                        kind: str) -> None:
    case = CASES[kind]
    page = _list(window, case)
    before = page.model.rowCount()
    assert before >= 1, "the list shows the records already there"

    # --- create, first with an invalid value: refused, message beside the field
    outcome: dict[str, Any] = {}

    def fill_new(form: FormDialog) -> None:
        case.fill(form, ids)
        _title_field(case, form)
        if case.name_field:
            type_text(form.widgets[case.name_field], case.name)
        field, bad = case.invalid
        good = form.widgets[field].value()  # type: ignore[attr-defined]
        form.widgets[field].set_value(bad)  # type: ignore[attr-defined]
        form.save_button.click()
        outcome["error"] = form.errors[field].text()
        outcome["visible"] = not form.errors[field].isHidden()
        outcome["still_open"] = form.isVisible()
        form.widgets[field].set_value(good)  # type: ignore[attr-defined]
        if case.invalid[0] == "title":
            _set(form, title="Giấy khen")
        if case.invalid[0] == "on":
            _set(form, on=date(2024, 10, 1))
        if case.invalid[0] == "topic":
            type_text(form.widgets["topic"], case.name)
        form.save_button.click()
        outcome["saved"] = form.saved_id

    when_dialog(FormDialog, fill_new)
    page.add_button.click()
    assert outcome["visible"] and outcome["error"], outcome
    assert outcome["still_open"]
    assert outcome["saved"], "the corrected record is saved"
    new_id = outcome["saved"]
    assert page.model.rowCount() == before + 1

    # --- search typed without diacritics finds it
    if case.search:
        page.search.clear()
        type_text(page.search, case.search)
        qtbot.waitUntil(lambda: new_id in page.model.ids(), timeout=2000)
        page.search.clear()
        page.apply_search()

    # --- edit (Enter on the selected row opens the form)
    page.select_id(new_id)
    if case.edit[0]:
        field, value = case.edit

        def edit(form: FormDialog) -> None:
            assert form.record_id == new_id
            form.widgets[field].set_value("")  # type: ignore[attr-defined]
            type_text(form.widgets[field], value)
            form.save_button.click()

        when_dialog(FormDialog, edit)
        page.table.setFocus()
        QTest.keyClick(page.table, Qt.Key.Key_Return)
        from htx_desktop.store.service import RecordService
        with window.ctx.db.session() as session:
            snap = RecordService(session, "").snapshot(kind, new_id)
        assert snap[field] == value

    # --- delete (asks), then restore from the trash
    page.select_id(new_id)
    answer_next_box("Có")
    page.delete_button.click()
    assert new_id not in page.model.ids()

    def restore(dialog: TrashDialog) -> None:
        row = dialog.model.row_of(new_id)
        dialog.table.selectRow(row)
        dialog.restore_button.click()
        dialog.accept()

    when_dialog(TrashDialog, restore)
    page.trash_button.click()
    assert new_id in page.model.ids()

    # --- history shows create, delete, restore
    page.select_id(new_id)
    seen: dict[str, list[str]] = {}

    def read_history(dialog: HistoryDialog) -> None:
        seen["actions"] = [dialog.table.item(r, 2).text()
                           for r in range(dialog.table.rowCount())]
        dialog.accept()

    when_dialog(HistoryDialog, read_history)
    page.history_button.click()
    assert seen["actions"][0] == "Tạo mới"
    assert "Khôi phục" in seen["actions"]


def test_plan_status_through_the_window(qtbot: Any, window: MainWindow) -> None:
    from htx_desktop.ui.pages.plan_page import PlanPage
    page = window.go("plan")
    assert isinstance(page, PlanPage)
    assert page.model.rowCount() == 34
    type_text(page.search, "truyen thong")
    qtbot.waitUntil(lambda: 0 < page.model.rowCount() < 34, timeout=2000)
    page.search.clear()
    page.apply_search()
    line = page.model.record_id(1)
    page.select_id(line)
    outcome: dict[str, Any] = {}

    def fill(form: FormDialog) -> None:
        _set(form, year=2040)
        form.save_button.click()
        outcome["error"] = form.errors["year"].text()
        _set(form, year=page.year, status="done")
        type_text(form.widgets["result"], "Đã hoàn thành tốt")
        form.save_button.click()
        outcome["saved"] = form.saved_id

    when_dialog(FormDialog, fill)
    page.add_button.click()
    assert outcome["error"]
    assert outcome["saved"]
    row = page.model.row_of(line)
    assert page.model.data(page.model.index(row, 4)) == "Đã hoàn thành"
    answer_next_box("Có")
    page.select_id(line)
    page.delete_button.click()
    assert page.model.data(page.model.index(row, 4)) == "Chưa triển khai"

    def restore(dialog: TrashDialog) -> None:
        dialog.table.selectRow(dialog.model.row_of(outcome["saved"]))
        dialog.restore_button.click()
        dialog.accept()

    when_dialog(TrashDialog, restore)
    page.trash_button.click()
    assert page.model.data(page.model.index(row, 4)) == "Đã hoàn thành"
