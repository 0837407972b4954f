"""Units across eras (issue 18, point 6), with real Thái Nguyên codes reused on 1/7/2025:
05443 was Phường Trưng Vương (city of Thái Nguyên) and is now Phường Phan Đình Phùng, which
also took in the old Phường Phan Đình Phùng (05449); 05482 was Phường Tân Long and is now
Phường Quan Triều. Records of an old unit keep that unit; scopes, packages and consolidation
follow the old→new succession, never the bare code."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from htx_desktop.domain.indicators import compute_indicators
from htx_desktop.domain.periods import parse_period
from htx_desktop.store.engine import Database
from htx_desktop.store.models import Cooperative, Person, Unit
from htx_desktop.store.paths import DataDir
from htx_desktop.store.reference import find_unit, load_units_csv
from htx_desktop.store.service import RecordService
from htx_desktop.store.snapshot import build_dataset
from htx_desktop.store.unit_eras import parse_key, resolve_key
from tests.reports.exchange_helpers import cli, entries, export

DATA = Path(__file__).resolve().parents[1] / "data"
OLD = DATA / "units-reused-codes.csv"
SUCCESSORS = DATA / "units-reused-codes-successors.csv"
OLD_KEY = "05443-20250630"  # Phường Trưng Vương, until 30/6/2025


def _old(session: Any, code: str) -> Unit:
    unit = session.scalars(select(Unit).where(Unit.code == code,
                                              Unit.valid_to == date(2025, 6, 30))).one()
    return unit  # type: ignore[no-any-return]


def _records(session: Any) -> dict[str, str]:
    """One women-led, Union-supported HTX in each unit; name → cooperative id."""
    svc = RecordService(session, "Lê Thị Thu")
    new_ward, new_qt = find_unit(session, "05443"), find_unit(session, "05482")
    assert new_ward is not None and new_qt is not None and new_ward.valid_to is None
    places = {"A (Trưng Vương, cũ)": _old(session, "05443"), "B (Phan Đình Phùng, mới)": new_ward,
              "C (Tân Long, cũ)": _old(session, "05482"), "D (Quan Triều, mới)": new_qt,
              "E (Phan Đình Phùng, cũ)": _old(session, "05449")}
    out = {}
    for name, unit in places.items():
        chair = svc.create("person", {"unit_id": unit.id, "full_name": f"Chủ tịch {name}",
                                      "gender": "female", "birth_year": 1980})
        coop = svc.create("cooperative", {
            "unit_id": unit.id, "kind": "htx", "name": f"HTX {name}",
            "founded_on": date(2020, 1, 1), "union_supported": True,
            "positions": [{"person_id": chair.id, "position": "chair",
                           "start": date(2020, 1, 1)}]})
        out[name[0]] = coop.id
    return out


def _ct1(data: Any, key: str) -> tuple[str, ...]:
    return compute_indicators(data, key, parse_period("2025")).result("CT1").record_ids


def test_scopes_follow_the_succession_never_the_bare_code(db: Database) -> None:
    with db.session() as s:
        load_units_csv(s, OLD, SUCCESSORS)
        ids = _records(s)
        province = find_unit(s, "19")
        assert province is not None
        data = build_dataset(s, province.id, period="2025")
    by_id = {c.id: c for c in data.cooperatives}
    assert by_id[ids["A"]].unit_code == OLD_KEY  # the old unit keeps its records
    assert by_id[ids["B"]].unit_code == "05443"
    assert by_id[ids["E"]].unit_code == "05449"  # not reused: its bare code
    units = {u.code: u for u in data.units}
    assert units[OLD_KEY].name == "Phường Trưng Vương" and units[OLD_KEY].successors == ("05443",)
    assert units["05443"].name == "Phường Phan Đình Phùng" and units["05443"].parent_code == "19"

    def names(key: str) -> set[str]:
        return {k for k, cid in ids.items() if cid in _ct1(data, key)}

    assert names("19") == {"A", "B", "C", "D", "E"}
    assert names("05443") == {"A", "B", "E"}  # the new ward and the units that became it
    assert names(OLD_KEY) == {"A"}  # the old commune: only its own
    assert names("164") == {"A", "C", "E"}  # the old city: its old communes, not the new wards
    assert names("05482") == {"C", "D"}
    assert names("05482-20250630") == {"C"}


def test_without_a_succession_the_reused_code_does_not_mix(db: Database,
                                                           tmp_path: Path) -> None:
    only = tmp_path / "successors.csv"
    only.write_text("code,successor_code\n05443,05443\n05449,05443\n", encoding="utf-8")
    with db.session() as s:
        load_units_csv(s, OLD, only)  # Tân Long's successor not given
        ids = _records(s)
        province = find_unit(s, "19")
        assert province is not None
        data = build_dataset(s, province.id, period="2025")
    assert set(_ct1(data, "05482")) == {ids["D"]}  # Quan Triều only, never Tân Long by code
    assert ids["C"] in _ct1(data, "19")


def _init(folder: Path, unit: str) -> None:
    base = ["--data-dir", str(folder), "init", "--unit", unit, "--officer", "Lê Thị Thu",
            "--position", "Chủ tịch", "--phone", "0912345678"]
    assert cli(*base) == 0
    assert cli(*base, "--units-file", str(OLD), "--successors-file", str(SUCCESSORS)) == 0


def _json(*argv: str) -> dict[str, Any]:
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert cli(*argv) == 0
    return json.loads(buf.getvalue())  # type: ignore[no-any-return]


def test_packages_and_consolidation_keep_each_unit(tmp_path: Path) -> None:
    """The new ward's package carries the old commune's records under the old commune's key;
    the province imports each back to its own unit and counts each once."""
    ward = tmp_path / "ward"
    _init(ward, "05443")
    db = Database.open(DataDir(ward))
    with db.session() as s:
        ids = _records(s)
    db.close()
    mine = _json("--data-dir", str(ward), "indicators", "--period", "2025", "--json")
    assert next(r for r in mine["indicators"] if r["code"] == "CT1")["value"] == 3  # A, B, E
    package = export(ward, "2025", tmp_path / "out")
    data = json.loads(entries(package)["data.json"])
    coops = {c["id"]: c["unit_code"] for c in data["cooperatives"]}
    assert coops == {ids["A"]: OLD_KEY, ids["B"]: "05443", ids["E"]: "05449"}

    province = tmp_path / "province"
    _init(province, "19")
    assert cli("--data-dir", str(province), "import", "--accept-new-key", str(package)) == 0
    pdb = Database.open(DataDir(province))
    with pdb.session() as s:
        placed = {cid: (u.code, u.valid_to) for cid, u in s.execute(
            select(Cooperative.id, Unit).join(Unit, Unit.id == Cooperative.unit_id))}
        assert placed[ids["A"]] == ("05443", date(2025, 6, 30))
        assert placed[ids["B"]] == ("05443", None)
        assert placed[ids["E"]] == ("05449", date(2025, 6, 30))
        people = {u.valid_to for u in s.scalars(
            select(Unit).join(Person, Person.unit_id == Unit.id))}
        assert people == {None, date(2025, 6, 30)}
        old = resolve_key(s, OLD_KEY)
        assert old is not None and old.name == "Phường Trưng Vương"
    pdb.close()
    total = _json("--data-dir", str(province), "indicators", "--period", "2025", "--json")
    assert next(r for r in total["indicators"] if r["code"] == "CT1")["value"] == 3
    part = _json("--data-dir", str(province), "indicators", "--period", "2025", "--unit",
                 "05443", "--json")
    assert next(r for r in part["indicators"] if r["code"] == "CT1")["value"] == 3
    old_part = _json("--data-dir", str(province), "indicators", "--period", "2025", "--unit",
                     OLD_KEY, "--json")
    assert next(r for r in old_part["indicators"] if r["code"] == "CT1")["value"] == 1
    assert parse_key(OLD_KEY) == ("05443", date(2025, 6, 30))
    assert parse_key("05443") == ("05443", None)
