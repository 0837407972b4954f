"""Progress against a target: the one rule every screen and page uses (issue 18, point 4).

Percent of the target reached = 100 × figure ÷ target, rounded half up to one decimal, in
`Decimal` from the figure's decimal text (78.6 ÷ 80 = 98.25 → 98.3, where binary floats give
98.2499… → 98.2). The dashboard (`IndicatorResult.progress`), the workbook and the PDF
(`reports/wording.progress`), the export page and the command line (`reports/labels`) and the
level above's reading of a received package all call `progress_percent`; a flow (CT6, CT7) is
measured by its cumulative figure (`progress_of`).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

_ONE_DECIMAL = Decimal("0.1")


def _decimal(value: float | int | str | Decimal) -> Decimal:
    # str(): the number as written (78.6), not its binary approximation (78.59999…).
    return value if isinstance(value, Decimal) else Decimal(str(value))


def progress_percent(figure: float | int | Decimal | None,
                     target: float | int | Decimal | None) -> float | None:
    """100 × figure ÷ target, half up to one decimal; None without a figure or a target."""
    if figure is None or target is None or isinstance(figure, bool):
        return None
    t = _decimal(target)
    if not t:
        return None
    exact = _decimal(figure) * 100 / t
    return float(exact.quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP))


def progress_of(indicator: Mapping[str, Any]) -> float | None:
    """Progress of an indicator as `indicators --json` / data.json write it: a flow (one with a
    `cumulative` figure) by its cumulative figure, any other by its value."""
    base = indicator.get("cumulative")
    if base is None:
        base = indicator.get("value")
    return progress_percent(base, indicator.get("target"))
