"""Attendance at speed (issue #16): a 25-line sign-in sheet pasted into an event, the preview
(matches, a choice among namesakes, new people, a repeated line, a TCVN3 line and the offer to
convert it), the keyboard choice and the one-transaction save; the attendee table's type-ahead,
its height and the focused new row; namesakes shown apart; one person twice refused."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox
from sqlalchemy import select

from htx_desktop.store import models as m
from htx_desktop.store.engine import Database
from htx_desktop.store.service import RecordService
from htx_desktop.ui.attendance_paste_dialog import COL_PERSON, COL_STATUS, AttendancePasteDialog
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.forms.attendance import AttendanceEditor, PersonEntry
from htx_desktop.ui.forms.registry import make_form
from htx_desktop.ui.record_dialogs import PickerDialog
from tests.ui.conftest import type_text, when_dialog

# 19 people with distinct names, registered in commune A (birth years 1970…)
NAMES = ["Lý Thị Mai", "Hoàng Thị Lan", "Đặng Thị Hương", "Vi Thị Nga", "Nông Thị Thoa",
         "Ma Thị Hạnh", "Lục Thị Dung", "La Thị Xuân", "Hà Thị Duyên", "Triệu Thị Sen",
         "Dương Thị Huệ", "Mạc Thị Liên", "Lành Thị Tươi", "Chu Thị Vân", "Đinh Thị Yến",
         "Tô Thị Phương", "Lâm Thị Hằng", "Quan Thị Thắm", "Hứa Thị Nhung"]


@pytest.fixture
def province_ctx(db: Database) -> tuple[AppContext, dict[str, Any]]:
    """The province as home unit (92 communes in scope) with the people of the sheet."""
    ctx = AppContext.load(db)
    assert ctx is not None
    communes = [(i, n) for i, n in ctx.communes if i != ctx.home_unit_id]
    (a, name_a), (b, name_b) = communes[0], communes[1]
    ids: dict[str, Any] = {"a": a, "b": b, "name_a": name_a, "name_b": name_b}
    with db.session() as session:
        s = RecordService(session, "Cán bộ thử")

        def person(name: str, year: int, unit: int) -> str:
            return str(s.create("person", {"unit_id": unit, "full_name": name,
                                           "gender": "female", "birth_year": year}).id)

        ids["people"] = [person(n, 1970 + i, a) for i, n in enumerate(NAMES)]
        ids["hai_1987"] = person("Bàn Thị Hải", 1987, a)
        ids["hai_2004"] = person("Bàn Thị Hải", 2004, b)
        ids["hoa"] = person("Nguyễn Thị Hòa", 1982, a)  # old tone placement
        ids["thuy"] = person("Hoàng Thị Thủy", 1979, b)  # pasted in TCVN3
    return ctx, ids


def sheet(ids: dict[str, Any]) -> str:
    """25 lines as copied from Excel: STT, name, birth year, commune."""
    a, b = ids["name_a"], ids["name_b"]
    lines = [f"{i + 1}\t{n}\t{1970 + i}\t{a}" for i, n in enumerate(NAMES)]
    lines[4] = unicodedata.normalize("NFD", lines[4])  # one line decomposed (NFD)
    lines.append(f"20\tNguyễn Thị Hoà\t1982\t{a}")  # new tone placement: the same person
    lines.append("21\tBàn Thị Hải\t\t")  # two namesakes: to choose
    lines.append(f"22\t{NAMES[2]}\t1972\t{a}")  # line 3 again
    lines.append(f"23\tTriệu Thị Mới\t1995\t{a}")  # new
    lines.append(f"24\tLường Thị Xuân Hoà\t2001\t{b}")  # new
    lines.append("25\tHoµng ThÞ Thñy\t1979\t")  # TCVN3 (ABC): Hoàng Thị Thủy
    assert len(lines) == 25
    return "\n".join(lines) + "\n"


def activate(qtbot: Any, window: Any) -> None:
    """Make `window` the active one, so that focus and shortcuts behave as on screen."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def statuses(dialog: AttendancePasteDialog) -> list[str]:
    return [m.status for m in dialog.results]


