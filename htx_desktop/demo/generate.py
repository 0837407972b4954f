"""`demo`: fill an empty database with realistic, reproducible synthetic data.

From 1/1/2023 to `today`, for the home unit and every current unit below it: cooperatives in
communes with their managers and yearly figures, Union cadres, events with attendance, job
placements, support, communication, awards, the plan lines' yearly status and the officer's
narratives. The same seed gives the same rows on any database with the same units (see
`demo_base` for how), and `scale` multiplies the volumes for benchmarks.

The work is split by kind: `demo_coops`, `demo_activities`, `demo_support`, `demo_texts`; this
module checks the preconditions, runs them in a fixed order and bulk-inserts the rows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from htx_desktop.demo import names as demo_names
from htx_desktop.demo.activities import generate_cadres, generate_events, generate_jobs
from htx_desktop.demo.base import PHASE_START, DemoContext, Row, demo_unit
from htx_desktop.demo.coops import generate_cooperatives
from htx_desktop.demo.support import (
    generate_awards,
    generate_communications,
    generate_support,
)
from htx_desktop.demo.texts import Figures, LineInfo, narrative_rows, plan_status_rows
from htx_desktop.demo.visits import generate_visits, visits_context
from htx_desktop.domain.kinds import KINDS
from htx_desktop.errors import Refusal
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
    EthnicGroup,
    Event,
    EventFunding,
    EventTopic,
    JobPlacement,
    ManagementPosition,
    Narrative,
    OcopProduct,
    Person,
    PlanLine,
    PlanLineStatus,
    Submission,
    Support,
    Unit,
)
from htx_desktop.store.reference import descendant_units

REFUSED_MESSAGE = ("Cơ sở dữ liệu đã có dữ liệu; lệnh demo chỉ chạy trên cơ sở dữ liệu trống.")

# Parents before children, so that foreign keys hold row by row; the plain kinds of
# domain/kinds.py (declared after the kinds they point to) after the older ones.
_INSERT_ORDER: tuple[type[Base], ...] = (
    Person, Cadre, Cooperative, CooperativeSector, CooperativeYear, OcopProduct,
    ManagementPosition, Event, EventTopic, EventFunding, Attendance, JobPlacement, Support,
    Communication, Award, PlanLineStatus,
    *(PACKAGE_RECORDS[k.json_key] for k in KINDS if k.plain), Narrative,
)
_CHUNK = 20_000


class DemoError(Refusal):
    """The demo cannot run; `user_message` is for the officer (Vietnamese)."""


class DemoRefused(DemoError):
    """The database already holds records."""

    def __init__(self) -> None:
        super().__init__(REFUSED_MESSAGE)


@dataclass(frozen=True)
class DemoSummary:
    """What was made: the units covered and the number of rows of each kind."""

    units: int
    communes: int
    counts: dict[str, int]

    def __getitem__(self, kind: str) -> int:
        return self.counts[kind]


def generate_demo(session: Session, home_unit_id: int, *, seed: int = 1, scale: float = 1.0,
                  today: date) -> DemoSummary:
    """Fill an empty database; raises DemoRefused if it holds records, DemoError if the
    reference data it needs (units, ethnic groups, plan lines) is missing."""
    if not scale > 0:
        raise ValueError("scale must be positive")
    if today < PHASE_START:
        raise DemoError("Ngày hiện tại phải từ 01/01/2023 trở đi.")
    _refuse_if_not_empty(session)
    # The units of the home unit's era: today's units, or, for a home unit of an older tree
    # (a three-level units file whose units all ended on 30/6/2025), the units alive with it.
    home = session.get(Unit, home_unit_id)
    era_end = home.valid_to if home is not None else None
    units = [u for u in descendant_units(session, home_unit_id)
             if u.valid_to is None or (era_end is not None and u.valid_to >= era_end)]
    if not any(u.id == home_unit_id for u in units):
        raise DemoError("Không tìm thấy đơn vị hiện hành để tạo dữ liệu mẫu.")
    lines = _reference(session)

    rng = random.Random(seed)
    ctx = DemoContext(rng, today, scale)
    demo_units = [demo_unit(rng, u.id, u.code, u.name, u.level, u.parent_id)
                  for u in _tree_order(units, home_unit_id)]
    communes = [u for u in demo_units if u.level == "xa"]
    years = list(range(PHASE_START.year, today.year + 1))

    cadres = generate_cadres(ctx, demo_units)
    world = generate_cooperatives(ctx, communes, years)
    events = generate_events(ctx, demo_units, world, cadres, years)
    jobs = generate_jobs(ctx, communes, world, events, years)
    support = generate_support(ctx, world, demo_units[0], years)
    communications = generate_communications(ctx, demo_units, years)
    generate_awards(ctx, demo_units, world, years)
    figures = Figures(ctx, demo_units, world, cadres, events, support, communications, jobs,
                      years)
    plan_status_rows(ctx, demo_units, lines, figures, years)
    narrative_rows(ctx, demo_units, figures, years)
    visits = visits_context(ctx, seed)
    generate_visits(visits, world, years)
    for model, rows in visits.rows.items():
        ctx.rows.setdefault(model, []).extend(rows)

    _insert(session, ctx.rows)
    return _summary(ctx.rows, len(demo_units), len(communes))


def _refuse_if_not_empty(session: Session) -> None:
    models: list[type[Base]] = [*PACKAGE_RECORDS.values(), Narrative, Submission]
    for model in models:
        if session.scalar(select(func.count()).select_from(model.__table__)):
            raise DemoRefused()


def _reference(session: Session) -> list[LineInfo]:
    present = set(session.scalars(select(EthnicGroup.code)))
    missing = [c for c in demo_names.DEMO_ETHNIC_CODES if c not in present]
    if missing:
        raise DemoError("Chưa nạp danh mục dân tộc (thiếu mã " + ", ".join(missing) + "); "
                        "hãy nạp dữ liệu tham chiếu trước khi tạo dữ liệu mẫu.")
    lines = [LineInfo(p.code, p.year_from, p.year_to)
             for p in session.scalars(select(PlanLine).order_by(PlanLine.code))]
    needed = {"I.3", "II.1", "II.2", "II.3", "II.5", "II.6", "II.7", "III.2", "III.3", "III.4",
              "III.5", "III.8", "III.9", "III.10", "IV.1", "IV.3", "IV.4", "IV.5", "V.2", "V.5"}
    if not needed <= {line.code for line in lines}:
        raise DemoError("Chưa nạp danh mục 34 nhiệm vụ của Kế hoạch; hãy nạp dữ liệu tham chiếu "
                        "trước khi tạo dữ liệu mẫu.")
    return lines


def _tree_order(units: list[Unit], home_id: int) -> list[Unit]:
    """The home unit first, then the others in code order (the order chance is drawn in)."""
    home = [u for u in units if u.id == home_id]
    return home + sorted((u for u in units if u.id != home_id), key=lambda u: (u.code, u.id))


def _insert(session: Session, rows: dict[type[Base], list[Row]]) -> None:
    for model in _INSERT_ORDER:
        # A Core insert on the table: one executemany per chunk, without the ORM's per-row
        # bookkeeping (a third of the time at scale 20). Every row has every column.
        statement = insert(Base.metadata.tables[model.__tablename__])
        batch = rows.get(model, [])
        if model is Cooperative:
            # An HTX made from a THT must exist before the THT row that points to it.
            batch = sorted(batch, key=lambda r: r["converted_to_id"] is not None)
        for start in range(0, len(batch), _CHUNK):
            session.execute(statement, batch[start:start + _CHUNK])
    session.flush()


def _summary(rows: dict[type[Base], list[Row]], units: int, communes: int) -> DemoSummary:
    coops = rows.get(Cooperative, [])
    counts = {
        "htx": sum(1 for r in coops if r["kind"] == "htx"),
        "tht": sum(1 for r in coops if r["kind"] == "tht"),
        "lhhtx": sum(1 for r in coops if r["kind"] == "lhhtx"),
    }
    # Every kind of domain/kinds.py by its data.json key (cooperatives by type, above), and
    # the nested rows.
    kinds: dict[str, type[Base]] = {
        key: model for key, model in PACKAGE_RECORDS.items() if model is not Cooperative}
    kinds.update({"positions": ManagementPosition, "yearly_figures": CooperativeYear,
                  "ocop_products": OcopProduct, "attendances": Attendance,
                  "narratives": Narrative})
    counts.update({kind: len(rows.get(model, [])) for kind, model in kinds.items()})
    return DemoSummary(units, communes, counts)
