"""What the database says about time: a check that the PC's clock is plausible (office PCs run
days behind, or at 2010 on a dead battery), against the program's release and the newest
change in the audit log; and `logical_now`.

`logical_now` is the time that places a new record or export among the packages already
sent (store/locks.py: a person belongs to every package exported after her creation): the
PC's clock, but never earlier than the newest change already stored, so a clock gone back
cannot put a new record inside packages sent before it existed. The change log (`at`) keeps
what the PC's clock said; amendments follow the log's order, not its times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from htx_desktop.i18n import t
from htx_desktop.store import clock
from htx_desktop.store.models import AuditEntry, Export

# No record can be saved before the program existed: a clock earlier than this is wrong.
RELEASED = datetime(2025, 1, 1, tzinfo=UTC)
# A change stored "later" than now by more than this means the clock went back.
_SLACK = timedelta(minutes=10)


def clock_problem(session: Session) -> str | None:
    """Why the PC's clock looks wrong (Vietnamese, naming the clock, not the record), or None:
    it is earlier than the program's release, or than the newest change already stored."""
    now = clock.utcnow()
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


def newest_stored(session: Session) -> datetime | None:
    """The newest time already stored in the change log and the exports (UTC)."""
    found = [session.scalar(select(func.max(AuditEntry.at))),
             session.scalar(select(func.max(Export.created_at)))]
    times = [t if t.tzinfo is not None else t.replace(tzinfo=UTC)
             for t in found if isinstance(t, datetime)]
    return max(times, default=None)


def logical_now(session: Session) -> datetime:
    """Now, for a new record's or export's creation time: the PC's clock, or just after the
    newest change already stored when the clock is behind it (module docstring)."""
    return clock.not_before(newest_stored(session))
