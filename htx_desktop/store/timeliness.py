"""Timeliness of the units below for a period (issue 21 point 4): on time, late by N days,
missing (and overdue by N days once the deadline has passed), returned and not yet resent.

When a unit's report arrived: its first package for the period that is not withdrawn (a later
version is a correction, not a late report). Its day is the day the package was exported —
`created_at` of its manifest, signed with the unit's key — when that day is plausible (within
the period or after it, and not after the day this PC received it), else the day this PC
received it. The export day is chosen because the officer above may import a package days
after the email came: the unit is not late for that. A sending PC whose clock is wrong could
show an earlier day; both days are kept and shown (`exported_on`, `received_on`).

On the deadline's day is on time; the day after is late by 1. Qt-free.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from htx_desktop.domain.periods import Period
from htx_desktop.domain.typed_date import show_date
from htx_desktop.i18n import t
from htx_desktop.store.deadlines import Deadline, deadline_of
from htx_desktop.store.models import Submission
from htx_desktop.store.submissions import expected_units, submission_status

ON_TIME, LATE, MISSING, OVERDUE = "on_time", "late", "missing", "overdue"
# What the view shows first: the units that need a call.
URGENCY = {OVERDUE: 0, LATE: 2, MISSING: 3, ON_TIME: 4}


@dataclass(frozen=True)
class Timeliness:
    """One unit's timeliness for the period."""

    code: str
    state: str  # on_time | late | missing | overdue
    awaiting_resend: bool  # its report in use was returned and no newer version has come
    arrived_on: date | None  # the day its first package counts as arrived
    exported_on: date | None
    received_on: date | None
    days_late: int | None  # late: arrived − due; overdue: today − due
    days_left: int | None  # missing before the deadline: due − today (0 on the day)

    def label(self) -> str:
        """What the completeness view says, in words (never colour alone)."""
        if self.awaiting_resend:
            return t("Trả lại, chưa gửi lại")
        if self.state == ON_TIME:
            return t("Đúng hạn")
        if self.state == LATE:
            return t("Muộn {n} ngày", n=self.days_late)
        if self.state == OVERDUE:
            return t("Quá hạn {n} ngày, chưa nộp", n=self.days_late)
        if self.days_left == 0:
            return t("Chưa nộp — hôm nay là hạn cuối")
        return t("Chưa nộp — còn {n} ngày", n=self.days_left)

    def detail(self, due: date) -> str:
        """The dates behind the label (a tooltip)."""
        parts = [t("Hạn nộp: {due}.", due=show_date(due))]
        if self.arrived_on is not None and self.received_on is not None:
            if self.exported_on is not None:
                parts.append(t("Gói đầu tiên xuất ngày {made}, nhận vào máy này ngày {got}.",
                               made=show_date(self.exported_on),
                               got=show_date(self.received_on)))
            else:
                parts.append(t("Gói đầu tiên nhận vào máy này ngày {got}.",
                               got=show_date(self.received_on)))
            parts.append(t("Tính theo ngày {on}.", on=show_date(self.arrived_on)))
        if self.awaiting_resend:
            parts.append(t("Báo cáo đã được trả lại để chỉnh sửa; đơn vị chưa gửi phiên bản "
                           "mới."))
        return " ".join(parts)

    @property
    def urgency(self) -> int:
        return 1 if self.awaiting_resend else URGENCY[self.state]

    def to_json(self) -> dict[str, Any]:
        return {"timeliness": self.state, "days_late": self.days_late,
                "days_left": self.days_left,
                "arrived_on": self.arrived_on.isoformat() if self.arrived_on else None,
                "awaiting_resend": self.awaiting_resend}


def _day(at: datetime | None) -> date | None:
    if at is None:
        return None
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone().date()


def _exported_at(manifest: Any, column: datetime | None) -> datetime | None:
    """When the package was exported, with its offset: the manifest's `created_at` (SQLite
    keeps the `created_at` column as the sender's wall time without its offset, which read
    as UTC would move an evening export to the next day); the column where the manifest
    lacks it and the column knows its zone (PostgreSQL)."""
    text = manifest.get("created_at") if isinstance(manifest, dict) else None
    if isinstance(text, str):
        try:
            made = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            made = None
        if made is not None and made.tzinfo is not None:
            return made
    return column if column is not None and column.tzinfo is not None else None


def arrival_day(period: Period, exported: datetime | None, received: datetime) -> date:
    """The day a package counts as arrived: its export day when plausible, else the day this
    PC received it (module docstring)."""
    got = _day(received)
    assert got is not None
    made = _day(exported)
    if made is not None and period.start <= made <= got:
        return made
    return got


