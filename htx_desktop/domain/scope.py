"""The records of one unit and of every unit below it, with the look-ups the figures need.

The tree is the one in `dataset.units` (parent_code links), plus the succession: an older
unit that became a unit (`UnitRec.successors`) is in that unit's scope. Units are identified by
their key (store/unit_eras.py): an old commune whose code a new ward reuses travels as
`CODE-YYYYMMDD`, so the walk never mixes the two. A unit key missing from the tree still has
its own records.

The dashboard asks for the province and then for each of its ~90 communes over one Dataset.
Scanning every record list and rebuilding the people maps for each of them was half of the
dashboard's time, so the tree, the records grouped by unit code and the people maps are built
once per Dataset (`DatasetIndex`) and each unit's scope is gathered from its codes' groups.
"""

from __future__ import annotations

import heapq
import weakref
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

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

# The record lists a scope keeps, by their Dataset attribute.
_FILED = ("cooperatives", "cadres", "events", "job_placements", "support", "communications",
          "plan_status", "priority_counts")


class _Grouped:
    """One record list, and the positions in it of each unit code's records."""

    def __init__(self, records: list[Any]) -> None:
        self.records = records
        self.positions: dict[str, list[int]] = defaultdict(list)
        for i, record in enumerate(records):
            self.positions[record.unit_code].append(i)

    def within(self, codes: frozenset[str]) -> list[Any]:
        """The records filed under `codes`, in the list's own order (as a scan would give)."""
        groups = [self.positions[c] for c in codes if c in self.positions]
        if not groups:
            return []
        if len(groups) == 1:
            return [self.records[i] for i in groups[0]]
        if sum(len(g) for g in groups) == len(self.records):
            return list(self.records)
        return [self.records[i] for i in heapq.merge(*groups)]


@dataclass(frozen=True)
class DatasetIndex:
    """What every unit's scope over one Dataset shares: built once, read many times.

    The Dataset must not change while its index is used (snapshots and packages are built
    whole and then only read); `index_for` rebuilds it if a record list was replaced or grew.
    """

    children: dict[str, frozenset[str]]
    grouped: dict[str, _Grouped]
    gender: dict[str, str | None]
    ethnicity: dict[str, str | None]
    # topic → person → start of the earliest event on that topic since SCHEME_START that she
    # attended, in the whole dataset: being trained belongs to the person, whoever ran the
    # course (issue 18), so every unit's scope reads the same.
    first_training: dict[str, dict[str, date]]

    @classmethod
    def build(cls, dataset: Dataset) -> DatasetIndex:
        children: dict[str, set[str]] = defaultdict(set)
        for unit in dataset.units:
            if unit.parent_code is not None:
                children[unit.parent_code].add(unit.code)
            # The succession: a unit's scope holds the units that became it (issue 18).
            for successor in unit.successors:
                children[successor].add(unit.code)
        return cls(
            children={code: frozenset(kids) for code, kids in children.items()},
            grouped={name: _Grouped(getattr(dataset, name)) for name in _FILED},
            gender={p.id: p.gender for p in dataset.people},
            ethnicity={p.id: p.ethnicity_code for p in dataset.people},
            first_training=first_trainings(dataset.events),
        )

    def codes_below(self, unit_code: str) -> frozenset[str]:
        seen = {unit_code}
        todo = [unit_code]
        while todo:  # iterative: a national tree is deep enough to matter; cycles are ignored
            for child in self.children.get(todo.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    todo.append(child)
        return frozenset(seen)


def _fingerprint(dataset: Dataset) -> tuple[tuple[int, int], ...]:
    # Which list objects, and how long: catches a list replaced, appended to or cut.
    lists = [dataset.units, dataset.people, *(getattr(dataset, n) for n in _FILED)]
    return tuple((id(x), len(x)) for x in lists)


# id(dataset) → (the dataset, weakly; its fingerprint; its index). Weak, so a dataset that is
# dropped takes its index with it; a few entries, since a caller works on one dataset at a time.
_CACHE: dict[int, tuple[weakref.ref[Dataset], tuple[tuple[int, int], ...], DatasetIndex]] = {}
_CACHE_SIZE = 4


def index_for(dataset: Dataset) -> DatasetIndex:
    """The dataset's index, built on first use and reused while the dataset is unchanged."""
    key, fingerprint = id(dataset), _fingerprint(dataset)
    cached = _CACHE.get(key)
    if cached is not None and cached[0]() is dataset and cached[1] == fingerprint:
        return cached[2]
    index = DatasetIndex.build(dataset)
    for stale in [k for k, (ref, _f, _i) in _CACHE.items() if ref() is None]:
        del _CACHE[stale]
    while len(_CACHE) >= _CACHE_SIZE:
        del _CACHE[next(iter(_CACHE))]
    _CACHE[key] = (weakref.ref(dataset), fingerprint, index)
    return index


def scope_codes(dataset: Dataset, unit_code: str) -> frozenset[str]:
    """`unit_code` and the code of every unit below it in the dataset's tree."""
    return index_for(dataset).codes_below(unit_code)


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
    # Shared by every scope of the dataset: read, never written.
    gender: dict[str, str | None]
    ethnicity: dict[str, str | None]
    # topic → person → start of the earliest event of the dataset on that topic since
    # SCHEME_START that she attended (DatasetIndex.first_training; shared, read only)
    _first_training: dict[str, dict[str, date]] = field(default_factory=dict)

    def trained_by(self, person: str, topic: str, d: date) -> bool:
        """Attended an event on `topic` starting between 1/1/2023 and d, wherever it was held
        and whoever organised it: trained status belongs to the person (issue 18)."""
        first = self._first_training.get(topic, {}).get(person)
        return first is not None and first <= d


def first_trainings(events: Iterable[EventRec]) -> dict[str, dict[str, date]]:
    """topic → person → start of the earliest of `events` on that topic since 1/1/2023 that she
    attended. Any event counts, whoever organised it, an attendance at another unit's course
    recorded at her home unit (type `external_course`) too: she is trained once, however many
    records say so."""
    first_training: dict[str, dict[str, date]] = defaultdict(dict)
    for event in events:
        if event.start < SCHEME_START:
            continue
        for topic in event.topics:
            firsts = first_training[topic]
            for person, _role in event.attendance:
                if person not in firsts or event.start < firsts[person]:
                    firsts[person] = event.start
    return dict(first_training)


def scoped(dataset: Dataset, unit_code: str, index: DatasetIndex | None = None) -> Scoped:
    """The unit's scope. `index`: the dataset's index if the caller holds it (else cached)."""
    index = index if index is not None else index_for(dataset)
    codes = index.codes_below(unit_code)
    g = index.grouped
    events: list[EventRec] = g["events"].within(codes)
    return Scoped(
        unit_code=unit_code,
        codes=codes,
        cooperatives=g["cooperatives"].within(codes),
        cadres=g["cadres"].within(codes),
        events=events,
        job_placements=g["job_placements"].within(codes),
        support=g["support"].within(codes),
        communications=g["communications"].within(codes),
        plan_status=g["plan_status"].within(codes),
        priority_counts=g["priority_counts"].within(codes),
        gender=index.gender,
        ethnicity=index.ethnicity,
        _first_training=index.first_training,
    )
