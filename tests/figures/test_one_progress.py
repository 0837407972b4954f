"""One progress rule (issue 18, point 4): the dashboard, the workbook, the PDF and the tables of
the export page and the command line (which the level above reads its consolidated figures
with) give the same percentage of the target, on every CT9 value from 0.0 to 100.0 against
the 2025 and 2030 targets (80 % and 90 %). 78.6 against 80 is 98.25 %, so 98.3 % everywhere."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from htx_desktop.domain.indicators import IndicatorResult
from htx_desktop.domain.progress import progress_percent
from htx_desktop.reports import workbook
from htx_desktop.reports.dashboard import DashboardData
from htx_desktop.reports.labels import percent_of_target
from htx_desktop.reports.report_text import indicator_rows
from htx_desktop.ui.indicator_card import progress_text


def _expected(tenths: int, target: int) -> Decimal:
    # Integer arithmetic, no float: tenths/10 × 100 / target.
    return (Decimal(tenths) * 10 / Decimal(target)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _text(value: Decimal) -> str:
    return f"{value:.1f}".replace(".", ",")  # below 1.000: no thousands separator


@pytest.mark.parametrize("target", [80, 90])
def test_every_ct9_value_agrees_on_every_page(target: int) -> None:
    end = date(2025, 12, 31)
    for tenths in range(0, 1001):
        value = float(Decimal(tenths) / 10)  # as the engine and data.json carry it
        result = IndicatorResult("CT9", value, tenths, 1000, float(target), None)
        ind = result.to_json()
        expected = _expected(tenths, target)
        assert result.progress == float(expected), tenths
        assert progress_percent(value, target) == float(expected)
        assert workbook.progress(ind) == float(expected), tenths  # the workbook's cell
        pdf = indicator_rows({"indicators": [ind]}, end)[0][5]
        assert pdf == _text(expected) + "\u00a0%", tenths  # the PDF's table cell
        assert progress_text(result.progress) == _text(expected) + " %"  # the dashboard card
        assert percent_of_target(result) == _text(expected) + " %"  # export page, CLI table
    assert progress_percent(78.6, 80) == 98.3


def test_the_dashboard_measures_with_the_same_rule() -> None:
    from dataclasses import replace

    from htx_desktop.domain.indicators import IndicatorReport
    from htx_desktop.domain.periods import parse_period

    period = parse_period("2025")
    result = IndicatorResult("CT9", 78.6, 786, 1000, 80.0, None)
    report = IndicatorReport("19", period, (result,), (), date(2023, 1, 1), 2025)
    data = DashboardData(1, "Tỉnh", period, report, {("CT9", 2025): 80.0, ("CT9", 2030): 90.0},
                         {}, [], {}, {})
    assert data.progress("CT9", 2025) == 98.3
    assert data.progress("CT9", 2030) == float(_expected(786, 90)) == 87.3
    assert replace(result, target=None).progress is None
