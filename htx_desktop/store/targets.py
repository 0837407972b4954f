"""Targets of a unit: the province's preloaded ones, or those allocated by the unit above.

The province's 2025 and 2030 targets come with the program (`reference.load_targets`). A unit
with units below it allocates its count targets among them; the figures of a unit below are
then measured against what it was given. Count targets (HTX, THT, jobs) add up, so the sum
given to the units below is checked against the unit's own target; percent targets (CT5, CT8,
CT9) are a rate for everyone, so a unit below may be given one but nothing is summed.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from htx_desktop.domain.indicator_specs import INDICATORS, codes, spec_or_none
from htx_desktop.i18n import t
from htx_desktop.store.errors import StoreError
from htx_desktop.store.models import AuditEntry, Target, Unit

# The indicators (`domain/indicator_specs.py`) by how their targets are given: counts add up
# over the units below, percentages do not.
COUNT_INDICATORS: tuple[str, ...] = tuple(s.code for s in INDICATORS if not s.is_percent)
PERCENT_INDICATORS: tuple[str, ...] = tuple(s.code for s in INDICATORS if s.is_percent)
YEARLY_INDICATOR = "III.1"  # plan line III.1: ≥ 2 new women-led HTX every year (year NULL)
TARGET_YEARS: tuple[int, ...] = (2025, 2030)

# "chỉ tiêu của tỉnh", "… của huyện", "… của xã": how the unit's own target is named.
_LEVEL_WORD = {"tinh": "tỉnh", "huyen": "huyện", "xa": "xã"}


class TargetError(StoreError):
    """An allocation refused, with the Vietnamese message the officer sees."""


class AllocationGap(NamedTuple):
    indicator: str
    year: int
    own: float  # the parent's own target
    allocated: float  # the sum given to the units below

    @property
    def missing(self) -> float:
        """How much is still to give (negative: more was given than the target)."""
        return self.own - self.allocated


def unit_of_measure(indicator: str) -> str:
    """"percent" or "count" (plan line III.1, no indicator, counts HTX)."""
    found = spec_or_none(indicator)
    return found.measure if found is not None else "count"


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


def own_targets(session: Session, unit_id: int) -> list[Target]:
    """Every target row of the unit, by indicator then year (the yearly ones last)."""
    rows = session.scalars(select(Target).where(Target.unit_id == unit_id)).all()
    return sorted(rows, key=lambda r: (r.year is None, r.year or 0, _indicator_order(r.indicator)))


def units_below(session: Session, parent_id: int) -> list[Unit]:
    """The units directly below that still exist (a unit merged away gets no new target)."""
    return list(session.scalars(select(Unit).where(
        Unit.parent_id == parent_id, Unit.valid_to.is_(None)).order_by(Unit.name_key)))


def allocations(session: Session, parent_id: int) -> dict[tuple[int, str, int | None], float]:
    """(unit below, indicator, year) → the target given to it."""
    child_ids = select(Unit.id).where(Unit.parent_id == parent_id)
    rows = session.scalars(select(Target).where(Target.unit_id.in_(child_ids))).all()
    return {(r.unit_id, r.indicator, r.year): r.value for r in rows}


def _indicator_order(code: str) -> tuple[int, str]:
    """The declared order; anything else (III.1) after it."""
    declared = codes()
    return (declared.index(code), code) if code in declared else (len(declared), code)


def _check(indicator: str, year: int | None, value: float) -> None:
    if indicator not in COUNT_INDICATORS + PERCENT_INDICATORS + (YEARLY_INDICATOR,):
        raise TargetError(t("Không có chỉ tiêu {code} trong Đề án.", code=indicator))
    if indicator == YEARLY_INDICATOR:
        if year is not None:
            raise TargetError(t("Chỉ tiêu III.1 là chỉ tiêu hằng năm, không gắn với một năm."))
    elif year not in TARGET_YEARS:
        raise TargetError(t("Chỉ tiêu chỉ được giao cho năm 2025 hoặc 2030 (không phải {year}).",
                            year=year))
    if not math.isfinite(value):
        raise TargetError(t("Chỉ tiêu {code} phải là một số.", code=indicator))
    if value < 0:
        raise TargetError(t("Chỉ tiêu {code} không được là số âm ({value}).",
                            code=indicator, value=_shown(value)))
    if unit_of_measure(indicator) == "percent":
        if value > 100:
            raise TargetError(t("Chỉ tiêu {code} là tỉ lệ phần trăm, không được lớn hơn 100 "
                                "({value}).", code=indicator, value=_shown(value)))
    elif value != int(value):
        raise TargetError(t("Chỉ tiêu {code} là số lượng, phải là số nguyên ({value}).",
                            code=indicator, value=_shown(value)))


def allocate_target(session: Session, *, parent_id: int, child_id: int, indicator: str,
                    year: int | None, value: float | None, officer: str = "") -> Target | None:
    """The unit above sets, changes or (value None) removes a target of a unit below it.

    Each change is written to the audit log; an unchanged value writes nothing."""
    child = session.get(Unit, child_id)
    if child is None or child.parent_id != parent_id:
        raise TargetError(t("Chỉ có thể giao chỉ tiêu cho đơn vị trực thuộc."))
    if child.valid_to is not None:
        raise TargetError(t("Đơn vị {name} không còn (đã sáp nhập hoặc giải thể): không giao "
                            "chỉ tiêu được.", name=child.name))
    if value is not None:
        value = float(value)
        _check(indicator, year, value)
    year_is = Target.year.is_(None) if year is None else Target.year == year
    row = session.scalar(select(Target).where(
        Target.unit_id == child_id, Target.indicator == indicator, year_is))
    old = row.value if row is not None else None
    if value is None:
        if row is not None:
            _log(session, officer, "delete", row, child, old, None)
            session.delete(row)
            session.flush()
        return None
    if row is not None and old == value and row.allocated_by_id == parent_id:
        return row
    if row is None:
        row = Target(unit_id=child_id, indicator=indicator, year=year, value=value,
                     unit_of_measure=unit_of_measure(indicator), allocated_by_id=parent_id)
        session.add(row)
        session.flush()  # the id, for the audit entry
    else:
        row.value = value
        row.allocated_by_id = parent_id
    _log(session, officer, "create" if old is None else "update", row, child, old, value)
    session.flush()
    return row


def _log(session: Session, officer: str, action: str, row: Target, child: Unit,
         old: float | None, new: float | None) -> None:
    session.add(AuditEntry(
        officer=officer, action=action, table_name=Target.__tablename__, record_id=str(row.id),
        changes={"unit": child.code, "indicator": row.indicator, "year": row.year,
                 "value": [old, new]}))


def allocation_gaps(session: Session, parent_id: int) -> list[AllocationGap]:
    """The parent's count targets that the targets given to the units below do not add up to
    (only those where something was given: an unallocated target is not yet a gap). Percent
    targets are not summed."""
    own = [r for r in own_targets(session, parent_id)
           if r.year is not None and unit_of_measure(r.indicator) == "count"]
    given = allocations(session, parent_id)
    gaps = []
    for target in own:
        allocated = [v for (_unit, code, year), v in given.items()
                     if code == target.indicator and year == target.year]
        if allocated and abs(sum(allocated) - target.value) > 1e-9:
            gaps.append(AllocationGap(target.indicator, int(target.year or 0), target.value,
                                      sum(allocated)))
    return gaps


def gap_note(own: float, allocated: float, level: str) -> str:
    """The sentence an officer reads when the allocation does not add up ("" when it does)."""
    whose = _LEVEL_WORD.get(level, "đơn vị")
    if abs(allocated - own) <= 1e-9:
        return ""
    if allocated < own:
        return t("Tổng chỉ tiêu giao cho các đơn vị ({allocated}) chưa bằng chỉ tiêu của {whose} "
                 "({own}): còn thiếu {diff}.", allocated=_shown(allocated), whose=t(whose),
                 own=_shown(own), diff=_shown(own - allocated))
    return t("Tổng chỉ tiêu giao cho các đơn vị ({allocated}) vượt chỉ tiêu của {whose} ({own}): "
             "thừa {diff}.", allocated=_shown(allocated), whose=t(whose), own=_shown(own),
             diff=_shown(allocated - own))


def _shown(value: float) -> str:
    """50, not 50.0; 12.5 as 12,5 (Vietnamese decimal comma)."""
    if value == int(value):
        return str(int(value))
    return f"{value:g}".replace(".", ",")
