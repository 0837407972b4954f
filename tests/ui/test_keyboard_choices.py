"""Issue 15 points 2 and 3: the wheel never changes a field without focus; long drop-downs
are in Vietnamese order and filter as she types, without regard to diacritics."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QInputMethodEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QScrollArea, QWidget

from htx_desktop.domain.text import fold
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.forms.choice_field import ChoiceField
from htx_desktop.ui.forms.registry import make_form
from htx_desktop.ui.forms.rows import RowsEditor
from htx_desktop.ui.wheel_guard import guard_wheel
from tests.ui.conftest import type_text


def wheel(widget: QWidget, down: bool = True) -> None:
    """One notch of the wheel over the middle of `widget`, as the platform would send it."""
    centre = QPointF(widget.rect().center())
    delta = -120 if down else 120
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, delta), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def scroll_area_of(widget: QWidget) -> QScrollArea:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    assert parent is not None
    return parent


def test_wheel_over_unfocused_dropdown_changes_nothing(qtbot: Any, ctx: AppContext) -> None:
    form = make_form(ctx, "person")
    form.resize(700, 300)  # small: the form scrolls
    form.show()
    with qtbot.waitActive(form):
        form.activateWindow()
    gender = form.widgets["gender"]
    assert isinstance(gender, ChoiceField)
    form.widgets["full_name"].setFocus()
    before = gender.value()
    scroll = scroll_area_of(gender).verticalScrollBar()
    assert scroll.maximum() > 0
    at = scroll.value()
    wheel(gender)
    wheel(gender)
    assert gender.value() == before
    assert not gender.hasFocus()
    assert scroll.value() > at  # the wheel scrolled the form instead
    # with the focus (she clicked it), the wheel is hers to use
    gender.setFocus()
    wheel(gender)
    assert gender.value() != before


def test_wheel_over_unfocused_row_dropdown_changes_nothing(qtbot: Any, ctx: AppContext,
                                                          seeded: dict[str, str]) -> None:
    form = make_form(ctx, "cooperative", seeded["cooperative"])
    form.show()
    positions = form.widgets["positions"]
    assert isinstance(positions, RowsEditor)
    form._reveal(positions)
    role = positions.cell(0, "position")
    assert isinstance(role, ChoiceField)
    before = role.value()
    wheel(role)
    wheel(role, down=False)
    wheel(role)
    assert role.value() == before


def test_page_dropdowns_are_guarded(qtbot: Any) -> None:
    page = QWidget()
    box = QComboBox(page)
    box.addItems(["2026", "2025", "2024"])
    qtbot.addWidget(page)
    page.show()
    guard_wheel(page)
    wheel(box)
    assert box.currentIndex() == 0
    assert box.focusPolicy() == Qt.FocusPolicy.StrongFocus


def test_communes_in_vietnamese_order(ctx: AppContext, commune_db: Any) -> None:
    from htx_desktop.store.reference import descendant_units, find_unit
    from htx_desktop.ui.context import _communes
    with commune_db.session() as session:
        province = find_unit(session, "19")
        assert province is not None
        units = [(u.id, u.name) for u in descendant_units(session, province.id)]
    ordered = [name for _id, name in _communes(province.id, units)]
    assert ordered[0] == "Tỉnh Thái Nguyên"
    proper = [n.split(" ", 1)[1] for n in ordered[1:]]
    assert proper.index("Bạch Thông") < proper.index("Bình Yên")
    assert proper.index("Dân Tiến") < proper.index("Đức Xuân") < proper.index("Gia Sàng")
    assert proper.index("Vạn Phú") < proper.index("Võ Nhai")


def communes_field() -> ChoiceField:
    names = ["Xã An Khánh", "Xã Bạch Thông", "Xã Côn Minh", "Xã Cao Minh", "Xã Đại Từ",
             "Xã Đức Lương", "Xã La Bằng", "Xã Phú Lạc", "Xã Quân Chu", "Xã Tân Cương",
             "Xã Vạn Phú", "Phường Bắc Kạn"]
    return ChoiceField([(i, n) for i, n in enumerate(names)])


# the offscreen platform cannot raise the list of matches or grab the keyboard for it
POPUP_WARNINGS = ("This plugin does not support raise", "does not support grabbing")


@pytest.mark.qt_log_ignore(*POPUP_WARNINGS)
def test_long_dropdown_filters_as_she_types(qtbot: Any) -> None:
    field = communes_field()
    qtbot.addWidget(field)
    field.show()
    assert field.isEditable()
    completer = field.completer()
    field.lineEdit().selectAll()  # as when she arrives with Tab
    type_text(field.lineEdit(), "con minh")
    assert completer.completionCount() == 1
    assert completer.currentCompletion() == "Xã Côn Minh"
    field.lineEdit().clear()
    type_text(field.lineEdit(), "Xã Côn")  # with diacritics, as typed with Unikey
    shown = [completer.completionModel().index(i, 0).data()
             for i in range(completer.completionCount())]
    assert shown == ["Xã Côn Minh"]
    field.settle()  # leaving the field: the one match is chosen
    assert field.value() == 2 and field.currentText() == "Xã Côn Minh"


def test_text_that_is_no_choice_puts_the_choice_back(qtbot: Any) -> None:
    field = communes_field()
    qtbot.addWidget(field)
    field.set_value(4)
    field.lineEdit().setText("minh")  # two matches: she has not chosen
    field.settle()
    assert field.value() == 4 and field.currentText() == "Xã Đại Từ"


@pytest.mark.qt_log_ignore(*POPUP_WARNINGS)
def test_typing_method_commits_are_filtered(qtbot: Any) -> None:
    """Telex/VNI send a commit string that replaces the letters typed so far."""
    field = communes_field()
    qtbot.addWidget(field)
    field.show()
    line = field.lineEdit()
    line.setFocus()
    line.selectAll()
    # Telex: d, d → đ (replaces the d), a, i, j → ại (replaces "ai")
    for text, start, length in (("d", 0, 0), ("đ", -1, 1), ("a", 0, 0), ("i", 0, 0),
                                ("ại", -2, 2)):
        event = QInputMethodEvent("", [])
        event.setCommitString(text, start, length)
        QApplication.sendEvent(line, event)
    assert line.text() == "đại"
    completer = field.completer()
    assert completer.completionPrefix() == "đại"
    assert [completer.completionModel().index(i, 0).data()
            for i in range(completer.completionCount())] == ["Xã Đại Từ"]


def test_short_lists_stay_plain_drop_downs() -> None:
    field = ChoiceField([("female", "Nữ"), ("male", "Nam")])
    assert not field.isEditable()
    assert fold("Xã Côn Minh") == "xa con minh"


def test_every_page_dropdown_refuses_the_unfocused_wheel(qtbot: Any, ctx: AppContext) -> None:
    """Lists' filters, the dashboard's choices, the settings' numbers: in every page and tab."""
    from PySide6.QtWidgets import QAbstractSpinBox

    from htx_desktop.ui.main_window import SECTIONS, MainWindow
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    dashboard: Any = window.pages["overview"].tab(0)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not dashboard.busy, timeout=20_000)
    seen = 0
    for row in range(len(SECTIONS)):
        window.nav.setCurrentRow(row)
        page = window.pages[SECTIONS[row][0]]
        tabs = getattr(page, "tabs", None)
        for i in range(tabs.count() if tabs is not None else 1):
            if tabs is not None:
                tabs.setCurrentIndex(i)
            for box in page.findChildren(QComboBox) + page.findChildren(QAbstractSpinBox):
                if not box.isVisible() or box.hasFocus():
                    continue
                before = box.currentIndex() if isinstance(box, QComboBox) else box.text()
                wheel(box)
                after = box.currentIndex() if isinstance(box, QComboBox) else box.text()
                assert after == before, box.objectName()
                seen += 1
    assert seen >= 10


@pytest.mark.qt_log_ignore(*POPUP_WARNINGS)
def test_lender_offers_the_lenders_already_written(qtbot: Any, ctx: AppContext) -> None:
    form = make_form(ctx, "support")
    form.show()
    lender = form.widgets["lender"]
    completer = lender.completer()  # type: ignore[attr-defined]
    assert completer is not None
    type_text(lender, "ngan hang chinh")
    assert completer.completionCount() == 1
    assert completer.currentCompletion() == "Ngân hàng Chính sách xã hội"
    form._dirty = False
