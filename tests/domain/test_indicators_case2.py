"""Indicator cases 2 and 3 (tests/data/indicator-cases/case-2.md): the rules of issue 18 — a
province-run course, later-year figures, a manager with sex not recorded — worked by hand."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from htx_desktop.domain.activity import activity_figures
from htx_desktop.domain.coop_rules import ManyJobsRule
from htx_desktop.domain.data_quality import managers_sex_not_recorded
from htx_desktop.domain.indicators import compute_indicators
from htx_desktop.domain.periods import parse_period
from htx_desktop.domain.records import Dataset

CASES = Path(__file__).resolve().parent.parent / "data" / "indicator-cases"


def _load(name: str) -> Any:
    return json.loads((CASES / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    data: dict[str, Any] = _load("case-2.expected.json")
    return data


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    """As the store builds it: no override, so "many jobs" is derived by the default rule."""
    data = Dataset.from_json(_load("case-2.data.json"))
    rule = ManyJobsRule()
    data.cooperatives = [replace(c, many_jobs_rule=rule) for c in data.cooperatives]
    return data


def _check(report: Any, wanted: list[dict[str, Any]], where: str) -> None:
    got = {row["code"]: row for row in report.to_json()["indicators"]}
    for want in wanted:
        row = got[want["code"]]
        for key, value in want.items():
            assert row[key] == value, (where, want["code"], key)
            assert type(row[key]) is type(value), (where, want["code"], key)


@pytest.mark.parametrize("period", ["2024", "2025", "2026"])
def test_case2_province(dataset: Dataset, expected: dict[str, Any], period: str) -> None:
    report = compute_indicators(dataset, "19", parse_period(period),
                                management_positions=expected["management_positions"])
    _check(report, expected["expected"][period], f"19 {period}")


@pytest.mark.parametrize("unit", ["05443", "05710"])
def test_case2_wards(dataset: Dataset, expected: dict[str, Any], unit: str) -> None:
    for period, wanted in expected["units"][unit].items():
        _check(compute_indicators(dataset, unit, parse_period(period)), wanted,
               f"{unit} {period}")


def test_case2_activity_and_warnings(dataset: Dataset, expected: dict[str, Any]) -> None:
    for unit, by_period in expected["activity_events"].items():
        for period, count in by_period.items():
            events = activity_figures(dataset, unit, parse_period(period))["events"]
            assert events["count"] == count, (unit, period)
    for period, ids in expected["managers_sex_not_recorded"].items():
        assert managers_sex_not_recorded(dataset, "19", parse_period(period).end,
                                         expected["management_positions"]) == ids


def test_case3_reused_codes() -> None:
    """tests/data/indicator-cases/case-3.md: a code reused on 1/7/2025."""
    data = Dataset.from_json(_load("case-3.data.json"))
    expected = _load("case-3.expected.json")
    period = parse_period(expected["period"])
    for unit, wanted in expected["by_unit"].items():
        _check(compute_indicators(data, unit, period), wanted, f"{unit} {expected['period']}")