def test_paste_25_lines_preview_choose_convert_and_save_in_one_go(
        qtbot: Any, province_ctx: tuple[AppContext, dict[str, Any]]) -> None:
    ctx, ids = province_ctx
    form = make_form(ctx, "event")
    form.widgets["title"].set_value("Tập huấn kỹ năng quản trị HTX")
    form.show()
    QGuiApplication.clipboard().setText(sheet(ids))
    seen: dict[str, Any] = {}

    def act(dialog: AttendancePasteDialog) -> None:
        activate(qtbot, dialog)
        # the sheet came from the clipboard; columns guessed from the values
        assert len(dialog.results) == 25
        assert [b.currentData() for b in dialog.column_boxes] == [
            "skip", "name", "birth_year", "commune"]
        s = statuses(dialog)
        assert s.count("matched") == 20  # 19 names (one in NFD) + "Hoà" for "Hòa"
        assert dialog.results[19].chosen() is not None
        assert dialog.results[19].choice == ids["hoa"]
        assert s[20] == "choose" and {p.id for p in dialog.results[20].candidates} == {
            ids["hai_1987"], ids["hai_2004"]}
        assert s[21] == "duplicate" and dialog.results[21].duplicate_of == 3
        assert s[22] == s[23] == "new"
        assert s[24] == "error" and dialog.results[24].line.legacy == "tcvn3"
        # what the officer sees
        assert dialog.legacy_bar.isVisible()
        assert "TCVN3" in dialog.legacy_label.text()
        assert "Hoàng Thị Thủy" in dialog.legacy_label.text()
        assert dialog.table.item(21, COL_STATUS).text() == "Trùng dòng 3: bỏ qua"
        assert dialog.table.item(20, COL_STATUS).text() == "Cần chọn: 2 người trùng tên"
        choice = dialog.table.cellWidget(20, COL_PERSON)
        assert isinstance(choice, QComboBox)
        labels = [choice.itemText(i) for i in range(choice.count())]
        assert labels[1:3] == [f"Bàn Thị Hải (1987, {ids['name_a']})",
                               f"Bàn Thị Hải (2004, {ids['name_b']})"]
        assert labels[3].startswith("Người mới: Bàn Thị Hải")
        assert not dialog.save_button.isEnabled()  # a line still to choose
        assert "1 cần chọn" in dialog.summary.text()
        seen["preview"] = dialog.grab()
        # convert the TCVN3 line: it now matches the registered person
        qtbot.mouseClick(dialog.convert_button, Qt.MouseButton.LeftButton)
        assert dialog.results[24].status == "matched"
        assert dialog.results[24].choice == ids["thuy"]
        assert not dialog.legacy_bar.isVisible()
        # the line to choose has the focus: Down twice (the 2004 one), Enter, Enter saves
        box = dialog.table.cellWidget(20, COL_PERSON)
        assert QApplication.focusWidget() is box
        QTest.keyClick(box, Qt.Key.Key_Down)
        QTest.keyClick(box, Qt.Key.Key_Down)
        assert dialog.results[20].choice == ids["hai_2004"]
        qtbot.waitUntil(lambda: dialog.table.item(20, COL_STATUS).text() == "Đã có")
        box = dialog.table.cellWidget(20, COL_PERSON)
        assert box.currentText() == f"Bàn Thị Hải (2004, {ids['name_b']})"
        QTest.keyClick(box, Qt.Key.Key_Return)
        assert dialog.save_button.isEnabled(), (dialog.summary.text(), statuses(dialog))
        assert dialog.save_button.text() == "Lưu 24 người tham dự"
        assert QApplication.focusWidget() is dialog.save_button
        seen["ready"] = dialog.grab()
        QTest.keyClick(dialog.save_button, Qt.Key.Key_Return)

    when_dialog(AttendancePasteDialog, act)
    activate(qtbot, form)
    QTest.keyClick(form.focusWidget() or form, Qt.Key.Key_V,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "ready" in seen, "the preview was not driven to the end"
    assert form.saved_id is not None, form.banner.text()
    with ctx.db.session() as session:
        attendees = session.scalars(select(m.Attendance.person_id)
                                    .where(m.Attendance.event_id == form.saved_id)).all()
        new = {p.full_name: p for p in session.scalars(
            select(m.Person).where(m.Person.full_name.in_(
                ["Triệu Thị Mới", "Lường Thị Xuân Hoà"])))}
        assert set(new) == {"Triệu Thị Mới", "Lường Thị Xuân Hoà"}
        assert (new["Triệu Thị Mới"].birth_year, new["Triệu Thị Mới"].unit_id) == (1995, ids["a"])
        assert new["Lường Thị Xuân Hoà"].unit_id == ids["b"]
        expected = {*ids["people"], ids["hoa"], ids["hai_2004"], ids["thuy"],
                    *(p.id for p in new.values())}
        assert len(attendees) == 24 and set(attendees) == expected
        assert ids["hai_1987"] not in attendees
    for name in ("preview", "ready"):
        seen[name].save(f"/tmp/htx-paste-{name}.png")


def test_a_refused_save_creates_nobody(qtbot: Any,
                                       province_ctx: tuple[AppContext, dict[str, Any]]) -> None:
    """Without a title the event is refused: the pasted new people are not created either,
    and the rows stay in the table for the next try."""
    ctx, _ids = province_ctx
    form = make_form(ctx, "event")
    form.show()
    editor = form.widgets["attendance"]
    assert isinstance(editor, AttendanceEditor)

    def act(dialog: AttendancePasteDialog) -> None:
        assert statuses(dialog) == ["new", "matched"]
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_dialog(AttendancePasteDialog, act)
    QGuiApplication.clipboard().setText(f"Triệu Thị Mới, 1995\n{NAMES[0]}, 1970\n")
    editor.paste_sheet()
    assert form.saved_id is None and form.banner.isVisible()
    with ctx.db.session() as session:
        assert session.scalar(select(m.Person.id).where(
            m.Person.full_name == "Triệu Thị Mới")) is None
    assert [r.get("_new", {}).get("full_name") for r in editor.value()] == [
        "Triệu Thị Mới", None]
    form.widgets["title"].set_value("Hội nghị")
    assert form.save()
    with ctx.db.session() as session:
        assert session.scalar(select(m.Person.id).where(
            m.Person.full_name == "Triệu Thị Mới")) is not None


def test_type_ahead_enter_with_namesakes_opens_the_choice_and_twice_is_refused(
        qtbot: Any, province_ctx: tuple[AppContext, dict[str, Any]]) -> None:
    ctx, ids = province_ctx
    form = make_form(ctx, "event")
    form.resize(880, 600)
    form.show()
    editor = form.widgets["attendance"]
    assert isinstance(editor, AttendanceEditor)
    form._reveal(editor)
    activate(qtbot, form)
    qtbot.waitUntil(editor.table.isVisible)
    # the table uses the dialog's height (not five rows in a tall dialog)
    assert editor.table.height() > 300
    entry = editor.entry(0)
    assert isinstance(entry, PersonEntry)

    def pick(dialog: PickerDialog) -> None:
        activate(qtbot, dialog)
        assert dialog.search.text() == "Bàn Thị Hải"
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)
        QTest.keyClick(dialog.search, Qt.Key.Key_Return)  # several: not closed empty
        assert dialog.isVisible() and dialog.hint.isVisible()
        assert QApplication.focusWidget() is dialog.table
        # the list shows the two apart; arrow to the one born in 2004
        years = [dialog.model.data(dialog.model.index(r, 2)) for r in range(2)]
        assert sorted(str(y) for y in years) == ["1987", "2004"]
        for _ in range([str(y) for y in years].index("2004")):
            QTest.keyClick(dialog.table, Qt.Key.Key_Down)
        QTest.keyClick(dialog.table, Qt.Key.Key_Return)

    def pick_2004(dialog: PickerDialog) -> None:
        years = [str(dialog.model.data(dialog.model.index(r, 2))) for r in range(2)]
        dialog.table.setCurrentIndex(dialog.model.index(years.index("2004"), 0))
        QTest.keyClick(dialog.table, Qt.Key.Key_Return)

    when_dialog(PickerDialog, pick)
    type_text(entry.edit, "Bàn Thị Hải")
    QTest.keyClick(entry.edit, Qt.Key.Key_Return)
    assert entry.value() == ids["hai_2004"]
    assert entry.edit.text() == f"Bàn Thị Hải (2004, {ids['name_b']})"
    # the next empty row was added, scrolled to and focused
    assert editor.table.rowCount() == 2 and editor.table.currentRow() == 1
    assert form.focusWidget() is editor.entry(1).edit
    # one match: taken at once (typed without marks, in the new tone placement)
    type_text(editor.entry(1).edit, "nguyen thi hoà")
    QTest.keyClick(editor.entry(1).edit, Qt.Key.Key_Return)
    assert editor.entry(1).value() == ids["hoa"]
    # the same person again: refused with a message, the row left empty
    when_dialog(PickerDialog, lambda d: (activate(qtbot, d),
                                         qtbot.waitUntil(lambda: d.model.rowCount() == 2),
                                         QTest.keyClick(d.search, Qt.Key.Key_Return),
                                         pick_2004(d)))
    type_text(editor.entry(2).edit, "Bàn Thị Hải")
    QTest.keyClick(editor.entry(2).edit, Qt.Key.Key_Return)
    assert editor.entry(2).value() is None and editor.entry(2).is_empty()
    assert editor.message.isVisible()
    assert "đã có ở dòng 1" in editor.message.text()
    assert [r["person_id"] for r in editor.value()] == [ids["hai_2004"], ids["hoa"]]
    # "Thêm dòng" with an empty row at the end focuses it rather than piling up empty rows
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert editor.table.currentRow() == editor.table.rowCount() - 1
    assert form.focusWidget() is editor.entry(editor.table.rowCount() - 1).edit
    form.widgets["title"].set_value("Hội nghị")
    assert form.save()
    form2 = make_form(ctx, "event", form.saved_id)
    editor2 = form2.widgets["attendance"]
    shown = [editor2.entry(r).edit.text() for r in range(editor2.table.rowCount())]
    assert shown[-1] == ""  # the empty row to type in
    assert sorted(shown[:-1]) == [f"Bàn Thị Hải (2004, {ids['name_b']})",
                                  f"Nguyễn Thị Hòa (1982, {ids['name_a']})"]


