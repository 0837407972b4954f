"""Issue 15 point 1: a date is typed as the officer writes it, Tab leaves the field, an
impossible date is marked and stops the save, the calendar speaks Vietnamese."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from htx_desktop.domain.typed_date import read_date
from htx_desktop.store.models import Event
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.forms.date_field import DateField
from htx_desktop.ui.forms.registry import make_form
from htx_desktop.ui.forms.rows import RowsEditor

TYPED = ["15/03/2026", "15/3/2026", "15032026", "15/3/26", "15-3-2026", "15.03.2026"]


@pytest.mark.parametrize("typed", TYPED)
def test_reading_each_accepted_form(typed: str) -> None:
    assert read_date(typed).value == date(2026, 3, 15)


@pytest.mark.parametrize(("typed", "words"), [
    ("31/02/2026", "chỉ có 28 ngày"), ("29/02/2025", "chỉ có 28 ngày"),
    ("15/13/2026", "tháng 13"), ("abc", "chưa phải là ngày"), ("1503", "chưa phải là ngày")])
def test_impossible_dates_are_refused_never_guessed(typed: str, words: str) -> None:
    reading = read_date(typed)
    assert reading.value is None and words in reading.problem


def test_two_digit_years() -> None:
    today = date(2026, 12, 6)
    assert read_date("1/2/36", today).value == date(2036, 2, 1)
    assert read_date("1/2/85", today).value == date(1985, 2, 1)
    assert read_date("29/02/2024").value == date(2024, 2, 29)


def _type(widget: Any, text: str) -> None:
    widget.setFocus()
    QTest.keyClicks(widget, text)


@pytest.mark.parametrize("typed", TYPED)
def test_event_saved_with_the_date_as_typed(qtbot: Any, ctx: AppContext, typed: str) -> None:
    """Typed in the start date, Tab, then the venue: both are stored, nothing lost."""
    form = make_form(ctx, "event")
    form.show()
    with qtbot.waitActive(form):
        form.activateWindow()
    form.widgets["title"].set_value(f"Tập huấn gõ ngày {typed}")  # type: ignore[attr-defined]
    start = form.widgets["start"]
    assert isinstance(start, DateField)
    start.selectAll()
    _type(start, typed)
    QTest.keyClick(start, Qt.Key.Key_Tab)
    assert start.text() == "15/03/2026"
    end = form.widgets["end"]
    assert form.focusWidget() is end  # Tab left the date for the next field
    QTest.keyClick(end, Qt.Key.Key_Tab)
    venue = form.widgets["place"]
    assert form.focusWidget() is venue
    QTest.keyClicks(venue, "Hoi truong xa")
    assert form.save(), form.banner.text()
    with ctx.db.session() as session:
        event = session.get(Event, form.saved_id)
        assert event is not None
        assert (event.start, event.end, event.place) == (date(2026, 3, 15), None,
                                                         "Hoi truong xa")


def test_impossible_date_is_marked_kept_and_blocks_the_save(qtbot: Any,
                                                            ctx: AppContext) -> None:
    form = make_form(ctx, "event")
    form.show()
    with qtbot.waitActive(form):
        form.activateWindow()
    form.widgets["title"].set_value("Hội nghị ngày sai")  # type: ignore[attr-defined]
    form.widgets["start"].set_value(date(2026, 2, 1))  # type: ignore[attr-defined]
    end = form.widgets["end"]
    assert isinstance(end, DateField)
    _type(end, "31/02/2026")
    QTest.keyClick(end, Qt.Key.Key_Tab)
    assert end.text() == "31/02/2026"  # never silently changed or blanked
    assert "không có thật" in form.errors["end"].text()
    assert not form.errors["end"].isHidden()
    assert not form.save()
    assert form.saved_id is None
    assert "gõ chưa đúng" in form.banner.text()
    with ctx.db.session() as session:
        assert session.scalar(select(Event).where(Event.title == "Hội nghị ngày sai")) is None
    # corrected, the same form saves
    end.selectAll()
    _type(end, "28/2/2026")
    QTest.keyClick(end, Qt.Key.Key_Tab)
    assert form.errors["end"].isHidden() and form.banner.isHidden()
    assert form.save(), form.banner.text()
    with ctx.db.session() as session:
        event = session.get(Event, form.saved_id)
        assert event is not None and event.end == date(2026, 2, 28)


def test_empty_date_stays_empty(qtbot: Any, ctx: AppContext) -> None:
    field = DateField(optional=True)
    qtbot.addWidget(field)
    field.show()
    field.setFocus()
    QTest.keyClick(field, Qt.Key.Key_Tab)
    assert field.text() == "" and field.value() is None and field.problem() == ""


def test_date_typed_in_a_table_row(qtbot: Any, ctx: AppContext,
                                   seeded: dict[str, str]) -> None:
    """The same field in a child table: a management position's start date."""
    form = make_form(ctx, "cooperative", seeded["cooperative"])
    form.show()
    with qtbot.waitActive(form):
        form.activateWindow()
    positions = form.widgets["positions"]
    assert isinstance(positions, RowsEditor)
    form._reveal(positions)
    start = positions.cell(0, "start")
    assert isinstance(start, DateField)
    start.selectAll()
    _type(start, "1/6/25")
    QTest.keyClick(start, Qt.Key.Key_Tab)
    assert start.text() == "01/06/2025"
    assert form.save(), form.banner.text()
    assert form.values()["positions"][0]["start"] == date(2025, 6, 1)

    # a wrong date in a row stops the save and says which row
    form = make_form(ctx, "cooperative", seeded["cooperative"])
    form.show()
    rows = form.widgets["positions"]
    assert isinstance(rows, RowsEditor)
    rows.cell(0, "start").setText("32/1/2025")
    assert not form.save()
    assert "Dòng 1" in form.errors["positions"].text()


# the offscreen platform cannot raise a pop-up or grab the keyboard for it
POPUP_WARNINGS = ("This plugin does not support raise", "does not support grabbing")


@pytest.mark.qt_log_ignore(*POPUP_WARNINGS)
def test_calendar_opens_at_the_date_in_vietnamese_monday_first(qtbot: Any) -> None:
    field = DateField()
    qtbot.addWidget(field)
    field.show()
    popup = field.open_calendar()
    today = date.today()
    assert popup.calendar.selectedDate() == QDate(today.year, today.month, today.day)
    popup.close()
    field.set_value(date(2026, 3, 15))
    popup = field.open_calendar()
    calendar = popup.calendar
    assert calendar.selectedDate() == QDate(2026, 3, 15)
    assert calendar.firstDayOfWeek() == Qt.DayOfWeek.Monday
    assert calendar.locale().language() == QLocale.Language.Vietnamese
    assert calendar.locale().standaloneMonthName(3) == "Tháng 3"
    calendar.clicked.emit(QDate(2026, 3, 20))
    assert field.text() == "20/03/2026" and not popup.isVisible()
    field.setText("31/02/2026")  # typed wrong: the calendar shows the month she meant
    popup = field.open_calendar()
    assert (popup.calendar.yearShown(), popup.calendar.monthShown()) == (2026, 2)
    popup.close()
    assert field.text() == "31/02/2026"
