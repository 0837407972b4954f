"""SQLAlchemy 2 typed models: the whole information content of the brief.

Conventions
- Every record that may travel in a package has a stable UUID string `id` (its identity across
  exports and imports), a `unit_id` (the unit it belongs to), a `row_version` (optimistic locking,
  raised by SQLAlchemy on each update), `created_at`/`updated_at`, and `deleted_at` (the trash:
  a deleted record is kept until the trash is emptied).
- `submission_id` is set on records that came from a lower unit's package; superseding a
  package deletes its records. Own records have it NULL.
- Nothing here is SQLite-specific: the engine module (`store/engine.py`) holds that.
- Codes are the lower-case ASCII codes of `domain/catalogues.py`; labels live in the program.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

from htx_desktop.domain.kinds import KINDS
from htx_desktop.store.clock import column_now

# A naming convention gives every constraint a stable name: Alembic's batch mode needs it to
# rebuild SQLite tables, and PostgreSQL migrations need it to drop constraints by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=column_now)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=column_now, onupdate=column_now
    )


class Record(Timestamps):
    """Mixin for the records that travel in packages (see module docstring)."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    row_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # SQLAlchemy's optimistic locking: an UPDATE checks and raises row_version.
        return {"version_id_col": cls.__table__.c.row_version}  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- reference data


class Unit(Base):
    """An administrative unit of one era. Codes were reused in 2025, so the key is `id`."""

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("code", "valid_from", name="uq_units_code_valid_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(10), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True)  # folded, for search
    level: Mapped[str] = mapped_column(String(10))  # UnitLevel
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(100), default="vietnam-provinces")

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")


class UnitSuccessor(Base):
    """Unit `unit_id` was merged into (or replaced by) `successor_id`."""

    __tablename__ = "unit_successors"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    successor_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)


class Setting(Base):
    """Key/value settings of this copy: home unit, officer, counting rules, language."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class EthnicGroup(Base):
    __tablename__ = "ethnic_groups"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    code_list: Mapped[str] = mapped_column(String(40), default="121-TCTK/PPCĐ")


class PlanLine(Base):
    """One of the 34 activity lines of the plan's Phụ lục."""

    __tablename__ = "plan_lines"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)  # e.g. "II.2"
    group: Mapped[str] = mapped_column(String(5))
    group_title: Mapped[str] = mapped_column(Text)
    number: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    lead_unit: Mapped[str] = mapped_column(Text)
    coordinating_units: Mapped[str] = mapped_column(Text)
    time_text: Mapped[str] = mapped_column(String(100))
    year_from: Mapped[int] = mapped_column(Integer)
    year_to: Mapped[int] = mapped_column(Integer)


class Target(Base):
    """A target value of an indicator for a unit and year (2025, 2030, or a yearly target)."""

    __tablename__ = "targets"
    __table_args__ = (UniqueConstraint("unit_id", "indicator", "year", name="uq_targets_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    indicator: Mapped[str] = mapped_column(String(10))  # CT1..CT9, III.1
    year: Mapped[int | None] = mapped_column(Integer)  # None: every year
    value: Mapped[float] = mapped_column()
    unit_of_measure: Mapped[str] = mapped_column(String(10), default="count")
    text: Mapped[str] = mapped_column(Text, default="")
    allocated_by_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))


# --------------------------------------------------------------------------- people


class Person(Record, Base):
    """A woman (or man) who manages or works in a cooperative, attends, or is a cadre.

    Name, phone and ID number never leave the PC except encrypted; the victim flags never leave
    except as counts.
    """

    __tablename__ = "people"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    # Gender code, or NULL: sex not recorded (never taken for a woman; issue 18).
    gender: Mapped[str | None] = mapped_column(String(10))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    ethnicity_code: Mapped[str | None] = mapped_column(ForeignKey("ethnic_groups.code"))
    village: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    id_number: Mapped[str | None] = mapped_column(String(20))
    # Priority groups (PriorityGroup codes). Sensitive ones: SENSITIVE_GROUPS.
    poor: Mapped[bool] = mapped_column(Boolean, default=False)
    near_poor: Mapped[bool] = mapped_column(Boolean, default=False)
    ethnic_minority: Mapped[bool] = mapped_column(Boolean, default=False)
    disability: Mapped[bool] = mapped_column(Boolean, default=False)
    reintegrated: Mapped[bool] = mapped_column(Boolean, default=False)
    trafficking_victim: Mapped[bool] = mapped_column(Boolean, default=False)
    domestic_violence_victim: Mapped[bool] = mapped_column(Boolean, default=False)
    sexual_abuse_victim: Mapped[bool] = mapped_column(Boolean, default=False)
    unsafe_migrant: Mapped[bool] = mapped_column(Boolean, default=False)
    laid_off_worker: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)

    unit: Mapped[Unit] = relationship()


