"""A report for a past period never changes because later years were entered (issue 18, point
2): entering 2026 figures leaves the 2025 package's data.json and figures byte for byte the
same, although the 2026 figures would make cooperatives "create many jobs for women"."""

from __future__ import annotations

import json
import sqlite3
import uuid
from contextlib import closing
from pathlib import Path

import pytest

from tests.reports.exchange_helpers import entries, export, indicators, make_folder


def _enter_2026_figures(folder: Path) -> int:
    """A 2026 row for every cooperative: 15 women of 20 workers, 99 women in stable jobs."""
    with closing(sqlite3.connect(folder / "htx.sqlite3")) as conn, conn:
        conn.execute("DELETE FROM cooperative_years WHERE year >= 2026")
        ids = [r[0] for r in conn.execute("SELECT id FROM cooperatives")]
        conn.executemany(
            "INSERT INTO cooperative_years (id, cooperative_id, year, workers, workers_female, "
            "female_stable_jobs, new_female_jobs, source) VALUES (?, ?, 2026, 20, 15, 99, 7, "
            "'cooperative')", [(str(uuid.uuid4()), cid) for cid in ids])
    return len(ids)


def _no_later_years(folder: Path) -> None:
    with closing(sqlite3.connect(folder / "htx.sqlite3")) as conn, conn:
        conn.execute("DELETE FROM cooperative_years WHERE year >= 2026")


def test_2025_export_unchanged_by_2026_figures(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_folder(tmp_path, "05443", seed=3)
    _no_later_years(folder)
    out = tmp_path / "out"
    before = entries(export(folder, "2025", out))
    figures_before = indicators(folder, "2025", capsys)
    figures_2024 = indicators(folder, "2024", capsys)
    assert _enter_2026_figures(folder) > 0
    after = entries(export(folder, "2025", out))
    assert after["data.json"] == before["data.json"]
    assert indicators(folder, "2025", capsys) == figures_before
    assert indicators(folder, "2024", capsys) == figures_2024
    # The 2026 figures are there, and do count for 2026: the test has teeth.
    data_2026 = json.loads(entries(export(folder, "2026", out))["data.json"])
    years = {y["year"] for c in data_2026["cooperatives"] for y in c["yearly"]}
    assert 2026 in years
    assert indicators(folder, "2026", capsys)["CT3"]["value"] != figures_before["CT3"]["value"]
    data_2025 = json.loads(after["data.json"])
    assert all(y["year"] <= 2025 for c in data_2025["cooperatives"] for y in c["yearly"])


def test_a_derived_flag_is_judged_on_the_figures_of_the_year_of_d() -> None:
    from dataclasses import replace

    from htx_desktop.domain.coop_rules import ManyJobsRule
    from htx_desktop.domain.indicators import compute_indicators
    from htx_desktop.domain.known import known_for
    from htx_desktop.domain.periods import parse_period
    from htx_desktop.domain.records import YearlyRec
    from tests.domain.indicator_builders import coop, dataset, man

    yearly = (YearlyRec(2025, workers=20, workers_female=4, female_stable_jobs=3),
              YearlyRec(2026, workers=20, workers_female=15, female_stable_jobs=12))
    # Managed by a man; the flag as the store derives it, from the latest year (2026): True.
    c = replace(coop("H1", positions=(("m1", "director", "2020-01-01", None),),
                     yearly=yearly, many_jobs=True), many_jobs_rule=ManyJobsRule())
    ds = dataset(cooperatives=[c], people=[man("m1")])

    def ct3(period: str) -> object:
        return compute_indicators(ds, "P", parse_period(period)).result("CT3").value

    assert ct3("2025") == 0  # 4 women of 20 in 2025: not many jobs for women, not in scope
    assert ct3("2026") == 12
    cut = known_for(ds, parse_period("2025").end).cooperatives[0]
    assert cut.many_jobs_for_women is False and [y.year for y in cut.yearly] == [2025]
    # An officer's override (or a received flag) is fixed: the same for every d.
    fixed = replace(c, many_jobs_rule=None)
    ds.cooperatives = [fixed]
    assert ct3("2025") == 3
    assert known_for(ds, parse_period("2025").end).cooperatives[0].many_jobs_for_women is True
