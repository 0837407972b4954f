"""How the package's workbook and PDF write figures: numbers the Vietnamese way, indicator texts,
progress against targets, plan lines.

The formal report is a Vietnamese administrative document whatever language the window uses,
so numbers here are always `vi_VN` (1.234,5), unlike `labels.py`, which follows the interface
language. Money in the report's prose is in "triệu đồng", as published provincial reviews write it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from htx_desktop.domain.indicator_specs import INDICATORS, percent_codes
from htx_desktop.domain.progress import progress_of
from htx_desktop.reports.labels import plan_text
from htx_desktop.resources import resource_path

LOCALE = "vi_VN"
NBSP = "\u00a0"  # keeps "66,7 %" on one line in the PDF
PERCENT_CODES = percent_codes()
# The phase a period ends in gives its targets (docs/indicators.md, "Kỳ báo cáo").
PHASES = ((2023, 2025), (2026, 2030))
# What a count indicator counts, for sentences (`IndicatorSpec.unit`).
INDICATOR_UNITS = {s.code: s.unit for s in INDICATORS if s.unit}


def round_half_up(value: float, places: int = 1) -> float:
    """Decimal rounding: binary floats round 0.05-steps unpredictably."""
    q = Decimal(1).scaleb(-places)
    return float(Decimal(str(value)).quantize(q, rounding=ROUND_HALF_UP))


def _babel(value: float, pattern: str) -> str:
    from babel.numbers import format_decimal

    return str(format_decimal(value, format=pattern, locale=LOCALE))


def fmt_int(value: float) -> str:
    return _babel(round(value), "#,##0")


def fmt_dec1(value: float) -> str:
    return _babel(round_half_up(value), "#,##0.0")


def fmt_number(value: float) -> str:
    """Whole numbers without decimals, others with one."""
    return fmt_int(value) if float(value).is_integer() else fmt_dec1(value)


def fmt_percent(value: float) -> str:
    return f"{fmt_dec1(value)}{NBSP}%"


def fmt_million(vnd: float) -> str:
    """VND in "triệu đồng" with up to one decimal: 12.500.000 → "12,5"."""
    return _babel(round_half_up(vnd / 1_000_000), "#,##0.#")


def fmt_value(code: str, value: float | None) -> str:
    """An indicator value as the PDF writes it; "–" when there is none (empty denominator)."""
    if value is None:
        return "–"
    return fmt_percent(value) if code in PERCENT_CODES else fmt_number(value)


def fmt_target(code: str, value: float) -> str:
    """A target as the plan writes it: "100 %", "80 %", "550"."""
    return f"{fmt_number(value)}{NBSP}%" if code in PERCENT_CODES else fmt_number(value)


def fmt_date(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def phase_of(end: date) -> tuple[int, int]:
    for first, last in PHASES:
        if end.year <= last:
            return first, last
    return PHASES[-1]


def progress(indicator: Mapping[str, Any]) -> float | None:
    """Percentage of the target reached; a flow uses its cumulative figure (docs/indicators.md).
    The one rule of `domain/progress.py`, so the workbook and the PDF say what the window says."""
    return progress_of(indicator)


@cache
def _target_rows() -> tuple[dict[str, str], ...]:
    with resource_path("reference", "targets.csv").open(encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


_PHASE_NOTE = re.compile(r"\s*\(giai đoạn \d{4}\s*[–-]\s*\d{4}\)\s*$")
# Counted from the start of their phase: their label names the phase.
PHASE_FLOW_CODES = tuple(s.code for s in INDICATORS if s.is_flow)


def indicator_text(code: str, end: date) -> str:
    """The official wording of an indicator, in the version of the phase the period ends in:
    the plan's own words, the same label as the window's (`labels.plan_text`). An indicator
    counted over its phase (CT6, CT7) also names that phase, the one the period ends in, so
    the text, the tables and the workbook never name two phases in one report."""
    first, last = phase_of(end)
    text = plan_text(code, last)
    if code in PHASE_FLOW_CODES:
        text = _PHASE_NOTE.sub("", text) + f" (giai đoạn {first}–{last})"
    return text


_SENTENCE_START = re.compile(r"(^|[.!?…]\s+|:\s*\n)([^\W\d_])", re.UNICODE)
# Abbreviations after which a full stop does not end the sentence.
_NOT_AN_END = ("v.v.", "tp.", "tx.", "tt.", "ts.", "ths.", "pgs.", "gs.", "bs.", "q.", "p.")
_PERCENT = re.compile(r"(\d)[ \u00a0\u2009\u202f]?%")


def sentence_case(text: str) -> str:
    """Every sentence starts with a capital ("… điện tử. tổ chức …" → "… điện tử. Tổ chức …")
    and every percentage is written one way ("100%" → "100 %", a non-breaking space, as
    the report's own figures: Vietnamese practice)."""
    def capital(m: re.Match[str]) -> str:
        before = text[:m.start() + len(m.group(1))].rstrip()
        if before.lower().endswith(_NOT_AN_END):  # "v.v. và …" goes on
            return m.group(0)
        return m.group(1) + m.group(2).upper()

    text = _SENTENCE_START.sub(capital, text)
    return _PERCENT.sub(lambda m: f"{m.group(1)}{NBSP}%", text)


def province_targets() -> dict[tuple[str, int], float]:
    """The province's 2025 and 2030 targets as shipped, in the store's shape."""
    return {(r["code"], int(r["year"])): float(r["value"])
            for r in _target_rows() if r["year"].isdigit()}


@cache
def plan_lines() -> dict[str, str]:
    """Code → content of the 34 lines of the plan's Phụ lục."""
    with resource_path("reference", "plan-lines.csv").open(encoding="utf-8", newline="") as f:
        return {r["code"]: r["content"] for r in csv.DictReader(f)}


def period_title(start: date, end: date) -> str:
    """"năm 2025" or "giai đoạn 2023–2025", as the report's subject line says it."""
    if start.year == end.year:
        return f"năm {start.year}"
    return f"giai đoạn {start.year}–{end.year}"


def admin_date(d: date) -> str:
    """Decree 30/2020, Appendix I: a day under 10 and the months 1 and 2 take a leading zero."""
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"
