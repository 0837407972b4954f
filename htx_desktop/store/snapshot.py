"""The database → `records.Dataset`: the unit and every unit below it, own and imported records.

What the indicator engine computes over and the package writer serialises. Only records not in
the trash are read. People travel pseudonymously (id, unit, gender, birth year, ethnicity);
names, phones and ID numbers stay behind, and priority-group flags leave only as counts.

Built with one query per table (columns, not ORM objects, grouped in Python), so the cost grows
with the number of rows and not with the number of queries: a province of 100,000 cooperatives
costs the same ~20 queries as a commune of five.

Decisions, written once here:
- A person outside the tree who is referenced by a record inside it (a manager, an attendee, a
  cadre, a placed worker) is included, so that the package reproduces its own figures.
- Support and job placements of a cooperative in the trash, positions and attendance of a
  person in the trash, are left out with it.
- `many_jobs_for_women`: the officer's override when she gave one, else the province's rule
  applied to the cooperative's latest yearly figures (and `many_jobs_rule` set, so that a
  dataset for a period derives it again from the figures of the period's last year).
- With a period, the dataset is what was known for its last day (`domain/known.py`): yearly
  figures and OCOP certifications of later years are left out, so a past period's package does
  not change when later years are typed in.
- `priority_counts`, per unit of the person, year and group: `women_supported` = distinct women
  with the flag who attended an event (not in the trash) starting that year; `women_placed` =
  distinct women with the flag whose job placement starts that year. Imported people carry no
  flags (packages bring only counts), so only this copy's own people are counted, plus the
  counts of accepted packages as they came (`imported_priority_counts`).
- With a period (`build_dataset(..., period=P)`), records received from units below come from
  the stored data.json of each one's package for exactly P (the tables hold only the latest
  state of a unit, whatever its period); records of this copy come from the tables.
- `narrative` is left empty: it belongs to a period, which the report writer knows.
"""

from __future__ import annotations

import json
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from htx_desktop.domain.catalogues import PriorityGroup
from htx_desktop.domain.coop_rules import ManyJobsRule, latest_yearly
from htx_desktop.domain.kinds import KINDS, Kind
from htx_desktop.domain.known import known_for
from htx_desktop.domain.periods import Period, parse_period
from htx_desktop.domain.records import (
    COUNT_KEYS,
    AwardRec,
    CadreRec,
    CommunicationRec,
    CooperativeRec,
    Dataset,
    EventRec,
    JobPlacementRec,
    OcopRec,
    PersonRec,
    PlanStatusRec,
    PositionRec,
    PriorityCountRec,
    SupportRec,
    UnitRec,
    YearlyRec,
)
from htx_desktop.gc_pause import gc_paused
from htx_desktop.store.models import (
    PACKAGE_RECORDS,
    Attendance,
    Award,
    Cadre,
    Communication,
    Cooperative,
    CooperativeSector,
    CooperativeYear,
    Event,
    EventFunding,
    EventTopic,
    ImportedPriorityCount,
    JobPlacement,
    ManagementPosition,
    OcopProduct,
    Person,
    PlanLineStatus,
    Submission,
    SubmissionData,
    Support,
    Unit,
)
from htx_desktop.store.unit_eras import scope_units, successors_of, unit_keys

# Cooperative flag columns of the brief, travelling as `flags` (their names are the codes).
COOP_FLAGS = ("value_chain", "science_tech", "digital", "ecommerce", "trademark",
              "traceability", "ip_registered", "ethnic_pilot_model")
PRIORITY_GROUPS = tuple(g.value for g in PriorityGroup)
# Bound parameters per IN (...) list: well under SQLite's limit of 32,766.
_CHUNK = 5000


@gc_paused()  # millions of acyclic objects at 20× a province: see htx_desktop/gc_pause.py
def build_dataset(session: Session, unit_id: int, *,
                  many_jobs_rule: ManyJobsRule | None = None,
                  period: Period | str | None = None) -> Dataset:
    """Every live record of the unit and of the units below it (all eras), as a Dataset.

    With `period`, consolidation is period-exact (docs/INTERFACES.md §2): this copy's own records
    (not from a package) plus, for each unit below that sent one, its latest accepted package
    whose period is exactly `period` (as stored when received), whatever newer package of
    another period replaced its rows in the tables."""
    if period is None:
        return _build(session, unit_id, many_jobs_rule, None)
    label = period if isinstance(period, str) else period.label
    return period_datasets(session, unit_id, [label], many_jobs_rule=many_jobs_rule)[label]


