"""The reminder to units that have not submitted (a ready-to-paste Vietnamese paragraph), and
the history of the packages received for a period."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from htx_desktop.domain.periods import Period
from htx_desktop.i18n import t
from htx_desktop.store.models import Submission, Unit
from htx_desktop.store.submissions import deadline_for


def reminder_text(session: Session, home_id: int, period: Period,
                  rows: Sequence[dict[str, Any]], today: date | None = None) -> str:
    """A short, polite message (an email or a Zalo message) to the units whose report is
    missing — past the deadline, the overdue ones, saying so — and to those whose report was
    returned and not resent; "" when there is no one to remind. `rows`: `completeness(...)`
    rows (with `timeliness` and `awaiting_resend`), or plain `submission_status` rows."""
    from htx_desktop.store import clock

    today = today or clock.local_today()
    home = session.get(Unit, home_id)
    deadline = deadline_for(session, period)
    missing = [r["name"] for r in rows if r["status"] == "missing"]
    returned = [r["name"] for r in rows if r.get("awaiting_resend")]
    parts = []
    sender = t("Hội LHPN {name}", name=home.name) if home else t("cấp trên")
    due = deadline.strftime("%d/%m/%Y")
    if missing and today > deadline:
        parts.append(t(
            "Kính gửi Hội LHPN: {names}. Hạn gửi báo cáo kết quả thực hiện Đề án {title} là "
            "ngày {deadline}, đến nay {home} vẫn chưa nhận được báo cáo của đơn vị. Đề nghị "
            "đơn vị xuất gói báo cáo bằng chương trình HTX Desktop và gửi về sớm.",
            names=", ".join(missing), title=period.title, deadline=due, home=sender))
    elif missing:
        parts.append(t(
            "Kính gửi Hội LHPN: {names}. Đến nay {home} chưa nhận được báo cáo kết quả thực "
            "hiện Đề án {title} của đơn vị. Đề nghị đơn vị xuất gói báo cáo bằng chương trình "
            "HTX Desktop và gửi về chậm nhất ngày {deadline}.",
            names=", ".join(missing), title=period.title, deadline=due, home=sender))
    if returned:
        parts.append(t(
            "Kính gửi Hội LHPN: {names}. Báo cáo Đề án {title} của đơn vị đã được trả lại kèm "
            "ý kiến; đề nghị đơn vị chỉnh sửa, xuất gói mới và gửi lại.",
            names=", ".join(returned), title=period.title))
    if not parts:
        return ""
    return "\n".join([*parts, t("Trân trọng cảm ơn!")])


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
