"""Locked periods: after a period's package is exported, changing its records needs a reason,
which lands in the audit log and in the next package's `amendments`."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from htx_desktop.cli import run
from htx_desktop.domain.periods import parse_period
from htx_desktop.store.engine import Database
from htx_desktop.store.locks import LockedRecordError, amendments_since_export
from htx_desktop.store.models import AuditEntry, Event, Export, Unit
from htx_desktop.store.paths import DataDir
from htx_desktop.store.reference import descendant_units, find_unit
from htx_desktop.store.service import RecordService

REASON = "Sai số người tham dự, đã đối chiếu danh sách ký tên"


@pytest.fixture
def commune(db: Database) -> int:
    with db.session() as s:
        province = find_unit(s, "19")
        assert province is not None
        return next(u.id for u in descendant_units(s, province.id) if u.level == "xa")


def export_row(db: Database, label: str, at: datetime | None = None) -> None:
    with db.session() as s:
        unit = find_unit(s, "19")
        assert unit is not None
        version = 1 + len(list(s.scalars(select(Export).where(Export.period == label))))
        s.add(Export(unit_id=unit.id, period=label, version=version, sha256="0" * 64,
                     file_name=f"v{version}.zip",
                     created_at=at or datetime.now(UTC)))


def event(s: RecordService, unit: int, start: date, title: str = "Tập huấn") -> Event:
    obj: Event = s.create("event", {"unit_id": unit, "type": "tap_huan", "title": title,
                                    "start": start, "count_total": 40, "count_female": 30})
    return obj


def test_a_record_of_an_exported_period_needs_a_reason(db: Database, commune: int) -> None:
    with db.session() as session:
        s = RecordService(session, "Lan")
        in_2025 = event(s, commune, date(2025, 5, 1)).id
        in_2026 = event(s, commune, date(2026, 5, 1), "Hội thảo").id
    export_row(db, "2025")
    with db.session() as session:
        s = RecordService(session, "Lan")
        with pytest.raises(LockedRecordError, match="hãy nhập lý do") as caught:
            s.update("event", in_2025, {"count_total": 41})
        assert caught.value.periods == ["2025"]
        with pytest.raises(LockedRecordError):
            s.delete("event", in_2025)
        with pytest.raises(LockedRecordError):  # moving it out of the period changes it too
            s.update("event", in_2025, {"start": date(2026, 1, 5)}, reason="  ")
        s.update("event", in_2026, {"count_total": 50})  # another period: free
        s.update("event", in_2025, {"count_total": 41}, reason=REASON)
    with db.session() as session:
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.record_id == in_2025, AuditEntry.action == "update")).one()
        assert entry.reason == REASON and entry.changes["count_total"] == [40, 41]
        assert session.get(Event, in_2025).count_total == 41  # type: ignore[union-attr]


def test_people_lock_except_fields_that_never_leave(db: Database, commune: int) -> None:
    with db.session() as session:
        pid = RecordService(session, "Lan").create("person", {
            "unit_id": commune, "full_name": "Lò Thị Mai", "birth_year": 1985}).id
    export_row(db, "2025")
    with db.session() as session:
        s = RecordService(session, "Lan")
        s.update("person", pid, {"phone": "0912000111", "note": "đổi số"})  # private: free
        with pytest.raises(LockedRecordError):
            s.update("person", pid, {"birth_year": 1986})
    with db.session() as session:  # created after the export: not in that package
        later = RecordService(session, "Lan").create("person", {
            "unit_id": commune, "full_name": "Hà Thị Thu", "birth_year": 1990}).id
        RecordService(session, "Lan").update("person", later, {"birth_year": 1991})


def test_cooperative_yearly_figures_lock_only_their_years(db: Database, commune: int) -> None:
    row = {"members": 10, "members_female": 6, "workers": 12, "workers_female": 8}
    with db.session() as session:
        cid = RecordService(session, "Lan").create("cooperative", {
            "unit_id": commune, "kind": "htx", "name": "HTX Chè Tân Cương",
            "status": "active", "yearly": [{"year": 2025, **row}]}).id
    export_row(db, "2025")
    with db.session() as session:
        s = RecordService(session, "Lan")
        s.update("cooperative", cid, {"yearly": [{"year": 2025, **row},
                                                 {"year": 2026, **row}]})  # new year: free
        with pytest.raises(LockedRecordError):
            s.update("cooperative", cid, {"yearly": [{"year": 2025, **row, "members": 11},
                                                     {"year": 2026, **row}]})
        with pytest.raises(LockedRecordError):
            s.update("cooperative", cid, {"name": "HTX Chè Tân Cương Thái Nguyên"})


def test_amendments_since_the_last_export(db: Database, commune: int) -> None:
    with db.session() as session:
        s = RecordService(session, "Lan")
        first = event(s, commune, date(2025, 5, 1)).id
        second = event(s, commune, date(2025, 9, 1), "Hội thảo").id
    export_row(db, "2025")
    with db.session() as session:
        s = RecordService(session, "Lan")
        s.update("event", first, {"count_total": 45}, reason=REASON)
        s.delete("event", second, reason="Trùng với sự kiện khác")
    period = parse_period("2025")
    with db.session() as session:
        found = amendments_since_export(session, period)
    assert [(a["kind"], a["id"], a["action"], a["reason"]) for a in found] == [
        ("event", first, "update", REASON), ("event", second, "delete", "Trùng với sự kiện khác")]
    assert datetime.fromisoformat(found[0]["at"]).tzinfo is not None
    export_row(db, "2025", datetime.now(UTC) + timedelta(minutes=5))  # a newer export
    with db.session() as session:
        assert amendments_since_export(session, period) == []
        assert amendments_since_export(session, parse_period("2026")) == []


def test_next_package_carries_the_amendments(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    d = tmp_path / "data"
    assert run(["--data-dir", str(d), "init", "--unit", "19"]) == 0
    db = Database.open(DataDir(d))
    with db.session() as session:
        unit = session.scalar(select(Unit).where(Unit.code == "19"))
        assert unit is not None
        ev = event(RecordService(session, "Lan"), unit.id, date(2025, 5, 1)).id
    db.close()
    out = tmp_path / "out"
    assert run(["--data-dir", str(d), "export", "--period", "2025", "--out", str(out)]) == 0
    first = Path(capsys.readouterr().out.strip().splitlines()[-1])
    with zipfile.ZipFile(first) as zf:
        assert "amendments" not in json.loads(zf.read("data.json"))
    db = Database.open(DataDir(d))
    with db.session() as session, pytest.raises(LockedRecordError):
        RecordService(session, "Lan").update("event", ev, {"count_total": 39})
    with db.session() as session:
        RecordService(session, "Lan").update("event", ev, {"count_total": 39}, reason=REASON)
    db.close()
    assert run(["--data-dir", str(d), "export", "--period", "2025", "--out", str(out)]) == 0
    second = Path(capsys.readouterr().out.strip())
    assert second.name.endswith("_v2.zip")
    with zipfile.ZipFile(second) as zf:
        data = json.loads(zf.read("data.json"))
    assert [(a["id"], a["reason"]) for a in data["amendments"]] == [(ev, REASON)]
