"""The hand-computed case of the design (indicator-cases/): every field of both periods.

The files are copied unchanged from the design folder into tests/data/indicator-cases/.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from htx_desktop.domain.indicators import INDICATOR_CODES, compute_indicators
from htx_desktop.domain.periods import parse_period
from htx_desktop.domain.records import Dataset

CASES = Path(__file__).resolve().parent.parent / "data" / "indicator-cases"


def _load(name: str) -> Any:
    return json.loads((CASES / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    data: dict[str, Any] = _load("case-1.expected.json")
    return data


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return Dataset.from_json(_load("case-1.data.json"))


@pytest.mark.parametrize("period", ["2024", "2025"])
def test_case1_every_field(dataset: Dataset, expected: dict[str, Any], period: str) -> None:
    report = compute_indicators(dataset, expected["unit"], parse_period(period),
                                management_positions=expected["management_positions"])
    out = report.to_json()
    assert out["unit"] == expected["unit"]
    assert out["period"] == {"start": f"{period}-01-01", "end": f"{period}-12-31"}
    got = {row["code"]: row for row in out["indicators"]}
    for want in expected["expected"][period]:
        row = got[want["code"]]
        for key, value in want.items():
            assert row[key] == value, (period, want["code"], key)
            assert type(row[key]) is type(value), (period, want["code"], key)


def test_case1_json_shape_and_types(dataset: Dataset, expected: dict[str, Any]) -> None:
    out = compute_indicators(dataset, "19", parse_period("2025"),
                             management_positions=expected["management_positions"],
                             targets={("CT1", 2025): 50.0, ("CT5", 2025): 100.0}).to_json()
    assert set(out) == {"unit", "period", "indicators"}
    assert [r["code"] for r in out["indicators"]] == list(INDICATOR_CODES)
    for row in out["indicators"]:
        assert set(row) == {"code", "value", "numerator", "denominator", "target",
                            "cumulative"}
    by = {r["code"]: r for r in out["indicators"]}
    assert by["CT1"]["target"] == 50 and isinstance(by["CT1"]["target"], int)
    assert by["CT2"]["target"] is None
    json.dumps(out)  # serialisable as it is


def test_case1_drill_down_ids(dataset: Dataset, expected: dict[str, Any]) -> None:
    report = compute_indicators(dataset, "19", parse_period("2025"),
                                management_positions=expected["management_positions"])
    ct1 = report.result("CT1")
    assert ct1.record_ids == ("00000000-0000-0000-0000-0000000007d1",
                              "00000000-0000-0000-0000-0000000007d2",
                              "00000000-0000-0000-0000-0000000007d7")
    ct5 = report.result("CT5")
    assert ct5.record_ids == ("00000000-0000-0000-0000-0000000003e9",
                              "00000000-0000-0000-0000-0000000003ef")
    assert len(ct5.denominator_ids) == 3
    assert report.result("CT6").cumulative_ids == ("00000000-0000-0000-0000-0000000007d2",
                                                   "00000000-0000-0000-0000-0000000007d7")
    assert report.result("CT9").denominator_ids == (
        "00000000-0000-0000-0000-000000000fa1", "00000000-0000-0000-0000-000000000fa2",
        "00000000-0000-0000-0000-000000000fa3")