@gc_paused()
def period_datasets(session: Session, unit_id: int, labels: Iterable[str], *,
                    many_jobs_rule: ManyJobsRule | None = None) -> dict[str, Dataset]:
    """`build_dataset(..., period=label)` for each label, reading the own records once."""
    labels = list(dict.fromkeys(labels))
    units = scope_units(session, unit_id)
    ids = [u.id for u in units]
    if not _has_submissions(session, ids):  # nothing received: the tables are the answer
        whole = _build(session, unit_id, many_jobs_rule, None)
        return {label: known_for(whole, parse_period(label).end) for label in labels}
    own = _build(session, unit_id, many_jobs_rule, OWN)
    parent = {u.id: u.parent_id for u in units}
    trashed = _trashed_ids(session, ids)
    out: dict[str, Dataset] = {}
    for label in labels:
        data = own
        for sub_id in _packages_for(session, ids, parent, label):
            data = data.merge(_package_data(session, sub_id, unit_id, many_jobs_rule, trashed))
        out[label] = known_for(data, parse_period(label).end)
    return out


# `source` of `_build`: only this copy's own records (submission_id IS NULL).
OWN = "own"


def packages_for_period(session: Session, unit_id: int, label: str) -> list[int]:
    """Ids of the submissions a period-exact dataset of `unit_id` for `label` merges (what a
    package's manifest lists as `children`)."""
    units = scope_units(session, unit_id)
    return _packages_for(session, [u.id for u in units], {u.id: u.parent_id for u in units},
                         label)


def _has_submissions(session: Session, ids: list[int]) -> bool:
    return any(session.scalar(select(Submission.id).where(Submission.unit_id.in_(chunk))
                              .limit(1)) is not None for chunk in _chunks(ids))


def _packages_for(session: Session, ids: list[int], parent: dict[int, int | None],
                  label: str) -> list[int]:
    """Ids of the accepted packages for `label` of units in the tree, without those of a unit
    whose ancestor's package for `label` is taken too (it already contains them)."""
    found: dict[int, int] = {}
    for chunk in _chunks(ids):
        for sub_id, uid in session.execute(select(Submission.id, Submission.unit_id).where(
                Submission.unit_id.in_(chunk), Submission.period == label,
                Submission.status == "accepted").order_by(Submission.version)):
            found[uid] = sub_id  # the highest version wins (one accepted per unit and period)

    def covered(uid: int) -> bool:
        up = parent.get(uid)
        while up is not None and up in parent:
            if up in found:
                return True
            up = parent.get(up)
        return False

    return [found[uid] for uid in sorted(found) if not covered(uid)]


def _package_data(session: Session, sub_id: int, unit_id: int,
                  many_jobs_rule: ManyJobsRule | None, trashed: set[str]) -> Dataset:
    """A package's records as received; a package stored before its data.json was kept
    (older database) falls back to its rows in the tables. Records the officer put in the
    trash here (a flagged duplicate) stay out."""
    raw = session.scalar(select(SubmissionData.data).where(
        SubmissionData.submission_id == sub_id))
    if raw is None:
        return _build(session, unit_id, many_jobs_rule, sub_id)
    data = Dataset.from_json(json.loads(zlib.decompress(raw)))
    if not trashed:
        return data
    kept: dict[str, Any] = {k.json_key: [r for r in data.records(k.json_key)
                                         if r.id not in trashed]
                            for k in KINDS if k.received_by_id}
    return replace(data, **kept)


def _trashed_ids(session: Session, ids: list[int]) -> set[str]:
    """Ids of received records (from a package) in the trash, in the tree."""
    out: set[str] = set()
    models: list[Any] = [PACKAGE_RECORDS[k.json_key] for k in KINDS if k.received_by_id]
    for model in models:
        for chunk in _chunks(ids):
            out.update(session.scalars(select(model.id).where(
                model.unit_id.in_(chunk), model.submission_id.is_not(None),
                model.deleted_at.is_not(None))))
    return out


