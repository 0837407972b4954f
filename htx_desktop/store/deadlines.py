"""The reporting calendar (issue 21 point 4): the day each period's report is due from the units
below this one.

A period's deadline is the one the officer set for it (table `report_deadlines`), else the
default: the `report_deadline` setting's day (25 December) of the period's last year — a yearly
report on 25/12 of its year, a span of years or a phase on 25/12 of its last year, as the
province asks today. Setting a deadline, or going back to the default, is written in the audit
log with the officer and the time. Qt-free; the window and the command line call the same
functions.

The sending unit (a commune or district) knows only the default for its own report: nothing
tells it what the level above set (a receipt could carry it later).
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from htx_desktop.domain.periods import (
    PHASES,
    SCHEME_FIRST_YEAR,
    SCHEME_LAST_YEAR,
    Period,
    parse_period,
)
from htx_desktop.domain.typed_date import show_date
from htx_desktop.i18n import t
from htx_desktop.store.errors import StoreError
from htx_desktop.store.models import AuditEntry, ReportDeadline
from htx_desktop.store.settings import report_deadline

# The spans the reports page offers besides the years (mid-term and final reports).
# Last year's report unexported is still the next deadline up to this month (June).
LAST_YEAR_UNTIL = 6
_SPANS = (*(f"{first}-{last}" for _name, first, last in PHASES), "2026-2028")


class DeadlineError(StoreError):
    """A deadline that cannot be set (Vietnamese message; nothing was changed)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.user_message = message


@dataclass(frozen=True)
class Deadline:
    """A period's deadline as this unit's calendar has it."""

    period: Period
    due: date
    is_default: bool
    set_by: str = ""
    set_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {"period": self.period.label, "due": self.due.isoformat(),
                "default": self.is_default, "set_by": self.set_by or None,
                "set_at": self.set_at.isoformat() if self.set_at else None}

    def describe(self) -> str:
        """"25/12/2026 (mặc định)" or "15/12/2026 (do Lê Thị Thu đặt)"."""
        if self.is_default:
            return t("{due} (mặc định)", due=show_date(self.due))
        if self.set_by:
            return t("{due} (do {who} đặt)", due=show_date(self.due), who=self.set_by)
        return show_date(self.due)


def default_due(session: Session, period: Period) -> date:
    """The default deadline: the `report_deadline` setting's day and month (25/12) of the
    period's last year; a day the month lacks (31/2) is the month's last day."""
    month, day = report_deadline(session)
    year = period.end.year
    return date(year, month, min(day, monthrange(year, month)[1]))


def deadline_of(session: Session, period: Period) -> Deadline:
    row = session.get(ReportDeadline, period.label)
    if row is None:
        return Deadline(period, default_due(session, period), True)
    at = row.set_at
    return Deadline(period, row.due, False, row.set_by,
                    at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at)


def due_date(session: Session, period: Period) -> date:
    """The day the period's report is due from the units below (on that day is on time)."""
    return deadline_of(session, period).due


def check_due(period: Period, due: date) -> None:
    """A deadline lies in the period's last year or the year after it: a report cannot be due
    before its period has begun, and a date two years on is a typing slip."""
    first, last = period.end.year, period.end.year + 1
    if first <= due.year <= last and due >= period.start:
        return
    raise DeadlineError(t(
        "Hạn nộp {due} không hợp lệ cho báo cáo {title}: hạn phải nằm trong năm {first} hoặc "
        "năm {last}.", due=show_date(due), title=period.title, first=first, last=last))


def set_deadline(session: Session, period: Period, due: date | None, *, by: str) -> Deadline:
    """Set the period's deadline (None: back to the default), logged with the officer. A date
    that cannot be a deadline raises DeadlineError and changes nothing."""
    before = deadline_of(session, period)
    row = session.get(ReportDeadline, period.label)
    if due is None:
        if row is not None:
            session.delete(row)
    else:
        check_due(period, due)
        if row is None:
            session.add(ReportDeadline(period=period.label, due=due, set_by=by))
        else:
            row.due, row.set_by = due, by
            row.set_at = _now()
    after_due = due if due is not None else default_due(session, period)
    if after_due != before.due or (due is None) != before.is_default:
        session.add(AuditEntry(
            officer=by, action="update", table_name=ReportDeadline.__tablename__,
            record_id=period.label,
            changes={"due": [None if before.is_default else before.due.isoformat(),
                             None if due is None else due.isoformat()]}))
    session.flush()
    return deadline_of(session, period)


