"""Targets: the province's own, allocation to the units below, the gaps, the audit log."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from htx_desktop.store.engine import Database
from htx_desktop.store.models import AuditEntry, Target, Unit
from htx_desktop.store.reference import find_unit
from htx_desktop.store.settings import home_unit
from htx_desktop.store.targets import (
    AllocationGap,
    TargetError,
    allocate_target,
    allocation_gaps,
    allocations,
    gap_note,
    own_targets,
    targets_for,
    units_below,
    yearly_targets_for,
)


def _province_and_communes(db: Database) -> tuple[int, list[int]]:
    with db.session() as session:
        home = home_unit(session)
        assert home is not None
        return home.id, [u.id for u in units_below(session, home.id)]


def test_province_targets_are_preloaded_with_the_yearly_one(db: Database) -> None:
    province, _ = _province_and_communes(db)
    with db.session() as session:
        own = targets_for(session, province)
        assert own[("CT1", 2025)] == 50 and own[("CT3", 2030)] == 700
        assert own[("CT9", 2025)] == 80
        assert yearly_targets_for(session, province) == {"III.1": 2}
        rows = own_targets(session, province)
        assert rows[-1].indicator == "III.1" and rows[-1].year is None
        assert [r.indicator for r in rows if r.year == 2025][:3] == ["CT1", "CT2", "CT3"]


def test_units_below_are_the_current_communes(db: Database) -> None:
    province, communes = _province_and_communes(db)
    assert len(communes) == 92
    with db.session() as session:
        assert all(session.get(Unit, c).parent_id == province for c in communes)  # type: ignore[union-attr]


def test_allocation_becomes_the_communes_target_and_the_gap_is_reported(db: Database) -> None:
    province, (a, b, c, *_) = _province_and_communes(db)
    with db.session() as session:
        allocate_target(session, parent_id=province, child_id=a, indicator="CT1", year=2025,
                        value=30, officer="Chị Lan")
        allocate_target(session, parent_id=province, child_id=b, indicator="CT1", year=2025,
                        value=18, officer="Chị Lan")
    with db.session() as session:
        assert targets_for(session, a) == {("CT1", 2025): 30}
        row = session.scalar(select(Target).where(Target.unit_id == a))
        assert row is not None and row.allocated_by_id == province
        assert row.unit_of_measure == "count"
        assert allocation_gaps(session, province) == [AllocationGap("CT1", 2025, 50, 48)]
        assert allocation_gaps(session, province)[0].missing == 2
    with db.session() as session:
        allocate_target(session, parent_id=province, child_id=c, indicator="CT1", year=2025,
                        value=2)
        assert allocation_gaps(session, province) == []
        # Changing a value updates the row rather than adding one.
        allocate_target(session, parent_id=province, child_id=c, indicator="CT1", year=2025,
                        value=7)
        assert allocation_gaps(session, province) == [AllocationGap("CT1", 2025, 50, 55)]
        assert allocations(session, province)[(c, "CT1", 2025)] == 7


def test_percent_target_may_be_given_but_is_not_summed(db: Database) -> None:
    province, (a, *_rest) = _province_and_communes(db)
    with db.session() as session:
        allocate_target(session, parent_id=province, child_id=a, indicator="CT9", year=2025,
                        value=60)
        row = session.scalar(select(Target).where(Target.unit_id == a))
        assert row is not None and row.unit_of_measure == "percent"
        assert targets_for(session, a) == {("CT9", 2025): 60}
        assert allocation_gaps(session, province) == []  # 60 ≠ 80, but rates do not add up


def test_yearly_target_of_plan_line_iii1_can_be_given(db: Database) -> None:
    province, (a, *_rest) = _province_and_communes(db)
    with db.session() as session:
        allocate_target(session, parent_id=province, child_id=a, indicator="III.1", year=None,
                        value=1)
        assert yearly_targets_for(session, a) == {"III.1": 1}
        assert targets_for(session, a) == {}
        with pytest.raises(TargetError, match="hằng năm"):
            allocate_target(session, parent_id=province, child_id=a, indicator="III.1",
                            year=2025, value=1)


@pytest.mark.parametrize(("indicator", "year", "value", "words"), [
    ("CT1", 2025, -1, "số âm"),
    ("CT8", 2025, 120, "không được lớn hơn 100"),
    ("CT3", 2025, 2.5, "số nguyên"),
    ("CT1", 2027, 5, "2025 hoặc 2030"),
    ("CT42", 2025, 5, "Không có chỉ tiêu CT42"),
    ("CT1", 2025, float("nan"), "phải là một số"),
])
def test_refusals_carry_a_vietnamese_message(db: Database, indicator: str, year: int,
                                             value: float, words: str) -> None:
    province, (a, *_rest) = _province_and_communes(db)
    with db.session() as session:
        with pytest.raises(TargetError, match=words) as caught:
            allocate_target(session, parent_id=province, child_id=a, indicator=indicator,
                            year=year, value=value)
        assert caught.value.user_message == str(caught.value)
        assert targets_for(session, a) == {}


def test_only_units_directly_below_and_still_existing(db: Database) -> None:
    province, (a, *_rest) = _province_and_communes(db)
    with db.session() as session:
        other = find_unit(session, "01")  # Hà Nội: not below Thái Nguyên
        assert other is not None
        with pytest.raises(TargetError, match="trực thuộc"):
            allocate_target(session, parent_id=province, child_id=other.id, indicator="CT1",
                            year=2025, value=1)
        with pytest.raises(TargetError, match="trực thuộc"):  # a commune cannot give upwards
            allocate_target(session, parent_id=a, child_id=province, indicator="CT1",
                            year=2025, value=1)
        merged = session.scalar(select(Unit).where(Unit.parent_id == province,
                                                   Unit.valid_to.is_not(None)))
        if merged is None:  # the national list has none below this province: make one
            merged = Unit(code="99999", name="Xã Cũ", name_key="xa cu", level="xa",
                          parent_id=province, valid_to=date(2025, 6, 30))
            session.add(merged)
            session.flush()
        with pytest.raises(TargetError, match="không còn"):
            allocate_target(session, parent_id=province, child_id=merged.id, indicator="CT1",
                            year=2025, value=1)


def test_every_change_is_in_the_audit_log(db: Database) -> None:
    province, (a, *_rest) = _province_and_communes(db)
    with db.session() as session:
        commune_code = session.get(Unit, a).code  # type: ignore[union-attr]
        allocate_target(session, parent_id=province, child_id=a, indicator="CT2", year=2030,
                        value=4, officer="Chị Lan")
        allocate_target(session, parent_id=province, child_id=a, indicator="CT2", year=2030,
                        value=4, officer="Chị Lan")  # unchanged: nothing to log
        allocate_target(session, parent_id=province, child_id=a, indicator="CT2", year=2030,
                        value=6, officer="Chị Lan")
        allocate_target(session, parent_id=province, child_id=a, indicator="CT2", year=2030,
                        value=None, officer="Anh Minh")
        assert targets_for(session, a) == {}
        entries = session.scalars(select(AuditEntry).where(AuditEntry.table_name == "targets")
                                  .order_by(AuditEntry.id)).all()
        assert [(e.action, e.changes["value"], e.officer) for e in entries] == [
            ("create", [None, 4.0], "Chị Lan"), ("update", [4.0, 6.0], "Chị Lan"),
            ("delete", [6.0, None], "Anh Minh")]
        assert {e.changes["unit"] for e in entries} == {commune_code}
        assert {(e.changes["indicator"], e.changes["year"]) for e in entries} == {("CT2", 2030)}


def test_gap_note_wording() -> None:
    assert gap_note(50, 48, "tinh") == (
        "Tổng chỉ tiêu giao cho các đơn vị (48) chưa bằng chỉ tiêu của tỉnh (50): còn thiếu 2.")
    assert gap_note(10, 12, "huyen") == (
        "Tổng chỉ tiêu giao cho các đơn vị (12) vượt chỉ tiêu của huyện (10): thừa 2.")
    assert gap_note(50, 50, "tinh") == ""


def test_dashboard_of_a_commune_measures_it_against_its_allocation(db: Database) -> None:
    from htx_desktop.reports.dashboard import dashboard_figures

    province, (a, *_rest) = _province_and_communes(db)
    with db.session() as session:
        allocate_target(session, parent_id=province, child_id=a, indicator="CT1", year=2025,
                        value=4)
        data = dashboard_figures(session, a, "2025")
        assert data.targets == {("CT1", 2025): 4}
        assert data.result("CT1").target == 4
        assert data.progress("CT1", 2025) == 0  # no records yet: 0 of 4
        assert data.progress("CT2", 2025) is None  # no target given
