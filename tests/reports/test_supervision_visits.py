"""Supervision visits (issue 26), the kind added by following docs/CONTRIBUTING.md: recorded
through the record service, filed under the cooperative's commune, locked with their period,
written to data.json and the workbook, and carried by a package to the level above."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from htx_desktop.domain.kinds import KINDS
from htx_desktop.domain.records import Dataset, SupervisionVisitRec
from htx_desktop.domain.validation import ValidationError
from htx_desktop.receiving.schemas import validate_data
from htx_desktop.store.engine import Database
from htx_desktop.store.locks import LockedRecordError
from htx_desktop.store.models import Cooperative, Export, Unit
from htx_desktop.store.paths import DataDir
from htx_desktop.store.service import RecordService
from htx_desktop.store.snapshot import build_dataset
from tests.reports.exchange_helpers import cli, entries, export, make_folder

SHEET = "Kiểm tra, giám sát"
HEADER_ROWS = 3


@pytest.fixture(scope="module")
def exchange(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A commune with demo data exported for 2025, and the province that imported it."""
    root = tmp_path_factory.mktemp("visits")
    commune = make_folder(root, "05443", seed=6)
    package = export(commune, "2025", root / "out")
    province = make_folder(root, "19")
    assert cli("--data-dir", str(province), "import", "--accept-new-key", str(package)) == 0
    return {"commune": commune, "package": package, "province": province}


def _dataset(folder: Path, code: str) -> Dataset:
    db = Database.open(DataDir(folder))
    try:
        with db.session() as session:
            unit = session.scalars(select(Unit).where(Unit.code == code)).one()
            return build_dataset(session, unit.id)
    finally:
        db.close()


def test_data_json_carries_the_visits_of_the_demo(exchange: dict[str, Any]) -> None:
    files = entries(exchange["package"])
    data = json.loads(files["data.json"])
    visits = data["supervision_visits"]
    assert visits, "the demo makes supervision visits"
    assert [v["id"] for v in visits] == sorted(v["id"] for v in visits)
    coops = {c["id"]: c for c in data["cooperatives"]}
    for v in visits:
        # filed under its cooperative's commune; the visitors by position, never empty
        assert v["unit_code"] == coops[v["cooperative"]]["unit_code"]
        assert v["visitors"] and set(v) == {
            "id", "unit_code", "cooperative", "date", "visitors", "findings", "follow_up",
            "follow_up_due", "follow_up_done"}
    validate_data(data)
    # an older package (no key) is still valid and reads as no visits
    del data["supervision_visits"]
    validate_data(data)
    assert Dataset.from_json(data).supervision_visits == []
    assert "supervision_visits" not in Dataset.from_json(data).to_json()


def test_sheet_rows_equal_the_period_records(exchange: dict[str, Any]) -> None:
    files = entries(exchange["package"])
    data = json.loads(files["data.json"])
    in_2025 = sorted((v for v in data["supervision_visits"] if v["date"].startswith("2025")),
                     key=lambda v: (v["date"], v["id"]))
    assert in_2025
    ws = load_workbook(io.BytesIO(files["bao-cao.xlsx"]))[SHEET]
    rows = list(ws.iter_rows(min_row=HEADER_ROWS + 1, values_only=True))
    assert len(rows) == len(in_2025)
    headings = [c.value for c in ws[HEADER_ROWS]]
    assert headings[:4] == ["STT", "Đơn vị", "HTX/THT được kiểm tra, giám sát",
                            "Ngày kiểm tra, giám sát"]
    coops = {c["id"]: c["name"] for c in data["cooperatives"]}
    for n, (row, visit) in enumerate(zip(rows, in_2025, strict=True), start=1):
        assert row[0] == n
        assert row[2] == coops[visit["cooperative"]]
        assert row[3].date().isoformat() == visit["date"]
        assert row[4] == visit["visitors"]
        assert row[8] == ("Có" if visit["follow_up_done"] else "Không")


def test_the_level_above_imports_every_kind(exchange: dict[str, Any]) -> None:
    sent = Dataset.from_json(json.loads(entries(exchange["package"])["data.json"]))
    received = _dataset(exchange["province"], "19")
    for k in KINDS:
        if k.by_id:
            assert ({r.id for r in sent.records(k.json_key)}
                    <= {r.id for r in received.records(k.json_key)}), k.json_key
    mine = {v.id: v for v in sent.supervision_visits}
    theirs = {v.id: v for v in received.supervision_visits}
    assert mine and all(theirs[i] == v for i, v in mine.items())


def _visit_values(coop: Cooperative, **extra: Any) -> dict[str, Any]:
    return {"cooperative_id": coop.id, "on": date(2025, 3, 12),
            "visitors": "Chủ tịch Hội LHPN xã; cán bộ phụ trách HTX", **extra}


def test_a_visit_takes_its_cooperatives_commune_and_checks_its_dates(db: Database) -> None:
    with db.session() as session:
        commune = session.scalars(select(Unit).where(Unit.code == "05443")).one()
        other = session.scalars(select(Unit).where(Unit.code == "05503")).one()
        service = RecordService(session, "Lê Thị Mai", today=date(2026, 1, 10))
        coop = service.create("cooperative", {"unit_id": commune.id, "kind": "htx",
                                               "name": "HTX Chè Tân Cương"})
        visit = service.create("supervision_visit", _visit_values(coop))
        assert visit.unit_id == commune.id
        with pytest.raises(ValidationError) as refused:
            service.create("supervision_visit", _visit_values(
                coop, on=date(2025, 5, 1), follow_up_due=date(2025, 4, 1)))
        assert "hạn khắc phục" in str(refused.value).lower()
        moved = service.create("cooperative", {"unit_id": other.id, "kind": "htx",
                                                "name": "HTX Rau sạch"})
        service.update("supervision_visit", visit.id, {"cooperative_id": moved.id})
        assert visit.unit_id == other.id
        snapshot = build_dataset(session, session.scalars(
            select(Unit).where(Unit.code == "19")).one().id)
        (rec,) = snapshot.supervision_visits
        assert rec == SupervisionVisitRec(visit.id, "05503", moved.id, date(2025, 3, 12),
                                          "Chủ tịch Hội LHPN xã; cán bộ phụ trách HTX")


def test_a_visit_of_an_exported_period_needs_a_reason(db: Database) -> None:
    with db.session() as session:
        commune = session.scalars(select(Unit).where(Unit.code == "05443")).one()
        service = RecordService(session, "Lê Thị Mai", today=date(2026, 1, 10))
        coop = service.create("cooperative", {"unit_id": commune.id, "kind": "htx",
                                               "name": "HTX Chè Tân Cương"})
        in_2025 = service.create("supervision_visit", _visit_values(coop))
        in_2026 = service.create("supervision_visit", _visit_values(coop, on=date(2026, 1, 5)))
        session.add(Export(unit_id=commune.id, period="2025", version=1, sha256="ab" * 32,
                           file_name="x.zip"))
        session.flush()
        with pytest.raises(LockedRecordError) as locked:
            service.update("supervision_visit", in_2025.id, {"follow_up_done": True})
        assert "2025" in locked.value.user_message
        assert "Chuyến giám sát (12/03/2025)" in locked.value.user_message
        service.update("supervision_visit", in_2026.id, {"follow_up_done": True})  # not locked
        service.update("supervision_visit", in_2025.id, {"follow_up_done": True},
                       reason="Đoàn kiểm tra lại ngày 20/12/2025")
        assert in_2025.follow_up_done is True
