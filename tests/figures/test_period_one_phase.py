"""A period lies within one phase (issue 18, point 5): `2025-2026` is refused, naming both
phases, by the parser, the command line (exit 2) and therefore every screen; no period picker
offers a span across the phases."""

from __future__ import annotations

from datetime import date

import pytest

from htx_desktop.cli import run
from htx_desktop.domain.periods import PHASES, parse_period, phase_of_year
from htx_desktop.reports.dashboard import period_choices as dashboard_choices


@pytest.mark.parametrize("text", ["2025-2026", "2023-2030", "2024 – 2027"])
def test_a_span_across_the_phases_is_refused_naming_both(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_period(text)
    message = str(caught.value)
    assert "giai đoạn 1 (2023–2025)" in message and "giai đoạn 2 (2026–2030)" in message


@pytest.mark.parametrize("text", ["2023-2025", "2026-2030", "2026-2028", "2025", "2026",
                                  "phase1", "phase2", "2024-2025"])
def test_spans_within_one_phase_are_accepted(text: str) -> None:
    period = parse_period(text)
    assert phase_of_year(period.start.year) == phase_of_year(period.end.year)


def test_command_line_exits_2(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--data-dir", str(tmp_path), "indicators", "--period", "2025-2026"]) == 2
    err = capsys.readouterr().err
    assert "2025-2026" in err and "(2023–2025)" in err and "(2026–2030)" in err


def test_no_picker_offers_a_span_across_the_phases() -> None:
    pytest.importorskip("PySide6")
    from htx_desktop.ui.pages.period_names import period_choices as export_choices
    from htx_desktop.ui.pages.reports_page import report_periods

    offered = ([text for _label, text in dashboard_choices(date(2031, 6, 1))]
               + [text for text, _label in export_choices(date(2031, 6, 1))]
               + [text for text, _what in report_periods(date(2031, 6, 1))])
    assert len(offered) > 10
    for text in offered:
        period = parse_period(text)  # none raises
        names = {phase_of_year(y)[0] for y in range(period.start.year, period.end.year + 1)}
        assert len(names) == 1, text
    assert {name for name, _a, _b in PHASES} == {"phase1", "phase2"}
