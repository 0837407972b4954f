"""Plain records in the shape of `data.json`, format 1 (docs/INTERFACES.md §2).

This is the one currency between the parts of the program: the store builds a `Dataset` from the
database (`store/snapshot.py`), a received package is read into one, the indicator engine
computes over one, and the package writer serialises one. Names, phones and ID numbers are not
here: people travel under their pseudonymous ids only.

The record classes live in `domain/record_types.py` and are re-exported here; which list of
data.json each one fills, in which order and under which identity, is declared once in
`domain/kinds.py`, and `Dataset.from_json`, `to_json` and `merge` loop over that declaration.
Unknown keys are ignored on reading; missing optional values become None.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from htx_desktop.domain.kinds import KINDS
from htx_desktop.domain.record_types import (
    COUNT_KEYS,
    AwardRec,
    CadreRec,
    CommunicationRec,
    CooperativeRec,
    EventRec,
    JobPlacementRec,
    JsonObj,
    OcopRec,
    PersonRec,
    PlanStatusRec,
    PositionRec,
    PriorityCountRec,
    SupervisionVisitRec,
    SupportRec,
    UnitRec,
    YearlyRec,
)

__all__ = [
    "COUNT_KEYS", "AwardRec", "CadreRec", "CommunicationRec", "CooperativeRec", "Dataset",
    "EventRec", "JobPlacementRec", "JsonObj", "OcopRec", "PersonRec", "PlanStatusRec",
    "PositionRec", "PriorityCountRec", "SupervisionVisitRec", "SupportRec", "UnitRec", "YearlyRec",
]


@dataclass
class Dataset:
    """Everything about a unit and the units below it, as data.json carries it: one list per
    entry of `domain/kinds.py::KINDS` (the attribute is the JSON key), and the narrative."""

    units: list[UnitRec] = field(default_factory=list)
    cooperatives: list[CooperativeRec] = field(default_factory=list)
    people: list[PersonRec] = field(default_factory=list)
    cadres: list[CadreRec] = field(default_factory=list)
    events: list[EventRec] = field(default_factory=list)
    job_placements: list[JobPlacementRec] = field(default_factory=list)
    support: list[SupportRec] = field(default_factory=list)
    communications: list[CommunicationRec] = field(default_factory=list)
    awards: list[AwardRec] = field(default_factory=list)
    plan_status: list[PlanStatusRec] = field(default_factory=list)
    priority_counts: list[PriorityCountRec] = field(default_factory=list)
    supervision_visits: list[SupervisionVisitRec] = field(default_factory=list)
    narrative: dict[str, Any] = field(default_factory=dict)

    def records(self, json_key: str) -> list[Any]:
        """The list of one kind, by its data.json key."""
        rows: list[Any] = getattr(self, json_key)
        return rows

    @classmethod
    def from_json(cls, o: JsonObj) -> Dataset:
        lists = {k.json_key: [k.record.from_json(x) for x in o.get(k.json_key) or ()]
                 for k in KINDS}
        return cls(**lists, narrative=dict(o.get("narrative") or {}))

    def to_json(self) -> JsonObj:
        """Records in a stable order, so that the same data gives byte-identical JSON. A kind
        added to format 1 (`optional`) is written only when it has records."""
        out: JsonObj = {}
        for k in KINDS:
            rows = self.records(k.json_key)
            if rows or not k.optional:
                out[k.json_key] = [r.to_json() for r in sorted(rows, key=k.order)]
        out["narrative"] = self.narrative
        return out

    def merge(self, other: Dataset) -> Dataset:
        """Union of two datasets (consolidation); a record present in both (by its kind's
        identity: its id, or its key) is kept once."""
        lists: dict[str, list[Any]] = {}
        for k in KINDS:
            mine, theirs = self.records(k.json_key), other.records(k.json_key)
            seen = {k.identity(x) for x in mine}
            lists[k.json_key] = mine + [x for x in theirs if k.identity(x) not in seen]
        return Dataset(**lists, narrative=dict(self.narrative))
