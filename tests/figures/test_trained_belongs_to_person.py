"""Trained status belongs to the person (issue 18, point 1): a course run by the province
trains the commune's women; the commune records the attendance as an external course, which
travels in its package; the level holding both counts her once, and the course once in the
organiser's activity figures. CT5, CT8 and CT9 over the communes add up to the province's,
apart from the cadres attached to the province itself."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from htx_desktop.domain.activity import activity_figures
from htx_desktop.domain.indicators import compute_indicators
from htx_desktop.domain.periods import parse_period
from htx_desktop.store.engine import Database
from tests.domain.indicator_builders import cadre, coop, dataset, event, woman
from tests.reports.exchange_helpers import cli, export, make_folder

PERCENTS = ("CT5", "CT8", "CT9")


def _province_run_course() -> Any:
    """w1 manages H1 in X1; the province's course E1 trained her; X1 recorded her attendance
    as an external course E2; c1, a cadre of X2, was trained by the province's course E3."""
    province_course = event("E1", "2024-03-01", ("management",), ("w1",), unit="P")
    attendance = event("E2", "2024-03-01", ("management",), ("w1",), unit="X1",
                       type_="external_course")
    cadre_course = event("E3", "2024-05-01", ("kttt_knowledge", "advocacy_skills"), ("p2",),
                         unit="P")
    return dataset(
        cooperatives=[coop("H1", supported="2020-01-01",
                           positions=(("w1", "chair", "2020-01-01", None),))],
        people=[woman("w1"), woman("p2", unit="X2"), woman("p3", unit="P")],
        cadres=[cadre("K1", "p2", unit="X2"), cadre("K2", "p3", unit="P")],
        events=[province_course, attendance, cadre_course])


def _figures(ds: Any, unit: str) -> dict[str, tuple[Any, Any]]:
    report = compute_indicators(ds, unit, parse_period("2025"))
    return {c: (report.result(c).numerator, report.result(c).denominator) for c in PERCENTS}


def test_a_province_run_course_trains_the_communes_women() -> None:
    ds = _province_run_course()
    assert _figures(ds, "X1")["CT5"] == (1, 1)
    assert _figures(ds, "X2")["CT8"] == (1, 1)  # the province's course, her commune's cadre
    assert _figures(ds, "P") == {"CT5": (1, 1), "CT8": (1, 2), "CT9": (1, 2)}
    # The commune's own package (its records only) says the same through the attendance.
    own = dataset(cooperatives=ds.cooperatives, people=[woman("w1")],
                  events=[e for e in ds.events if e.unit_code == "X1"])
    assert _figures(own, "X1")["CT5"] == (1, 1)


def test_the_course_counts_once_in_the_organisers_activity() -> None:
    ds = _province_run_course()
    period = parse_period("2024")
    province = activity_figures(ds, "P", period)["events"]
    commune = activity_figures(ds, "X1", period)["events"]
    assert (province["count"], province["person_times"], province["people"]) == (2, 2, 2)
    assert (commune["count"], commune["person_times"]) == (0, 0)


def test_the_demo_province_equals_its_communes(db: Database) -> None:
    """Every year 2023–2026 and both phases: the sums over the communes plus the cadres
    filed at the province itself equal the province's numerators and denominators."""
    from htx_desktop.demo.generate import generate_demo
    from htx_desktop.store.reference import find_unit
    from htx_desktop.store.snapshot import period_datasets

    labels = ["2023", "2024", "2025", "2026", "2023-2025", "2026-2030"]
    with db.session() as s:
        province = find_unit(s, "19")
        assert province is not None
        generate_demo(s, province.id, today=date(2026, 11, 30), seed=7)
        datasets = period_datasets(s, province.id, labels)
    for label in labels:
        period, data = parse_period(label), datasets[label]
        communes = [u.code for u in data.units if u.level == "xa"]
        assert len(communes) >= 90
        total = compute_indicators(data, "19", period)
        sums = {c: [0, 0] for c in PERCENTS}
        for code in communes:
            part = compute_indicators(data, code, period)
            for c in PERCENTS:
                sums[c][0] += part.result(c).numerator or 0
                sums[c][1] += part.result(c).denominator or 0
        # The province's own cadres (filed at the province, in no commune).
        own = [k for k in data.cadres if k.unit_code == "19" and k.active_on(period.end)]
        assert own, "the demo has cadres at the province"
        scope_all = {k.person for k in own}
        kttt = {k.person for k in own if k.kttt_assigned}
        from htx_desktop.domain.scope import scoped

        sc = scoped(data, "19")
        sums["CT8"][0] += sum(1 for p in kttt if sc.trained_by(p, "kttt_knowledge", period.end))
        sums["CT8"][1] += len(kttt)
        sums["CT9"][0] += sum(1 for p in scope_all
                              if sc.trained_by(p, "advocacy_skills", period.end))
        sums["CT9"][1] += len(scope_all)
        for c in PERCENTS:
            r = total.result(c)
            assert [r.numerator, r.denominator] == sums[c], (label, c)


