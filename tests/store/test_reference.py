"""Reference data: the national unit list, unit files, ethnic groups, plan lines, targets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from htx_desktop.domain.indicator_specs import INDICATORS
from htx_desktop.store.engine import Database
from htx_desktop.store.errors import StoreError
from htx_desktop.store.models import EthnicGroup, PlanLine, Target, Unit, UnitSuccessor
from htx_desktop.store.reference import (
    descendant_units,
    find_unit,
    load_national_units,
    load_units_csv,
)
from htx_desktop.store.settings import home_unit

DATA = Path(__file__).parent.parent / "data"
HEADER = "code,name,level,parent_code,valid_from,valid_to\n"


def test_national_list_gives_92_communes_under_thai_nguyen(db: Database) -> None:
    with db.session() as session:
        province = find_unit(session, "19")
        assert province is not None
        assert (province.name, province.level, province.valid_from) == (
            "Tỉnh Thái Nguyên", "tinh", date(2025, 7, 1))
        below = descendant_units(session, province.id, include_self=False)
        assert len(below) == 92
        assert {u.level for u in below} == {"xa"}
        ward = find_unit(session, "05443")
        assert ward is not None and ward.name == "Phường Phan Đình Phùng"
        assert ward.parent_id == province.id
        assert ward.name_key == "phuong phan dinh phung"
        hanoi = find_unit(session, "01")
        assert hanoi is not None and hanoi.name == "Thành phố Hà Nội"
        assert session.scalar(select(func.count()).select_from(Unit)) == 34 + 3321


def test_reloading_the_national_list_keeps_unit_ids(db: Database) -> None:
    with db.session() as session:
        before = find_unit(session, "05443")
        assert before is not None
        load_national_units(session)
        after = find_unit(session, "05443")
        assert after is not None and after.id == before.id
        assert session.scalar(select(func.count()).select_from(Unit)) == 34 + 3321


def test_three_level_file_gives_districts_and_communes(db: Database) -> None:
    with db.session() as session:
        count = load_units_csv(session, DATA / "units-3level.csv",
                               DATA / "units-3level-successors.csv")
        assert count == 24
        old_province = session.scalars(
            select(Unit).where(Unit.code == "19", Unit.source == "file")).one()
        districts = [u for u in descendant_units(session, old_province.id) if u.level == "huyen"]
        assert len(districts) == 9
        dinh_hoa = next(u for u in districts if u.code == "167")
        communes = descendant_units(session, dinh_hoa.id, include_self=False)
        assert [u.name for u in communes] == [
            "Thị trấn Chợ Chu", "Xã Bảo Linh", "Xã Phúc Chu", "Xã Đồng Thịnh"]
        assert all(u.valid_to == date(2025, 6, 30) for u in communes)

        # Codes were reused in 2025: the current era wins the lookup.
        current = find_unit(session, "05443")
        assert current is not None and current.name == "Phường Phan Đình Phùng"
        # ... and the old unit points at its successor.
        old = session.scalars(select(Unit).where(Unit.code == "05443",
                                                 Unit.source == "file")).one()
        assert old.name == "Phường Trưng Vương"
        successor = session.scalars(
            select(UnitSuccessor.successor_id).where(UnitSuccessor.unit_id == old.id)).one()
        assert successor == current.id
        # The national list is untouched.
        province = home_unit(session)
        assert province is not None
        assert len(descendant_units(session, province.id, include_self=False)) == 92


def test_loading_a_file_again_replaces_the_previous_one(db: Database, tmp_path: Path) -> None:
    smaller = tmp_path / "smaller.csv"
    smaller.write_text(HEADER + "19,Tỉnh Thái Nguyên,tinh,,,2025-06-30\n"
                       "167,Huyện Định Hóa,huyen,19,,2025-06-30\n", encoding="utf-8")
    with db.session() as session:
        load_units_csv(session, DATA / "units-3level.csv")
        kept = session.scalars(select(Unit).where(Unit.code == "167",
                                                  Unit.source == "file")).one()
        assert load_units_csv(session, smaller) == 2
        assert session.scalar(select(func.count()).select_from(Unit)
                              .where(Unit.source == "file")) == 2
        again = session.scalars(select(Unit).where(Unit.code == "167",
                                                   Unit.source == "file")).one()
        assert again.id == kept.id  # records of a kept unit keep their unit


def test_file_with_bom_and_communes_under_an_existing_province(db: Database,
                                                               tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(("\ufeff" + HEADER + "9001,Xã Thử Nghiệm,xa,19,2025-07-01,\n")
                     .encode("utf-8"))
    with db.session() as session:
        assert load_units_csv(session, path) == 1
        unit = session.scalars(select(Unit).where(Unit.code == "09001")).one()
        province = find_unit(session, "19")
        assert province is not None and unit.parent_id == province.id


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("19,Tỉnh Thái Nguyên,tinh,,,\n164,Thành phố Thái Nguyên,huyen,99,,\n",
         "Dòng 3: không tìm thấy đơn vị cấp trên có mã 99"),
        ("19,Tỉnh Thái Nguyên,tinh,,,\n164,Thành phố Thái Nguyên,quan,19,,\n",
         "Dòng 3: cấp “quan” không hợp lệ"),
        ("19,Tỉnh Thái Nguyên,tinh,,,\n164,A,huyen,19,,\n164,B,huyen,19,,\n",
         "Dòng 4: mã đơn vị 164 bị trùng (đã có ở dòng 3)"),
        ("19,Tỉnh Thái Nguyên,tinh,,,\n164,A,huyen,19,01/13/2020,\n",
         "Dòng 3: ngày “01/13/2020” không hợp lệ"),
        ("19,Tỉnh Thái Nguyên,tinh,,,\n05443,Phường X,xa,05449,,\n05449,Phường Y,xa,19,,\n",
         "Dòng 3: đơn vị cấp trên 05449 không ở cấp cao hơn"),
    ],
    ids=["unknown-parent", "bad-level", "duplicate-code", "bad-date", "parent-not-higher"],
)
def test_bad_unit_file_is_refused_naming_the_line(
    db: Database, tmp_path: Path, rows: str, message: str
) -> None:
    path = tmp_path / "units.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    with db.session() as session:
        with pytest.raises(StoreError) as refused:
            load_units_csv(session, path)
        assert message in refused.value.user_message
        assert session.scalar(select(func.count()).select_from(Unit)
                              .where(Unit.source == "file")) == 0


def test_unit_file_without_its_columns_is_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text("ma,ten\n19,Thái Nguyên\n", encoding="utf-8")
    with db.session() as session, pytest.raises(StoreError, match="thiếu cột"):
        load_units_csv(session, path)


def test_unknown_successor_is_refused(db: Database, tmp_path: Path) -> None:
    successors = tmp_path / "succ.csv"
    successors.write_text("code,successor_code\n05443,77777\n", encoding="utf-8")
    with db.session() as session, pytest.raises(StoreError, match="dòng 2"):
        load_units_csv(session, DATA / "units-3level.csv", successors)


def test_ethnic_groups_plan_lines_and_targets(db: Database) -> None:
    with db.session() as session:
        groups = {g.code: g.name for g in session.scalars(select(EthnicGroup))}
        assert len(groups) == 54
        assert (groups["01"], groups["05"], groups["08"], groups["54"]) == (
            "Kinh", "Khơ-me", "HMông", "Rơ Măm")
        assert session.scalar(select(func.count()).select_from(PlanLine)) == 34
        province = home_unit(session)
        assert province is not None and province.code == "19"
        targets = {(t.indicator, t.year): t for t in session.scalars(
            select(Target).where(Target.unit_id == province.id))}
        # each declared target of the plan, and III.1 (every year)
        assert len(targets) == sum(len(s.target_years) for s in INDICATORS) + 1
        assert targets[("CT3", 2025)].value == 550
        assert targets[("CT9", 2030)].unit_of_measure == "percent"
        assert targets[("III.1", None)].value == 2  # "every year"
