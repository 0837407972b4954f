"""Receiving packages end to end: three levels (communes → district → province) and two
(communes → province), versions, dry runs, duplicates, one backup per command."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from htx_desktop.domain.indicators import percent
from htx_desktop.receiving.importer import (
    ACCEPTED,
    ALREADY,
    OUTDATED,
    SUPERSEDES,
    import_packages,
)
from htx_desktop.receiving.reader import read_package
from htx_desktop.store.engine import Database
from htx_desktop.store.paths import DataDir
from htx_desktop.store.snapshot import build_dataset
from tests.reports.exchange_helpers import (
    TRUST,
    UNITS_3LEVEL,
    cli,
    entries,
    export,
    file_dump,
    indicators,
    make_folder,
)

COMMUNES_164 = ("05443", "05449", "05494")  # below Thành phố Thái Nguyên (164)
ADDITIVE = ("CT1", "CT2", "CT3", "CT4", "CT6", "CT7")
RATIOS = ("CT5", "CT8", "CT9")


def _open(folder: Path) -> Database:
    return Database.open(DataDir(folder))


@pytest.fixture(scope="module")
def three_level(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("three")
    out = root / "out"
    communes = {code: make_folder(root, code, seed=i + 1, units_file=UNITS_3LEVEL)
                for i, code in enumerate(COMMUNES_164)}
    packages = {code: export(folder, "2025", out) for code, folder in communes.items()}
    district = make_folder(root, "164", units_file=UNITS_3LEVEL)
    assert cli("--data-dir", str(district), "import", "--accept-new-key",
               *map(str, packages.values())) == 0
    district_pkg = export(district, "2025", out / "district")
    province = make_folder(root, "19", units_file=UNITS_3LEVEL)
    assert cli("--data-dir", str(province), "import", "--accept-new-key", str(district_pkg)) == 0
    return {"communes": communes, "packages": packages, "district": district,
            "district_pkg": district_pkg, "province": province}


def _check_sums(top: dict[str, dict[str, Any]], parts: list[dict[str, dict[str, Any]]]
                ) -> None:
    for code in ADDITIVE:
        assert top[code]["value"] == sum(p[code]["value"] for p in parts), code
        if top[code]["cumulative"] is not None:
            assert top[code]["cumulative"] == sum(p[code]["cumulative"] for p in parts), code
    for code in RATIOS:
        num = sum(p[code]["numerator"] for p in parts)
        den = sum(p[code]["denominator"] for p in parts)
        assert (top[code]["numerator"], top[code]["denominator"]) == (num, den), code
        # Recomputed from the summed numerator and denominator, not an average of percentages.
        assert top[code]["value"] == percent(num, den), code


def test_three_levels_sum_up(three_level: dict[str, Any],
                             capsys: pytest.CaptureFixture[str]) -> None:
    parts = [indicators(f, "2025", capsys) for f in three_level["communes"].values()]
    assert any(p["CT1"]["value"] for p in parts), "demo data gives real figures"
    district = indicators(three_level["district"], "2025", capsys)
    province = indicators(three_level["province"], "2025", capsys)
    _check_sums(district, parts)
    _check_sums(province, parts)


def test_district_package_lists_its_children(three_level: dict[str, Any]) -> None:
    manifest = json.loads(entries(three_level["district_pkg"])["manifest.json"])
    children = {c["unit_code"]: c for c in manifest["children"]}
    assert set(children) == set(COMMUNES_164)
    for code, pkg in three_level["packages"].items():
        assert children[code]["sha256"] == read_package(pkg).sha256
        assert children[code]["version"] == 1


def test_consolidation_keeps_records_and_priority_counts(three_level: dict[str, Any]) -> None:
    expected_coops: set[str] = set()
    expected_counts = 0
    for pkg in three_level["packages"].values():
        data = read_package(pkg).dataset
        expected_coops |= {c.id for c in data.cooperatives}
        expected_counts += sum(p.women_supported + p.women_placed for p in data.priority_counts)
    db = _open(three_level["province"])
    try:
        with db.session() as session:
            from htx_desktop.store.settings import home_unit

            home = home_unit(session)
            assert home is not None
            data = build_dataset(session, home.id)
    finally:
        db.close()
    assert {c.id for c in data.cooperatives} == expected_coops
    assert sum(p.women_supported + p.women_placed for p in data.priority_counts) \
        == expected_counts
    # People arrive pseudonymous: no names reached the province.
    with closing(sqlite3.connect(three_level["province"] / "htx.sqlite3")) as conn:
        names = {r[0] for r in conn.execute("SELECT DISTINCT full_name FROM people")}
    assert names == {"(ẩn danh)"}


def test_two_levels_national_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    province = make_folder(tmp_path, "19")
    capsys.readouterr()
    assert cli("--data-dir", str(province), "units", "--json") == 0
    codes = [u["code"] for u in json.loads(capsys.readouterr().out)["units"]
             if u["level"] == "xa"][:3]
    folders = [make_folder(tmp_path, c, seed=10 + i) for i, c in enumerate(codes)]
    pkgs = [export(f, "2025", tmp_path / "out") for f in folders]
    assert cli("--data-dir", str(province), "import", "--accept-new-key", *map(str, pkgs)) == 0
    _check_sums(indicators(province, "2025", capsys),
                [indicators(f, "2025", capsys) for f in folders])
    # One backup for the whole command.
    assert len(list((province / "backups").glob("*-import*.sqlite3"))) == 1
    capsys.readouterr()
    assert cli("--data-dir", str(province), "submissions", "--period", "2025", "--json") == 0
    rows = {r["code"]: r for r in json.loads(capsys.readouterr().out)["units"]}
    assert len(rows) == 92
    assert all(rows[c]["status"] == "accepted" and rows[c]["version"] == 1 for c in codes)
    assert sum(r["status"] == "missing" for r in rows.values()) == 89


def test_versions_and_dry_run(tmp_path: Path) -> None:
    commune = make_folder(tmp_path, "05443", seed=4, units_file=UNITS_3LEVEL)
    v1 = export(commune, "2025", tmp_path / "out")
    v2 = export(commune, "2025", tmp_path / "out")
    district = make_folder(tmp_path, "164", units_file=UNITS_3LEVEL)

    before = file_dump(district)
    db = _open(district)
    try:
        (preview,) = import_packages(db, [v1], dry_run=True, trust=TRUST)
        assert preview.outcome == ACCEPTED and preview.new_records > 0
        assert file_dump(district) == before, "a dry run writes nothing"
        assert not list((district / "backups").glob("*import*"))

        (first,) = import_packages(db, [v1], trust=TRUST)
        assert first.outcome == ACCEPTED
        (again,) = import_packages(db, [v1], trust=TRUST)
        assert again.outcome == ALREADY
        (second,) = import_packages(db, [v2], trust=TRUST)
        assert second.outcome == SUPERSEDES and second.superseded_version == 1
        assert second.replaced_records == first.new_records and second.new_records == 0
        with db.session() as session:
            from sqlalchemy import func, select

            from htx_desktop.store.models import Cooperative, Submission

            subs = {s.version: s for s in session.scalars(select(Submission))}
            assert subs[1].status == "superseded" and subs[2].status == "accepted"
            left = session.scalar(select(func.count()).select_from(Cooperative)
                                  .where(Cooperative.submission_id == subs[1].id))
            assert left == 0, "the superseded package's records are gone entirely"
        (old,) = import_packages(db, [v1], trust=TRUST)
        assert old.outcome == ALREADY, "same SHA-256: already imported, whatever its version"
    finally:
        db.close()

    fresh = make_folder(tmp_path / "fresh", "164", units_file=UNITS_3LEVEL)
    assert cli("--data-dir", str(fresh), "import", "--accept-new-key", str(v2)) == 0
    before = file_dump(fresh)
    db = _open(fresh)
    try:
        (outdated,) = import_packages(db, [v1], trust=TRUST)
        assert outdated.outcome == OUTDATED
        assert "cũ hơn phiên bản 2" in outdated.reason
    finally:
        db.close()
    assert file_dump(fresh) == before


def test_same_cooperative_from_two_units_is_flagged_not_summed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = make_folder(tmp_path, "05443", seed=5, units_file=UNITS_3LEVEL)
    b = make_folder(tmp_path, "05449", seed=6, units_file=UNITS_3LEVEL)
    with closing(sqlite3.connect(a / "htx.sqlite3")) as conn:
        tax = conn.execute("SELECT tax_code FROM cooperatives WHERE tax_code IS NOT NULL "
                           "AND kind='htx' LIMIT 1").fetchone()[0]
    with closing(sqlite3.connect(b / "htx.sqlite3")) as conn, conn:
        conn.execute("UPDATE cooperatives SET tax_code=? WHERE id=(SELECT id FROM cooperatives "
                     "WHERE kind='htx' ORDER BY id LIMIT 1)", (tax,))
    pa, pb = export(a, "2025", tmp_path / "out"), export(b, "2025", tmp_path / "out")
    district = make_folder(tmp_path, "164", units_file=UNITS_3LEVEL)
    capsys.readouterr()
    assert cli("--data-dir", str(district), "import", "--accept-new-key",
               "--json", str(pa), str(pb)) == 0
    result = json.loads(capsys.readouterr().out)["packages"]
    assert not result[0]["duplicates"] and len(result[1]["duplicates"]) == 1
    with closing(sqlite3.connect(district / "htx.sqlite3")) as conn:
        live = conn.execute("SELECT count(*) FROM cooperatives WHERE tax_code=? "
                            "AND deleted_at IS NULL", (tax,)).fetchone()[0]
    assert live == 1, "the duplicate waits in the trash for the officer"


def test_packages_of_two_periods_from_one_unit_are_not_counted_twice(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The 2024 and 2025 packages of a commune carry the same records (same ids): the later
    # package holds their latest state, and nothing is stored or counted twice.
    commune = make_folder(tmp_path, "05443", seed=9, units_file=UNITS_3LEVEL)
    p2024 = export(commune, "2024", tmp_path / "out")
    p2025 = export(commune, "2025", tmp_path / "out")
    district = make_folder(tmp_path, "164", units_file=UNITS_3LEVEL)
    assert cli("--data-dir", str(district), "import", "--accept-new-key",
               str(p2024), str(p2025)) == 0
    for period in ("2024", "2025"):
        _check_sums(indicators(district, period, capsys), [indicators(commune, period, capsys)])
    capsys.readouterr()
    for folder in (commune, district):
        assert cli("--data-dir", str(folder), "summary", "--json") == 0
    own, received = (json.loads(x)["counts"] for x in
                     capsys.readouterr().out.replace("}\n{", "}\n\x00{").split("\x00"))
    received.pop("submissions")
    own.pop("submissions")
    assert received == own
    db = _open(district)
    try:
        with db.session() as session:
            from htx_desktop.store.settings import home_unit

            home = home_unit(session)
            assert home is not None
            received_counts = build_dataset(session, home.id).priority_counts
    finally:
        db.close()
    assert received_counts == read_package(p2025).dataset.priority_counts
