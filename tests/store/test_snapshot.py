"""store/snapshot.py: the database → Dataset, on the shared reference-loaded database."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from htx_desktop.domain.indicators import compute_indicators
from htx_desktop.domain.periods import parse_period
from htx_desktop.domain.records import PriorityCountRec
from htx_desktop.store.engine import Database
from htx_desktop.store.models import (
    Attendance,
    Award,
    Cadre,
    Communication,
    Cooperative,
    CooperativeSector,
    CooperativeYear,
    Event,
    EventFunding,
    EventTopic,
    JobPlacement,
    ManagementPosition,
    OcopProduct,
    Person,
    PlanLineStatus,
    Support,
    Unit,
)
from htx_desktop.store.reference import find_unit
from htx_desktop.store.snapshot import build_dataset

DELETED = datetime(2025, 1, 1, tzinfo=UTC)


def _unit(session: Session, code: str) -> Unit:
    unit = find_unit(session, code)
    assert unit is not None
    return unit


def _person(pid: str, unit: Unit, gender: str = "female", **kw: object) -> Person:
    return Person(id=pid, unit_id=unit.id, full_name=f"Nguyễn Thị {pid}",
                  name_key=f"nguyen thi {pid}", gender=gender, phone="0912345678",
                  id_number="001180000001", **kw)


def _coop(cid: str, unit: Unit, kind: str = "htx", **kw: object) -> Cooperative:
    return Cooperative(id=cid, unit_id=unit.id, kind=kind, name=f"HTX {cid}",
                       name_key=f"htx {cid}", **kw)


def _fill(session: Session) -> dict[str, Unit]:
    province, x1, x2 = (_unit(session, c) for c in ("19", "05443", "05710"))
    outside_province = _unit(session, "01")
    outside = session.scalars(select(Unit).where(Unit.parent_id == outside_province.id)
                              .limit(1)).one()
    session.add_all([
        _person("w1", x1, poor=True, ethnicity_code="01"),
        _person("w2", x2, ethnicity_code="02", trafficking_victim=True),
        _person("m1", x1, gender="male"),
        _person("wout", outside),  # outside the tree, but attends an event inside it
        _person("wdel", x1, deleted_at=DELETED),
        _person("cadre", province),
    ])
    session.flush()
    session.add_all([
        _coop("H1", x1, founded_on=date(2024, 2, 1), union_supported=True,
              union_supported_on=date(2024, 2, 1), ecommerce=True, digital=True,
              tax_code="0101234567",
              sectors=[CooperativeSector(sector="agriculture")],
              yearly=[CooperativeYear(year=2024, workers=20, workers_female=12,
                                      female_stable_jobs=9, source="alliance"),
                      CooperativeYear(year=2025, workers=20, workers_female=5,
                                      female_stable_jobs=4)],
              ocop_products=[OcopProduct(product="Chè", stars=4, year=2024)],
              positions=[ManagementPosition(person_id="w1", position="chair",
                                            start=date(2024, 2, 1)),
                         ManagementPosition(person_id="wdel", position="director",
                                            start=date(2024, 2, 1))]),
        # no override: 12 of 20 women in 2025, its latest year → the rule derives "many jobs"
        _coop("H2", x2, yearly=[CooperativeYear(year=2025, workers=20, workers_female=12)]),
        # the officer's override wins over the rule
        _coop("H3", x2, many_jobs_override=False, many_jobs_reason="Số liệu chưa đủ",
              yearly=[CooperativeYear(year=2025, workers=20, workers_female=12)]),
        _coop("HDEL", x1, deleted_at=DELETED),
        _coop("HOUT", outside),
        _coop("T1", x1, kind="tht", status="converted", status_on=date(2025, 4, 1)),
    ])
    session.flush()
    tht = session.get(Cooperative, "T1")
    assert tht is not None
    tht.converted_to_id = "H1"  # once H1 is in the table (foreign keys are on)
    session.add_all([
        Cadre(id="c1", unit_id=province.id, person_id="cadre", level="tinh",
              position="chuyen_vien", kttt_assigned=True, active_from=date(2020, 1, 1)),
        Event(id="e1", unit_id=province.id, type="tap_huan", title="Tập huấn quản trị",
              title_key="tap huan quan tri", start=date(2025, 3, 1), plan_line="II.1",
              count_total=10, count_female=8,
              topics=[EventTopic(topic="management")],
              funding=[EventFunding(source="state_budget", amount_vnd=5_000_000)],
              attendance=[Attendance(person_id="w1", role="htx_manager"),
                          Attendance(person_id="wout", role="participant"),
                          Attendance(person_id="wdel", role="participant")]),
        Event(id="edel", unit_id=province.id, type="hoi_nghi", title="Đã xoá",
              title_key="da xoa", start=date(2025, 3, 1), deleted_at=DELETED),
        JobPlacement(id="j1", unit_id=x1.id, person_id="w1", cooperative_id="H1",
                     start=date(2025, 2, 1)),
        JobPlacement(id="j2", unit_id=x1.id, person_id="w1", cooperative_id="HDEL",
                     start=date(2025, 2, 1)),
        Support(id="s1", unit_id=x1.id, cooperative_id="H1", kind="credit",
                on=date(2025, 5, 1), lender="NHCSXH", amount_vnd=50_000_000),
        Support(id="s2", unit_id=province.id, cooperative_id="HOUT", kind="trade_fair",
                on=date(2025, 5, 1)),
        Support(id="s3", unit_id=x1.id, cooperative_id="HDEL", kind="credit",
                on=date(2025, 5, 1)),
        Communication(id="k1", unit_id=x2.id, on=date(2025, 6, 1), form="news",
                      topic="HTX nữ", reach=300),
        Award(id="a1", unit_id=province.id, recipient="Nguyễn Thị w1", person_id="w1",
              title="Bằng khen", level="tinh", on=date(2025, 10, 1)),
        Award(id="a2", unit_id=province.id, recipient="Chi hội phụ nữ thôn 3",
              title="Giấy khen", level="xa", on=date(2025, 10, 1)),
        PlanLineStatus(id="p1", unit_id=x1.id, line_code="II.1", year=2025, status="done",
                       result="Đã tổ chức 2 lớp"),
    ])
    return {"province": province, "x1": x1, "x2": x2}


def test_build_dataset_maps_every_kind(db: Database) -> None:
    with db.session() as session:
        units = _fill(session)
        ds = build_dataset(session, units["province"].id)

    codes = {u.code for u in ds.units}
    assert {"19", "05443", "05710"} <= codes and "01" not in codes
    province_rec = next(u for u in ds.units if u.code == "19")
    assert province_rec.parent_code is None and province_rec.level == "tinh"

    coops = {c.id: c for c in ds.cooperatives}
    assert set(coops) == {"H1", "H2", "H3", "T1"}  # not the deleted one, not the outsider
    h1 = coops["H1"]
    assert h1.unit_code == "05443" and h1.sectors == ("agriculture",)
    assert h1.flags == ("digital", "ecommerce")
    assert [(y.year, y.female_stable_jobs, y.source) for y in h1.yearly] == [
        (2024, 9, "alliance"), (2025, 4, "cooperative")]
    assert [(o.product, o.stars, o.year) for o in h1.ocop] == [("Chè", 4, 2024)]
    # the director in the trash is left out with her
    assert [(p.person, p.position, p.start) for p in h1.positions] == [
        ("w1", "chair", date(2024, 2, 1))]
    assert h1.many_jobs_for_women is False  # latest year 2025: 5 women only
    assert coops["H2"].many_jobs_for_women is True  # derived by the rule
    assert coops["H3"].many_jobs_for_women is False  # the officer's override
    assert coops["T1"].converted_to == "H1" and coops["T1"].status_on == date(2025, 4, 1)

    people = {p.id: p for p in ds.people}
    assert set(people) == {"w1", "w2", "m1", "wout", "cadre"}
    assert people["wout"].unit_code != "05443"  # included because she attended e1
    assert people["w2"].ethnicity_code == "02"

    assert [e.id for e in ds.events] == ["e1"]
    e1 = ds.events[0]
    assert set(e1.attendance) == {("w1", "htx_manager"), ("wout", "participant")}
    assert e1.topics == ("management",) and e1.funding == (("state_budget", 5_000_000),)
    assert e1.count("total") == 10 and e1.count("female") == 8 and e1.plan_line == "II.1"

    assert [c.id for c in ds.cadres] == ["c1"] and ds.cadres[0].kttt_assigned
    assert [j.id for j in ds.job_placements] == ["j1"]
    assert sorted(s.id for s in ds.support) == ["s1", "s2"]
    assert [(c.id, c.unit_code, c.reach) for c in ds.communications] == [("k1", "05710", 300)]
    awards = {a.id: a for a in ds.awards}
    assert awards["a1"].person == "w1" and awards["a1"].collective is None
    assert awards["a2"].collective is None  # free text may be a woman's name: it stays here
    assert [(p.unit_code, p.line, p.status) for p in ds.plan_status] == [
        ("05443", "II.1", "done")]
    # w1 (poor) attended e1 and was placed in 2025; w2's flag has no event or job
    assert ds.priority_counts == [PriorityCountRec("05443", 2025, "poor", 1, 1)]

    text = json.dumps(ds.to_json(), ensure_ascii=False)
    assert "Nguyễn" not in text and "0912345678" not in text and "001180000001" not in text
    assert "trafficking" not in text


def test_build_dataset_feeds_the_engine(db: Database) -> None:
    with db.session() as session:
        units = _fill(session)
        province = build_dataset(session, units["province"].id)
        commune = build_dataset(session, units["x1"].id)
    report = compute_indicators(province, "19", parse_period("2025"))
    assert report.result("CT1").record_ids == ("H1",)
    assert report.result("CT3").value == 4   # H1 (2025: 4); H2 many jobs but no figure
    assert report.result("CT5").value == 100.0  # w1 trained at the province's e1
    assert report.result("CT6").record_ids == ()  # H1 founded 2024
    assert report.result("CT6").cumulative == 1
    assert report.result("CT9").denominator == 1
    assert {u.code for u in commune.units} == {"05443"}
    assert {c.id for c in commune.cooperatives} == {"H1", "T1"}
    assert commune.units[0].parent_code == "19"
    assert compute_indicators(commune, "05443", parse_period("2025")).result(
        "CT5").value == 0.0  # the province's training is not the commune's record


def test_empty_unit(db: Database) -> None:
    with db.session() as session:
        unit = _unit(session, "05710")
        ds = build_dataset(session, unit.id)
    assert ds.cooperatives == [] and ds.people == [] and ds.priority_counts == []
    assert [u.code for u in ds.units] == ["05710"]