def _json(*argv: str) -> dict[str, Any]:
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert cli(*argv) == 0
    return json.loads(buf.getvalue())  # type: ignore[no-any-return]


def _ct(report: dict[str, Any], code: str) -> tuple[Any, Any]:
    row = next(r for r in report["indicators"] if r["code"] == code)
    return row["numerator"], row["denominator"]


def test_the_attendance_travels_in_the_package(tmp_path: Path) -> None:
    """A commune records a province-run course as an external course; its package carries
    it; the province that imports it counts her trained, once, and its own course once."""
    from htx_desktop.store.paths import DataDir
    from htx_desktop.store.reference import find_unit
    from htx_desktop.store.service import RecordService

    commune = make_folder(tmp_path, "05443")
    db = Database.open(DataDir(commune))
    with db.session() as s:
        unit = find_unit(s, "05443")
        assert unit is not None
        svc = RecordService(s, "Lê Thị Thu")
        lan = svc.create("person", {"unit_id": unit.id, "full_name": "Nguyễn Thị Lan",
                                    "gender": "female", "birth_year": 1980})
        svc.create("cooperative", {
            "unit_id": unit.id, "kind": "htx", "name": "HTX Chè Tân Cương",
            "founded_on": date(2020, 1, 1), "union_supported": True,
            "positions": [{"person_id": lan.id, "position": "chair",
                           "start": date(2020, 1, 1)}]})
        svc.create("event", {
            "unit_id": unit.id, "type": "external_course", "lead_unit": "Hội LHPN tỉnh",
            "title": "Lớp quản trị HTX do tỉnh tổ chức", "start": date(2025, 4, 2),
            "end": date(2025, 4, 3), "topics": ["management"],
            "attendance": [{"person_id": lan.id, "role": "htx_manager"}]})
        lan_id = lan.id
    db.close()
    mine = _json("--data-dir", str(commune), "indicators", "--period", "2025", "--json")
    assert _ct(mine, "CT5") == (1, 1)
    package = export(commune, "2025", tmp_path / "out")

    province = make_folder(tmp_path, "19")
    assert cli("--data-dir", str(province), "import", "--accept-new-key", str(package)) == 0
    pdb = Database.open(DataDir(province))
    with pdb.session() as s:
        home = find_unit(s, "19")
        assert home is not None
        # The province's own course, with her attendance (she came from the package).
        RecordService(s, "Lê Thị Thu").create("event", {
            "unit_id": home.id, "type": "tap_huan", "title": "Lớp quản trị HTX",
            "start": date(2025, 4, 2), "end": date(2025, 4, 3), "topics": ["management"],
            "attendance": [{"person_id": lan_id, "role": "htx_manager"}]})
    pdb.close()
    total = _json("--data-dir", str(province), "indicators", "--period", "2025", "--json")
    part = _json("--data-dir", str(province), "indicators", "--period", "2025", "--unit",
                 "05443", "--json")
    assert _ct(total, "CT5") == _ct(part, "CT5") == (1, 1)
    with Database.open(DataDir(province)).session() as s:
        from htx_desktop.reports.figures import activity_for_unit

        home = find_unit(s, "19")
        assert home is not None
        events = activity_for_unit(s, home.id, parse_period("2025"))["events"]
    assert (events["count"], events["person_times"]) == (1, 1)


@pytest.mark.parametrize("unit", ["X1", "P"])
def test_an_external_course_before_the_scheme_does_not_train(unit: str) -> None:
    ds = dataset(
        cooperatives=[coop("H1", supported="2020-01-01",
                           positions=(("w1", "chair", "2020-01-01", None),))],
        people=[woman("w1")],
        events=[event("E2", "2022-12-31", ("management",), ("w1",), unit="X1",
                      type_="external_course")])
    assert _figures(ds, unit)["CT5"] == (0, 1)
