"""Names of the indicators and how their figures are written for people (Vietnamese number
format: 1.234 and 66,7 %)."""

from __future__ import annotations

from typing import Any

from htx_desktop.domain.indicator_specs import percent_codes, spec_or_none
from htx_desktop.domain.progress import progress_percent
from htx_desktop.i18n import language, t

PERCENT_CODES = percent_codes()


def plan_text(code: str, target_year: int = 2025) -> str:
    """An indicator's label: the plan's own words for the phase whose targets apply (2025 or
    2030), in Vietnamese, as `domain/indicator_specs.py` declares them ("…" where the plan's
    sentence goes on about another indicator; a phase without a target says so). The window,
    the workbook, the PDF and the command line all name the indicators with it (issue 18).
    A code that is no declared indicator is its own label."""
    found = spec_or_none(code)
    return code if found is None else found.label(target_year)


def indicator_name(code: str, target_year: int = 2025) -> str:
    """`plan_text` in the interface language."""
    return t(plan_text(code, target_year))


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
