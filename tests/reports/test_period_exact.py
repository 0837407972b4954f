"""Consolidation is period-exact (INTERFACES.md §2): the figures of period P at the level above
come from the packages whose period is exactly P, even when the same unit's package of another
period (carrying the same record ids, in a newer state) was imported too, in either order."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
from contextlib import closing, redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from tests.reports.exchange_helpers import (
    UNITS_3LEVEL,
    cli,
    entries,
    export,
    indicators,
    make_folder,
)

KEYS = ("value", "numerator", "denominator", "cumulative")


def _figures(report: dict[str, dict[str, Any]]) -> dict[str, tuple[Any, ...]]:
    return {code: tuple(r.get(k) for k in KEYS) for code, r in report.items()}


def _change_2024(folder: Path) -> None:
    """A later correction touching 2024: every cooperative founded in 2024 and every event of
    2024 goes to the trash."""
    with closing(sqlite3.connect(folder / "htx.sqlite3")) as conn, conn:
        conn.execute("UPDATE cooperatives SET deleted_at='2026-01-05 00:00:00' "
                     "WHERE founded_on >= '2024-01-01' AND founded_on < '2025-01-01'")
        conn.execute("UPDATE events SET deleted_at='2026-01-05 00:00:00' "
                     "WHERE start >= '2024-01-01' AND start < '2025-01-01'")


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("exact")
    out = root / "out"
    commune = make_folder(root, "05443", seed=3, units_file=UNITS_3LEVEL)
    p2024 = export(commune, "2024", out)
    before = _own(commune, "2024")
    _change_2024(commune)
    p2025 = export(commune, "2025", out)
    p2024_v2 = export(commune, "2024", out)
    return {"p2024": p2024, "p2025": p2025, "p2024_v2": p2024_v2,
            "own_2024_v1": before, "own_2024_v2": _own(commune, "2024"),
            "own_2025": _own(commune, "2025")}


def _own(folder: Path, period: str) -> dict[str, tuple[Any, ...]]:
    """The unit's own figures (capsys is function-scoped: the output is caught by hand)."""
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert cli("--data-dir", str(folder), "indicators", "--period", period, "--json") == 0
    return _figures({r["code"]: r for r in json.loads(buf.getvalue())["indicators"]})


def test_the_correction_changes_2024(packages: dict[str, Any]) -> None:
    assert packages["own_2024_v1"] != packages["own_2024_v2"], "the test needs a real change"


@pytest.mark.parametrize("order", ["2024-first", "2025-first"])
def test_each_period_from_its_own_package(packages: dict[str, Any], order: str,
                                          tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    province = make_folder(tmp_path, "19", units_file=UNITS_3LEVEL)
    pkgs = [packages["p2024"], packages["p2025"]]
    if order == "2025-first":
        pkgs.reverse()
    for pkg in pkgs:  # one command per package: the order of imports is the order given
        assert cli("--data-dir", str(province), "import", "--accept-new-key", str(pkg)) == 0
    assert _figures(indicators(province, "2024", capsys)) == packages["own_2024_v1"]
    assert _figures(indicators(province, "2025", capsys)) == packages["own_2025"]
    # Importing again changes nothing.
    assert cli("--data-dir", str(province), "import", "--accept-new-key", *map(str, pkgs)) == 0
    assert _figures(indicators(province, "2024", capsys)) == packages["own_2024_v1"]

    # The province's own package for 2024 lists the commune's 2024 package as its child.
    made = export(province, "2024", tmp_path / "out")
    manifest = json.loads(entries(made)["manifest.json"])
    assert [(c["unit_code"], c["sha256"]) for c in manifest["children"]] == [
        ("05443", _sha(packages["p2024"]))]

    # Version 2 for 2024 supersedes version 1: 2024 follows it, 2025 is untouched.
    assert cli("--data-dir", str(province), "import", "--accept-new-key",
               str(packages["p2024_v2"])) == 0
    assert _figures(indicators(province, "2024", capsys)) == packages["own_2024_v2"]
    assert _figures(indicators(province, "2025", capsys)) == packages["own_2025"]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
