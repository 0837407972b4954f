"""Issue 15 points 4 and 5: records take their commune from where they are made; the keyboard
walk (Ctrl+1…9, Ctrl+N with the focus in the first field to fill)."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from htx_desktop.store.engine import Database
from htx_desktop.store.models import Cooperative, JobPlacement, Person
from htx_desktop.store.reference import find_unit
from htx_desktop.store.service import RecordService
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.forms.base import FormDialog
from htx_desktop.ui.forms.fields import PickerField
from htx_desktop.ui.forms.registry import last_form, make_form
from htx_desktop.ui.forms.rows import RowsEditor
from htx_desktop.ui.main_window import SECTIONS, MainWindow
from tests.ui.conftest import answer_next_box, type_text, when_dialog


def unit_named(db: Database, name: str) -> int:
    from htx_desktop.store import models as m
    with db.session() as session:
        province = find_unit(session, "19")
        assert province is not None
        unit_id = session.scalar(select(m.Unit.id).where(m.Unit.parent_id == province.id,
                                                         m.Unit.name == name))
        assert unit_id is not None
        return int(unit_id)


def province_ctx(db: Database) -> tuple[AppContext, int, int, str, str]:
    """The province's folder, a cooperative of Côn Minh and a woman there."""
    con_minh, dai_tu = unit_named(db, "Xã Côn Minh"), unit_named(db, "Xã Đại Từ")
    with db.session() as session:
        s = RecordService(session, "Cán bộ thử")
        coop = s.create("cooperative", {"unit_id": con_minh, "kind": "htx",
                                        "name": "HTX Miến dong Côn Minh", "status": "active"})
        person = s.create("person", {"unit_id": con_minh, "full_name": "Triệu Thị Hiền",
                                     "gender": "female", "birth_year": 1985})
        ids = str(coop.id), str(person.id)
    ctx = AppContext.load(db)
    assert ctx is not None
    return ctx, con_minh, dai_tu, *ids


def test_placement_takes_its_cooperatives_commune_and_asks_when_changed(
        qtbot: Any, db: Database) -> None:
    ctx, con_minh, dai_tu, coop_id, person_id = province_ctx(db)
    assert ctx.home_unit_id not in (con_minh, dai_tu)
    form = make_form(ctx, "job_placement")
    form.show()
    assert form.widgets["unit_id"].value() == ctx.home_unit_id  # type: ignore[attr-defined]
    form.widgets["person_id"].set_value(person_id)  # type: ignore[attr-defined]
    form.widgets["cooperative_id"].set_value(coop_id)  # type: ignore[attr-defined]
    assert form.widgets["unit_id"].value() == con_minh  # type: ignore[attr-defined]
    form.widgets["start"].setText("2/1/2026")  # type: ignore[attr-defined]
    assert form.save(), form.banner.text()
    with db.session() as session:
        job = session.get(JobPlacement, form.saved_id)
        assert job is not None and job.unit_id == con_minh
        assert job.start == date(2026, 1, 2)

    # another commune than the cooperative's: she is asked; "Không" saves nothing
    form = make_form(ctx, "job_placement", form.saved_id)
    form.show()
    form.widgets["unit_id"].set_value(dai_tu)  # type: ignore[attr-defined]
    answer_next_box("Không")
    assert not form.save()
    with db.session() as session:
        job = session.get(JobPlacement, form.record_id)
        assert job is not None and job.unit_id == con_minh
    answer_next_box("Có")
    assert form.save(), form.banner.text()
    with db.session() as session:
        job = session.get(JobPlacement, form.record_id)
        assert job is not None and job.unit_id == dai_tu


@pytest.mark.qt_log_ignore("This plugin does not support raise",
                            "does not support grabbing")  # the list of matches, offscreen
def test_commune_she_chose_is_not_overridden(qtbot: Any, db: Database) -> None:
    ctx, _con_minh, dai_tu, coop_id, _person = province_ctx(db)
    form = make_form(ctx, "support")
    form.show()
    unit = form.widgets["unit_id"]
    assert unit.isEditable()  # type: ignore[attr-defined]  # 93 communes: typed, not scrolled
    unit.lineEdit().selectAll()  # type: ignore[attr-defined]
    type_text(unit.lineEdit(), "xa dai tu")  # type: ignore[attr-defined]
    unit.settle()  # type: ignore[attr-defined]  # leaving the field
    assert unit.value() == dai_tu  # type: ignore[attr-defined]
    form.widgets["cooperative_id"].set_value(coop_id)  # type: ignore[attr-defined]
    assert unit.value() == dai_tu  # type: ignore[attr-defined]


def test_manager_added_from_a_cooperative_takes_its_commune(qtbot: Any, db: Database) -> None:
    ctx, con_minh, _dai_tu, coop_id, _person = province_ctx(db)
    form = make_form(ctx, "cooperative", coop_id)
    form.show()
    positions = form.widgets["positions"]
    assert isinstance(positions, RowsEditor)
    row = positions.add_row({"position": "director"})
    picker = positions.cell(row, "person_id")
    assert isinstance(picker, PickerField)
    seen: dict[str, Any] = {}

    def new_person(person_form: FormDialog) -> None:
        seen["unit"] = person_form.widgets["unit_id"].value()  # type: ignore[attr-defined]
        type_text(person_form.widgets["full_name"], "Hoàng Thị Mến")
        person_form.widgets["birth_year"].set_value(1979)  # type: ignore[attr-defined]
        person_form.save_button.click()

    when_dialog(FormDialog, new_person, exclude=form)
    picker.new_button.click()
    assert seen["unit"] == con_minh
    with db.session() as session:
        person = session.scalar(select(Person).where(Person.full_name == "Hoàng Thị Mến"))
        assert person is not None and person.unit_id == con_minh


