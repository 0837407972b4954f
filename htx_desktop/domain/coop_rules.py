"""The rules about one cooperative on one day, shared by the indicators and activity figures.

Written once, from `tests/data/indicator-cases/README.md` and `docs/indicators.md`; every date is
inclusive (a position or a status that ends on d still holds on d).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from htx_desktop.domain.records import CooperativeRec, YearlyRec

# A THT is run by its group leader: for a THT the group leader always counts as management,
# whatever the province's set (for an HTX it counts only if the province adds it).
THT_EXTRA_POSITIONS = frozenset({"group_leader"})

_ENDED = frozenset({"dissolved", "converted"})


def exists_on(coop: CooperativeRec, d: date) -> bool:
    """Founded on or before d, and not dissolved or converted on or before d.

    An unknown founding date counts as "long ago". A dissolution or conversion without a date
    counts as already past: the record says it has ended, and we cannot say since when.
    """
    if coop.founded_on is not None and coop.founded_on > d:
        return False
    return not (coop.status in _ENDED and (coop.status_on is None or coop.status_on <= d))


def active_on(coop: CooperativeRec, d: date) -> bool:
    """Exists on d and is not suspended on d (a suspension dated after d did not yet hold)."""
    if not exists_on(coop, d):
        return False
    return not (coop.status == "suspended" and (coop.status_on is None or coop.status_on <= d))


def union_supported_on(coop: CooperativeRec, d: date) -> bool:
    """The flag is set and its date, if any, is on or before d."""
    return coop.union_supported and (
        coop.union_supported_on is None or coop.union_supported_on <= d)


def counting_positions(coop: CooperativeRec, management_positions: Collection[str]
                       ) -> frozenset[str]:
    base = frozenset(management_positions)
    return base | THT_EXTRA_POSITIONS if coop.kind == "tht" else base


def women_managers_on(coop: CooperativeRec, d: date, management_positions: Collection[str],
                      gender: Mapping[str, str | None]) -> set[str]:
    """The women (person ids) holding a counting position in the cooperative on d.

    `gender` maps person id → gender; a person missing from it is not known to be a woman.
    """
    positions = counting_positions(coop, management_positions)
    return {p.person for p in coop.positions
            if p.position in positions and p.holds_on(d) and gender.get(p.person) == "female"}


def women_managed_on(coop: CooperativeRec, d: date, management_positions: Collection[str],
                     gender: Mapping[str, str | None]) -> bool:
    return bool(women_managers_on(coop, d, management_positions, gender))


def figures_of_year(coop: CooperativeRec, year: int) -> YearlyRec | None:
    """The latest yearly record with year ≤ `year` (no looking further back for a field that is
    empty in it: an empty field counts as 0, see `field_value`)."""
    best: YearlyRec | None = None
    for rec in coop.yearly:
        if rec.year <= year and (best is None or rec.year > best.year):
            best = rec
    return best


def field_value(rec: YearlyRec | None, name: str) -> int:
    """A yearly field, 0 when the record or the field is empty."""
    if rec is None:
        return 0
    value = getattr(rec, name)
    return int(value) if value is not None else 0


def figure_of_exact_year(coop: CooperativeRec, year: int, name: str) -> int:
    """A flow field (such as `new_female_jobs`) of exactly that year: a flow is never carried
    forward from an earlier year, or it would be counted twice."""
    for rec in coop.yearly:
        if rec.year == year:
            return field_value(rec, name)
    return 0


@dataclass(frozen=True)
class ManyJobsRule:
    """When a cooperative "creates many jobs for women" (no national numeric definition).

    Default, from Vietnamese practice for employers of many women: from `small_min` to
    `small_max` women who are over `small_share` of the regular workers, or over `small_max`
    women who are over `large_share` of them. The province may change the numbers; an officer
    may override the result for one cooperative, with a reason (stored, not derived here).
    """

    small_min: int = 10
    small_max: int = 100
    small_share: float = 0.5
    large_share: float = 0.3

    def derives_many_jobs(self, yearly: YearlyRec | None) -> bool:
        """Applies the rule to one year's figures: female regular workers among all of them.

        Without a count of workers (empty or 0) the rule cannot say yes.
        """
        if yearly is None or not yearly.workers:
            return False
        women = yearly.workers_female or 0
        share = women / yearly.workers
        if self.small_min <= women <= self.small_max:
            return share > self.small_share
        if women > self.small_max:
            return share > self.large_share
        return False


DEFAULT_MANY_JOBS_RULE = ManyJobsRule()


def derives_many_jobs(yearly: YearlyRec | None, rule: ManyJobsRule | None = None) -> bool:
    """`rule` (default: the national default) applied to one year's figures."""
    return (rule or DEFAULT_MANY_JOBS_RULE).derives_many_jobs(yearly)


def latest_yearly(yearly: Iterable[YearlyRec]) -> YearlyRec | None:
    """The most recent yearly record, whatever its year."""
    return max(yearly, key=lambda y: y.year, default=None)