def classify(code: str, period: Period, due: date, today: date,
             first: tuple[datetime | None, datetime] | None,
             awaiting_resend: bool = False) -> Timeliness:
    """One unit's timeliness; `first` is (exported, received) of its first package, or None."""
    if first is None:
        if today > due:
            return Timeliness(code, OVERDUE, False, None, None, None, (today - due).days, None)
        return Timeliness(code, MISSING, False, None, None, None, None, (due - today).days)
    exported, received = first
    arrived = arrival_day(period, exported, received)
    late = (arrived - due).days
    made = _day(exported)
    return Timeliness(code, LATE if late > 0 else ON_TIME, awaiting_resend, arrived,
                      made, _day(received), late if late > 0 else None, None)


def timeliness(session: Session, home_id: int, period: Period, *, today: date | None = None,
               returned_units: Collection[str] = ()) -> list[Timeliness]:
    """Each unit expected to report to the home unit (in `expected_units` order, as
    `submission_status`), with its timeliness. `returned_units`: the codes whose report in
    use was returned and not yet resent (the review of issue 21, `store/review.py`)."""
    from htx_desktop.store import clock

    today = today or clock.local_today()
    due = deadline_of(session, period).due
    units = expected_units(session, home_id, period)
    first: dict[int, tuple[datetime | None, datetime]] = {}
    ids = [u.id for u in units]
    for i in range(0, len(ids), 5000):
        for unit_id, manifest, created, received in session.execute(
                select(Submission.unit_id, Submission.manifest, Submission.created_at,
                       Submission.received_at)
                .where(Submission.unit_id.in_(ids[i:i + 5000]),
                       Submission.period == period.label, Submission.status != "withdrawn")
                .order_by(Submission.received_at, Submission.version)):
            if unit_id not in first:
                first[unit_id] = (_exported_at(manifest, created), received)
    returned = set(returned_units)
    return [classify(u.code, period, due, today, first.get(u.id), u.code in returned)
            for u in units]


@dataclass(frozen=True)
class Completeness:
    """Who has submitted a period's report and when, against the deadline."""

    period: Period
    deadline: Deadline
    today: date
    rows: list[dict[str, Any]]  # `submission_status` rows with the timeliness fields added
    units: list[Timeliness]  # in the same order as `rows`

    def to_json(self) -> dict[str, Any]:
        """`submissions --json` (INTERFACES.md §1): the earlier fields unchanged, with the
        deadline and each unit's timeliness added."""
        return {"period": self.period.label, "deadline": self.deadline.due.isoformat(),
                "deadline_default": self.deadline.is_default, "today": self.today.isoformat(),
                "units": self.rows}

    def counts(self) -> dict[str, int]:
        out = {ON_TIME: 0, LATE: 0, MISSING: 0, OVERDUE: 0, "awaiting_resend": 0}
        for item in self.units:
            out[item.state] += 1
            out["awaiting_resend"] += item.awaiting_resend
        return out

    def summary(self) -> str:
        """One line: the deadline and how many units are in each state."""
        c = self.counts()
        days = (self.deadline.due - self.today).days
        when = (t("còn {n} ngày", n=days) if days > 0 else t("hôm nay là hạn cuối")
                if days == 0 else t("đã qua {n} ngày", n=-days))
        who = (t("mặc định") if self.deadline.is_default else
               t("do {who} đặt", who=self.deadline.set_by) if self.deadline.set_by else "")
        parts = [t("Hạn nộp {due} ({who}{when})", due=show_date(self.deadline.due),
                   who=f"{who}; " if who else "", when=when),
                 t("đúng hạn: {n}", n=c[ON_TIME]), t("muộn: {n}", n=c[LATE])]
        parts.append(t("quá hạn chưa nộp: {n}", n=c[OVERDUE]) if days < 0
                     else t("chưa nộp: {n}", n=c[MISSING]))
        if c["awaiting_resend"]:
            parts.append(t("trả lại chưa gửi lại: {n}", n=c["awaiting_resend"]))
        return " · ".join(parts)


def returned_in(rows: Iterable[Mapping[str, Any]]) -> set[str]:
    """The codes whose row says its review is `returned` (the `review` field issue 21's review
    adds to `submission_status`; absent on a copy without it)."""
    return {str(r["code"]) for r in rows if r.get("review") == "returned"}


def completeness(session: Session, home_id: int, period: Period, *, today: date | None = None,
                 returned_units: Collection[str] = ()) -> Completeness:
    """`submission_status` with each unit's timeliness. A unit counts as returned and not yet
    resent when it is in `returned_units` or its row's `review` is `returned`."""
    from htx_desktop.store import clock

    today = today or clock.local_today()
    rows: Sequence[dict[str, Any]] = submission_status(session, home_id, period)
    returned = set(returned_units) | returned_in(rows)
    units = timeliness(session, home_id, period, today=today, returned_units=returned)
    # Both walk `expected_units` in order; a code can repeat across eras, so rows pair by place.
    assert [r["code"] for r in rows] == [u.code for u in units]
    out = [{**row, **unit.to_json()} for row, unit in zip(rows, units, strict=True)]
    return Completeness(period, deadline_of(session, period), today, out, units)
