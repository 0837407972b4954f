"""Read-only queries shared by the command line and the window."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from htx_desktop.domain.kinds import KINDS
from htx_desktop.store.models import (
    PACKAGE_RECORDS,
    Attendance,
    Cooperative,
    Event,
    Submission,
)


def unit_ids_below(session: Session, unit_id: int) -> list[int]:
    """The unit and every unit below it (all eras)."""
    from htx_desktop.store.reference import descendant_units

    return [u.id for u in descendant_units(session, unit_id, include_self=True)]


def record_counts(session: Session, unit_id: int) -> dict[str, int]:
    """How many live (not deleted) records of each kind the unit and those below it hold,
    own and consolidated: the `summary --json` counts of docs/INTERFACES.md."""
    ids = unit_ids_below(session, unit_id)

    def count(model: Any, *extra: Any) -> int:
        stmt = select(func.count()).select_from(model).where(model.unit_id.in_(ids), *extra)
        if hasattr(model, "deleted_at"):
            stmt = stmt.where(model.deleted_at.is_(None))
        return int(session.scalar(stmt) or 0)

    attendances = session.scalar(
        select(func.count()).select_from(Attendance).join(Event)
        .where(Event.unit_id.in_(ids), Event.deleted_at.is_(None)))
    counts = {
        "htx": count(Cooperative, Cooperative.kind == "htx"),
        "tht": count(Cooperative, Cooperative.kind == "tht"),
        "lhhtx": count(Cooperative, Cooperative.kind == "lhhtx"),
    }
    for k in KINDS:  # the counted kinds of domain/kinds.py, by their data.json key
        if k.count_label:
            counts[k.json_key] = count(PACKAGE_RECORDS[k.json_key])
        if k.json_key == "events":
            counts["attendances"] = int(attendances or 0)
    counts["submissions"] = count(Submission)
    return counts