def encode_package_data(data: Dataset) -> bytes:
    """How a received package's Dataset is stored (table submission_data)."""
    return zlib.compress(json.dumps(data.to_json(), ensure_ascii=False,
                                    sort_keys=True).encode("utf-8"))


def _build(session: Session, unit_id: int, many_jobs_rule: ManyJobsRule | None,
           source: str | int | None) -> Dataset:
    """From the tables: every record (`source` None), only own ones (OWN), or only those of
    one submission (its id)."""
    units = scope_units(session, unit_id)
    in_tree = {u.id for u in units}
    successors = successors_of(session, in_tree)
    # Units outside the tree that its units hang from or became: keyed too.
    outside_ids = ({u.parent_id for u in units if u.parent_id} | {
        s for ss in successors.values() for s in ss}) - in_tree
    outside = list(session.scalars(select(Unit).where(Unit.id.in_(outside_ids)))
                   ) if outside_ids else []
    key_of = unit_keys(session, [*units, *outside])
    code_of = {u.id: key_of[u.id] for u in units}
    ids = list(code_of)
    unit_recs = sorted({UnitRec(key_of[u.id], u.name, u.level,
                                key_of.get(u.parent_id) if u.parent_id else None,
                                tuple(sorted(key_of[s] for s in successors.get(u.id, ()))))
                        for u in units}, key=lambda u: (u.code, u.parent_code or ""))

    reader = _Reader(session, ids, code_of, source)
    coops = reader.cooperatives(many_jobs_rule or ManyJobsRule())
    live_coops = {c.id for c in coops}
    cadres = reader.cadres()
    events = reader.events()
    placements = reader.job_placements()
    support = reader.support()
    plain = {k: reader.plain(k) for k in KINDS if k.plain}  # kinds read by declaration
    live_coops |= reader.live_cooperatives(
        ({j.cooperative for j in placements} | {s.cooperative for s in support}
         | {getattr(r, k.cooperative) for k, rows in plain.items() if k.cooperative
            for r in rows}) - live_coops)
    placements = [j for j in placements if j.cooperative in live_coops]
    support = [s for s in support if s.cooperative in live_coops]
    plain_lists = {k.json_key: [r for r in rows if not k.cooperative
                                or getattr(r, k.cooperative) in live_coops]
                   for k, rows in plain.items()}
    awards = reader.awards()
    people = reader.people(
        [p.person for c in coops for p in c.positions]
        + [c.person for c in cadres]
        + [p for e in events for p, _role in e.attendance]
        + [j.person for j in placements]
        + [a.person for a in awards if a.person])
    known = {p.id for p in people}
    # Drop references to people in the trash (or unknown): they must not count, nor dangle.
    coops = [_without_missing_positions(c, known) for c in coops]
    events = [_without_missing_attendance(e, known) for e in events]
    return Dataset(
        units=unit_recs, cooperatives=coops, people=people, cadres=cadres, events=events,
        job_placements=[j for j in placements if j.person in known], support=support,
        communications=reader.communications(), awards=awards,
        plan_status=reader.plan_status(), priority_counts=reader.priority_counts(),
        narrative={}, **plain_lists,
    )


def _without_missing_positions(coop: CooperativeRec, known: set[str]) -> CooperativeRec:
    if all(p.person in known for p in coop.positions):
        return coop
    kept = tuple(p for p in coop.positions if p.person in known)
    return replace(coop, positions=kept)


def _without_missing_attendance(event: EventRec, known: set[str]) -> EventRec:
    if all(p in known for p, _role in event.attendance):
        return event
    kept = tuple(a for a in event.attendance if a[0] in known)
    return replace(event, attendance=kept)


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i:i + _CHUNK]


