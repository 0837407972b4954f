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
def _plan_texts() -> dict[tuple[str, str], str]:
    path = resource_path("reference", "targets.csv")
    with path.open(encoding="utf-8") as fh:
        return {(row["code"], row["year"]): row["text"] for row in csv.DictReader(fh)}


# CT7 has no target in the plan's 2030 objectives: its label says so rather than borrow the
# 2025 wording with its "at least 150".
NO_PLAN_TEXT = {("CT7", 2030): "Tạo việc làm mới cho lao động nữ trong các HTX thành lập mới "
                               "(Đề án không đặt chỉ tiêu cho giai đoạn này)"}


def plan_text(code: str, target_year: int = 2025) -> str:
    """An indicator's label: the plan's own words for the phase whose targets apply (2025 or
    2030), in Vietnamese, as reference/targets.csv quotes them ("…" where the plan's sentence
    goes on about another indicator). The window, the workbook, the PDF and the command line
    all name the indicators with it (issue 18)."""
    texts = _plan_texts()
    found = texts.get((code, str(target_year)))
    if found is not None:
        return found
    if (code, target_year) in NO_PLAN_TEXT:
        return NO_PLAN_TEXT[(code, target_year)]
    return texts.get((code, "2025"), texts.get((code, "every year"), code))


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