class Cadre(Record, Base):
    """A Women's Union cadre (cán bộ Hội)."""

    __tablename__ = "cadres"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    level: Mapped[str] = mapped_column(String(10))  # CadreLevel
    position: Mapped[str] = mapped_column(String(100))
    kttt_assigned: Mapped[bool] = mapped_column(Boolean, default=False)
    active_from: Mapped[date | None] = mapped_column(Date)
    active_to: Mapped[date | None] = mapped_column(Date)

    person: Mapped[Person] = relationship()
    unit: Mapped[Unit] = relationship()


# --------------------------------------------------------------------------- cooperatives


class Cooperative(Record, Base):
    """An HTX, THT or Liên hiệp HTX, sitting in a commune."""

    __tablename__ = "cooperatives"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # the commune
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10), index=True)  # CoopKind
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), index=True)
    tax_code: Mapped[str | None] = mapped_column(String(14), index=True)
    village: Mapped[str | None] = mapped_column(String(200))
    founded_on: Mapped[date | None] = mapped_column(Date)
    registered_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="active", index=True)
    status_on: Mapped[date | None] = mapped_column(Date)
    converted_to_id: Mapped[str | None] = mapped_column(ForeignKey("cooperatives.id"))
    main_products: Mapped[str | None] = mapped_column(Text)
    union_supported: Mapped[bool] = mapped_column(Boolean, default=False)
    union_supported_on: Mapped[date | None] = mapped_column(Date)
    union_support_level: Mapped[str | None] = mapped_column(String(10))  # UnitLevel
    value_chain: Mapped[bool] = mapped_column(Boolean, default=False)
    science_tech: Mapped[bool] = mapped_column(Boolean, default=False)
    digital: Mapped[bool] = mapped_column(Boolean, default=False)
    ecommerce: Mapped[bool] = mapped_column(Boolean, default=False)
    trademark: Mapped[bool] = mapped_column(Boolean, default=False)
    traceability: Mapped[bool] = mapped_column(Boolean, default=False)
    ip_registered: Mapped[bool] = mapped_column(Boolean, default=False)
    ethnic_pilot_model: Mapped[bool] = mapped_column(Boolean, default=False)
    # "Creates many jobs for women": None = derive from the province's rule; True/False = the
    # officer's override, with her reason.
    many_jobs_override: Mapped[bool | None] = mapped_column(Boolean)
    many_jobs_reason: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)

    unit: Mapped[Unit] = relationship()
    sectors: Mapped[list[CooperativeSector]] = relationship(
        cascade="all, delete-orphan", order_by="CooperativeSector.sector"
    )
    yearly: Mapped[list[CooperativeYear]] = relationship(
        cascade="all, delete-orphan", order_by="CooperativeYear.year"
    )
    ocop_products: Mapped[list[OcopProduct]] = relationship(cascade="all, delete-orphan")
    positions: Mapped[list[ManagementPosition]] = relationship(
        cascade="all, delete-orphan", order_by="ManagementPosition.start"
    )


class CooperativeSector(Base):
    __tablename__ = "cooperative_sectors"

    cooperative_id: Mapped[str] = mapped_column(
        ForeignKey("cooperatives.id", ondelete="CASCADE"), primary_key=True
    )
    sector: Mapped[str] = mapped_column(String(20), primary_key=True)  # Sector