class _Reader:
    """One query per table, restricted to live records of the units in `ids`."""

    def __init__(self, session: Session, ids: list[int], code_of: dict[int, str],
                 source: str | int | None = None) -> None:
        self.s = session
        self.ids = ids
        self.code_of = code_of
        self.source = source

    def origin(self, model: Any) -> tuple[Any, ...]:
        """WHERE clause on `submission_id`, by `source` (see `_build`)."""
        if self.source is None:
            return ()
        if self.source == OWN:
            return (model.submission_id.is_(None),)
        return (model.submission_id == self.source,)

    def rows(self, stmt: Select[*tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """The statement's rows as plain tuples, values converted as SQLAlchemy converts them.

        SQLAlchemy compiles, caches and executes the statement; its rows are then read from the
        DBAPI cursor directly, without making a `Row` per row, and only the columns whose type
        converts (dates stored as text, booleans as 0/1 in SQLite) are converted, a column at a
        time, by the type's own result processor. At 20× a province, reading the rows as Rows
        took 2.7 s against 1.0 s as tuples with the collector running, 1.1 against 0.9 s with
        it paused (docs/performance.md)."""
        conn = self.s.connection()
        result = conn.execute(stmt)
        try:
            description = result.cursor.description
            raw = result.cursor.fetchall()
        finally:
            result.close()
        dialect = conn.dialect
        processors = [column.type.dialect_impl(dialect).result_processor(dialect, desc[1])
                      for column, desc in zip(stmt.selected_columns, description, strict=True)]
        if not raw or not any(processors):
            return list(raw)
        columns: list[Sequence[Any]] = list(zip(*raw, strict=True))
        for i, process in enumerate(processors):
            if process is not None:
                columns[i] = list(map(process, columns[i]))
        return list(zip(*columns, strict=True))

    def mine(self, model: Any) -> Any:
        """WHERE clause: the model's records filed in the tree, not in the trash."""
        return (model.unit_id.in_(self.ids), model.deleted_at.is_(None), *self.origin(model))

    def live_cooperatives(self, coop_ids: set[str]) -> set[str]:
        """Of cooperatives outside the tree that records inside it refer to, those not in the
        trash."""
        live: set[str] = set()
        for chunk in _chunks(sorted(coop_ids)):
            live.update(self.s.scalars(select(Cooperative.id).where(
                Cooperative.id.in_(chunk), Cooperative.deleted_at.is_(None))))
        return live

    # ----------------------------------------------------------------- cooperatives

    def _grouped(self, parent: Any, *columns: Any) -> dict[str, list[tuple[Any, ...]]]:
        """Rows of a child table of `parent` (Cooperative or Event), grouped by the parent's id
        (first column), for the parent's records that `mine` selects."""
        stmt = (select(*columns).join(parent, parent.id == columns[0])
                .where(*self.mine(parent)))
        grouped: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for row in self.rows(stmt):
            grouped[row[0]].append(row[1:])
        return grouped

    def cooperatives(self, rule: ManyJobsRule) -> list[CooperativeRec]:
        c = Cooperative
        sectors = self._grouped(c, CooperativeSector.cooperative_id, CooperativeSector.sector)
        yearly_rows = self._grouped(
            c, CooperativeYear.cooperative_id, CooperativeYear.year,
            *(getattr(CooperativeYear, f) for f in YearlyRec.FIELDS), CooperativeYear.source)
        ocop = self._grouped(c, OcopProduct.cooperative_id, OcopProduct.product,
                             OcopProduct.stars, OcopProduct.year)
        positions = self._grouped(
            c, ManagementPosition.cooperative_id, ManagementPosition.person_id,
            ManagementPosition.position, ManagementPosition.start, ManagementPosition.end)
        code_of, no_rows = self.code_of, ()
        out = []
        for (cid, unit_id, kind, name, tax_code, founded_on, status, status_on, converted_to,
             union_supported, union_supported_on, override, *flags) in self.rows(select(
                c.id, c.unit_id, c.kind, c.name, c.tax_code, c.founded_on, c.status,
                c.status_on, c.converted_to_id, c.union_supported, c.union_supported_on,
                c.many_jobs_override, *(getattr(c, f) for f in COOP_FLAGS))
                .where(*self.mine(c))):
            # Selected in the dataclass's own field order: year, FIELDS..., source.
            yearly = tuple(YearlyRec(*y) for y in yearly_rows.get(cid, no_rows))
            many_jobs = (override if override is not None
                         else rule.derives_many_jobs(latest_yearly(yearly)))
            derived_by = rule if override is None else None
            out.append(CooperativeRec(
                id=cid, unit_code=code_of[unit_id], kind=kind, name=name, tax_code=tax_code,
                founded_on=founded_on, status=status or "active", status_on=status_on,
                converted_to=converted_to, union_supported=bool(union_supported),
                union_supported_on=union_supported_on,
                sectors=tuple(s[0] for s in sectors.get(cid, no_rows)),
                many_jobs_for_women=bool(many_jobs),
                ocop=tuple(OcopRec(*o) for o in ocop.get(cid, no_rows)),
                yearly=yearly,
                positions=tuple(PositionRec(*p) for p in positions.get(cid, no_rows)),
                flags=tuple(f for f, on in zip(COOP_FLAGS, flags, strict=True) if on),
                many_jobs_rule=derived_by,
            ))
        return out

    # ----------------------------------------------------------------- people

    def people(self, referenced: list[str]) -> list[PersonRec]:
        cols = (Person.id, Person.unit_id, Person.gender, Person.birth_year,
                Person.ethnicity_code)
        rows = self.rows(select(*cols).where(*self.mine(Person)))
        have = {r[0] for r in rows}
        missing = sorted(set(referenced) - have)
        outside_units: set[int] = set()
        for chunk in _chunks(missing):
            extra = self.rows(select(*cols).where(Person.id.in_(chunk),
                                                  Person.deleted_at.is_(None)))
            rows.extend(extra)
            outside_units |= {r[1] for r in extra if r[1] not in self.code_of}
        codes = dict(self.code_of)
        if outside_units:
            codes.update(unit_keys(self.s, self.s.scalars(
                select(Unit).where(Unit.id.in_(outside_units)))))
        return [PersonRec(pid, codes[unit_id], gender or None, birth_year, ethnicity)
                for pid, unit_id, gender, birth_year, ethnicity in rows]

    def cadres(self) -> list[CadreRec]:
        c, code_of = Cadre, self.code_of
        return [CadreRec(cid, person, code_of[unit_id], level, position or "", bool(kttt),
                         active_from, active_to)
                for cid, person, unit_id, level, position, kttt, active_from, active_to
                in self.rows(select(c.id, c.person_id, c.unit_id, c.level, c.position,
                                    c.kttt_assigned, c.active_from, c.active_to)
                             .where(*self.mine(c)))]

    # ----------------------------------------------------------------- events

    def events(self) -> list[EventRec]:
        e, code_of, no_rows = Event, self.code_of, ()
        topics = self._grouped(e, EventTopic.event_id, EventTopic.topic)
        funding = self._grouped(e, EventFunding.event_id, EventFunding.source,
                                EventFunding.amount_vnd)
        attendance = self._grouped(e, Attendance.event_id, Attendance.person_id,
                                   Attendance.role)
        count_cols = [getattr(e, f"count_{k}") for k in COUNT_KEYS]
        out = []
        for eid, unit_id, kind, title, start, end, plan_line, lead_unit, *counts in self.rows(
                select(e.id, e.unit_id, e.type, e.title, e.start, e.end, e.plan_line,
                       e.lead_unit, *count_cols).where(*self.mine(e))):
            out.append(EventRec(
                id=eid, unit_code=code_of[unit_id], type=kind, title=title, start=start,
                end=end, topics=tuple(t[0] for t in topics.get(eid, no_rows)),
                plan_line=plan_line, lead_unit=lead_unit,
                funding=tuple((source, int(amount or 0))
                              for source, amount in funding.get(eid, no_rows)),
                attendance=tuple((person, role or "participant")
                                 for person, role in attendance.get(eid, no_rows)),
                counts=tuple((k, int(n or 0)) for k, n in zip(COUNT_KEYS, counts, strict=True)),
            ))
        return out

    # ----------------------------------------------------------------- other records

    def job_placements(self) -> list[JobPlacementRec]:
        j, code_of = JobPlacement, self.code_of
        return [JobPlacementRec(jid, code_of[unit_id], person, coop, start, end,
                                role or "worker", bool(new_job), bool(stable), event)
                for jid, unit_id, person, coop, start, end, role, new_job, stable, event
                in self.rows(select(j.id, j.unit_id, j.person_id, j.cooperative_id, j.start,
                                    j.end, j.role, j.new_job, j.stable, j.training_event_id)
                             .where(*self.mine(j)))]

    def support(self) -> list[SupportRec]:
        s, code_of = Support, self.code_of
        return [SupportRec(sid, code_of[unit_id], *rest)
                for sid, unit_id, *rest
                in self.rows(select(s.id, s.unit_id, s.cooperative_id, s.kind, s.on,
                                    s.provider, s.lender, s.amount_vnd, s.plan_line)
                             .where(*self.mine(s)))]

    def communications(self) -> list[CommunicationRec]:
        c, code_of = Communication, self.code_of
        return [CommunicationRec(cid, code_of[unit_id], on, form, topic or "", int(reach or 0),
                                 plan_line)
                for cid, unit_id, on, form, topic, reach, plan_line
                in self.rows(select(c.id, c.unit_id, c.on, c.form, c.topic, c.reach,
                                    c.plan_line).where(*self.mine(c)))]

    def awards(self) -> list[AwardRec]:
        a, code_of = Award, self.code_of
        # A person goes by her id and a cooperative by its id. The free-text recipient never
        # travels: nothing tells a collective's name from a woman's typed in the same box, and
        # names leave the PC only encrypted (personal.enc).
        return [AwardRec(aid, code_of[unit_id], title, level, on, coop, person, None)
                for aid, unit_id, title, level, on, coop, person
                in self.rows(select(a.id, a.unit_id, a.title, a.level, a.on,
                                    a.cooperative_id, a.person_id).where(*self.mine(a)))]

    def plan_status(self) -> list[PlanStatusRec]:
        p, code_of = PlanLineStatus, self.code_of
        return [PlanStatusRec(code_of[unit_id], line, year, status, result)
                for unit_id, line, year, status, result
                in self.rows(select(p.unit_id, p.line_code, p.year, p.status, p.result)
                             .where(*self.mine(p)))]

    def plain(self, kind: Kind) -> list[Any]:
        """The records of a plain kind (domain/kinds.py: `columns` declared), column by
        column as declared, in the record class's own fields."""
        model = PACKAGE_RECORDS[kind.json_key]
        attrs = [attr for attr, _column in kind.columns]
        code_of = self.code_of
        return [kind.record(id=rid, unit_code=code_of[unit_id],
                            **dict(zip(attrs, values, strict=True)))
                for rid, unit_id, *values in self.rows(select(
                    model.id, model.unit_id,  # type: ignore[attr-defined]
                    *(getattr(model, column) for _attr, column in kind.columns))
                    .where(*self.mine(model)))]

    # ----------------------------------------------------------------- priority groups

    def priority_counts(self) -> list[PriorityCountRec]:
        flags = [getattr(Person, g) for g in PRIORITY_GROUPS]
        flagged = (Person.unit_id.in_(self.ids), Person.deleted_at.is_(None),
                   Person.gender == "female", or_(*(f.is_(True) for f in flags)),
                   *self.origin(Person))
        supported = self.rows(
            select(Person.id, Person.unit_id, Event.start, *flags)
            .join(Attendance, Attendance.person_id == Person.id)
            .join(Event, Event.id == Attendance.event_id)
            .where(*flagged, Event.deleted_at.is_(None)))
        placed = self.rows(
            select(Person.id, Person.unit_id, JobPlacement.start, *flags)
            .join(JobPlacement, JobPlacement.person_id == Person.id)
            .where(*flagged, JobPlacement.deleted_at.is_(None)))
        women: dict[tuple[str, int, str], list[set[str]]] = defaultdict(lambda: [set(), set()])
        for which, rows in ((0, supported), (1, placed)):
            for person, unit_id, start, *values in rows:
                day: date = start
                for group, on in zip(PRIORITY_GROUPS, values, strict=True):
                    if on:
                        women[(self.code_of[unit_id], day.year, group)][which].add(person)
        totals = {key: [len(sup), len(plc)] for key, (sup, plc) in women.items()}
        # Counts that came in packages from units below (their people carry no flags here).
        ipc = ImportedPriorityCount
        imported = [] if self.source == OWN else self.rows(
            select(ipc.unit_id, ipc.year, ipc.group, ipc.women_supported, ipc.women_placed)
            .where(ipc.unit_id.in_(self.ids), *self.origin(ipc)))
        for unit_id, year, group, supported_n, placed_n in imported:
            pair = totals.setdefault((self.code_of[unit_id], year, group), [0, 0])
            pair[0] += int(supported_n or 0)
            pair[1] += int(placed_n or 0)
        return [PriorityCountRec(code, year, group, sup, plc)
                for (code, year, group), (sup, plc) in sorted(totals.items())]
