"""First-run wizard, duplicate warning, unsaved changes and drafts, settings, error dialog."""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit
from sqlalchemy import select

from htx_desktop.store import models as m
from htx_desktop.store.drafts import list_drafts
from htx_desktop.store.engine import Database
from htx_desktop.store.settings import get_setting, home_unit
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.error_dialog import ErrorDialog, install_excepthook
from htx_desktop.ui.first_run import FirstRunDialog
from htx_desktop.ui.forms.registry import make_form
from htx_desktop.ui.main_window import MainWindow
from tests.ui.conftest import answer_next_box, type_text, when_dialog


def test_first_run_finds_units_without_diacritics(qtbot: Any, db: Database) -> None:
    with db.session() as session:
        session.execute(m.Setting.__table__.delete().where(m.Setting.key == "home_unit_id"))
    wizard = FirstRunDialog(db)
    qtbot.addWidget(wizard)
    type_text(wizard.search, "dai tu")
    qtbot.waitUntil(lambda: wizard.units.count() > 0 and all(
        "Đại Từ" in wizard.units.item(i).text() for i in range(wizard.units.count())),
        timeout=2000)
    wizard.units.setCurrentRow(0)
    type_text(wizard.name, "Hoàng Thị Mai")
    type_text(wizard.phone, "0912345678")
    assert wizard.start_button.isEnabled()
    wizard.start_button.click()
    with db.session() as session:
        unit = home_unit(session)
        assert unit is not None and "Đại Từ" in unit.name
        assert get_setting(session, "officer_name") == "Hoàng Thị Mai"
    assert AppContext.load(db) is not None


def test_duplicate_warning_opens_existing_record(qtbot: Any, ctx: AppContext) -> None:
    form = make_form(ctx, "cooperative")
    qtbot.addWidget(form)
    form.show()
    type_text(form.widgets["name"], "HTX che dai tu")  # same name as a seeded one, folded
    assert not form.save()
    assert form.dup_bar.isVisible()
    assert "HTX Chè Đại Từ" in form.dup_label.text()
    opened: dict[str, Any] = {}

    def look(dialog: Any) -> None:
        opened["id"] = dialog.record_id
        opened["name"] = dialog.widgets["name"].value()

    when_dialog(type(form), look, exclude=form)
    form.dup_open.click()
    assert opened.get("name") == "HTX Chè Đại Từ"
    form.dup_save.click()  # "save anyway"
    assert form.saved_id


def test_keyboard_enter_moves_on_and_ctrl_s_saves(qtbot: Any, ctx: AppContext) -> None:
    form = make_form(ctx, "communication")
    qtbot.addWidget(form)
    form.show()
    try:
        with qtbot.waitActive(form, timeout=2000):
            form.activateWindow()
        first = form.widgets["on"]
        first.setFocus()
        QTest.keyClick(first, Qt.Key.Key_Return)
        assert form.focusWidget() is not first
        type_text(form.widgets["topic"], "Tọa đàm phụ nữ khởi nghiệp")
        form.widgets["topic"].setFocus()
        QTest.keyClick(form.widgets["topic"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        assert form.saved_id
    finally:
        form._dirty = False


def test_unsaved_changes_ask_and_draft_is_offered(qtbot: Any, ctx: AppContext) -> None:
    form = make_form(ctx, "person")
    qtbot.addWidget(form)
    form.show()
    type_text(form.widgets["full_name"], "Bàn Thị Mây")
    form.save_draft_now()  # the timer does this every few seconds
    drafts = list_drafts(ctx.db)
    assert [d[1] for d in drafts] == ["person"]
    assert drafts[0][3]["full_name"] == "Bàn Thị Mây"
    answer_next_box("Không")  # "discard the changes?" -> no: the form stays open
    QTest.keyClick(form, Qt.Key.Key_Escape)
    assert form.isVisible()
    # a crash: the form is gone without cleaning up; the next start offers the draft
    form._dirty = False
    form._draft_timer.stop()
    form.draft_id = None
    form.close()
    window = MainWindow(ctx)
    qtbot.addWidget(window)

    def save_restored(dialog: Any) -> None:
        assert dialog.widgets["full_name"].value() == "Bàn Thị Mây"
        dialog.save_button.click()

    answer_next_box("Có")
    when_dialog(type(form), save_restored)
    assert window.offer_drafts() == 1
    assert list_drafts(ctx.db) == []
    with ctx.db.session() as session:
        assert session.scalar(select(m.Person.id).where(m.Person.full_name == "Bàn Thị Mây"))


def test_settings_page_saves(qtbot: Any, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    page: Any = window.go("settings").tab(0)  # type: ignore[attr-defined]
    page.name.clear()
    type_text(page.name, "Lò Thị Xuân")
    page.language.setCurrentIndex(1)
    page.position_boxes["accountant"].setChecked(True)
    assert page.save()
    with ctx.db.session() as session:
        assert get_setting(session, "officer_name") == "Lò Thị Xuân"
        assert get_setting(session, "language") == "en"
        assert "accountant" in (get_setting(session, "management_positions") or "")


def test_excepthook_logs_shows_dialog_and_copies(qtbot: Any, tmp_path: Any) -> None:
    hook = install_excepthook(tmp_path / "logs")
    seen: dict[str, Any] = {}

    def copy(dialog: ErrorDialog) -> None:
        seen["text"] = dialog.findChildren(QLineEdit)
        dialog.copy_button.click()
        dialog.accept()

    when_dialog(ErrorDialog, copy)
    try:
        raise ValueError("hỏng")
    except ValueError:
        hook(*sys.exc_info())  # type: ignore[arg-type]
    finally:
        sys.excepthook = sys.__excepthook__
    assert "ValueError: hỏng" in QGuiApplication.clipboard().text()
    log = (tmp_path / "logs" / "htx-desktop.log").read_text(encoding="utf-8")
    assert "ValueError: hỏng" in log