class CooperativeYear(Base):
    """A cooperative's figures for one year, with who counted them."""

    __tablename__ = "cooperative_years"
    __table_args__ = (UniqueConstraint("cooperative_id", "year", name="uq_coop_years_key"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    cooperative_id: Mapped[str] = mapped_column(
        ForeignKey("cooperatives.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    members: Mapped[int | None] = mapped_column(Integer)
    members_female: Mapped[int | None] = mapped_column(Integer)
    workers: Mapped[int | None] = mapped_column(Integer)
    workers_female: Mapped[int | None] = mapped_column(Integer)
    female_stable_jobs: Mapped[int | None] = mapped_column(Integer)
    female_ethnic_minority: Mapped[int | None] = mapped_column(Integer)
    new_female_jobs: Mapped[int | None] = mapped_column(Integer)
    revenue_vnd: Mapped[int | None] = mapped_column(BigInteger)
    avg_monthly_income_vnd: Mapped[int | None] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(20), default="cooperative")  # FigureSource


class OcopProduct(Base):
    __tablename__ = "ocop_products"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    cooperative_id: Mapped[str] = mapped_column(
        ForeignKey("cooperatives.id", ondelete="CASCADE"), index=True
    )
    product: Mapped[str] = mapped_column(String(300))
    stars: Mapped[int] = mapped_column(Integer)  # 3..5
    year: Mapped[int] = mapped_column(Integer)


class ManagementPosition(Base):
    """A position held in a cooperative by a person, with dates (inclusive)."""

    __tablename__ = "management_positions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    cooperative_id: Mapped[str] = mapped_column(
        ForeignKey("cooperatives.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    position: Mapped[str] = mapped_column(String(20))  # Position
    start: Mapped[date | None] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)

    person: Mapped[Person] = relationship()


# --------------------------------------------------------------------------- activities


class Event(Record, Base):
    """A training session, conference, workshop, study visit, vocational course, forum, contest."""

    __tablename__ = "events"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    type: Mapped[str] = mapped_column(String(20))  # EventType
    title: Mapped[str] = mapped_column(String(500))
    title_key: Mapped[str] = mapped_column(String(500), index=True)
    start: Mapped[date] = mapped_column(Date, index=True)
    end: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(300))
    lead_unit: Mapped[str | None] = mapped_column(String(300))
    co_organisers: Mapped[str | None] = mapped_column(Text)
    plan_line: Mapped[str | None] = mapped_column(ForeignKey("plan_lines.code"))
    # Unnamed participants, on top of the named attendance.
    count_total: Mapped[int] = mapped_column(Integer, default=0)
    count_female: Mapped[int] = mapped_column(Integer, default=0)
    count_ethnic_minority: Mapped[int] = mapped_column(Integer, default=0)
    count_htx_managers: Mapped[int] = mapped_column(Integer, default=0)
    count_members_workers: Mapped[int] = mapped_column(Integer, default=0)
    count_cadres: Mapped[int] = mapped_column(Integer, default=0)
    count_union_members: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(Text)

    unit: Mapped[Unit] = relationship()
    topics: Mapped[list[EventTopic]] = relationship(
        cascade="all, delete-orphan", order_by="EventTopic.topic"
    )
    funding: Mapped[list[EventFunding]] = relationship(cascade="all, delete-orphan")
    attendance: Mapped[list[Attendance]] = relationship(cascade="all, delete-orphan")


class EventTopic(Base):
    __tablename__ = "event_topics"

    event_id: Mapped[str] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(30), primary_key=True)  # Topic


class EventFunding(Base):
    __tablename__ = "event_funding"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(30))  # FundingSource
    amount_vnd: Mapped[int] = mapped_column(BigInteger)


