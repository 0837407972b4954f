"""What was known for a day d: a report for a period never changes because later years were
entered (issue 18, point 2).

Every rule judged on d reads the yearly figures of the latest year ≤ the year of d and the
positions and statuses on d (`coop_rules`). A Dataset built for a period is cut to what was
known for its last day, so that the package of a past period, its data.json included, stays
byte for byte what it was when later years' figures are typed in:
- a cooperative's yearly figures and OCOP certifications of years after the year of d are left
  out;
- a "creates many jobs for women" flag derived by the province's rule (not an officer's
  override, nor a flag received in a package) is derived again from the figures of the year of
  d.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from htx_desktop.domain.coop_rules import figures_of_year
from htx_desktop.domain.records import CooperativeRec, Dataset


def cooperative_known_for(coop: CooperativeRec, d: date) -> CooperativeRec:
    """The cooperative as known for d (the same object when nothing is later than d)."""
    year = d.year
    yearly = coop.yearly
    if any(y.year > year for y in yearly):
        yearly = tuple(y for y in yearly if y.year <= year)
    ocop = coop.ocop
    if any(o.year > year for o in ocop):
        ocop = tuple(o for o in ocop if o.year <= year)
    flag = coop.many_jobs_for_women
    if coop.many_jobs_rule is not None:
        flag = coop.many_jobs_rule.derives_many_jobs(figures_of_year(coop, year))
    if yearly is coop.yearly and ocop is coop.ocop and flag == coop.many_jobs_for_women:
        return coop
    return replace(coop, yearly=yearly, ocop=ocop, many_jobs_for_women=flag)


def many_jobs_on(coop: CooperativeRec, d: date) -> bool:
    """"Creates many jobs for women" as judged on d: a derived flag from the figures of the
    year of d, a fixed one (override, or as received) as it is."""
    if coop.many_jobs_rule is None:
        return coop.many_jobs_for_women
    return coop.many_jobs_rule.derives_many_jobs(figures_of_year(coop, d.year))


def known_for(dataset: Dataset, d: date) -> Dataset:
    """The dataset as known for d; the record lists that do not change are shared."""
    coops = [cooperative_known_for(c, d) for c in dataset.cooperatives]
    if all(a is b for a, b in zip(coops, dataset.cooperatives, strict=True)):
        return dataset
    return replace(dataset, cooperatives=coops)
