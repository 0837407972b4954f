"""The records of one unit and of every unit below it, with the look-ups the figures need.

The tree is the one in `dataset.units` (parent_code links). Codes may appear more than once
(an old-era and a new-era unit around the 1/7/2025 reorganisation, or a code reused later):
the walk goes by code, so everything filed under any unit of that code below the start is in
scope. A unit code missing from the tree still has its own records.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol, TypeVar

from htx_desktop.domain.periods import SCHEME_START
from htx_desktop.domain.records import (
    CadreRec,
    CommunicationRec,
    CooperativeRec,
    Dataset,
    EventRec,
    JobPlacementRec,
    PlanStatusRec,
    PriorityCountRec,
    SupportRec,
)


class _Filed(Protocol):
    @property
    def unit_code(self) -> str: ...


_R = TypeVar("_R", bound=_Filed)


def _within(records: list[_R], codes: frozenset[str]) -> list[_R]:
    return [r for r in records if r.unit_code in codes]


def scope_codes(dataset: Dataset, unit_code: str) -> frozenset[str]:
    """`unit_code` and the code of every unit below it in the dataset's tree."""
    children: dict[str, set[str]] = defaultdict(set)
    for unit in dataset.units:
        if unit.parent_code is not None:
            children[unit.parent_code].add(unit.code)
    seen = {unit_code}
    todo = [unit_code]
    while todo:  # iterative: a national tree is deep enough to matter, and cycles are ignored
        for child in children.get(todo.pop(), ()):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return frozenset(seen)


@dataclass
class Scoped:
    """The dataset's records that belong to the unit's scope, plus indexes over them."""

    unit_code: str
    codes: frozenset[str]
    cooperatives: list[CooperativeRec]
    cadres: list[CadreRec]
    events: list[EventRec]
    job_placements: list[JobPlacementRec]
    support: list[SupportRec]
    communications: list[CommunicationRec]
    plan_status: list[PlanStatusRec]
    priority_counts: list[PriorityCountRec]
    # Gender and ethnicity of every person of the dataset: a fact about the person, not a
    # figure of a unit, so a manager filed under another unit is still known to be a woman.
    gender: dict[str, str]
    ethnicity: dict[str, str | None]
    # topic → person → start of the earliest in-scope event on that topic since SCHEME_START
    _first_training: dict[str, dict[str, date]] = field(default_factory=dict)

    def trained_by(self, person: str, topic: str, d: date) -> bool:
        """Attended an in-scope event on `topic` starting between 1/1/2023 and d."""
        first = self._first_training.get(topic, {}).get(person)
        return first is not None and first <= d


def scoped(dataset: Dataset, unit_code: str) -> Scoped:
    codes = scope_codes(dataset, unit_code)
    events = _within(dataset.events, codes)
    first_training: dict[str, dict[str, date]] = defaultdict(dict)
    for event in events:
        if event.start < SCHEME_START:
            continue
        for topic in event.topics:
            firsts = first_training[topic]
            for person, _role in event.attendance:
                if person not in firsts or event.start < firsts[person]:
                    firsts[person] = event.start
    return Scoped(
        unit_code=unit_code,
        codes=codes,
        cooperatives=_within(dataset.cooperatives, codes),
        cadres=_within(dataset.cadres, codes),
        events=events,
        job_placements=_within(dataset.job_placements, codes),
        support=_within(dataset.support, codes),
        communications=_within(dataset.communications, codes),
        plan_status=_within(dataset.plan_status, codes),
        priority_counts=_within(dataset.priority_counts, codes),
        gender={p.id: p.gender for p in dataset.people},
        ethnicity={p.id: p.ethnicity_code for p in dataset.people},
        _first_training=dict(first_training),
    )
