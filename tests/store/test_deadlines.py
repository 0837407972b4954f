"""The reporting calendar and timeliness (issue 21 point 4): defaults and edits, on the day is
on time and the day after late by 1, missing and overdue, the export day against the receipt
day, returned and not resent, the reminder naming exactly the overdue units, and the sending
unit's own next deadline."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from htx_desktop.domain.periods import parse_period
from htx_desktop.receiving.reminder import reminder_text
from htx_desktop.store import clock
from htx_desktop.store.deadlines import (
    DeadlineError,
    calendar,
    deadline_of,
    own_next_deadline,
    set_deadline,
)
from htx_desktop.store.engine import Database
from htx_desktop.store.models import AuditEntry, Export, Submission
from htx_desktop.store.settings import home_unit, set_setting
from htx_desktop.store.submissions import deadline_for, expected_units
from htx_desktop.store.timeliness import classify, completeness

P2026 = parse_period("2026")


def at(day: date, hour: int = 5) -> datetime:
    """A moment on that day whatever the test machine's zone (05:00 UTC is the same day
    from UTC−5 to UTC+18)."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def test_defaults_are_25_december_of_the_last_year(db: Database) -> None:
    with db.session() as session:
        assert deadline_of(session, P2026).due == date(2026, 12, 25)
        assert deadline_of(session, P2026).is_default
        assert deadline_for(session, parse_period("phase1")) == date(2025, 12, 25)
        assert deadline_for(session, parse_period("2026-2028")) == date(2028, 12, 25)
        listed = {d.period.label: d for d in calendar(session)}
        assert set(listed) >= {str(y) for y in range(2023, 2031)} | {"2023-2025", "2026-2030"}
        assert all(d.is_default and d.due.month == 12 and d.due.day == 25
                   for d in listed.values())
        # The setting's day moves every default (31/2 is the month's last day).
        set_setting(session, "report_deadline", "02-31")
        assert deadline_of(session, P2026).due == date(2026, 2, 28)


def test_an_edit_is_kept_logged_and_undone(db: Database) -> None:
    with db.session() as session:
        d = set_deadline(session, P2026, date(2026, 12, 15), by="Lê Thị Thu")
        assert (d.due, d.is_default, d.set_by) == (date(2026, 12, 15), False, "Lê Thị Thu")
    with db.session() as session:
        assert deadline_for(session, P2026) == date(2026, 12, 15)
        assert deadline_of(session, parse_period("2027")).due == date(2027, 12, 25)
        back = set_deadline(session, P2026, None, by="Lê Thị Thu")
        assert back.is_default and back.due == date(2026, 12, 25)
        log = session.scalars(select(AuditEntry).where(
            AuditEntry.table_name == "report_deadlines").order_by(AuditEntry.id)).all()
        assert [(e.officer, e.record_id, e.changes["due"]) for e in log] == [
            ("Lê Thị Thu", "2026", [None, "2026-12-15"]),
            ("Lê Thị Thu", "2026", ["2026-12-15", None])]


@pytest.mark.parametrize("due", [date(2025, 12, 25), date(2028, 1, 5)])
def test_an_impossible_deadline_is_refused_and_changes_nothing(db: Database, due: date) -> None:
    with db.session() as session:
        with pytest.raises(DeadlineError, match="năm 2026 hoặc năm 2027"):
            set_deadline(session, P2026, due, by="x")
        assert deadline_of(session, P2026).is_default
        assert not session.scalars(select(AuditEntry)).all()


@pytest.mark.parametrize(("arrived", "state", "late"), [
    (date(2026, 12, 24), "on_time", None),
    (date(2026, 12, 25), "on_time", None),  # on the day: on time
    (date(2026, 12, 26), "late", 1),  # the day after: late by 1
    (date(2027, 1, 4), "late", 10),
])
def test_on_the_day_is_on_time_the_day_after_late_by_one(arrived: date, state: str,
                                                         late: int | None) -> None:
    due = date(2026, 12, 25)
    got = classify("X", P2026, due, date(2027, 2, 1), (None, at(arrived)))
    assert (got.state, got.days_late, got.arrived_on) == (state, late, arrived)
    assert got.label() == ("Đúng hạn" if late is None else f"Muộn {late} ngày")


