"""The record classes of `data.json`, format 1 (INTERFACES.md §2): one frozen dataclass per
list, each with `from_json` and `to_json`. Names, phones and ID numbers are not here: people
travel under their pseudonymous ids only. Unknown keys are ignored on reading; missing optional
values become None.

`domain/kinds.py` declares which data.json list each class fills; `domain/records.py` holds the
`Dataset` of all the lists and re-exports these classes (import them from there).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Protocol

JsonObj = dict[str, Any]


class ManyJobsDeriver(Protocol):
    """How a year's figures decide "creates many jobs for women" (`coop_rules.ManyJobsRule`,
    named by its shape here: the rules read these records, not the other way round)."""

    def derives_many_jobs(self, yearly: YearlyRec | None) -> bool: ...


def _d(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class UnitRec:
    """A unit, by its key: the bare code, or `CODE-YYYYMMDD` for an older unit whose code a
    later unit carries (store/unit_eras.py). `successors`: the keys of the units it became; a
    unit's scope holds the records of the units that became it (an addition to format 1,
    written only when there are some)."""

    code: str
    name: str
    level: str
    parent_code: str | None
    successors: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, o: JsonObj) -> UnitRec:
        return cls(str(o["code"]), o["name"], o["level"], o.get("parent_code"),
                   tuple(str(s) for s in o.get("successors") or ()))

    def to_json(self) -> JsonObj:
        out: JsonObj = {"code": self.code, "name": self.name, "level": self.level,
                        "parent_code": self.parent_code}
        if self.successors:
            out["successors"] = sorted(self.successors)
        return out


@dataclass(frozen=True)
class YearlyRec:
    year: int
    members: int | None = None
    members_female: int | None = None
    workers: int | None = None
    workers_female: int | None = None
    female_stable_jobs: int | None = None
    female_ethnic_minority: int | None = None
    new_female_jobs: int | None = None
    revenue_vnd: int | None = None
    avg_monthly_income_vnd: int | None = None
    source: str | None = None

    FIELDS: ClassVar[tuple[str, ...]] = (
        "members", "members_female", "workers", "workers_female", "female_stable_jobs",
        "female_ethnic_minority", "new_female_jobs", "revenue_vnd", "avg_monthly_income_vnd")

    @classmethod
    def from_json(cls, o: JsonObj) -> YearlyRec:
        figures: dict[str, Any] = {f: o.get(f) for f in cls.FIELDS}
        return cls(year=int(o["year"]), source=o.get("source"), **figures)

    def to_json(self) -> JsonObj:
        out: JsonObj = {"year": self.year}
        out.update({f: getattr(self, f) for f in self.FIELDS})
        out["source"] = self.source
        return out


@dataclass(frozen=True)
class OcopRec:
    product: str
    stars: int
    year: int

    def to_json(self) -> JsonObj:
        return {"product": self.product, "stars": self.stars, "year": self.year}


@dataclass(frozen=True)
class PositionRec:
    person: str
    position: str
    start: date | None
    end: date | None

    def holds_on(self, d: date) -> bool:
        """Inclusive dates: a position that ends on d still holds on d."""
        return (self.start is None or self.start <= d) and (self.end is None or self.end >= d)

    def to_json(self) -> JsonObj:
        return {"person": self.person, "position": self.position,
                "from": _iso(self.start), "to": _iso(self.end)}


@dataclass(frozen=True)
class CooperativeRec:
    id: str
    unit_code: str
    kind: str
    name: str
    tax_code: str | None = None
    founded_on: date | None = None
    status: str = "active"
    status_on: date | None = None
    converted_to: str | None = None
    union_supported: bool = False
    union_supported_on: date | None = None
    sectors: tuple[str, ...] = ()
    many_jobs_for_women: bool = False
    ocop: tuple[OcopRec, ...] = ()
    yearly: tuple[YearlyRec, ...] = ()
    positions: tuple[PositionRec, ...] = ()
    # Flags of the brief (value_chain, science_tech, digital, ecommerce, trademark,
    # traceability, ip_registered, ethnic_pilot_model) that are set; an addition to format 1.
    flags: tuple[str, ...] = ()
    # The rule `many_jobs_for_women` was derived with from the yearly figures, so that it can be
    # derived again for an earlier day (domain/known.py); None when the flag is fixed (an
    # officer's override, or as received in a package). Never written to data.json.
    many_jobs_rule: ManyJobsDeriver | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_json(cls, o: JsonObj) -> CooperativeRec:
        return cls(
            id=o["id"], unit_code=str(o["unit_code"]), kind=o["kind"], name=o["name"],
            tax_code=o.get("tax_code"), founded_on=_d(o.get("founded_on")),
            status=o.get("status") or "active", status_on=_d(o.get("status_on")),
            converted_to=o.get("converted_to"),
            union_supported=bool(o.get("union_supported")),
            union_supported_on=_d(o.get("union_supported_on")),
            sectors=tuple(o.get("sectors") or ()),
            many_jobs_for_women=bool(o.get("many_jobs_for_women")),
            ocop=tuple(OcopRec(x["product"], int(x["stars"]), int(x["year"]))
                       for x in o.get("ocop") or ()),
            yearly=tuple(YearlyRec.from_json(y) for y in o.get("yearly") or ()),
            positions=tuple(PositionRec(p["person"], p["position"], _d(p.get("from")),
                                        _d(p.get("to"))) for p in o.get("positions") or ()),
            flags=tuple(o.get("flags") or ()),
        )

    def to_json(self) -> JsonObj:
        return {
            "id": self.id, "unit_code": self.unit_code, "kind": self.kind, "name": self.name,
            "tax_code": self.tax_code, "founded_on": _iso(self.founded_on),
            "status": self.status, "status_on": _iso(self.status_on),
            "converted_to": self.converted_to, "union_supported": self.union_supported,
            "union_supported_on": _iso(self.union_supported_on),
            "sectors": sorted(self.sectors), "many_jobs_for_women": self.many_jobs_for_women,
            "ocop": [x.to_json() for x in sorted(self.ocop, key=lambda x: (x.year, x.product))],
            "yearly": [y.to_json() for y in sorted(self.yearly, key=lambda y: y.year)],
            "positions": [p.to_json() for p in sorted(
                self.positions, key=lambda p: (p.start or date.min, p.position, p.person))],
            "flags": sorted(self.flags),
        }


@dataclass(frozen=True)
class PersonRec:
    id: str
    unit_code: str
    # female, male, other, or None: not recorded. Only "female" counts as a woman.
    gender: str | None = None
    birth_year: int | None = None
    ethnicity_code: str | None = None

    @classmethod
    def from_json(cls, o: JsonObj) -> PersonRec:
        return cls(o["id"], str(o["unit_code"]), o.get("gender") or None,
                   o.get("birth_year"), o.get("ethnicity_code"))

    def to_json(self) -> JsonObj:
        return {"id": self.id, "unit_code": self.unit_code, "gender": self.gender,
                "birth_year": self.birth_year, "ethnicity_code": self.ethnicity_code}


@dataclass(frozen=True)
class CadreRec:
    id: str
    person: str
    unit_code: str
    level: str
    position: str
    kttt_assigned: bool
    active_from: date | None
    active_to: date | None

    def active_on(self, d: date) -> bool:
        return ((self.active_from is None or self.active_from <= d)
                and (self.active_to is None or self.active_to >= d))

    @classmethod
    def from_json(cls, o: JsonObj) -> CadreRec:
        return cls(o["id"], o["person"], str(o["unit_code"]), o["level"], o.get("position") or "",
                   bool(o.get("kttt_assigned")), _d(o.get("active_from")),
                   _d(o.get("active_to")))

    def to_json(self) -> JsonObj:
        return {"id": self.id, "person": self.person, "unit_code": self.unit_code,
                "level": self.level, "position": self.position,
                "kttt_assigned": self.kttt_assigned, "active_from": _iso(self.active_from),
                "active_to": _iso(self.active_to)}


COUNT_KEYS = ("total", "female", "ethnic_minority", "htx_managers", "members_workers",
              "cadres", "union_members")


@dataclass(frozen=True)
class EventRec:
    id: str
    unit_code: str
    type: str
    title: str
    start: date
    end: date | None = None
    topics: tuple[str, ...] = ()
    plan_line: str | None = None
    lead_unit: str | None = None
    funding: tuple[tuple[str, int], ...] = ()  # (source, amount_vnd)
    attendance: tuple[tuple[str, str], ...] = ()  # (person, role)
    counts: tuple[tuple[str, int], ...] = tuple((k, 0) for k in COUNT_KEYS)

    def count(self, key: str) -> int:
        return dict(self.counts).get(key, 0)

    @classmethod
    def from_json(cls, o: JsonObj) -> EventRec:
        counts = o.get("counts") or {}
        return cls(
            id=o["id"], unit_code=str(o["unit_code"]), type=o["type"], title=o["title"],
            start=date.fromisoformat(o["start"]), end=_d(o.get("end")),
            topics=tuple(o.get("topics") or ()), plan_line=o.get("plan_line"),
            lead_unit=o.get("lead_unit"),
            funding=tuple((f["source"], int(f["amount_vnd"])) for f in o.get("funding") or ()),
            attendance=tuple((a["person"], a.get("role") or "participant")
                             for a in o.get("attendance") or ()),
            counts=tuple((k, int(counts.get(k) or 0)) for k in COUNT_KEYS),
        )

    def to_json(self) -> JsonObj:
        return {
            "id": self.id, "unit_code": self.unit_code, "type": self.type, "title": self.title,
            "topics": sorted(self.topics), "start": self.start.isoformat(),
            "end": _iso(self.end), "plan_line": self.plan_line, "lead_unit": self.lead_unit,
            "funding": [{"source": s, "amount_vnd": a} for s, a in sorted(self.funding)],
            "attendance": [{"person": p, "role": r} for p, r in sorted(self.attendance)],
            "counts": dict(self.counts),
        }


@dataclass(frozen=True)
class JobPlacementRec:
    id: str
    unit_code: str
    person: str
    cooperative: str
    start: date
    end: date | None
    role: str
    new_job: bool
    stable: bool
    training_event: str | None = None

    @classmethod
    def from_json(cls, o: JsonObj) -> JobPlacementRec:
        return cls(o["id"], str(o["unit_code"]), o["person"], o["cooperative"],
                   date.fromisoformat(o["start"]), _d(o.get("end")), o.get("role") or "worker",
                   bool(o.get("new_job")), bool(o.get("stable")), o.get("training_event"))

    def to_json(self) -> JsonObj:
        return {"id": self.id, "unit_code": self.unit_code, "person": self.person,
                "cooperative": self.cooperative, "start": self.start.isoformat(),
                "end": _iso(self.end), "role": self.role, "new_job": self.new_job,
                "stable": self.stable, "training_event": self.training_event}


@dataclass(frozen=True)
class SupportRec:
    id: str
    unit_code: str
    cooperative: str
    kind: str
    on: date
    provider: str | None = None
    lender: str | None = None
    amount_vnd: int | None = None
    plan_line: str | None = None

    @classmethod
    def from_json(cls, o: JsonObj) -> SupportRec:
        return cls(o["id"], str(o["unit_code"]), o["cooperative"], o["kind"],
                   date.fromisoformat(o["date"]), o.get("provider"), o.get("lender"),
                   o.get("amount_vnd"), o.get("plan_line"))

    def to_json(self) -> JsonObj:
        return {"id": self.id, "unit_code": self.unit_code, "cooperative": self.cooperative,
                "kind": self.kind, "date": self.on.isoformat(), "provider": self.provider,
                "lender": self.lender, "amount_vnd": self.amount_vnd,
                "plan_line": self.plan_line}


@dataclass(frozen=True)
class CommunicationRec:
    id: str
    unit_code: str
    on: date
    form: str
    topic: str
    reach: int
    plan_line: str | None = None

    @classmethod
    def from_json(cls, o: JsonObj) -> CommunicationRec:
        return cls(o["id"], str(o["unit_code"]), date.fromisoformat(o["date"]), o["form"],
                   o.get("topic") or "", int(o.get("reach") or 0), o.get("plan_line"))

    def to_json(self) -> JsonObj:
        return {"id": self.id, "unit_code": self.unit_code, "date": self.on.isoformat(),
                "form": self.form, "topic": self.topic, "reach": self.reach,
                "plan_line": self.plan_line}


@dataclass(frozen=True)
class AwardRec:
    """An award; the recipient travels as a cooperative id, a person's pseudonymous id, or the
    name of a collective (never a person's name)."""

    id: str
    unit_code: str
    title: str
    level: str
    on: date
    cooperative: str | None = None
    person: str | None = None
    collective: str | None = None

    @classmethod
    def from_json(cls, o: JsonObj) -> AwardRec:
        return cls(o["id"], str(o["unit_code"]), o["title"], o["level"],
                   date.fromisoformat(o["date"]), o.get("cooperative"), o.get("person"),
                   o.get("collective"))

    def to_json(self) -> JsonObj:
        return {"id": self.id, "unit_code": self.unit_code, "title": self.title,
                "level": self.level, "date": self.on.isoformat(),
                "cooperative": self.cooperative, "person": self.person,
                "collective": self.collective}


@dataclass(frozen=True)
class SupervisionVisitRec:
    """A Union officers' supervision visit to a cooperative (an addition to format 1, key
    `supervision_visits`). `visitors`: who went, by position and unit (free text; cadres on
    duty, not members, and no one's personal data is asked for)."""

    id: str
    unit_code: str
    cooperative: str
    on: date
    visitors: str
    findings: str | None = None
    follow_up: str | None = None
    follow_up_due: date | None = None
    follow_up_done: bool = False

    @classmethod
    def from_json(cls, o: JsonObj) -> SupervisionVisitRec:
        return cls(o["id"], str(o["unit_code"]), o["cooperative"],
                   date.fromisoformat(o["date"]), o.get("visitors") or "", o.get("findings"),
                   o.get("follow_up"), _d(o.get("follow_up_due")),
                   bool(o.get("follow_up_done")))

    def to_json(self) -> JsonObj:
        return {"id": self.id, "unit_code": self.unit_code, "cooperative": self.cooperative,
                "date": self.on.isoformat(), "visitors": self.visitors,
                "findings": self.findings, "follow_up": self.follow_up,
                "follow_up_due": _iso(self.follow_up_due),
                "follow_up_done": self.follow_up_done}


@dataclass(frozen=True)
class PlanStatusRec:
    unit_code: str
    line: str
    year: int
    status: str
    result: str | None = None

    @classmethod
    def from_json(cls, o: JsonObj) -> PlanStatusRec:
        return cls(str(o["unit_code"]), o["line"], int(o["year"]), o["status"], o.get("result"))

    def to_json(self) -> JsonObj:
        return {"unit_code": self.unit_code, "line": self.line, "year": self.year,
                "status": self.status, "result": self.result}


@dataclass(frozen=True)
class PriorityCountRec:
    """The only form in which priority-group flags leave the PC."""

    unit_code: str
    year: int
    group: str
    women_supported: int
    women_placed: int

    @classmethod
    def from_json(cls, o: JsonObj) -> PriorityCountRec:
        return cls(str(o["unit_code"]), int(o["year"]), o["group"],
                   int(o.get("women_supported") or 0), int(o.get("women_placed") or 0))

    def to_json(self) -> JsonObj:
        return {"unit_code": self.unit_code, "year": self.year, "group": self.group,
                "women_supported": self.women_supported, "women_placed": self.women_placed}