@pytest.mark.parametrize("typed", ["Nguyễn Thị Hoà", "nguyễn thị hòa", "NGUYỄN THỊ HOÀ",
                                   unicodedata.normalize("NFD", "Nguyễn Thị Hoà"), "nguyen hoa"])
def test_tone_placement_and_nfd_variants_find_the_same_people(
        typed: str, province_ctx: tuple[AppContext, dict[str, Any]]) -> None:
    """Search (the person list and the attendee suggestions) folds the marks away, so old and
    new tone placement, NFC and NFD find the same person; the folded key stored in the index
    is the same for both spellings (no index rebuild is needed)."""
    from htx_desktop.domain.text import fold
    from htx_desktop.store.people_lookup import search
    from htx_desktop.ui.list_specs import person_spec
    from htx_desktop.ui.table_model import LazyTableModel

    ctx, ids = province_ctx
    with ctx.db.session() as session:
        s = RecordService(session, "Cán bộ thử")
        new_style = str(s.create("person", {"unit_id": ids["b"], "full_name": "Nguyễn Thị Hoà",
                                            "birth_year": 1999}).id)
    with ctx.db.session() as session:
        keys = dict(session.execute(select(m.Person.id, m.Person.name_key).where(
            m.Person.id.in_([ids["hoa"], new_style]))).all())
    with ctx.db.session() as session:
        found = {p.id for p in search(session, typed, ctx.unit_ids, 20)}
    assert keys[ids["hoa"]] == keys[new_style] == fold("Nguyễn Thị Hòa")
    assert {ids["hoa"], new_style} <= found
    model = LazyTableModel(ctx.db.engine, person_spec(), ctx.unit_ids)
    model.set_search(typed)
    listed = {model.record_id(r) for r in range(model.rowCount())}
    assert {ids["hoa"], new_style} <= listed