@pytest.mark.parametrize(("today", "state", "late", "left", "label"), [
    (date(2026, 12, 6), "missing", None, 19, "Chưa nộp — còn 19 ngày"),
    (date(2026, 12, 25), "missing", None, 0, "Chưa nộp — hôm nay là hạn cuối"),
    (date(2026, 12, 26), "overdue", 1, None, "Quá hạn 1 ngày, chưa nộp"),
])
def test_missing_then_overdue(today: date, state: str, late: int | None, left: int | None,
                              label: str) -> None:
    got = classify("X", P2026, date(2026, 12, 25), today, None)
    assert (got.state, got.days_late, got.days_left, got.label()) == (state, late, left, label)


def test_the_export_day_counts_when_plausible() -> None:
    due = date(2026, 12, 25)
    # Exported on the 24th, imported above on the 29th: on time (the email waited).
    got = classify("X", P2026, due, date(2027, 1, 2), (at(date(2026, 12, 24)),
                                                       at(date(2026, 12, 29))))
    assert (got.state, got.exported_on, got.received_on) == (
        "on_time", date(2026, 12, 24), date(2026, 12, 29))
    # An export "after" its receipt, or before the period began, is a wrong clock: the
    # receipt day counts.
    for exported in (date(2027, 1, 3), date(2025, 6, 1)):
        got = classify("X", P2026, due, date(2027, 1, 5), (at(exported),
                                                           at(date(2026, 12, 29))))
        assert (got.state, got.days_late, got.arrived_on) == ("late", 4, date(2026, 12, 29))


def _units(db: Database) -> tuple[int, list[tuple[int, str, str]]]:
    with db.session() as session:
        home = home_unit(session)
        assert home is not None
        units = expected_units(session, home.id, P2026)
        return home.id, [(u.id, u.code, u.name) for u in units[:5]]


def _submit(db: Database, unit_id: int, version: int, received: date | datetime,
            exported: str | None = None, status: str = "accepted") -> None:
    """A received package; `exported`: its manifest's `created_at` as the sender wrote it."""
    with db.session() as session:
        session.add(Submission(
            unit_id=unit_id, period="2026", version=version,
            sha256=f"{unit_id:032d}{version:032d}", file_name=f"v{version}.zip",
            received_at=received if isinstance(received, datetime) else at(received),
            created_at=datetime.fromisoformat(exported) if exported else None,
            on_time=True, status=status,
            manifest={"created_at": exported} if exported else {}))


@pytest.mark.skipif(not hasattr(time, "tzset"),
                    reason="the time zone is changed with time.tzset, which Windows lacks")
