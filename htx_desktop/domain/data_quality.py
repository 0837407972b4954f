"""Data-quality findings that change the figures (issue 18, point 3).

Only a person recorded as female counts as a woman. A manager whose sex was not recorded is
therefore not counted for CT1, CT2, CT5 or CT6: the dashboard lists such managers, so that the
officer can complete their records rather than have the figures guess.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from htx_desktop.domain.coop_rules import counting_positions, exists_on
from htx_desktop.domain.records import Dataset
from htx_desktop.domain.scope import scoped


def managers_sex_not_recorded(dataset: Dataset, unit_code: str, d: date,
                              management_positions: Collection[str]) -> list[str]:
    """Person ids, sorted, of the people holding a counting position on d in a cooperative of
    the unit's scope that exists on d, whose sex is not recorded."""
    scope = scoped(dataset, unit_code)
    gender = scope.gender
    found: set[str] = set()
    for coop in scope.cooperatives:
        if not exists_on(coop, d):
            continue
        allowed = counting_positions(coop, management_positions)
        for p in coop.positions:
            if (p.position in allowed and p.holds_on(d) and p.person in gender
                    and gender[p.person] is None):
                found.add(p.person)
    return sorted(found)
