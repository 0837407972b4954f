"""One clock for the store, so that tests can see times in UTC with an offset; and a check
that the PC's clock is plausible (office PCs run days behind, or at 2010 on a dead battery).

`logical_now` is the time that places a new record or export among the packages already
sent (store/locks.py: a person belongs to every package exported after her creation): the
PC's clock, but never earlier than the newest change already stored, so a clock gone back
cannot put a new record inside packages sent before it existed. The change log (`at`) keeps
what the PC's clock said; amendments follow the log's order, not its times."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from htx_desktop.i18n import t

# No record can be saved before the program existed: a clock earlier than this is wrong.
RELEASED = datetime(2025, 1, 1, tzinfo=UTC)
# A change stored "later" than now by more than this means the clock went back.
_SLACK = timedelta(minutes=10)


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_today() -> date:
    """Today on the PC's own calendar (its local time zone), read through `utcnow`, so that a
    test setting `clock.utcnow` sets today as well: deadlines and "late by N days" count in
    the officer's days."""
    return utcnow().astimezone().date()


def column_now() -> datetime:
    """`utcnow`, looked up at each call: the columns' default and the record service use
    it, so that a test's clock put in `utcnow`'s place reaches what they store too."""
    return utcnow()


def newest_stored(session: Any) -> datetime | None:
    """The newest time already stored in the change log and the exports (UTC)."""
    from sqlalchemy import func, select

    from htx_desktop.store.models import AuditEntry, Export

    found = [session.scalar(select(func.max(AuditEntry.at))),
             session.scalar(select(func.max(Export.created_at)))]
    times = [t if t.tzinfo is not None else t.replace(tzinfo=UTC)
             for t in found if isinstance(t, datetime)]
    return max(times, default=None)


def logical_now(session: Any) -> datetime:
    """Now, for a new record's or export's creation time: the PC's clock, or just after the
    newest change already stored when the clock is behind it (module docstring)."""
    return not_before(newest_stored(session))


def not_before(newest: datetime | None) -> datetime:
    """The PC's clock, or just after `newest` if the clock is not later than it."""
    now = utcnow()
    if newest is not None and now <= newest:
        return newest + timedelta(microseconds=1)
    return now


def clock_problem(session: Any) -> str | None:
    """Why the PC's clock looks wrong (Vietnamese, naming the clock, not the record), or None:
    it is earlier than the program's release, or than the newest change already stored."""
    from sqlalchemy import func, select

    from htx_desktop.store.models import AuditEntry

    now = utcnow()
    newest = session.scalar(select(func.max(AuditEntry.at)))
    if newest is not None and newest.tzinfo is None:
        newest = newest.replace(tzinfo=UTC)
    if now >= RELEASED and (newest is None or now >= newest - _SLACK):
        return None
    local = now.astimezone().strftime("%d/%m/%Y %H:%M")
    if now < RELEASED or newest is None:
        return t("Đồng hồ của máy tính có vẻ sai: máy đang ghi ngày {now}, trước cả khi chương "
                 "trình ra đời. Hãy chỉnh lại ngày giờ của Windows (chuột phải vào đồng hồ → "
                 "Adjust date/time). Dữ liệu vẫn được lưu, nhưng ngày ghi kèm sẽ sai.", now=local)
    return t("Đồng hồ của máy tính có vẻ sai: máy đang ghi ngày {now}, sớm hơn lần thay đổi "
             "dữ liệu gần nhất ({newest}). Hãy chỉnh lại ngày giờ của Windows (chuột phải vào "
             "đồng hồ → Adjust date/time). Dữ liệu vẫn được lưu, nhưng ngày ghi kèm sẽ sai.",
             now=local, newest=newest.astimezone().strftime("%d/%m/%Y %H:%M"))
