"""The indicator engine: CT1–CT9 of the scheme for a unit and a period, from a Dataset.

One engine for the window, the command line, the report package and the check of a received
package: pure functions over `records.Dataset`, no Qt, no database. The rules are those of
`docs/indicators.md` (and `tests/data/indicator-cases/README.md`); P is the period, d its last day.

Stocks (CT1–CT5, CT8, CT9) are counted on d; flows (CT6, CT7) over P and cumulatively from the
start of the phase P ends in to d. A target is the one of that phase (2025 or 2030), and
progress against it uses the cumulative figure of a flow.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from htx_desktop.domain.activity import activity_figures, new_women_led_htx
from htx_desktop.domain.catalogues import DEFAULT_MANAGEMENT_POSITIONS
from htx_desktop.domain.coop_rules import (
    ManyJobsRule,
    active_on,
    derives_many_jobs,
    field_value,
    figure_of_exact_year,
    figures_of_year,
    union_supported_on,
    women_managed_on,
    women_managers_on,
)
from htx_desktop.domain.indicator_specs import codes, flow_codes, percent_codes
from htx_desktop.domain.known import many_jobs_on
from htx_desktop.domain.periods import Period, phase_of
from htx_desktop.domain.progress import progress_percent
from htx_desktop.domain.records import CooperativeRec, Dataset
from htx_desktop.domain.scope import Scoped, scoped

__all__ = [
    "FLOW_CODES",
    "INDICATOR_CODES",
    "PERCENT_CODES",
    "IndicatorReport",
    "IndicatorResult",
    "ManyJobsRule",
    "activity_figures",
    "compute_indicators",
    "derives_many_jobs",
    "percent",
]

# Declared in `indicator_specs.py`; the rules below compute each of them, in this order.
INDICATOR_CODES: tuple[str, ...] = codes()
PERCENT_CODES: frozenset[str] = percent_codes()
FLOW_CODES: frozenset[str] = flow_codes()


def percent(numerator: int, denominator: int) -> float | None:
    """100 × n / d rounded half up to one decimal (2/3 → 66.7, 1/16 → 6.3); None when d = 0.

    Decimal, because binary floats round 6.25 and 0.05-steps unpredictably.
    """
    if not denominator:
        return None
    exact = Decimal(100 * numerator) / Decimal(denominator)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _json_number(value: float | int | None) -> float | int | None:
    """Integral targets as int (50, not 50.0); others as they are."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator's figure, with the ids of the records behind it (to drill down).

    `record_ids`: cooperatives (CT1–CT4, CT6, CT7), people (CT5) or cadres (CT8, CT9) counted
    in the figure (for a percentage, the numerator); `denominator_ids`: the denominator's;
    `cumulative_ids`: the records behind the cumulative figure of a flow.
    """

    code: str
    value: int | float | None
    numerator: int | None
    denominator: int | None
    target: float | None
    cumulative: int | None
    record_ids: tuple[str, ...] = ()
    denominator_ids: tuple[str, ...] = ()
    cumulative_ids: tuple[str, ...] = ()

    @property
    def is_percent(self) -> bool:
        return self.code in PERCENT_CODES

    @property
    def is_flow(self) -> bool:
        return self.code in FLOW_CODES

    @property
    def progress(self) -> float | None:
        """Percent of the target reached (cumulative figure for a flow), or None."""
        return progress_percent(self.cumulative if self.is_flow else self.value, self.target)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "value": self.value, "numerator": self.numerator,
                "denominator": self.denominator, "target": _json_number(self.target),
                "cumulative": self.cumulative}


@dataclass(frozen=True)
class IndicatorReport:
    unit: str
    period: Period
    results: tuple[IndicatorResult, ...]
    management_positions: tuple[str, ...]
    phase_start: date
    target_year: int

    def result(self, code: str) -> IndicatorResult:
        for r in self.results:
            if r.code == code:
                return r
        raise KeyError(code)

    def to_json(self) -> dict[str, Any]:
        """Exactly the object `indicators --json` prints (docs/INTERFACES.md §1)."""
        return {"unit": self.unit,
                "period": {"start": self.period.start.isoformat(),
                           "end": self.period.end.isoformat()},
                "indicators": [r.to_json() for r in self.results]}


def _ids(coops: Collection[CooperativeRec]) -> tuple[str, ...]:
    return tuple(sorted(c.id for c in coops))


def compute_indicators(
    dataset: Dataset,
    unit_code: str,
    period: Period,
    *,
    management_positions: Collection[str] = DEFAULT_MANAGEMENT_POSITIONS,
    targets: Mapping[tuple[str, int], float] | None = None,
    many_jobs_rule: ManyJobsRule | None = None,
) -> IndicatorReport:
    """CT1–CT9 for the unit (and every unit below it) over the period.

    `many_jobs_rule`: None keeps each cooperative's `many_jobs_for_women` as exported (the
    store has already applied the province's rule or the officer's override); a rule given here
    re-derives every flag from the figures of the year of d — a preview of a changed rule, in
    which officers' overrides, not being in a Dataset, play no part.
    """
    d = period.end
    phase_start, target_year = phase_of(period)
    positions = tuple(management_positions)
    scope = scoped(dataset, unit_code)
    targets = targets or {}

    def many_jobs(coop: CooperativeRec) -> bool:
        if many_jobs_rule is None:
            return many_jobs_on(coop, d)  # a flag derived by the rule: from the year of d
        return many_jobs_rule.derives_many_jobs(figures_of_year(coop, d.year))

    active = [c for c in scope.cooperatives if active_on(c, d)]
    managed = {c.id for c in active if women_managed_on(c, d, positions, scope.gender)}
    in_scope = [c for c in active if c.id in managed or many_jobs(c)]

    def supported_managed(kind: str) -> list[CooperativeRec]:
        return [c for c in active
                if c.kind == kind and c.id in managed and union_supported_on(c, d)]

    def stock(code: str, coops: list[CooperativeRec], value: int) -> IndicatorResult:
        return IndicatorResult(code, value, None, None, targets.get((code, target_year)),
                               None, _ids(coops))

    ct1 = supported_managed("htx")
    ct2 = supported_managed("tht")
    htx_in_scope = [c for c in in_scope if c.kind == "htx"]
    tht_in_scope = [c for c in in_scope if c.kind == "tht"]
    results = [
        stock("CT1", ct1, len(ct1)),
        stock("CT2", ct2, len(ct2)),
        stock("CT3", htx_in_scope, sum(
            field_value(figures_of_year(c, d.year), "female_stable_jobs") for c in htx_in_scope)),
        stock("CT4", tht_in_scope, sum(
            field_value(figures_of_year(c, d.year), "workers_female") for c in tht_in_scope)),
        _ct5(scope, active, d, positions, targets.get(("CT5", target_year))),
        *_ct6_ct7(scope, period, phase_start, positions, targets, target_year),
        *_ct8_ct9(scope, d, targets, target_year),
    ]
    return IndicatorReport(unit_code, period, tuple(results), positions, phase_start,
                           target_year)


def _ct5(scope: Scoped, active: list[CooperativeRec], d: date, positions: tuple[str, ...],
         target: float | None) -> IndicatorResult:
    """Women managing an active HTX on d (not a THT: its group leader is not an HTX manager);
    of them, those trained in management since 1/1/2023."""
    women: set[str] = set()
    for coop in active:
        if coop.kind == "htx":
            women |= women_managers_on(coop, d, positions, scope.gender)
    trained = {w for w in women if scope.trained_by(w, "management", d)}
    return IndicatorResult("CT5", percent(len(trained), len(women)), len(trained), len(women),
                           target, None, tuple(sorted(trained)), tuple(sorted(women)))


def _ct6_ct7(scope: Scoped, period: Period, phase_start: date, positions: tuple[str, ...],
             targets: Mapping[tuple[str, int], float], target_year: int
             ) -> tuple[IndicatorResult, IndicatorResult]:
    d = period.end
    founded_in_p = new_women_led_htx(scope, period.start, d, positions)
    founded_in_phase = new_women_led_htx(scope, phase_start, d, positions)
    ct6 = IndicatorResult("CT6", len(founded_in_p), None, None,
                          targets.get(("CT6", target_year)), len(founded_in_phase),
                          _ids(founded_in_p), (), _ids(founded_in_phase))

    def new_jobs(first_year: int) -> int:
        # A year before the HTX was founded is not one of its years (jobs a THT created
        # before its conversion are not jobs of the new HTX).
        return sum(figure_of_exact_year(c, y, "new_female_jobs")
                   for c in founded_in_phase
                   for y in range(max(first_year, c.founded_on.year if c.founded_on else 0),
                                  d.year + 1))

    ids = _ids(founded_in_phase)
    ct7 = IndicatorResult("CT7", new_jobs(period.start.year), None, None,
                          targets.get(("CT7", target_year)), new_jobs(phase_start.year),
                          ids, (), ids)
    return ct6, ct7


def _ct8_ct9(scope: Scoped, d: date, targets: Mapping[tuple[str, int], float],
             target_year: int) -> tuple[IndicatorResult, IndicatorResult]:
    """Cadres active on d itself. A person with two cadre records active on d (a move between
    levels entered twice) counts once; the ids shown are the cadre records."""
    def figure(code: str, topic: str, kttt_only: bool) -> IndicatorResult:
        cadres = [c for c in scope.cadres
                  if c.active_on(d) and (c.kttt_assigned or not kttt_only)]
        people = {c.person for c in cadres}
        trained = {p for p in people if scope.trained_by(p, topic, d)}
        return IndicatorResult(
            code, percent(len(trained), len(people)), len(trained), len(people),
            targets.get((code, target_year)), None,
            tuple(sorted(c.id for c in cadres if c.person in trained)),
            tuple(sorted(c.id for c in cadres)))

    return (figure("CT8", "kttt_knowledge", kttt_only=True),
            figure("CT9", "advocacy_skills", kttt_only=False))
