"""Names of the indicators and how their figures are written for people (Vietnamese number
format: 1.234 and 66,7 %)."""

from __future__ import annotations

import csv
from functools import cache
from typing import Any

from htx_desktop.domain.progress import progress_percent
from htx_desktop.i18n import language, t
from htx_desktop.resources import resource_path

PERCENT_CODES = frozenset({"CT5", "CT8", "CT9"})


@cache
def _names() -> dict[str, str]:
    path = resource_path("reference", "targets.csv")
    with path.open(encoding="utf-8") as fh:
        names: dict[str, str] = {}
        for row in csv.DictReader(fh):
            names.setdefault(row["code"], row["text"])  # the 2025 wording comes first
    return names


def indicator_name(code: str) -> str:
    return t(_names().get(code, code))


def format_number(value: float | int, decimals: int = 0) -> str:
    from babel.numbers import format_decimal

    locale = "en_US" if language() == "en" else "vi_VN"
    pattern = "#,##0" if decimals == 0 else "#,##0." + "0" * decimals
    return str(format_decimal(value, format=pattern, locale=locale))


def format_figure(value: float | int | None, code: str) -> str:
    """A figure as shown in tables: "—" when there is none (an empty denominator)."""
    if value is None:
        return "—"
    if code in PERCENT_CODES:
        return format_number(value, 1) + " %"
    return format_number(value)


def percent_of_target(result: Any) -> str:
    """Progress against the target, from the cumulative figure where the indicator has one."""
    achieved = result.cumulative if result.cumulative is not None else result.value
    done = progress_percent(achieved, result.target)
    return "—" if done is None else format_number(done, 1) + " %"
