"""Everything the dashboard shows for a unit and a period, computed in one go (no Qt).

The window runs `dashboard_figures` in a worker thread: one `build_dataset` per period
(period-exact: the packages of exactly that period) for the unit, then
the engine (`reports/figures.py`) for the period, for each calendar year since the scheme began
(the trend chart) and for each unit directly below (the split chart). Going through the same
functions as the command line and the package means the dashboard cannot disagree with them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from htx_desktop.domain.indicators import PERCENT_CODES, IndicatorReport, IndicatorResult, percent
from htx_desktop.domain.periods import PHASES, Period, parse_period, scheme_years_until
from htx_desktop.i18n import t

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

TARGET_YEARS: tuple[int, ...] = tuple(last for _name, _first, last in PHASES)  # 2025, 2030
# The split chart shows this many units by name; the others are summed as "Khác".
TOP_UNITS = 15
# Managers with sex not recorded named (as links) in the dashboard's warning; all are listed
# in the dialog it opens.
SHOWN_BY_NAME = 20


@dataclass(frozen=True)
class DashboardData:
    unit_id: int
    unit_name: str
    period: Period
    report: IndicatorReport
    # (indicator, target year) → target of this unit, both phases (the report has only one).
    targets: dict[tuple[str, int], float]
    yearly: dict[int, IndicatorReport]  # year → the report of that calendar year
    children: list[tuple[int, str, IndicatorReport]]  # units directly below, same period
    activity: dict[str, Any]
    plan_lines: dict[str, str]  # line code → content
    # (person id, full name) of managers counted on d whose sex is not recorded: a warning,
    # since only women count (issue 18). Not kept in the figures cache (names).
    sex_not_recorded: tuple[tuple[str, str], ...] = ()

    def result(self, code: str) -> IndicatorResult:
        return self.report.result(code)

    def progress(self, code: str, target_year: int) -> float | None:
        """Percent of this target year's target reached, by the engine's own rule.

        A flow (CT6, CT7) is counted cumulatively within a phase only, so against the other
        phase's target it has no progress (None) rather than a misleading figure."""
        result = self.result(code)
        target = self.targets.get((code, target_year))
        if target is None:
            return None
        if result.is_flow and target_year != self.report.target_year:
            return None
        return replace(result, target=target).progress


def period_choices(today: date) -> list[tuple[str, str]]:
    """(label shown, period text for `parse_period`): each year since 2023, then the phases."""
    years = [(str(y), str(y)) for y in scheme_years_until(today)]
    phases = [(t("Giai đoạn {first}–{last}", first=first, last=last), name)
              for name, first, last in PHASES]
    return years + phases


def preload_dashboard() -> None:
    """Import what `dashboard_figures` imports, on the calling (UI) thread: a first import
    inside a worker thread is not safe with PySide6 (see ui/pages/dashboard_page.py)."""
    import htx_desktop.domain.data_quality
    import htx_desktop.reports.figures
    import htx_desktop.store.models
    import htx_desktop.store.snapshot
    import htx_desktop.store.targets  # noqa: F401


def dashboard_figures(session: Session, unit_id: int, period_text: str,
                      today: date | None = None) -> DashboardData:
    # The store is imported here: the window draws the page (and figures kept from its last
    # start, reports/dashboard_cache.py) before SQLAlchemy is imported.
    from sqlalchemy import select

    from htx_desktop.domain.data_quality import managers_sex_not_recorded
    from htx_desktop.reports.figures import activity_for_unit, indicators_for_unit
    from htx_desktop.store.models import Person, PlanLine, Unit
    from htx_desktop.store.snapshot import period_datasets
    from htx_desktop.store.targets import targets_for

    today = today or date.today()
    period = parse_period(period_text)
    unit = session.get(Unit, unit_id)
    assert unit is not None
    years = scheme_years_until(today)
    # Period-exact: each year's figures from the packages of exactly that year (own records
    # read once).
    datasets = period_datasets(session, unit_id, [period.label, *(str(y) for y in years)])
    dataset = datasets[period.label]
    report = indicators_for_unit(session, unit_id, period, dataset)
    yearly = {y: indicators_for_unit(session, unit_id, parse_period(str(y)), datasets[str(y)])
              for y in years}
    below = session.scalars(select(Unit).where(Unit.parent_id == unit_id)).all()
    children = [(u.id, u.name, indicators_for_unit(session, u.id, period, dataset))
                for u in below]
    lines = {line.code: line.content for line in session.scalars(select(PlanLine))}
    unrecorded = managers_sex_not_recorded(dataset, report.unit, period.end,
                                           report.management_positions)
    names: dict[str, str] = {}
    if unrecorded:
        names = {pid: name for pid, name in session.execute(
            select(Person.id, Person.full_name)
            .where(Person.id.in_(unrecorded[:SHOWN_BY_NAME])))}
    return DashboardData(
        unit_id=unit_id, unit_name=unit.name, period=period, report=report,
        targets=targets_for(session, unit_id), yearly=yearly, children=children,
        activity=activity_for_unit(session, unit_id, period, dataset), plan_lines=lines,
        sex_not_recorded=tuple((pid, names.get(pid, "")) for pid in unrecorded))


def split_rows(data: DashboardData, code: str, top: int = TOP_UNITS
               ) -> list[tuple[str, float | None]]:
    """(unit name, figure) of the units below, largest first; past `top`, one "Khác" row.

    "Khác" sums a count; for a percentage it is the pooled numerator over the pooled
    denominator (the same person in two of those units would count twice: rare, and only in
    this one bar)."""
    rows = [(name, report.result(code)) for _id, name, report in data.children]
    rows.sort(key=lambda r: (-(r[1].value if r[1].value is not None else -1), r[0]))
    shown: list[tuple[str, float | None]] = [(name, r.value) for name, r in rows[:top]]
    rest = [r for _name, r in rows[top:]]
    if rest:
        if code in PERCENT_CODES:
            other = percent(sum(r.numerator or 0 for r in rest),
                            sum(r.denominator or 0 for r in rest))
        else:
            other = sum(r.value or 0 for r in rest)
        shown.append((t("Khác ({n} đơn vị)", n=len(rest)), other))
    return shown


def trend_rows(data: DashboardData, code: str) -> list[tuple[str, float | None]]:
    return [(str(year), report.result(code).value) for year, report in sorted(data.yearly.items())]
