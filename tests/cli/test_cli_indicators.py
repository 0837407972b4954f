"""`indicators` on demo data: the JSON contract, additivity over communes, percentages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from htx_desktop.cli import run

ADDITIVE = ("CT1", "CT2", "CT3", "CT4", "CT6", "CT7")
PERCENT = ("CT5", "CT8", "CT9")


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("province-demo")
    assert run(["--data-dir", str(d), "init", "--unit", "19"]) == 0
    assert run(["--data-dir", str(d), "demo", "--seed", "11"]) == 0
    return d


def indicators(capsys: pytest.CaptureFixture[str], d: Path, *extra: str) -> dict[str, object]:
    assert run(["--data-dir", str(d), "indicators", "--json", *extra]) == 0
    data: dict[str, object] = json.loads(capsys.readouterr().out)
    return data


def by_code(report: dict[str, object]) -> dict[str, dict[str, object]]:
    return {r["code"]: r for r in report["indicators"]}  # type: ignore[index, union-attr, attr-defined]


def test_json_shape_follows_the_contract(province: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    report = indicators(capsys, province, "--period", "2025")
    assert report["unit"] == "19"
    assert report["period"] == {"start": "2025-01-01", "end": "2025-12-31"}
    rows = by_code(report)
    assert set(rows) >= {f"CT{i}" for i in range(1, 10)}
    for row in rows.values():
        assert set(row) >= {"code", "value", "numerator", "denominator", "target", "cumulative"}
    assert rows["CT1"]["target"] == 50 and rows["CT9"]["target"] == 80
    assert rows["CT1"]["value"] > 0  # type: ignore[operator]
    report = indicators(capsys, province, "--period", "phase2")
    assert by_code(report)["CT1"]["target"] == 100


def test_province_equals_sum_over_communes_and_percentages_are_recomputed(
        province: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--data-dir", str(province), "units", "--json"]) == 0
    communes = [u["code"] for u in json.loads(capsys.readouterr().out)["units"]
                if u["level"] == "xa"]
    assert len(communes) == 92
    for period in ("2025", "2023-2025"):
        total = by_code(indicators(capsys, province, "--period", period))
        sums = dict.fromkeys(ADDITIVE, 0)
        for code in communes:
            part = by_code(indicators(capsys, province, "--period", period, "--unit", code))
            for key in ADDITIVE:
                sums[key] += part[key]["value"]  # type: ignore[operator]
        # Records kept at the province's own level (its events, cadres) are not in any
        # commune, but no cooperative sits at the province: the cooperative counts add up.
        for key in ADDITIVE:
            assert total[key]["value"] == sums[key], (period, key)
        for key in PERCENT:
            row = total[key]
            if row["denominator"]:
                expected = round(100 * row["numerator"] / row["denominator"] + 1e-9, 1)  # type: ignore[operator]
                assert row["value"] == pytest.approx(expected, abs=0.05)


def test_unit_not_below_home_is_refused(province: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["--data-dir", str(province), "indicators", "--period", "2025", "--unit", "00004"])
    assert code == 1
    assert "không thuộc đơn vị sử dụng" in capsys.readouterr().err


def test_table_output_is_vietnamese(province: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--data-dir", str(province), "indicators", "--period", "2025"]) == 0
    out = capsys.readouterr().out
    assert "CT1" in out and "Mục tiêu" in out and "Củng cố" in out