def _now() -> datetime:
    from htx_desktop.store import clock

    return clock.utcnow()


def calendar(session: Session) -> list[Deadline]:
    """The calendar: every year of the scheme, the spans reported on (phase 1, mid-term and
    final of phase 2) and any other period given a deadline; by due date."""
    labels = [str(y) for y in range(SCHEME_FIRST_YEAR, SCHEME_LAST_YEAR + 1)]
    labels += [s for s in _SPANS if s not in labels]
    labels += [p for p in session.scalars(select(ReportDeadline.period)) if p not in labels]
    out = []
    for label in labels:
        try:
            period = parse_period(label)
        except ValueError:  # a label this version cannot read
            continue
        out.append(deadline_of(session, period))
    # By due date; on one day a year's report before the span ending with it.
    return sorted(out, key=lambda d: (d.due, d.period.start.year != d.period.end.year,
                                      d.period.start))


@dataclass(frozen=True)
class OwnDeadline:
    """The sending unit's next deadline for its own yearly report (its dashboard)."""

    period: Period
    due: date
    days_left: int  # negative: overdue by that many days
    exported_on: date | None  # the last export of that period, if any
    exported_version: int | None

    def text(self) -> str:
        title = self.period.title
        due = show_date(self.due)
        if self.exported_on is not None:
            return t("Báo cáo {title}: đã xuất gói ngày {when} (phiên bản {version}); hạn nộp "
                     "{due}.", title=title, when=show_date(self.exported_on),
                     version=self.exported_version, due=due)
        if self.days_left > 0:
            return t("Hạn nộp báo cáo {title}: {due} — còn {n} ngày.", title=title, due=due,
                     n=self.days_left)
        if self.days_left == 0:
            return t("Hạn nộp báo cáo {title}: {due} — hôm nay là hạn cuối.", title=title,
                     due=due)
        return t("Báo cáo {title} đã quá hạn {n} ngày (hạn {due}) mà chưa xuất gói: hãy xuất "
                 "gói và gửi cấp trên ngay.", title=title, n=-self.days_left, due=due)

    @property
    def overdue(self) -> bool:
        return self.exported_on is None and self.days_left < 0


def own_next_deadline(session: Session, unit_id: int, today: date) -> OwnDeadline | None:
    """The home unit's next yearly report deadline, by the default calendar (the unit does not
    know what the level above set): last year's report when it is not exported yet (until the
    end of June), else this
    year's; once this year's is exported and its deadline has passed, next year's. None after
    the scheme's last report."""
    from htx_desktop.store.models import Export

    exports: dict[str, tuple[datetime, int]] = {}
    for label, at, version in session.execute(
            select(Export.period, Export.created_at, Export.version).where(
                Export.unit_id == unit_id, Export.sha256 != "")):
        if label not in exports or version > exports[label][1]:
            exports[label] = (at, version)

    def entry(year: int) -> OwnDeadline:
        period = parse_period(str(year))
        due = default_due(session, period)
        done = exports.get(period.label)
        on = _local_day(done[0]) if done else None
        return OwnDeadline(period, due, (due - today).days, on, done[1] if done else None)

    # Last year's report, until midyear: a unit that set up the program later, or sent that
    # report from another PC, is not told for ever that it is overdue.
    last_year = today.year - 1
    if SCHEME_FIRST_YEAR <= last_year <= SCHEME_LAST_YEAR and today.month <= LAST_YEAR_UNTIL:
        earlier = entry(last_year)
        if earlier.exported_on is None:
            return earlier
    for year in (today.year, today.year + 1):
        if not SCHEME_FIRST_YEAR <= year <= SCHEME_LAST_YEAR:
            continue
        current = entry(year)
        if current.exported_on is None or current.days_left >= 0:
            return current
    return None


def _local_day(at: datetime) -> date:
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone().date()
