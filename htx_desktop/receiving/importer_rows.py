"""A received package's records ↔ rows of the normal tables (bulk Core inserts and deletes).

Used by `receiving/importer.py` inside its transaction. Records keep their package ids; child rows
(yearly figures, positions, topics, …) get fresh ids: they have no identity of their own in a
package.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, insert, select, union, update
from sqlalchemy.orm import Session

from htx_desktop.domain.kinds import KINDS
from htx_desktop.domain.records import COUNT_KEYS, Dataset, YearlyRec
from htx_desktop.domain.text import fold
from htx_desktop.i18n import t
from htx_desktop.receiving.reader import PackageRefused
from htx_desktop.store.clock import utcnow
from htx_desktop.store.clock_check import logical_now
from htx_desktop.store.models import (
    PACKAGE_RECORDS,
    Attendance,
    Award,
    Base,
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
    Support,
    new_id,
)
from htx_desktop.store.snapshot import COOP_FLAGS

# The name a received person is stored under: packages carry no names (docs/INTERFACES.md §2).
PSEUDONYM = "(ẩn danh)"
# Tables of records that carry `submission_id`, in the order their rows can be deleted: the
# kinds of domain/kinds.py backwards (a kind is declared after those it points to), people last.
RECORD_TABLES: tuple[Any, ...] = (
    *(PACKAGE_RECORDS[k.json_key] for k in reversed(KINDS) if k.table and not k.shared),
    *(PACKAGE_RECORDS[k.json_key] for k in KINDS if k.shared))
_CHUNK = 5000


def package_ids(data: Dataset) -> dict[Any, set[str]]:
    """The record ids a package brings, by table (people apart: they may be shared)."""
    return {PACKAGE_RECORDS[k.json_key]: {r.id for r in data.records(k.json_key)}
            for k in KINDS if k.received_by_id}


def _chunks(values: Sequence[Any]) -> Any:
    for i in range(0, len(values), _CHUNK):
        yield values[i:i + _CHUNK]


def delete_submission_records(session: Session, sub_id: int) -> None:
    """Every record of a submission (superseded): children go with their parents (CASCADE)."""
    session.execute(update(Cooperative).where(Cooperative.submission_id == sub_id)
                    .values(converted_to_id=None))
    for model in RECORD_TABLES[:-1]:
        session.execute(delete(model).where(model.submission_id == sub_id))
    session.execute(delete(ImportedPriorityCount).where(
        ImportedPriorityCount.submission_id == sub_id))
    _delete_unused_people(session, Person.submission_id == sub_id)


def delete_records(session: Session, sub_ids: list[int], ids: Mapping[Any, set[str]]) -> None:
    """The rows with these ids that belong to the submissions `sub_ids` (other periods of the
    same unit), before the new package brings them again."""
    for model in RECORD_TABLES[:-1]:
        wanted = sorted(ids.get(model, ()))
        for chunk in _chunks(wanted):
            where = (model.id.in_(chunk), model.submission_id.in_(sub_ids))
            if model is Cooperative:
                session.execute(update(Cooperative).where(Cooperative.converted_to_id.in_(chunk))
                                .values(converted_to_id=None))
            session.execute(delete(model).where(*where))


def delete_keyed_rows(session: Session, sub_ids: list[int], data: Dataset,
                      unit_ids: Mapping[str, int]) -> None:
    """Plan-line statuses and priority counts of the submissions `sub_ids` (other periods of
    the same unit) that the new package carries again: they have no id, only a key, and the
    same key must not be stored (nor counted) twice."""
    plan = {(unit_ids.get(p.unit_code), p.line, p.year) for p in data.plan_status}
    counts = {(unit_ids.get(p.unit_code), p.year, p.group) for p in data.priority_counts}
    for uid, line, year in sorted(plan, key=str):
        session.execute(delete(PlanLineStatus).where(
            PlanLineStatus.submission_id.in_(sub_ids), PlanLineStatus.unit_id == uid,
            PlanLineStatus.line_code == line, PlanLineStatus.year == year))
    ipc = ImportedPriorityCount
    for uid, year, group in sorted(counts, key=str):
        session.execute(delete(ipc).where(
            ipc.submission_id.in_(sub_ids), ipc.unit_id == uid, ipc.year == year,
            ipc.group == group))


def _delete_unused_people(session: Session, which: Any) -> None:
    """Delete the people selected by `which` that no remaining row refers to."""
    used = union(select(Cadre.person_id), select(ManagementPosition.person_id),
                 select(Attendance.person_id), select(JobPlacement.person_id),
                 select(Award.person_id).where(Award.person_id.is_not(None))).subquery()
    session.execute(delete(Person).where(which, Person.id.not_in(select(used.c[0]))))


def insert_package(session: Session, data: Dataset, sub_id: int, unit_ids: Mapping[str, int],
                   trashed: Mapping[str, str]) -> None:
    """Insert every record of the package under submission `sub_id`.

    `unit_ids`: code → unit id of the sender's tree; `trashed`: cooperative id → note, for
    likely duplicates. A package speaks only for its own unit and below (issue 19): a record
    or a new person under any other unit refuses it. A person this database already holds
    (a manager living in another commune, sent by her own commune) may be referred to: it is
    reused as it is, nothing about it is written.
    """
    def unit(code: str, what: str) -> int:
        uid = unit_ids.get(code)
        if uid is None:
            raise PackageRefused("", t(
                "có bản ghi ({what}) của đơn vị {code}, không thuộc đơn vị gửi gói.",
                what=what, code=code))
        return uid

    # Received records are created now, never before the newest stored change (a clock gone
    # back would place them in packages this unit sent before it received them).
    base = {"submission_id": sub_id, "row_version": 1, "deleted_at": None,
            "created_at": logical_now(session)}
    existing_people: set[str] = set()
    person_ids = sorted(p.id for p in data.people)
    for chunk in _chunks(person_ids):
        existing_people.update(session.scalars(select(Person.id).where(Person.id.in_(chunk))))
    rows: dict[type[Base], list[dict[str, Any]]] = {}
    rows[Person] = [{**base, "id": p.id, "unit_id": unit(p.unit_code, "người"),
                     "full_name": PSEUDONYM, "name_key": fold(PSEUDONYM), "gender": p.gender,
                     "birth_year": p.birth_year, "ethnicity_code": p.ethnicity_code}
                    for p in data.people if p.id not in existing_people]
    rows[Cadre] = [{**base, "id": c.id, "unit_id": unit(c.unit_code, "cán bộ"),
                    "person_id": c.person, "level": c.level, "position": c.position,
                    "kttt_assigned": c.kttt_assigned, "active_from": c.active_from,
                    "active_to": c.active_to} for c in data.cadres]
    now = utcnow()
    coops = sorted(data.cooperatives, key=lambda c: c.converted_to is not None)
    rows[Cooperative] = [{
        **base, "id": c.id, "unit_id": unit(c.unit_code, "HTX/THT"), "kind": c.kind,
        "name": c.name, "name_key": fold(c.name), "tax_code": c.tax_code,
        "founded_on": c.founded_on, "status": c.status, "status_on": c.status_on,
        "converted_to_id": c.converted_to, "union_supported": c.union_supported,
        "union_supported_on": c.union_supported_on,
        "many_jobs_override": c.many_jobs_for_women,
        **{f: f in c.flags for f in COOP_FLAGS},
        "deleted_at": now if c.id in trashed else None, "note": trashed.get(c.id)}
        for c in coops]
    rows[CooperativeSector] = [{"cooperative_id": c.id, "sector": s}
                               for c in coops for s in sorted(set(c.sectors))]
    rows[CooperativeYear] = [{"id": new_id(), "cooperative_id": c.id, "year": y.year,
                              **{f: getattr(y, f) for f in YearlyRec.FIELDS},
                              "source": y.source or "cooperative"}
                             for c in coops for y in c.yearly]
    rows[OcopProduct] = [{"id": new_id(), "cooperative_id": c.id, "product": o.product,
                          "stars": o.stars, "year": o.year} for c in coops for o in c.ocop]
    rows[ManagementPosition] = [{"id": new_id(), "cooperative_id": c.id, "person_id": p.person,
                                 "position": p.position, "start": p.start, "end": p.end}
                                for c in coops for p in c.positions]
    rows[Event] = [{**base, "id": e.id, "unit_id": unit(e.unit_code, "sự kiện"),
                    "type": e.type, "title": e.title, "title_key": fold(e.title),
                    "start": e.start, "end": e.end, "plan_line": e.plan_line,
                    "lead_unit": e.lead_unit,
                    **{f"count_{k}": e.count(k) for k in COUNT_KEYS}} for e in data.events]
    rows[EventTopic] = [{"event_id": e.id, "topic": tp}
                        for e in data.events for tp in sorted(set(e.topics))]
    rows[EventFunding] = [{"id": new_id(), "event_id": e.id, "source": s, "amount_vnd": a}
                          for e in data.events for s, a in e.funding]
    rows[Attendance] = [{"id": new_id(), "event_id": e.id, "person_id": p, "role": r}
                        for e in data.events for p, r in dict(e.attendance).items()]
    rows[JobPlacement] = [{**base, "id": j.id, "unit_id": unit(j.unit_code, "việc làm"),
                           "person_id": j.person, "cooperative_id": j.cooperative,
                           "start": j.start, "end": j.end, "role": j.role,
                           "new_job": j.new_job, "stable": j.stable,
                           "training_event_id": j.training_event} for j in data.job_placements]
    rows[Support] = [{**base, "id": s.id, "unit_id": unit(s.unit_code, "hỗ trợ"),
                      "cooperative_id": s.cooperative, "kind": s.kind, "on": s.on,
                      "provider": s.provider, "lender": s.lender, "amount_vnd": s.amount_vnd,
                      "plan_line": s.plan_line} for s in data.support]
    rows[Communication] = [{**base, "id": c.id, "unit_id": unit(c.unit_code, "truyền thông"),
                            "on": c.on, "form": c.form, "topic": c.topic, "reach": c.reach,
                            "plan_line": c.plan_line} for c in data.communications]
    rows[Award] = [{**base, "id": a.id, "unit_id": unit(a.unit_code, "khen thưởng"),
                    "recipient": a.collective or "", "person_id": a.person,
                    "cooperative_id": a.cooperative, "title": a.title, "level": a.level,
                    "on": a.on} for a in data.awards]
    rows[PlanLineStatus] = [{**base, "id": new_id(), "unit_id": unit(p.unit_code, "kế hoạch"),
                             "line_code": p.line, "year": p.year, "status": p.status,
                             "result": p.result} for p in data.plan_status]
    plain = [(k, PACKAGE_RECORDS[k.json_key]) for k in KINDS if k.plain]
    for k, plain_model in plain:  # the kinds written by their declaration (domain/kinds.py)
        what = k.title[:1].lower() + k.title[1:]
        rows[plain_model] = [{**base, "id": r.id, "unit_id": unit(r.unit_code, what),
                        **{column: getattr(r, attr) for attr, column in k.columns}}
                       for r in data.records(k.json_key)]
    rows[ImportedPriorityCount] = [{"submission_id": sub_id,
                                    "unit_id": unit(p.unit_code, "nhóm ưu tiên"),
                                    "year": p.year, "group": p.group,
                                    "women_supported": p.women_supported,
                                    "women_placed": p.women_placed}
                                   for p in data.priority_counts]
    order: list[type[Base]] = [
        Person, Cadre, Cooperative, CooperativeSector, CooperativeYear, OcopProduct,
        ManagementPosition, Event, EventTopic, EventFunding, Attendance, JobPlacement, Support,
        Communication, Award, PlanLineStatus, *(m for _k, m in plain), ImportedPriorityCount]
    for model in order:
        batch = rows[model]
        table = Base.metadata.tables[model.__tablename__]
        for chunk in _chunks(batch):
            session.execute(insert(table), chunk)
    session.flush()
