"""Templates filled in and imported; messy office workbooks imported row by row."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest
from sheet_helpers import fill_template, write_rows
from sqlalchemy import func, select

from htx_desktop.sheets import mapping as mp
from htx_desktop.sheets.importer import import_sheet
from htx_desktop.sheets.reader import read_workbook
from htx_desktop.sheets.templates import write_template
from htx_desktop.store.engine import Database
from htx_desktop.store.models import AuditEntry, Cooperative, Event, JobPlacement, Person
from htx_desktop.store.reference import find_unit
from htx_desktop.store.service import RecordService


def _unit_id(db: Database, code: str) -> int:
    with db.session() as s:
        unit = find_unit(s, code)
        assert unit is not None
        return unit.id


def _template(db: Database, kind: str, tmp_path: Path) -> Path:
    with db.session() as s:
        return write_template(s, kind, tmp_path / f"{kind}.xlsx")


def test_cooperative_template_round_trip(db: Database, tmp_path: Path) -> None:
    filled = fill_template(_template(db, "cooperatives", tmp_path), [
        ["HTX Chè Tân Cương", "HTX", "Xã Tân Cương", "0100233488", "Xóm Hồng Thái 2",
         date(2021, 3, 12), None, "Nông nghiệp", "Có", 2024, 20, 12, 30, 20, 15, 2, 5,
         1_200_000_000, 4_000_000, "ghi chú"],
        ["HTX Chè Tân Cương", "HTX", "Xã Tân Cương", "0100233488", None, None, None, None,
         None, 2025, 22, 13, 31, 21],
        ["Tổ hợp tác Dệt thổ cẩm", "THT", "Phường Phan Đình Phùng", None, None, None, None,
         "Dệt, thủ công mỹ nghệ", "Không"],
        ["Liên hiệp HTX Thái Nguyên", "Liên hiệp HTX", "05443"],
    ], tmp_path / "filled.xlsx")
    tan_cuong = _unit_id(db, "05503")
    report = import_sheet(db, filled, apply=True, officer="Hoàng Thị Mai")
    assert report.kind == "cooperatives"
    assert [(o.row, o.status) for o in report.outcomes] == [
        (2, "created"), (3, "updated"), (4, "created"), (5, "created")]
    assert report.applied
    with db.session() as s:
        coops = {c.name: c for c in s.scalars(select(Cooperative))}
        assert set(coops) == {"HTX Chè Tân Cương", "Tổ hợp tác Dệt thổ cẩm",
                              "Liên hiệp HTX Thái Nguyên"}
        tea = RecordService(s, "x").snapshot("cooperative", coops["HTX Chè Tân Cương"].id)
        assert tea["kind"] == "htx" and tea["tax_code"] == "0100233488"
        assert tea["founded_on"] == date(2021, 3, 12) and tea["union_supported"] is True
        assert tea["sectors"] == ["agriculture"] and tea["unit_id"] == tan_cuong
        years = {y["year"]: y for y in tea["yearly"]}
        assert years[2024]["revenue_vnd"] == 1_200_000_000 and years[2024]["workers"] == 30
        assert years[2025]["members"] == 22 and years[2025]["workers_female"] == 21
        assert coops["Tổ hợp tác Dệt thổ cẩm"].kind == "tht"
        assert coops["Liên hiệp HTX Thái Nguyên"].kind == "lhhtx"
        audit = s.scalars(select(AuditEntry).where(AuditEntry.officer == "Hoàng Thị Mai"))
        assert sorted(a.action for a in audit) == ["create", "create", "create", "update"]


def test_people_and_jobs_templates_round_trip(db: Database, tmp_path: Path) -> None:
    commune = _unit_id(db, "05503")
    with db.session() as s:
        RecordService(s, "x").create("cooperative", {"unit_id": commune, "kind": "htx",
                                                     "name": "HTX Chè Tân Cương"})
    people = fill_template(_template(db, "people", tmp_path), [
        ["Nguyễn Thị Lan", "Nữ", 1980, "Tày", "Xã Tân Cương", None, "0912 345 678", None,
         "Giám đốc", "HTX Chè Tân Cương", "01/02/2023"],
        ["Đặng Thị Ánh", "Nữ", 1990, "Kinh", "Xã Tân Cương"],
    ], tmp_path / "people.xlsx")
    report = import_sheet(db, people, kind="people", apply=True)
    assert [o.status for o in report.outcomes] == ["created", "created"]
    jobs = fill_template(_template(db, "jobs", tmp_path), [
        ["Đặng Thị Ánh", 1990, "Nữ", "Xã Tân Cương", "HTX Chè Tân Cương", None, "02/01/2024",
         None, "Người lao động", "Có", "Có", "5.000.000"],
        ["Lê Thị Mới", 1995, "Nữ", "Xã Tân Cương", "HTX Chè Tân Cương", None, "02/01/2024"],
    ], tmp_path / "jobs.xlsx")
    report = import_sheet(db, jobs, kind="jobs", apply=True)
    assert [o.status for o in report.outcomes] == ["created", "created"], report.outcomes
    with db.session() as s:
        lan = s.scalars(select(Person).where(Person.full_name == "Nguyễn Thị Lan")).one()
        assert (lan.birth_year, lan.ethnicity_code, lan.phone) == (1980, "02", "0912345678")
        coop = s.scalars(select(Cooperative)).one()
        snap = RecordService(s, "x").snapshot("cooperative", coop.id)
        assert [(p["person_id"], p["position"], p["start"]) for p in snap["positions"]] == [
            (lan.id, "director", date(2023, 2, 1))]
        placements = list(s.scalars(select(JobPlacement)))
        assert len(placements) == 2
        anh = next(p for p in placements if p.monthly_income_vnd)
        assert (anh.monthly_income_vnd, anh.new_job, anh.stable, anh.role) == (
            5_000_000, True, True, "worker")
        assert s.scalar(select(func.count()).select_from(Person)) == 3  # Lê Thị Mới created


def test_event_attendance_template(db: Database, tmp_path: Path) -> None:
    filled = fill_template(_template(db, "events", tmp_path), [
        ["Tập huấn chuyển đổi số", "Tập huấn", "10/06/2024", None, "Xã Tân Cương", "Nhà văn hóa",
         40, 30, "Nguyễn Thị Lan", 1980, "Nữ", None, "Quản lý HTX"],
        ["Tập huấn chuyển đổi số", "Tập huấn", "10/06/2024", None, "Xã Tân Cương", None,
         None, None, "Đặng Thị Ánh", 1990, "Nữ"],
    ], tmp_path / "events.xlsx")
    report = import_sheet(db, filled, apply=True)
    assert report.kind == "events"
    assert [o.status for o in report.outcomes] == ["created", "created"]
    with db.session() as s:
        event = s.scalars(select(Event)).one()
        snap = RecordService(s, "x").snapshot("event", event.id)
        assert snap["count_total"] == 40 and snap["start"] == date(2024, 6, 10)
        assert len(snap["attendance"]) == 2


def _messy_rows() -> list[list[object]]:
    nfd = unicodedata.normalize("NFD", "HTX Chè La Bằng")
    return [
        ["DANH SÁCH HỢP TÁC XÃ DO PHỤ NỮ QUẢN LÝ NĂM 2024"],
        [],
        ["STT", "Tên hợp tác xã", "Loại", "Xã ", "Mã số thuế ", "Ngày thành lập", "Năm",
         "Số lao động", None, "Doanh thu (đồng)"],
        [None, None, None, None, None, None, None, "Tổng", "Nữ", None],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)"],
        [1, nfd, "HTX", "phan đình phùng  ", None, "12/03/2021", 2024, "15", "10",
         "1.200.000"],
        [],
        [2, "Tổ hợp tác Mây tre ", "tht", "05443", None, "12-3-21", 2024, 8, 8, None],
        [3, "Liên hiệp HTX Nam Thái", "Liên hiệp HTX", "Xã Tân Cương", None,
         datetime(2021, 3, 12), 2024, None, None, None],
        [4, "HTX Bốn", "2021-03-12", "Xã Tân Cương", None, "2021-03-12"],
        [5, "HTX Năm", "HTX", "Xã Tân Cương", None, "31/02/2021"],
        [6, "htx det phu thuong", "HTX", "Xã Tân Cương", None, None, 2024, 12, 9, None],
        [None, "Tổng cộng", None, None, None, None, None, 35, 27, "1.200.000"],
        [7, "HTX Bảy", "HTX", "Xã Không Có", None, None],
    ]


def test_messy_workbook_row_by_row(db: Database, tmp_path: Path) -> None:
    commune = _unit_id(db, "05503")
    with db.session() as s:
        RecordService(s, "x").create("cooperative", {"unit_id": commune, "kind": "htx",
                                                     "name": "HTX Dệt Phú Thượng"})
    merges = ["A1:J1"] + [f"{c}3:{c}4" for c in "ABCDEFGJ"] + ["H3:I3"]
    path = write_rows(tmp_path / "messy.xlsx", _messy_rows(), merges)
    table = read_workbook(path)
    assert table.header_row == 4 and table.skipped_totals == [13]
    report = import_sheet(db, path, apply=False)
    outcomes = {o.row: o for o in report.outcomes}
    assert {r: o.status for r, o in outcomes.items()} == {
        6: "created", 8: "created", 9: "created", 10: "refused", 11: "refused",
        12: "updated", 14: "refused"}
    assert outcomes[6].record == "HTX Chè La Bằng"  # NFD typed, NFC stored
    assert outcomes[10].reason.startswith("Dòng 10, cột «Loại»:")
    assert outcomes[11].reason.startswith("Dòng 11, cột «Ngày thành lập»:")
    assert outcomes[14].reason.startswith("Dòng 14, cột «Xã»:")
    with db.session() as s:  # a dry run writes nothing
        assert s.scalar(select(func.count()).select_from(Cooperative)) == 1
    report = import_sheet(db, path, apply=True)
    assert report.applied and report.count("created") == 3
    phan_dinh_phung = _unit_id(db, "05443")
    with db.session() as s:
        coops = {c.name: c for c in s.scalars(select(Cooperative))}
        service = RecordService(s, "x")
        la_bang = service.snapshot("cooperative", coops["HTX Chè La Bằng"].id)
        assert la_bang["unit_id"] == phan_dinh_phung
        assert la_bang["founded_on"] == date(2021, 3, 12)
        assert la_bang["yearly"][0]["revenue_vnd"] == 1_200_000
        assert la_bang["yearly"][0]["workers"] == 15
        assert la_bang["yearly"][0]["workers_female"] == 10
        assert coops["Tổ hợp tác Mây tre"].founded_on == date(2021, 3, 12)
        assert coops["Liên hiệp HTX Nam Thái"].founded_on == date(2021, 3, 12)
        det = service.snapshot("cooperative", coops["HTX Dệt Phú Thượng"].id)
        assert det["yearly"][0]["workers"] == 12


def test_mapping_is_remembered_by_header_fingerprint(db: Database, tmp_path: Path) -> None:
    headers = ["Cột A", "Loại hình", "Xã", "Ghi chú riêng"]
    path = write_rows(tmp_path / "own.xlsx", [headers, ["HTX Một", "HTX", "Xã Tân Cương",
                                                        "x"]])
    table = read_workbook(path, ("cooperatives",))
    assert mp.auto_map("cooperatives", table.headers) == {1: "kind", 2: "commune"}
    mapping = {0: "name", 1: "kind", 2: "commune", 3: "note"}
    report = import_sheet(db, path, kind="cooperatives", mapping=mapping, apply=True)
    assert report.count("created") == 1
    with db.session() as s:
        assert mp.mapping_for(s, "cooperatives", ["cot a", "LOẠI HÌNH", "xa",
                                                  "Ghi chu rieng"]) == mapping


def test_all_refused_or_unreadable(db: Database, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "bad.xlsx", [["Tên HTX/THT", "Loại hình", "Xã/phường"],
                                               ["HTX A", "Công ty", "Xã Tân Cương"]])
    report = import_sheet(db, path, apply=True)
    assert report.all_refused and not report.applied
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    from htx_desktop.sheets.errors import SheetError
    with pytest.raises(SheetError):
        import_sheet(db, junk)
