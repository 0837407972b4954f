"""The indicators as every output writes them, against golden files: the package's data.json
(its `indicators` member), the workbook's "Chỉ tiêu" sheet, the PDF's text, and the
dashboard's cards, for indicator case 1 (tests/reports/conftest.py) in a period of each phase.

They were written before the indicators were declared in one place
(`domain/indicator_specs.py`, issue 26) and hold that this changed no output. After an
intended change of what these outputs say, regenerate and review the diff:
`HTX_UPDATE_GOLDEN=1 pytest tests/figures/test_indicator_output_golden.py`.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from htx_desktop.domain.activity import activity_figures
from htx_desktop.domain.indicators import INDICATOR_CODES, compute_indicators
from htx_desktop.domain.periods import parse_period
from htx_desktop.i18n import set_language
from htx_desktop.reports.dashboard import DashboardData
from htx_desktop.reports.package import DATA, PDF, WORKBOOK, write_package
from tests.reports.conftest import ICT, UNIT, package_inputs

openpyxl = pytest.importorskip("openpyxl")
GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden"
PERIODS = ("2025", "2026")  # target years 2025 and 2030: CT7's label without a target


def _inputs(out: Path, period_text: str) -> dict[str, Any]:
    period = parse_period(period_text)
    inputs = package_inputs(out)
    dataset, targets = inputs["dataset"], inputs["targets"]
    report = compute_indicators(dataset, UNIT["code"], period, targets=targets)
    inputs.update(indicators=report.to_json(),
                  activity=activity_figures(dataset, UNIT["code"], period),
                  period_label=period.label, period_start=period.start, period_end=period.end,
                  created_at=datetime(period.end.year + 1, 1, 5, 9, 30, tzinfo=ICT))
    return inputs


def _compare(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("HTX_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert text.splitlines() == expected.splitlines(), f"{name} differs from its golden file"


@pytest.mark.parametrize("period_text", PERIODS)
def test_package_writes_the_indicators_as_before(tmp_path: Path, period_text: str) -> None:
    package = write_package(**_inputs(tmp_path, period_text))
    with zipfile.ZipFile(package) as zf:
        data = json.loads(zf.read(DATA))
        workbook = openpyxl.load_workbook(io.BytesIO(zf.read(WORKBOOK)))
        pdf = zf.read(PDF)
    lines = ["## data.json: indicators",
             json.dumps(data["indicators"], ensure_ascii=False, indent=1),
             "## workbook: Chỉ tiêu"]
    for row in workbook["Chỉ tiêu"].iter_rows():
        lines += [f"{c.coordinate}\t{c.value!r}\t{c.number_format}" for c in row
                  if c.value is not None]
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode("utf-8")
    lines += ["## PDF", *(line.rstrip() for line in text.splitlines())]
    _compare(f"indicators-{period_text}.txt", "\n".join(lines) + "\n")


@pytest.mark.parametrize(("period_text", "lang"), [*((p, "vi") for p in PERIODS),
                                                     ("2026", "en")])
def test_cards_show_the_indicators_as_before(qtbot: QtBot, tmp_path: Path, period_text: str,
                                             lang: str) -> None:
    set_language(lang)
    try:
        lines = _card_lines(qtbot, tmp_path, period_text)
    finally:
        set_language("vi")
    suffix = "" if lang == "vi" else f"-{lang}"
    _compare(f"cards-{period_text}{suffix}.txt", "\n".join(lines) + "\n")


def _card_lines(qtbot: QtBot, tmp_path: Path, period_text: str) -> list[str]:
    from htx_desktop.ui.indicator_card import IndicatorCard

    inputs = _inputs(tmp_path, period_text)
    period = parse_period(period_text)
    report = compute_indicators(inputs["dataset"], UNIT["code"], period,
                                targets=inputs["targets"])
    data = DashboardData(1, UNIT["name"], period, report, inputs["targets"], {}, [],
                         inputs["activity"], {})
    lines: list[str] = []
    for code in INDICATOR_CODES:
        card = IndicatorCard(code)
        qtbot.addWidget(card)
        card.show_data(data)
        lines += [f"[{code}] {card.name.text()} | {card.name.toolTip()}",
                  f"  {card.value.text()} | {card.unit.text()}",
                  f"  {card.detail.text()!r} shown={not card.detail.isHidden()}"
                  f" clickable={card.detail.isEnabled()}",
                  *(f"  {card.target_labels[y].text()} | {bar.format()} | {bar.value()} | "
                    f"{bar.toolTip()}" for y, bar in card.bars.items()),
                  f"  {card.plan_line.text()!r} shown={not card.plan_line.isHidden()}"]
    return lines