def test_pick_many_from_an_earlier_event_with_ticks_kept_across_filters(
        qtbot: Any, province_ctx: tuple[AppContext, dict[str, Any]]) -> None:
    from htx_desktop.ui.pick_people_dialog import PickPeopleDialog

    ctx, ids = province_ctx
    with ctx.db.session() as session:
        earlier = str(RecordService(session, "Cán bộ thử").create("event", {
            "unit_id": ids["a"], "type": "tap_huan", "title": "Lớp trước",
            "start": "2025-03-01",
            "attendance": [{"person_id": p} for p in ids["people"][:5]]}).id)
    form = make_form(ctx, "event")
    form.show()
    editor = form.widgets["attendance"]
    assert isinstance(editor, AttendanceEditor)
    editor.set_value([{"person_id": ids["people"][0]}])

    def act(dialog: PickPeopleDialog) -> None:
        dialog.event_box.setCurrentIndex(dialog.event_box.findData(earlier))
        dialog.refresh()
        assert {p.id for p in dialog.shown} == set(ids["people"][:5])
        listed = dialog.table.item(0, 0)  # the one already on the list: ticked, greyed
        first = next(r for r, p in enumerate(dialog.shown) if p.id == ids["people"][0])
        assert dialog.table.item(first, 0).checkState() == Qt.CheckState.Checked
        assert not dialog.table.item(first, 0).flags() & Qt.ItemFlag.ItemIsEnabled
        assert listed is not None
        dialog.tick_all(True)
        assert len(dialog.ticked) == 4
        # a tick made under another filter is kept
        dialog.event_box.setCurrentIndex(0)
        dialog.search.setText("Bàn Thị Hải")
        dialog.refresh()
        assert {p.full_name for p in dialog.shown} == {"Bàn Thị Hải"}
        assert [dialog.table.item(r, 1).text() for r in range(2)] in (["1987", "2004"],
                                                                       ["2004", "1987"])
        row = [dialog.table.item(r, 1).text() for r in range(2)].index("1987")
        dialog.table.setCurrentCell(row, 0)
        QTest.keyClick(dialog.table, Qt.Key.Key_Space)
        assert dialog.ok.text() == "Thêm 5 người"
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    when_dialog(PickPeopleDialog, act)
    qtbot.mouseClick(editor.pick_button, Qt.MouseButton.LeftButton)
    chosen = [r["person_id"] for r in editor.value()]
    assert sorted(chosen) == sorted([*ids["people"][:5], ids["hai_1987"]])
    assert editor.message.text() == "Đã thêm 5 người vào danh sách tham dự."
    assert editor.count_label.text() == "6 người"