def test_an_evening_export_on_the_day_is_on_time(db: Database,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Exported at 22:30 in Vietnam on the deadline's day, imported above two days later: on
    time, on a PC in Vietnam's zone (the manifest's offset is kept; SQLite's column drops
    it)."""
    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    time.tzset()
    try:
        home_id, units = _units(db)
        (a, a_code, _), (b, b_code, _), *_ = units
        _submit(db, a, 1, datetime(2026, 12, 27, 2, tzinfo=UTC), "2026-12-25T22:30:00+07:00")
        # 00:30 the next morning in Vietnam is late by one, though still the 25th in UTC.
        _submit(db, b, 1, datetime(2026, 12, 27, 2, tzinfo=UTC), "2026-12-26T00:30:00+07:00")
        with db.session() as session:
            found = completeness(session, home_id, P2026, today=date(2026, 12, 28))
        rows = {r["code"]: r for r in found.rows}
        assert (rows[a_code]["timeliness"], rows[a_code]["arrived_on"]) == ("on_time",
                                                                            "2026-12-25")
        assert (rows[b_code]["timeliness"], rows[b_code]["days_late"]) == ("late", 1)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_completeness_of_a_province(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    home_id, units = _units(db)
    (a, a_code, a_name), (b, b_code, b_name), (c, c_code, c_name), (d, d_code, _d_name), \
        (_e, e_code, _e_name) = units
    # A: v1 on time, v2 (a correction) after the deadline → on time (the first package).
    _submit(db, a, 1, date(2026, 12, 20), status="superseded")
    _submit(db, a, 2, date(2027, 1, 3))
    # B: late by 3; C: on time but returned and not resent; D: only a withdrawn package.
    _submit(db, b, 1, date(2026, 12, 28))
    _submit(db, c, 1, date(2026, 12, 22))
    _submit(db, d, 1, date(2026, 12, 10), status="withdrawn")
    # Today comes from the store's one clock.
    monkeypatch.setattr(clock, "utcnow", lambda: at(date(2027, 1, 5)))
    with db.session() as session:
        found = completeness(session, home_id, P2026, returned_units={c_code})
        rows = {r["code"]: r for r in found.rows}
        text = reminder_text(session, home_id, P2026, found.rows, found.today)
    assert found.today == date(2027, 1, 5)
    assert (rows[a_code]["timeliness"], rows[a_code]["arrived_on"]) == ("on_time",
                                                                        "2026-12-20")
    assert rows[a_code]["version"] == 2 and rows[a_code]["status"] == "accepted"
    assert (rows[b_code]["timeliness"], rows[b_code]["days_late"]) == ("late", 3)
    assert rows[c_code]["timeliness"] == "on_time" and rows[c_code]["awaiting_resend"]
    assert not rows[b_code]["awaiting_resend"]
    for code in (d_code, e_code):
        assert rows[code]["status"] == "missing"
        assert (rows[code]["timeliness"], rows[code]["days_late"]) == ("overdue", 11)
    assert found.to_json()["deadline"] == "2026-12-25"
    assert found.to_json()["deadline_default"] is True
    counts = found.counts()
    assert counts["on_time"] == 2 and counts["late"] == 1 and counts["awaiting_resend"] == 1
    assert counts["overdue"] == len(found.rows) - 3

    # The reminder names exactly the overdue units (after the deadline) and the returned one.
    overdue = [r["name"] for r in found.rows if r["timeliness"] == "overdue"]
    first, second, thanks = text.split("\n")
    assert first.startswith("Kính gửi Hội LHPN: " + ", ".join(overdue) + ". Hạn gửi báo cáo")
    assert "là ngày 25/12/2026" in first and "vẫn chưa nhận được" in first
    for name in (a_name, b_name, c_name):
        assert name not in first
    assert second.startswith(f"Kính gửi Hội LHPN: {c_name}. Báo cáo Đề án năm 2026")
    assert "trả lại" in second and thanks == "Trân trọng cảm ơn!"
    # Short besides the names: a Zalo message, not a letter.
    assert len(text) - sum(len(n) + 2 for n in [*overdue, c_name]) < 420


def test_a_review_field_returned_counts_as_awaiting_resend(db: Database) -> None:
    """Once the review of issue 21 adds `review` to the rows, "returned" is picked up from it
    without anything passed in."""
    from htx_desktop.store import timeliness as tl

    home_id, units = _units(db)
    (a, a_code, _), *_ = units
    _submit(db, a, 1, date(2026, 12, 20))
    real = tl.submission_status

    def with_review(session, home, period):  # type: ignore[no-untyped-def]
        return [{**r, "review": "returned" if r["code"] == a_code else None}
                for r in real(session, home, period)]

    tl.submission_status = with_review  # type: ignore[assignment]
    try:
        with db.session() as session:
            found = completeness(session, home_id, P2026, today=date(2026, 12, 21))
    finally:
        tl.submission_status = real  # type: ignore[assignment]
    rows = {r["code"]: r for r in found.rows}
    assert rows[a_code]["awaiting_resend"] is True
    assert sum(1 for r in found.rows if r["awaiting_resend"]) == 1
    assert found.units[0].label() == "Trả lại, chưa gửi lại"


def test_reminder_before_the_deadline_asks_by_the_day(db: Database) -> None:
    home_id, units = _units(db)
    for unit_id, _code, _name in units[1:]:
        _submit(db, unit_id, 1, date(2026, 12, 1))
    with db.session() as session:
        set_deadline(session, P2026, date(2026, 12, 15), by="Lê Thị Thu")
        found = completeness(session, home_id, P2026, today=date(2026, 12, 6))
        missing = [r["name"] for r in found.rows if r["status"] == "missing"]
        text = reminder_text(session, home_id, P2026, found.rows, found.today)
    assert units[0][2] in missing and units[1][2] not in missing
    assert text.startswith("Kính gửi Hội LHPN: " + ", ".join(missing) + ". Đến nay Hội LHPN")
    assert "chậm nhất ngày 15/12/2026" in text
    assert "Hạn nộp 15/12/2026 (do Lê Thị Thu đặt; còn 9 ngày)" in found.summary()
    with db.session() as session:
        nobody = [{**r, "status": "accepted"} for r in found.rows]
        assert reminder_text(session, home_id, P2026, nobody, found.today) == ""


def _export(db: Database, unit_id: int, period: str, version: int, day: date) -> None:
    with db.session() as session:
        session.add(Export(unit_id=unit_id, period=period, version=version,
                           created_at=at(day), sha256="ab" * 32, file_name="x.zip"))


def test_the_sending_units_next_deadline(db: Database) -> None:
    commune_db = db
    with db.session() as session:
        home = home_unit(session)
        assert home is not None
        unit_id = expected_units(session, home.id)[0].id
        set_setting(session, "home_unit_id", str(unit_id))
    with commune_db.session() as session:
        # Early December, nothing exported: this year's report, 19 days left.
        d = own_next_deadline(session, unit_id, date(2026, 12, 6))
        assert d is not None
        assert d.text() == "Hạn nộp báo cáo năm 2026: 25/12/2026 — còn 19 ngày."
        d = own_next_deadline(session, unit_id, date(2026, 12, 25))
        assert d is not None and d.text().endswith("hôm nay là hạn cuối.")
        d = own_next_deadline(session, unit_id, date(2026, 12, 28))
        assert d is not None and d.overdue
        assert d.text().startswith("Báo cáo năm 2026 đã quá hạn 3 ngày (hạn 25/12/2026)")
        # In January last year's report is still the one due.
        d = own_next_deadline(session, unit_id, date(2027, 1, 10))
        assert d is not None and d.period.label == "2026" and d.days_left == -16
    _export(commune_db, unit_id, "2026", 1, date(2026, 12, 2))
    with commune_db.session() as session:
        d = own_next_deadline(session, unit_id, date(2026, 12, 6))
        assert d is not None and not d.overdue
        assert d.text() == ("Báo cáo năm 2026: đã xuất gói ngày 02/12/2026 (phiên bản 1); "
                            "hạn nộp 25/12/2026.")
        d = own_next_deadline(session, unit_id, date(2027, 1, 10))
        assert d is not None and d.text() == \
            "Hạn nộp báo cáo năm 2027: 25/12/2027 — còn 349 ngày."
        # After the scheme's last report there is no deadline left.
    _export(commune_db, unit_id, "2030", 1, date(2030, 12, 1))
    with commune_db.session() as session:
        assert own_next_deadline(session, unit_id, date(2031, 1, 5)) is None
        assert own_next_deadline(session, unit_id, date(2030, 12, 26)) is None
        # A report never exported is not overdue for ever: from July, this year's counts.
        d = own_next_deadline(session, unit_id, date(2028, 7, 1))
        assert d is not None and d.period.label == "2028"
