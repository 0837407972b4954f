"""The reporting calendar in the window (issue 21 point 4): the receive page shows each unit's
timeliness in words with a mark and a colour, edits the period's deadline (typed dd/mm/yyyy;
a wrong date is said and changes nothing), copies a reminder naming exactly the overdue units;
the sending unit's dashboard shows its next deadline."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from htx_desktop.domain.periods import parse_period
from htx_desktop.store.deadlines import deadline_of
from htx_desktop.store.engine import Database
from htx_desktop.store.models import Export, ReportDeadline, Submission
from htx_desktop.store.settings import home_unit, set_setting
from htx_desktop.store.submissions import expected_units
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.pages.dashboard_page import DashboardPage
from htx_desktop.ui.pages.receive_page import ReceivePage
from tests.ui.conftest import type_text

P2025 = parse_period("2025")
SHOTS = Path(os.environ["HTX_SHOTS"]) if os.environ.get("HTX_SHOTS") else None


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 5, tzinfo=UTC)


@pytest.fixture
def units(db: Database) -> list[tuple[int, str, str]]:
    """Province 19 with four packages for 2025: on time, on the day, late by 3, and one
    only withdrawn; every other commune missing."""
    with db.session() as session:
        set_setting(session, "officer_name", "Hoàng Thị Mai")
        home = home_unit(session)
        assert home is not None
        found = [(u.id, u.code, u.name) for u in expected_units(session, home.id, P2025)]
        for n, (day, status) in enumerate([(date(2025, 12, 20), "accepted"),
                                           (date(2025, 12, 25), "accepted"),
                                           (date(2025, 12, 28), "accepted"),
                                           (date(2025, 12, 10), "withdrawn")]):
            session.add(Submission(
                unit_id=found[n][0], period="2025", version=1, sha256=f"{n:064d}",
                file_name=f"BC-DA01_{found[n][1]}_2025_v1.zip", received_at=at(day),
                created_at=at(day), on_time=True, status=status, manifest={}))
    return found


def _cell(page: ReceivePage, row: int, col: int) -> str:
    item = page.completeness.item(row, col)
    return item.text() if item else ""


def _page(qtbot: QtBot, db: Database, today: date) -> ReceivePage:
    page = ReceivePage(db, today=today)
    qtbot.addWidget(page)
    page.period_box.setCurrentText("2025")
    return page


def test_timeliness_in_words_and_colour(qtbot: QtBot, db: Database,
                                        units: list[tuple[int, str, str]]) -> None:
    page = _page(qtbot, db, date(2026, 1, 5))
    assert page.completeness.rowCount() == 92
    assert page.completeness.horizontalHeaderItem(5).text() == "Thời hạn"
    assert _cell(page, 0, 5) == "✔ Đúng hạn"
    assert _cell(page, 1, 5) == "✔ Đúng hạn"  # on the day
    assert _cell(page, 2, 5) == "⚠ Muộn 3 ngày"
    assert _cell(page, 3, 5) == "✘ Quá hạn 11 ngày, chưa nộp"  # a withdrawn one is none
    assert _cell(page, 4, 5) == "✘ Quá hạn 11 ngày, chưa nộp"
    late = page.completeness.item(2, 5)
    assert late.background().color().name() == "#fff4d6"
    assert "Hạn nộp: 25/12/2025." in late.toolTip() and "28/12/2025" in late.toolTip()
    assert page.completeness.item(4, 5).foreground().color().name() == "#b3261e"
    summary = page.timeliness_summary.text()
    assert summary == ("Hạn nộp 25/12/2025 (mặc định; đã qua 11 ngày) · đúng hạn: 2 · muộn: 1 "
                       "· quá hạn chưa nộp: 89")
    assert page.deadline.due.text() == "25/12/2025"
    assert page.deadline.note.isHidden()
    assert not page.deadline.default_button.isEnabled()

    # The reminder names exactly the overdue units, with the deadline.
    page.copy_button.click()
    text = QGuiApplication.clipboard().text()
    overdue = [name for _id, _code, name in units[3:]]
    assert text.startswith("Kính gửi Hội LHPN: " + ", ".join(overdue) + ". Hạn gửi báo cáo")
    assert "là ngày 25/12/2025" in text and text.endswith("Trân trọng cảm ơn!")
    for _id, _code, name in units[:3]:
        assert name not in text
    assert page.status.text().startswith("Đã sao chép lời nhắc")
    if SHOTS is not None:
        for width in (1166, 824):  # the page inside a 1366 / 1024 window (nav 200 px)
            page.resize(width, 680)
            page.show()
            qtbot.waitExposed(page)
            page.grab().save(str(SHOTS / f"receive-timeliness-{width}.png"))


def test_the_deadline_is_edited_in_the_window(qtbot: QtBot, db: Database,
                                              units: list[tuple[int, str, str]]) -> None:
    page = _page(qtbot, db, date(2026, 1, 5))
    # A date that does not exist: said in red, nothing saved.
    page.deadline.due.setText("")
    type_text(page.deadline.due, "31/02/2025")
    page.deadline.save_button.click()
    assert "tháng 2/2025 chỉ có 28 ngày" in page.deadline.note.text()
    # A real date in the wrong year: refused, nothing saved.
    page.deadline.due.setText("")
    type_text(page.deadline.due, "25/12/2029")
    page.deadline.save_button.click()
    assert "năm 2025 hoặc năm 2026" in page.deadline.note.text()
    with db.session() as session:
        assert session.scalars(select(ReportDeadline)).all() == []

    page.deadline.due.setText("")
    type_text(page.deadline.due, "28/12/25")
    page.deadline.save_button.click()
    assert page.deadline.due.text() == "28/12/2025"
    assert page.deadline.note.text() == \
        "Đã lưu hạn nộp báo cáo năm 2025: 28/12/2025 (do Hoàng Thị Mai đặt)."
    assert page.timeliness_summary.text().startswith(
        "Hạn nộp 28/12/2025 (do Hoàng Thị Mai đặt; đã qua 8 ngày)")
    assert page.deadline.default_button.isEnabled()
    with db.session() as session:
        assert deadline_of(session, P2025).due == date(2025, 12, 28)
    assert _cell(page, 2, 5) == "✔ Đúng hạn", "the late unit is on time by the new deadline"
    assert _cell(page, 4, 5) == "✘ Quá hạn 8 ngày, chưa nộp"

    page.deadline.default_button.click()
    assert page.deadline.due.text() == "25/12/2025" and page.deadline.note.text() == \
        "Đã lưu hạn nộp báo cáo năm 2025: 25/12/2025 (mặc định)."
    assert _cell(page, 2, 5) == "⚠ Muộn 3 ngày"
    with db.session() as session:
        assert deadline_of(session, P2025).is_default


def test_returned_units_are_marked(qtbot: QtBot, db: Database,
                                   units: list[tuple[int, str, str]],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """What the review of issue 21 will say (a row's `review`), shown as returned."""
    from htx_desktop.store import timeliness as tl

    real = tl.submission_status
    code = units[0][1]
    monkeypatch.setattr(tl, "submission_status", lambda s, h, p: [
        {**r, "review": "returned" if r["code"] == code else None} for r in real(s, h, p)])
    page = _page(qtbot, db, date(2026, 1, 5))
    assert _cell(page, 0, 5) == "↩ Trả lại, chưa gửi lại"
    assert "trả lại chưa gửi lại: 1" in page.timeliness_summary.text()
    page.copy_button.click()
    assert f"Kính gửi Hội LHPN: {units[0][2]}. Báo cáo Đề án năm 2025" in \
        QGuiApplication.clipboard().text()


def test_the_sending_units_dashboard_shows_its_deadline(qtbot: QtBot, ctx: AppContext) -> None:
    page = DashboardPage(ctx, today=date(2026, 12, 6))
    qtbot.addWidget(page)
    page.resize(1024, 700)
    page.show()
    qtbot.waitUntil(lambda: not page.busy, timeout=20_000)
    assert page.deadline_line.isVisible()
    assert page.deadline_line.text() == "Hạn nộp báo cáo năm 2026: 25/12/2026 — còn 19 ngày."
    if SHOTS is not None:
        page.grab().save(str(SHOTS / "dashboard-deadline.png"))

    # Overdue, then exported.
    page.today = date(2026, 12, 28)
    page.refresh()
    qtbot.waitUntil(lambda: not page.busy, timeout=20_000)
    assert page.deadline_line.text().startswith(
        "⚠ Báo cáo năm 2026 đã quá hạn 3 ngày (hạn 25/12/2026) mà chưa xuất gói")
    if SHOTS is not None:
        page.grab().save(str(SHOTS / "dashboard-overdue.png"))
    with ctx.db.session() as session:
        session.add(Export(unit_id=ctx.home_unit_id, period="2026", version=2,
                           created_at=at(date(2026, 12, 20)), sha256="ab" * 32,
                           file_name="x.zip"))
    page.today = date(2026, 12, 21)
    page.refresh()
    qtbot.waitUntil(lambda: not page.busy, timeout=20_000)
    assert page.deadline_line.text() == (
        "Báo cáo năm 2026: đã xuất gói ngày 20/12/2026 (phiên bản 2); hạn nộp 25/12/2026.")
    # Once that deadline is past, the next one.
    page.today = date(2026, 12, 27)
    page.refresh()
    qtbot.waitUntil(lambda: not page.busy, timeout=20_000)
    assert page.deadline_line.text() == "Hạn nộp báo cáo năm 2027: 25/12/2027 — còn 363 ngày."


def test_the_province_dashboard_has_no_deadline_line(qtbot: QtBot, db: Database) -> None:
    ctx = AppContext.load(db)
    assert ctx is not None
    page = DashboardPage(ctx, today=date(2026, 12, 6))
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: not page.busy, timeout=20_000)
    assert not page.deadline_line.isVisible()
