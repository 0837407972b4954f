"""Sex is female, male, other or not recorded; only female counts as a woman (issue 18, point
3). A man entered through a sheet with the sex column empty, as board member of a
Union-supported HTX, stays "not recorded": the HTX is not women-managed, and the dashboard
lists him as a data-quality warning with a link to his record."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from htx_desktop.domain.data_quality import managers_sex_not_recorded
from htx_desktop.domain.indicators import compute_indicators
from htx_desktop.domain.periods import parse_period
from htx_desktop.domain.records import Dataset, PersonRec
from htx_desktop.sheets.importer import import_sheet
from htx_desktop.sheets.templates import write_template
from htx_desktop.store.engine import Database
from htx_desktop.store.models import Person
from htx_desktop.store.reference import find_unit
from htx_desktop.store.service import RecordService
from htx_desktop.store.snapshot import build_dataset
from tests.sheets.sheet_helpers import fill_template

NAME = "Trần Văn Nam"


def _setup(db: Database, tmp_path: Path) -> int:
    with db.session() as s:
        commune = find_unit(s, "05503")
        province = find_unit(s, "19")
        assert commune is not None and province is not None
        RecordService(s, "x").create("cooperative", {
            "unit_id": commune.id, "kind": "htx", "name": "HTX Chè Tân Cương",
            "founded_on": date(2020, 1, 1), "union_supported": True})
        template = write_template(s, "people", tmp_path / "people.xlsx")
        province_id = province.id
    sheet = fill_template(template, [
        [NAME, None, 1980, "Kinh", "Xã Tân Cương", None, None, None, "Thành viên HĐQT",
         "HTX Chè Tân Cương", "01/02/2023"],
    ], tmp_path / "filled.xlsx")
    report = import_sheet(db, sheet, kind="people", apply=True)
    assert [o.status for o in report.outcomes] == ["created"], report.outcomes
    return province_id


def test_a_blank_sex_stays_blank_and_never_counts_as_a_woman(db: Database,
                                                              tmp_path: Path) -> None:
    province_id = _setup(db, tmp_path)
    with db.session() as s:
        nam = s.scalars(select(Person).where(Person.full_name == NAME)).one()
        assert nam.gender is None
        data = build_dataset(s, province_id, period="2025")
    (rec,) = [p for p in data.people if p.id == nam.id]
    assert rec.gender is None
    report = compute_indicators(data, "19", parse_period("2025"))
    assert report.result("CT1").value == 0  # not women-managed: his sex is not recorded
    assert report.result("CT5").denominator == 0
    assert managers_sex_not_recorded(data, "19", date(2025, 12, 31),
                                     report.management_positions) == [nam.id]
    # data.json keeps the blank: null, valid, read back as not recorded.
    obj = json.loads(json.dumps(data.to_json()))
    (person,) = [p for p in obj["people"] if p["id"] == nam.id]
    assert person["gender"] is None
    assert Dataset.from_json(obj).people == data.people


def test_only_female_counts() -> None:
    from tests.domain.indicator_builders import coop, dataset

    def ct1(gender: str | None) -> object:
        ds = dataset(cooperatives=[coop("H1", supported="2020-01-01",
                                        positions=(("p1", "chair", "2020-01-01", None),))],
                     people=[PersonRec("p1", "X1", gender, 1980, "01")])
        return compute_indicators(ds, "P", parse_period("2025")).result("CT1").value

    assert [ct1(g) for g in ("female", "male", "other", None)] == [1, 0, 0, 0]
    assert PersonRec.from_json({"id": "p", "unit_code": "X1", "gender": None}).gender is None


def test_schema_accepts_a_blank_sex_and_refuses_another_word() -> None:
    from jsonschema import Draft202012Validator

    from htx_desktop.resources import resource_path

    schema = json.loads(resource_path("schemas", "data.schema.json").read_text("utf-8"))
    check = Draft202012Validator({"$defs": schema["$defs"], "$ref": "#/$defs/person"})
    base = {"id": "00000000-0000-0000-0000-000000000001", "unit_code": "05503",
            "birth_year": None, "ethnicity_code": None}
    verdicts = [check.is_valid({**base, "gender": g})
                for g in (None, "female", "male", "other", "unknown")]
    assert verdicts == [True, True, True, True, False]


def test_dashboard_warns_with_a_link_to_each(qtbot: QtBot, db: Database, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from htx_desktop.ui.context import AppContext
    from htx_desktop.ui.forms import registry
    from htx_desktop.ui.pages.dashboard_page import DashboardPage

    _setup(db, tmp_path)
    with db.session() as s:
        nam_id = s.scalars(select(Person.id).where(Person.full_name == NAME)).one()
    ctx = AppContext.load(db)
    assert ctx is not None
    page = DashboardPage(ctx, today=date(2025, 6, 1))
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: not page.busy and page.data is not None, timeout=20_000)
    assert page.quality.isVisible()
    text = page.quality.text()
    assert NAME in text and f'href="person:{nam_id}"' in text
    assert "chưa ghi giới tính" in text
    opened: list[tuple[str, str | None]] = []
    monkeypatch.setattr(registry, "open_form",
                        lambda _ctx, kind, rid=None, **_kw: opened.append((kind, rid)))
    page.open_quality_link(f"person:{nam_id}")
    assert opened == [("person", nam_id)]