def test_new_cooperative_saves_with_only_its_name(qtbot: Any, ctx: AppContext) -> None:
    form = make_form(ctx, "cooperative")
    form.show()
    with qtbot.waitActive(form):
        form.activateWindow()
    name = form.widgets["name"]
    assert form.focusWidget() is name  # the first field without a default
    type_text(name, "HTX Rau an toàn Đại Từ")
    QTest.keyClick(name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert form.saved_id, form.banner.text()
    with ctx.db.session() as session:
        coop = session.get(Cooperative, form.saved_id)
        assert coop is not None
        assert (coop.kind, coop.status, coop.unit_id) == ("htx", "active", ctx.home_unit_id)


def test_ctrl_digits_open_pages_and_ctrl_n_a_new_record(qtbot: Any, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    dashboard: Any = window.pages["overview"].tab(0)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not dashboard.busy, timeout=20_000)
    for digit in range(9, 0, -1):
        QTest.keyClick(window, getattr(Qt.Key, f"Key_{digit}"),
                       Qt.KeyboardModifier.ControlModifier)
        assert window.nav.currentRow() == digit - 1
        assert window.stack.currentWidget() is window.pages[SECTIONS[digit - 1][0]]
    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    seen: dict[str, Any] = {}

    def look(form: FormDialog) -> None:
        seen["kind"] = form.KIND
        seen["focus"] = form.focusWidget()
        seen["name"] = form.widgets["name"]

    when_dialog(FormDialog, look)
    QTest.keyClick(window.nav, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert seen["kind"] == "cooperative"
    assert seen["focus"] is seen["name"]
    assert last_form and last_form[0].KIND == "cooperative"


def test_escape_asks_only_when_something_changed(qtbot: Any, ctx: AppContext) -> None:
    form = make_form(ctx, "award")
    form.show()
    QTest.keyClick(form, Qt.Key.Key_Escape)
    assert not form.isVisible()  # nothing typed: closed without a question
    form = make_form(ctx, "award")
    form.show()
    type_text(form.widgets["recipient"], "Chị Lò Thị Xuân")
    answer_next_box("Không")
    QTest.keyClick(form, Qt.Key.Key_Escape)
    assert form.isVisible()
    form._dirty = False


def test_first_run_enter_walks_to_start(qtbot: Any, db: Database) -> None:
    from htx_desktop.store import models as m
    from htx_desktop.store.settings import get_setting, home_unit
    from htx_desktop.ui.first_run import FirstRunDialog
    with db.session() as session:
        session.execute(m.Setting.__table__.delete().where(m.Setting.key == "home_unit_id"))
    wizard = FirstRunDialog(db)
    qtbot.addWidget(wizard)
    wizard.show()
    with qtbot.waitActive(wizard):
        wizard.activateWindow()
    type_text(wizard.search, "con minh")
    qtbot.waitUntil(lambda: wizard.units.count() == 1, timeout=2000)
    QTest.keyClick(wizard.search, Qt.Key.Key_Return)
    assert wizard.focusWidget() is wizard.units and wizard.chosen_unit_id() is not None
    QTest.keyClick(wizard.units, Qt.Key.Key_Return)
    assert wizard.focusWidget() is wizard.name
    type_text(wizard.name, "Triệu Thị Hiền")
    QTest.keyClick(wizard.name, Qt.Key.Key_Return)
    assert wizard.focusWidget() is wizard.position
    QTest.keyClick(wizard.position, Qt.Key.Key_Return)
    assert wizard.focusWidget() is wizard.phone
    QTest.keyClicks(wizard.phone, "0912 345 678")
    QTest.keyClick(wizard.phone, Qt.Key.Key_Return)  # the last field: Enter starts
    assert wizard.result() == wizard.DialogCode.Accepted
    with db.session() as session:
        unit = home_unit(session)
        assert unit is not None and unit.name == "Xã Côn Minh"
        assert get_setting(session, "officer_phone") == "0912345678"


def test_enter_moves_on_from_text_dates_and_searchable_dropdowns(qtbot: Any,
                                                                  ctx: AppContext) -> None:
    form = make_form(ctx, "person")
    form.show()
    with qtbot.waitActive(form):
        form.activateWindow()
    order = ["full_name", "gender", "birth_year", "ethnicity_code", "village"]
    form.widgets[order[0]].setFocus()
    for here, there in pairwise(order):
        widget = form.focusWidget()
        assert widget is not None
        QTest.keyClick(widget, Qt.Key.Key_Return)
        focus = form.focusWidget()
        target = form.widgets[there]
        assert focus is target or target.isAncestorOf(focus), (here, there, focus)
    form._dirty = False


def test_new_cadre_is_of_the_home_units_level(qtbot: Any, ctx: AppContext) -> None:
    """In a commune's folder: the commune's union (the list's first choice is the province)."""
    form = make_form(ctx, "cadre")
    assert form.widgets["level"].value() == "xa"  # type: ignore[attr-defined]
