"""The reminder to units that have not submitted: a ready-to-paste Vietnamese paragraph."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from htx_desktop.domain.periods import Period
from htx_desktop.i18n import t
from htx_desktop.store.models import Unit
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
