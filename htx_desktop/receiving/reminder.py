"""The reminder to units that have not submitted (a ready-to-paste Vietnamese paragraph), and
the history of the packages received for a period."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from htx_desktop.domain.periods import Period
from htx_desktop.i18n import t
from htx_desktop.store.models import Submission, Unit
from htx_desktop.store.submissions import deadline_for


def reminder_text(session: Session, home_id: int, period: Period,
                  rows: Sequence[dict[str, Any]]) -> str:
    """A paragraph for an email to the units still missing; "" when none is missing."""
    missing = [r for r in rows if r["status"] == "missing"]
    if not missing:
        return ""
    home = session.get(Unit, home_id)
    deadline = deadline_for(session, period)
    names = "; ".join(f"{r['name']} ({r['code']})" for r in missing)
    return t(
        "Kính gửi Hội LHPN các đơn vị: {names}. Đến nay {home} chưa nhận được gói báo cáo "
        "kết quả thực hiện Đề án {title} của đơn vị. Đề nghị các đơn vị xuất gói báo cáo "
        "bằng chương trình HTX Desktop và gửi về trước ngày {deadline}. Trân trọng cảm ơn.",
        names=names, home=f"Hội LHPN {home.name}" if home else "",
        title=period.title, deadline=deadline.strftime("%d/%m/%Y"))


def submission_history(session: Session, home_id: int, period: Period) -> list[dict[str, Any]]:
    """Every package received for the period from units below, accepted or superseded, by
    unit and version: the history is kept, not only the latest."""
    below = select(Unit.id).where(Unit.parent_id == home_id)
    rows = session.execute(
        select(Unit.code, Unit.name, Submission.version, Submission.status,
               Submission.received_at, Submission.on_time, Submission.file_name)
        .join(Unit, Unit.id == Submission.unit_id)
        .where(Submission.period == period.label, Submission.unit_id.in_(below))
        .order_by(Unit.code, Submission.version)).all()
    return [{"code": r.code, "name": r.name, "version": r.version, "status": r.status,
             "received_at": r.received_at.isoformat(), "on_time": r.on_time,
             "file_name": r.file_name} for r in rows]
