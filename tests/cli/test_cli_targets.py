"""A commune given targets by its province: `indicators --unit` measures it against them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from htx_desktop.cli import run
from htx_desktop.store.engine import Database
from htx_desktop.store.paths import DataDir
from htx_desktop.store.reference import find_unit
from htx_desktop.store.targets import allocate_target, units_below


def _report(capsys: pytest.CaptureFixture[str], d: Path, *extra: str) -> dict[str, dict]:  # type: ignore[type-arg]
    assert run(["--data-dir", str(d), "indicators", "--json", *extra]) == 0
    data = json.loads(capsys.readouterr().out)
    return {row["code"]: row for row in data["indicators"]}


def test_indicators_of_a_commune_carry_its_allocated_targets(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = tmp_path / "province"
    assert run(["--data-dir", str(d), "init", "--unit", "19"]) == 0
    capsys.readouterr()
    db = Database.open(DataDir(d))
    try:
        with db.session() as session:
            province = find_unit(session, "19")
            assert province is not None
            given, other = units_below(session, province.id)[:2]
            given_code, other_code = given.code, other.code
            for code, year, value in (("CT1", 2025, 4), ("CT3", 2025, 40), ("CT9", 2025, 70),
                                      ("CT1", 2030, 9)):
                allocate_target(session, parent_id=province.id, child_id=given.id,
                                indicator=code, year=year, value=value)
    finally:
        db.close()

    rows = _report(capsys, d, "--period", "2025", "--unit", given_code)
    assert (rows["CT1"]["target"], rows["CT3"]["target"], rows["CT9"]["target"]) == (4, 40, 70)
    assert rows["CT2"]["target"] is None  # not given: no target, no percent of it
    assert _report(capsys, d, "--period", "phase2", "--unit", given_code)["CT1"]["target"] == 9
    assert _report(capsys, d, "--period", "2025", "--unit", other_code)["CT1"]["target"] is None
    assert _report(capsys, d, "--period", "2025")["CT1"]["target"] == 50  # the province's own