class Attendance(Base):
    """A named participant of an event, with her role at the time."""

    __tablename__ = "attendances"
    __table_args__ = (UniqueConstraint("event_id", "person_id", name="uq_attendances_key"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="other")  # AttendanceRole

    person: Mapped[Person] = relationship()


class JobPlacement(Record, Base):
    """A woman placed in a job in a cooperative."""

    __tablename__ = "job_placements"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    cooperative_id: Mapped[str] = mapped_column(ForeignKey("cooperatives.id"), index=True)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    role: Mapped[str] = mapped_column(String(10), default="worker")  # JobRole
    new_job: Mapped[bool] = mapped_column(Boolean, default=True)
    stable: Mapped[bool] = mapped_column(Boolean, default=True)
    training_event_id: Mapped[str | None] = mapped_column(ForeignKey("events.id"))
    monthly_income_vnd: Mapped[int | None] = mapped_column(BigInteger)

    person: Mapped[Person] = relationship()
    cooperative: Mapped[Cooperative] = relationship()
    unit: Mapped[Unit] = relationship()


class Support(Record, Base):
    """Support given to a cooperative (advice, credit, fair, e-commerce, machinery, …)."""

    __tablename__ = "support"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    cooperative_id: Mapped[str] = mapped_column(ForeignKey("cooperatives.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # SupportKind
    on: Mapped[date] = mapped_column(Date)
    provider: Mapped[str | None] = mapped_column(String(300))
    lender: Mapped[str | None] = mapped_column(String(300))
    amount_vnd: Mapped[int | None] = mapped_column(BigInteger)
    plan_line: Mapped[str | None] = mapped_column(ForeignKey("plan_lines.code"))
    note: Mapped[str | None] = mapped_column(Text)

    cooperative: Mapped[Cooperative] = relationship()
    unit: Mapped[Unit] = relationship()


class Communication(Record, Base):
    """A communication activity: conference, article, TV report, social media post, …"""

    __tablename__ = "communications"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    on: Mapped[date] = mapped_column(Date)
    form: Mapped[str] = mapped_column(String(20))  # CommunicationForm
    topic: Mapped[str] = mapped_column(String(500))
    reach: Mapped[int] = mapped_column(Integer, default=0)  # "lượt"
    plan_line: Mapped[str | None] = mapped_column(ForeignKey("plan_lines.code"))
    note: Mapped[str | None] = mapped_column(Text)

    unit: Mapped[Unit] = relationship()


class Award(Record, Base):
    """A commendation given to a person, a cooperative or a collective."""

    __tablename__ = "awards"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(300))
    person_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"))
    cooperative_id: Mapped[str | None] = mapped_column(ForeignKey("cooperatives.id"))
    title: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(10))  # AwardLevel
    on: Mapped[date] = mapped_column(Date)

    unit: Mapped[Unit] = relationship()


class PlanLineStatus(Record, Base):
    """A unit's yearly status of a plan line, with a short result text."""

    __tablename__ = "plan_line_status"
    __table_args__ = (UniqueConstraint("unit_id", "line_code", "year", name="uq_plan_status_key"),)

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    line_code: Mapped[str] = mapped_column(ForeignKey("plan_lines.code"))
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="not_started")  # PlanStatus
    result: Mapped[str | None] = mapped_column(Text)

    unit: Mapped[Unit] = relationship()


class SupervisionVisit(Record, Base):
    """A Union officers' supervision visit to a cooperative: who went (by position), what they
    found, what the cooperative is to put right and by when. Filed under the cooperative's
    commune (domain/kinds.py `unit_from`)."""

    __tablename__ = "supervision_visits"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    cooperative_id: Mapped[str] = mapped_column(ForeignKey("cooperatives.id"), index=True)
    on: Mapped[date] = mapped_column(Date)
    visitors: Mapped[str] = mapped_column(String(500))
    findings: Mapped[str | None] = mapped_column(Text)
    follow_up: Mapped[str | None] = mapped_column(Text)
    follow_up_due: Mapped[date | None] = mapped_column(Date)
    follow_up_done: Mapped[bool] = mapped_column(Boolean, default=False)

    cooperative: Mapped[Cooperative] = relationship()
    unit: Mapped[Unit] = relationship()


class Narrative(Base):
    """The officer's own text of a report section, per unit and period."""

    __tablename__ = "narratives"
    __table_args__ = (UniqueConstraint("unit_id", "period", "section", name="uq_narratives_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    period: Mapped[str] = mapped_column(String(20))  # period label, e.g. "2025", "2023-2025"
    section: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=column_now, onupdate=column_now
    )


# --------------------------------------------------------------------------- packages


class Submission(Base):
    """A package received from a lower unit (accepted, superseded or refused)."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    period: Mapped[str] = mapped_column(String(20), index=True)
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    file_name: Mapped[str] = mapped_column(String(300))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=column_now)
    created_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    on_time: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(12))  # accepted | superseded | withdrawn
    manifest: Mapped[dict[str, object]] = mapped_column(JSON)

    unit: Mapped[Unit] = relationship()


class SubmissionData(Base):
    """The package's data.json (the Dataset part, zlib-compressed JSON) as received, one per
    submission: consolidation for a period uses exactly the packages of that period
    (docs/INTERFACES.md §2), while the record tables hold each unit's latest state."""

    __tablename__ = "submission_data"

    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Export(Base):
    """A package this copy wrote: its version counter and where it went."""

    __tablename__ = "exports"
    __table_args__ = (UniqueConstraint("unit_id", "period", "version", name="uq_exports_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    period: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=column_now)
    sha256: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(300))


class RefusedPackage(Base):
    """A package that was refused on import, with the reason: shown and logged."""

    __tablename__ = "refused_packages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str | None] = mapped_column(String(64))
    refused_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=column_now)
    reason: Mapped[str] = mapped_column(Text)


class SubmissionReview(Base):
    """The receiving unit's decision on a received submission (issue 21): `accepted` or
    `returned` with comments. No row: the submission is `received` (not reviewed yet). A
    decision may be changed; each change is in the audit log, and the latest one is what the
    next receipt says. `receipt_written_at` is when `receipts --out` last wrote its receipt
    (None: not written since the decision)."""

    __tablename__ = "submission_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), unique=True)
    decision: Mapped[str] = mapped_column(String(12))  # accepted | returned
    # [{"target": "general"|"indicator"|"record", "ref": None|"CT3"|uuid, "kind": None|
    #   "cooperatives"…, "text"}]: what the receipt carries as `comments`
    comments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=column_now)
    receipt_written_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    receipt_file: Mapped[str | None] = mapped_column(String(300))

    submission: Mapped[Submission] = relationship()


