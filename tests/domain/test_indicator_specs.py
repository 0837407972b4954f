"""The indicators are declared once (`domain/indicator_specs.py`, issue 26): every declared
indicator is complete (label of each phase, target lookup, drill-down, the card's and the
report's words, English), every code used anywhere is declared, the engine, targets.csv and the
package schema agree with the declaration, and no module keeps its own list of codes."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import get_args

import pytest

from htx_desktop.domain import indicator_specs as specs
from htx_desktop.domain.indicator_specs import INDICATORS, Records, spec
from htx_desktop.domain.indicators import INDICATOR_CODES, compute_indicators
from htx_desktop.domain.periods import PHASES, parse_period
from htx_desktop.domain.records import Dataset
from tests.test_translations import english

ROOT = Path(__file__).resolve().parents[2]
CODE = re.compile(r"\bCT\d+\b")
TARGET_YEARS = tuple(last for _name, _first, last in PHASES)
CASE = ROOT / "tests" / "data" / "indicator-cases" / "case-1.data.json"


def test_codes_are_unique_and_in_their_numbers_order() -> None:
    codes = [s.code for s in INDICATORS]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"CT\d+", c) for c in codes)
    assert codes == sorted(codes, key=lambda c: int(c[2:]))
    assert INDICATOR_CODES == specs.codes() == tuple(codes)


@pytest.mark.parametrize("code", [s.code for s in INDICATORS])
def test_every_indicator_is_declared_in_full(code: str) -> None:
    s = spec(code)
    assert s.measure in ("count", "percent") and s.timing in ("stock", "flow")
    assert sorted(s.labels) == sorted(TARGET_YEARS), "a label for each phase"
    assert all(text.strip() for text in s.labels.values())
    assert s.target_years and set(s.target_years) <= set(TARGET_YEARS)
    for year in set(TARGET_YEARS) - set(s.target_years):  # the plan sets none: say so
        assert "không đặt chỉ tiêu" in s.labels[year], year
    assert s.records in get_args(Records)
    assert s.short_name.strip() and s.counted.strip()
    assert bool(s.unit) == (not s.is_percent), "a count says what it counts in the report"
    assert bool(s.noun) == s.is_percent, "a percentage names its denominator on the card"


def test_the_engine_gives_the_declared_indicators() -> None:
    dataset = Dataset.from_json(json.loads(CASE.read_text(encoding="utf-8")))
    report = compute_indicators(dataset, "19", parse_period("2025"))
    assert tuple(r.code for r in report.results) == INDICATOR_CODES
    for r in report.results:
        s = spec(r.code)
        assert (r.is_percent, r.is_flow) == (s.is_percent, s.is_flow), r.code
        assert (r.denominator is not None) == s.is_percent, r.code
        assert (r.cumulative is not None) == s.is_flow, r.code


def test_targets_csv_has_a_row_for_each_declared_target() -> None:
    with (ROOT / "resources" / "reference" / "targets.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["year"].isdigit()]  # III.1: every year
    assert sorted((r["code"], int(r["year"])) for r in rows) == sorted(
        (s.code, year) for s in INDICATORS for year in s.target_years)
    for r in rows:
        s = spec(r["code"])
        assert r["unit"] == s.measure, r["code"]
        assert r["text"] == s.labels[int(r["year"])], (r["code"], r["year"])


def test_the_schema_requires_the_indicators_of_format_1() -> None:
    schema = json.loads((ROOT / "resources" / "schemas" / "data.schema.json")
                        .read_text(encoding="utf-8"))
    listed = schema["$defs"]["indicators"]["properties"]["indicators"]["allOf"]
    required = [c["contains"]["properties"]["code"]["const"] for c in listed]
    assert required == [s.code for s in INDICATORS if s.required_in_packages]


def test_every_code_used_anywhere_is_declared() -> None:
    """The program, its resources (schema, targets.csv, translations) and the indicator
    definitions name no indicator that is not declared."""
    files = [*(ROOT / "htx_desktop").rglob("*.py"),
             *(ROOT / "resources").rglob("*.json"), *(ROOT / "resources").rglob("*.csv"),
             ROOT / "docs" / "indicators.md", ROOT / "docs" / "INTERFACES.md"]
    unknown = {f"{path.relative_to(ROOT)}: {code}"
               for path in files for code in CODE.findall(path.read_text(encoding="utf-8"))
               if code not in INDICATOR_CODES}
    assert not unknown, sorted(unknown)


# A literal tuple, list or set that starts with two indicators' codes, or a dict keyed by one:
# a list of its own. (A key such as `("CT5", target_year)` is the engine's rule.)
_OWN_LIST = re.compile(r"(?<![\w.])[\[({]\s*['\"]CT\d+['\"]\s*(:|,\s*['\"])")


def test_no_module_keeps_its_own_list_of_indicators() -> None:
    owners = {str(path.relative_to(ROOT)) for path in (ROOT / "htx_desktop").rglob("*.py")
              if _OWN_LIST.search(path.read_text(encoding="utf-8"))}
    assert not owners, sorted(owners)


def test_the_definitions_define_every_indicator() -> None:
    """docs/indicators.md has a row for each indicator, in Vietnamese and in English."""
    text = (ROOT / "docs" / "indicators.md").read_text(encoding="utf-8")
    for code in INDICATOR_CODES:
        assert len(re.findall(rf"^\| {code} \|", text, re.MULTILINE)) == 2, code


def test_every_text_of_an_indicator_has_english() -> None:
    words = english()
    missing = [f"{s.code}: {text}" for s in INDICATORS
               for text in (*s.labels.values(), s.short_name, s.counted, s.noun)
               if text and text not in words]
    assert not missing, missing


def test_kept_dashboard_figures_of_other_indicators_are_no_preview(tmp_path: Path) -> None:
    """Figures kept by a program that declared other indicators (a developer's build with
    the same version number) are not shown: a card would find no figure."""
    from dataclasses import replace

    from htx_desktop.reports.dashboard import DashboardData
    from htx_desktop.reports.dashboard_cache import load_figures, save_figures

    dataset = Dataset.from_json(json.loads(CASE.read_text(encoding="utf-8")))
    period = parse_period("2025")
    report = compute_indicators(dataset, "19", period)
    data = DashboardData(1, "Tỉnh", period, report, {}, {}, [], {}, {})
    save_figures(tmp_path, data)
    assert load_figures(tmp_path, 1, "2025") is not None
    save_figures(tmp_path, replace(data, report=replace(report, results=report.results[:-1])))
    assert load_figures(tmp_path, 1, "2025") is None


def test_the_drilldown_lists_every_kind_of_record() -> None:
    from htx_desktop.ui.drilldown import RECORD_QUERIES

    assert set(RECORD_QUERIES) == set(get_args(Records))
    assert {s.records for s in INDICATORS} <= set(RECORD_QUERIES)
