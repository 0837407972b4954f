"""Targets of a unit: the province's preloaded ones, or those allocated to the unit above."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from htx_desktop.store.models import Target, Unit


def targets_for(session: Session, unit_id: int) -> dict[tuple[str, int], float]:
    """(indicator, year) → target for the unit: its own rows (preloaded for the province, or
    allocated by the unit above). A unit with none has no targets: its figures show no %."""
    rows = session.scalars(select(Target).where(Target.unit_id == unit_id)).all()
    return {(r.indicator, r.year): r.value for r in rows if r.year is not None}


def yearly_targets_for(session: Session, unit_id: int) -> dict[str, float]:
    """Targets set for every year (plan line III.1: at least 2 new women-led HTX a year)."""
    rows = session.scalars(
        select(Target).where(Target.unit_id == unit_id, Target.year.is_(None))).all()
    return {r.indicator: r.value for r in rows}


def allocate_target(session: Session, *, parent_id: int, child_id: int, indicator: str,
                    year: int, value: float) -> Target:
    """The unit above sets (or changes) a target of a unit below it."""
    child = session.get(Unit, child_id)
    if child is None or child.parent_id != parent_id:
        from htx_desktop.store.errors import StoreError

        raise StoreError("Chỉ có thể giao chỉ tiêu cho đơn vị trực thuộc.")
    row = session.scalar(select(Target).where(
        Target.unit_id == child_id, Target.indicator == indicator, Target.year == year))
    if row is None:
        row = Target(unit_id=child_id, indicator=indicator, year=year, value=value,
                     allocated_by_id=parent_id)
        session.add(row)
    else:
        row.value = value
        row.allocated_by_id = parent_id
    session.flush()
    return row


def allocation_gaps(session: Session, parent_id: int) -> list[tuple[str, int, float, float]]:
    """(indicator, year, parent target, sum allocated) where count targets allocated to the
    units below do not add up to the parent's own target. Percent targets are not summed."""
    own = session.scalars(select(Target).where(
        Target.unit_id == parent_id, Target.year.is_not(None))).all()
    child_ids = select(Unit.id).where(Unit.parent_id == parent_id)
    gaps = []
    for target in own:
        if target.unit_of_measure != "count":
            continue
        allocated = session.scalars(select(Target.value).where(
            Target.unit_id.in_(child_ids), Target.indicator == target.indicator,
            Target.year == target.year)).all()
        if allocated and abs(sum(allocated) - target.value) > 1e-9:
            gaps.append((target.indicator, int(target.year or 0), target.value, sum(allocated)))
    return gaps
