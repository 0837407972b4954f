"""Dates as officers type them: 15/03/2026, 15/3/2026, 15-3-2026, 15.3.2026, 15032026,
150326, 15/3/26 (and ISO 2026-03-15 pasted from elsewhere).

`read_date` returns the date, or a Vietnamese message saying why the text is not one; it never
guesses a different day (31/02 is refused, not turned into 03/03).
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date

from htx_desktop.i18n import t

FIRST_YEAR, LAST_YEAR = 1900, 2100
EXAMPLE = "15/03/2026"

_SEPARATED = re.compile(r"(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{2}|\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


@dataclass(frozen=True)
class DateReading:
    value: date | None = None
    problem: str = ""  # Vietnamese, empty when the text is a date (or empty)


def full_year(year: int, digits: int, today: date | None = None) -> int:
    """A two-digit year: up to ten years ahead of today is this century, else the last."""
    if digits != 2:
        return year
    today = today or date.today()
    century = today.year // 100 * 100
    candidate = century + year
    return candidate if candidate <= today.year + 10 else candidate - 100


def read_date(text: str, today: date | None = None) -> DateReading:
    text = text.strip()
    if not text:
        return DateReading()
    iso = _ISO.fullmatch(text)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
        return _checked(day, month, year)
    match = _SEPARATED.fullmatch(text)
    if match:
        day, month = int(match.group(1)), int(match.group(2))
        year = full_year(int(match.group(3)), len(match.group(3)), today)
        return _checked(day, month, year)
    digits = text.replace(" ", "")
    if digits.isdigit() and len(digits) in (6, 8):
        day, month = int(digits[:2]), int(digits[2:4])
        year = full_year(int(digits[4:]), len(digits) - 4, today)
        return _checked(day, month, year)
    return DateReading(problem=t(
        "“{text}” chưa phải là ngày: hãy gõ ngày/tháng/năm, ví dụ {example}.",
        text=text, example=EXAMPLE))


def _checked(day: int, month: int, year: int) -> DateReading:
    if not 1 <= month <= 12:
        return DateReading(problem=t("Không có tháng {month}: tháng chỉ từ 1 đến 12.",
                                     month=month))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return DateReading(problem=t("Năm {year} ngoài khoảng {first}–{last}.", year=year,
                                     first=FIRST_YEAR, last=LAST_YEAR))
    days = monthrange(year, month)[1]
    if not 1 <= day <= days:
        return DateReading(problem=t(
            "Ngày {day}/{month}/{year} không có thật: tháng {m}/{year} chỉ có {days} ngày.",
            day=f"{day:02d}", month=f"{month:02d}", year=year, m=month, days=days))
    return DateReading(value=date(year, month, day))


def show_date(value: date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
