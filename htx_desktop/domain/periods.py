"""Report periods and the scheme's two phases.

A period is a whole number of calendar years: one year (`2025`), a span of years
(`2023-2025`), or a phase by name (`phase1` = 2023–2025, `phase2` = 2026–2030). Stocks are
counted on its last day; flows over it, and cumulatively from the start of the phase the period
ends in (docs/indicators.md, "Kỳ báo cáo").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from htx_desktop.i18n import t

# The scheme starts on 1/1/2023: training before it does not count for CT5, CT8 and CT9.
SCHEME_START = date(2023, 1, 1)

# (name, first year, last year = the year of the phase's targets)
PHASES: tuple[tuple[str, int, int], ...] = (("phase1", 2023, 2025), ("phase2", 2026, 2030))

# The scheme's years: a report period lies within them (2031 is no report period of it).
SCHEME_FIRST_YEAR, SCHEME_LAST_YEAR = PHASES[0][1], PHASES[-1][2]

_YEAR = re.compile(r"^(\d{4})$")
# A hyphen, or the en dash a Vietnamese document writes ("2023–2025").
_SPAN = re.compile(r"^(\d{4})\s*[-–]\s*(\d{4})$")


@dataclass(frozen=True)
class Period:
    """A report period: its label as typed in canonical form, first and last day (inclusive)."""

    label: str
    start: date
    end: date

    @property
    def title(self) -> str:
        """How a Vietnamese report names the period: "năm 2025", "giai đoạn 2023–2025"."""
        if self.start.year == self.end.year:
            return t("năm {year}", year=self.start.year)
        return t("giai đoạn {first}–{last}", first=self.start.year, last=self.end.year)


def _invalid(text: str) -> ValueError:
    return ValueError(t(
        "Kỳ báo cáo “{text}” không hợp lệ. Hãy nhập một năm (2025), một khoảng năm "
        "(2023-2025), phase1 hoặc phase2.", text=text))


def _years(first: int, last: int, label: str, text: str) -> Period:
    if first > last:
        raise _invalid(text)
    period = check_scheme_years(Period(label, date(first, 1, 1), date(last, 12, 31)), text)
    check_within_one_phase(first, last, text)
    return period


def check_scheme_years(period: Period, text: str | None = None) -> Period:
    """The period itself when it lies within the scheme's years (2023–2030); otherwise a
    ValueError whose Vietnamese message names the allowed range. Every parsed period passes
    here, so the window's pickers and the command line refuse the same periods."""
    if period.start.year >= SCHEME_FIRST_YEAR and period.end.year <= SCHEME_LAST_YEAR:
        return period
    raise ValueError(t(
        "Kỳ báo cáo “{text}” nằm ngoài các năm của Đề án: chỉ nhận các năm từ {first} đến "
        "{last} (một năm, một khoảng năm trong đó, phase1 hoặc phase2).",
        text=period.label if text is None else text, first=SCHEME_FIRST_YEAR,
        last=SCHEME_LAST_YEAR))


def scheme_years_until(today: date) -> range:
    """The scheme's years up to today's (at least its first year, at most its last): the
    years a picker offers."""
    last = min(max(today.year, SCHEME_FIRST_YEAR), SCHEME_LAST_YEAR)
    return range(SCHEME_FIRST_YEAR, last + 1)


def phase_of_year(year: int) -> tuple[str, int, int]:
    """(name, first year, last year) of the phase a year belongs to: up to 2025 phase 1, any
    later year phase 2 (the scheme has no third phase)."""
    for phase in PHASES:
        if year <= phase[2]:
            return phase
    return PHASES[-1]


def check_within_one_phase(first: int, last: int, text: str) -> None:
    """A period lies within one phase (issue 18): `2025-2026` would count CT6 over two phases
    while its cumulative figure and CT7 start again on 1/1/2026. ValueError naming both."""
    one, other = phase_of_year(first), phase_of_year(last)
    if one == other:
        return
    raise ValueError(t(
        "Kỳ báo cáo “{text}” nằm trên hai giai đoạn của Đề án: giai đoạn 1 ({a1}–{a2}) và "
        "giai đoạn 2 ({b1}–{b2}). Hãy chọn một kỳ trong một giai đoạn, ví dụ {a1}-{a2} hoặc "
        "{b1}-{b2}.", text=text, a1=one[1], a2=one[2], b1=other[1], b2=other[2]))


def parse_period(text: str) -> Period:
    """`"2025"`, `"2023-2025"`, `"phase1"` or `"phase2"` → Period; anything else: ValueError
    with a Vietnamese message the command line and the window show as they are."""
    raw = text.strip()
    lowered = raw.lower()
    for name, first, last in PHASES:
        if lowered == name:
            # One canonical label per span: a phase and its years name the same period, so
            # narratives, package names and consolidation never split between two spellings.
            return Period(f"{first}-{last}", date(first, 1, 1), date(last, 12, 31))
    if m := _YEAR.match(raw):
        year = int(m.group(1))
        return _years(year, year, str(year), text)
    if m := _SPAN.match(raw):
        first, last = int(m.group(1)), int(m.group(2))
        label = str(first) if first == last else f"{first}-{last}"
        return _years(first, last, label, text)
    raise _invalid(text)


def phase_of(period: Period) -> tuple[date, int]:
    """(first day of the phase, target year) of the phase the period ends in.

    A period ending before 2026 belongs to phase 1 (target year 2025), any later one to phase 2
    (target year 2030): the scheme has no third phase, so years after 2030 stay in phase 2.
    """
    for _name, first, last in PHASES:
        if period.end.year <= last:
            return date(first, 1, 1), last
    _name, first, last = PHASES[-1]
    return date(first, 1, 1), last


def years(period: Period) -> list[int]:
    """The calendar years the period covers, in order."""
    return list(range(period.start.year, period.end.year + 1))