class ExportReceipt(Base):
    """A receipt from the level above for a package this copy exported (issue 21): its
    decision and comments, as signed by the level above's key. One per exported package: a
    later decision replaces an earlier one."""

    __tablename__ = "export_receipts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    export_id: Mapped[int] = mapped_column(
        ForeignKey("exports.id", ondelete="CASCADE"), unique=True)
    decision: Mapped[str] = mapped_column(String(12))  # accepted | returned
    comments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    from_unit: Mapped[str] = mapped_column(String(20))
    signer_fingerprint: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(300))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=column_now)

    export: Mapped[Export] = relationship()


class SenderKey(Base):
    """A lower unit's signing key as this unit learnt it (issue 19): the first package of a unit
    names its key, later packages must carry the same one. A replaced key stays, marked
    `replaced`, with the reason and who replaced it."""

    __tablename__ = "sender_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(20), index=True)
    public_key: Mapped[str] = mapped_column(String(64))  # raw Ed25519 key, base64
    fingerprint: Mapped[str] = mapped_column(String(64))  # SHA-256 of the raw key, hex
    status: Mapped[str] = mapped_column(String(12), default="current")  # current | replaced
    accepted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=column_now)
    accepted_by: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(300), default="")  # the file it came from
    reason: Mapped[str | None] = mapped_column(Text)  # why it replaced the previous key
    replaced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class UnitSigningKey(Base):
    """This unit's own signing key when the database is an office server (PostgreSQL): kept on
    the server for the unit's officers. A single-PC copy keeps it in a file of the data folder
    readable by its owner only (store/unit_keys.py)."""

    __tablename__ = "unit_signing_keys"

    unit_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    private_key: Mapped[str] = mapped_column(String(64))  # raw Ed25519 seed, base64
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=column_now)


class ImportedPriorityCount(Base):
    """`priority_counts` of an accepted package: packages bring priority groups only as counts
    (no flags on imported people), so they are kept as they came and deleted with the
    submission when it is superseded."""

    __tablename__ = "imported_priority_counts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    group: Mapped[str] = mapped_column(String(30))  # PriorityGroup
    women_supported: Mapped[int] = mapped_column(Integer, default=0)
    women_placed: Mapped[int] = mapped_column(Integer, default=0)


# --------------------------------------------------------------------------- audit and drafts


class AuditEntry(Base):
    """One change to one record: who, when, what (old and new values)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_record", "table_name", "record_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=column_now, index=True)
    officer: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(20))  # create|update|delete|restore|import
    table_name: Mapped[str] = mapped_column(String(50))
    record_id: Mapped[str] = mapped_column(String(36))
    changes: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)  # field: [old, new]
    reason: Mapped[str | None] = mapped_column(Text)


class Draft(Base):
    """An unsaved form, kept so that a crash loses nothing; removed when the form is saved."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form: Mapped[str] = mapped_column(String(50))
    record_id: Mapped[str | None] = mapped_column(String(36))
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=column_now)


def model_of(table: str) -> type[Base]:
    """The model of a SQL table (`domain/kinds.py` names the tables, never the classes)."""
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if getattr(cls, "__tablename__", None) == table:
            return cls
    raise KeyError(table)


# The record kinds that travel in packages, by their data.json key (domain/kinds.py).
PACKAGE_RECORDS: dict[str, type[Base]] = {
    k.json_key: model_of(k.table) for k in KINDS if k.table}


class ReportDeadline(Base):
    """The reporting calendar (issue 21 point 4): the deadline this unit set for its units
    below for one period. A period without a row has the default deadline
    (`store/deadlines.py`: 25 December of the period's last year)."""

    __tablename__ = "report_deadlines"

    period: Mapped[str] = mapped_column(String(20), primary_key=True)
    due: Mapped[date] = mapped_column(Date)
    set_by: Mapped[str] = mapped_column(String(200), default="")
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=column_now)
