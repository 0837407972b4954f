"""Create, update, delete and restore every record kind through one door, with validation,
duplicate detection, optimistic locking and the audit log.

Kinds: those declared in `domain/kinds.py` ("cooperative", "person", "cadre", "event",
"job_placement", "support", "communication", "award", "plan_status", …). `values` use the model
attribute names; the accepted keys of each kind are those of `domain/fields.py`; the first nine:

- cooperative: unit_id (the commune), kind, name, tax_code, village, founded_on, registered_on,
  status, status_on, converted_to_id, main_products, union_supported, union_supported_on,
  union_support_level, value_chain, science_tech, digital, ecommerce, trademark, traceability,
  ip_registered, ethnic_pilot_model, many_jobs_override, many_jobs_reason, note;
  sectors: list[str]; yearly: list[dict(year, members, members_female, workers, workers_female,
  female_stable_jobs, female_ethnic_minority, new_female_jobs, revenue_vnd,
  avg_monthly_income_vnd, source)]; ocop_products: list[dict(product, stars, year)];
  positions: list[dict(person_id, position, start, end)].
- person: unit_id, full_name, gender, birth_year, ethnicity_code, village, phone, id_number, the
  priority flags (poor, near_poor, ethnic_minority, disability, reintegrated,
  trafficking_victim, domestic_violence_victim, sexual_abuse_victim, unsafe_migrant,
  laid_off_worker), note.
- cadre: unit_id, person_id, level, position, kttt_assigned, active_from, active_to.
- event: unit_id, type, title, start, end, place, lead_unit, co_organisers, plan_line,
  count_total, count_female, count_ethnic_minority, count_htx_managers, count_members_workers,
  count_cadres, count_union_members (or one `counts` dict with the data.json names: total,
  female, …); topics: list[str]; funding: list[dict(source, amount_vnd)];
  attendance: list[dict(person_id, role)].
- job_placement: unit_id, person_id, cooperative_id, start, end, role, new_job, stable,
  training_event_id, monthly_income_vnd.
- support: unit_id, cooperative_id, kind, on, provider, lender, amount_vnd, plan_line, note.
- communication: unit_id, on, form, topic, reach, plan_line, note.
- award: unit_id, recipient, person_id, cooperative_id, title, level, on.
- plan_status: unit_id, line_code, year, status, result.

Dates may be `date` objects or text (2024-12-25, 25/12/2024); numbers ints or text. A missing
key on create takes the model's default; on update it keeps the stored value. A nested list
given on update replaces the whole set (rows that stay keep their ids); the audit entry holds
the old and new lists.

Locked periods (store/locks.py): updating, deleting or restoring a record of a period whose
package was already exported needs a `reason`, else LockedRecordError (Vietnamese, asking for
one); the reason is kept in the audit entry and travels in the next package's `amendments`.

Transactions: the service works inside the caller's session and transaction. It flushes (so ids
exist and constraints are checked) but never commits: the caller's `db.session()` context commits
on success and rolls back on error. Values refused by validation (`ValidationError`), a
duplicate (`DuplicateError`) or a stale row version (`ConflictError`) raise before anything is
added to or changed in the session.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from htx_desktop.domain.fields import FIELDS
from htx_desktop.domain.kinds import EDITED
from htx_desktop.domain.normalise import format_date
from htx_desktop.domain.text import fold
from htx_desktop.domain.validation import FieldError, ValidationError, clean, validate
from htx_desktop.i18n import t
from htx_desktop.store import locks
from htx_desktop.store import record_kinds as rk
from htx_desktop.store.clock import column_now, not_before
from htx_desktop.store.clock_check import newest_stored
from htx_desktop.store.errors import StoreError
from htx_desktop.store.models import (
    AuditEntry,
    Award,
    Cadre,
    Communication,
    Cooperative,
    EthnicGroup,
    Event,
    JobPlacement,
    Person,
    PlanLine,
    PlanLineStatus,
    Support,
    Unit,
)

KINDS: tuple[str, ...] = tuple(rk.MODELS)

CONFLICT = (
    "Bản ghi «{name}» đã được {officer} sửa lúc {time}, sau khi bạn mở nó. "
    "Hãy mở lại bản ghi để xem nội dung mới rồi sửa lại."
)
CONFLICT_UNKNOWN = (
    "Bản ghi «{name}» đã được sửa ở nơi khác sau khi bạn mở nó. "
    "Hãy mở lại bản ghi để xem nội dung mới rồi sửa lại."
)
SOMEONE = "một người khác"
DUPLICATE = (
    "Đã có bản ghi giống bản ghi này: {names}. Hãy mở bản ghi đã có thay vì nhập lại; "
    "nếu đúng là hai bản ghi khác nhau, hãy xác nhận để vẫn lưu."
)
PLAN_STATUS_EXISTS = (
    "Đã có tình hình thực hiện dòng kế hoạch {line} năm {year}. "
    "Hãy sửa bản ghi đó thay vì tạo mới."
)
PLAN_STATUS_IN_TRASH = (
    "Tình hình thực hiện dòng kế hoạch {line} năm {year} đang ở thùng rác. "
    "Hãy khôi phục bản ghi đó rồi sửa."
)
NOT_FOUND = "Không tìm thấy bản ghi này (có thể đã bị xóa hẳn). Hãy tải lại danh sách."
IN_TRASH = "Bản ghi «{name}» đang ở thùng rác. Hãy khôi phục nó trước khi sửa."
REF_MISSING = "Không tìm thấy {label} đã chọn (có thể đã bị xóa). Hãy chọn lại trong danh sách."
COOP_NOT_IN_COMMUNE = (
    "HTX/THT phải thuộc một xã/phường. Hãy chọn xã/phường nơi HTX/THT đặt trụ sở."
)
CONVERTED_NOT_HTX = (
    "HTX mà THT đã chuyển thành phải là một HTX khác, không phải THT hay chính bản ghi này. "
    "Hãy chọn lại."
)
PLAN_LINE_UNKNOWN = (
    "Không có dòng kế hoạch «{value}» trong Phụ lục. "
    "Hãy chọn một dòng trong danh sách, ví dụ II.2."
)
ETHNICITY_UNKNOWN = "Không có dân tộc mã «{value}» trong danh sách. Hãy chọn lại dân tộc."

# Record ids the values may point to, by field name.
_REFERENCES: dict[str, type[Any]] = {
    "person_id": Person,
    "cooperative_id": Cooperative,
    "converted_to_id": Cooperative,
    "training_event_id": Event,
}
# The fields whose change calls for a new duplicate check on update (domain/kinds.py).
_DUPLICATE_FIELDS: dict[str, tuple[str, ...]] = {
    name: k.duplicate_fields for name, k in EDITED.items()}


class ConflictError(StoreError):
    """The record changed since it was opened (its row_version moved on). `officer` and `at`
    say who saved the newer version and when (None if the audit log does not say), so a form
    can offer to reload the record or compare the two."""

    def __init__(self, message: str, officer: str | None = None,
                 at: datetime | None = None) -> None:
        super().__init__(message)
        self.officer = officer
        self.at = at


class DuplicateError(StoreError):
    """Existing records look like the one being saved; `matches` lists them."""

    def __init__(self, message: str, matches: list[Any]) -> None:
        super().__init__(message)
        self.matches = matches


class NotFoundError(StoreError):
    """No such record, or (for update and delete) it is in the trash."""


def _typed(values: Mapping[str, Any], name: str, kind: type) -> Any:
    value = values.get(name)
    return value if isinstance(value, kind) and not isinstance(value, bool) else None


class RecordService:
    """One officer's changes to the records, inside the caller's session (see module doc)."""

    def __init__(self, session: Session, officer: str, today: date | None = None) -> None:
        self.session = session
        self.officer = officer
        self.today = today or date.today()
        self._newest_stored: tuple[datetime | None] | None = None  # see `create`

    # ------------------------------------------------------------------- reading

    def get(self, kind: str, record_id: str, *, include_deleted: bool = False) -> Any | None:
        """The record, or None if there is none (or it is in the trash, unless asked for)."""
        obj: Any = self.session.get(rk.MODELS[kind], record_id)
        if obj is None or (obj.deleted_at is not None and not include_deleted):
            return None
        return obj

    def list_records(self, kind: str, unit_ids: Iterable[int] | None = None) -> list[Any]:
        """Records not in the trash, optionally of some units, by name (or creation)."""
        model: Any = rk.MODELS[kind]
        stmt = select(model).where(model.deleted_at.is_(None))
        if unit_ids is not None:
            stmt = stmt.where(model.unit_id.in_(list(unit_ids)))
        order = rk.SEARCH_KEYS.get(kind)
        stmt = stmt.order_by(getattr(model, order[1]) if order else model.created_at, model.id)
        return list(self.session.scalars(stmt))

    def list_trash(self, kind: str) -> list[Any]:
        """Records in the trash, most recently deleted first."""
        model: Any = rk.MODELS[kind]
        stmt = (select(model).where(model.deleted_at.is_not(None))
                .order_by(model.deleted_at.desc(), model.id))
        return list(self.session.scalars(stmt))

    def history(self, kind: str, record_id: str) -> list[AuditEntry]:
        """The audit entries of one record, oldest first."""
        stmt = (select(AuditEntry)
                .where(AuditEntry.table_name == rk.MODELS[kind].__tablename__,
                       AuditEntry.record_id == record_id)
                .order_by(AuditEntry.at, AuditEntry.id))
        return list(self.session.scalars(stmt))

    def snapshot(self, kind: str, record_id: str) -> dict[str, Any]:
        """The record's current values in the shape `create`/`update` take (for forms)."""
        return rk.snapshot(kind, self._require(kind, record_id, allow_deleted=True))

    def duplicates(self, kind: str, values: Mapping[str, Any], *,
                   exclude_id: str | None = None) -> list[Any]:
        """Records not in the trash that look like `values`: for a cooperative the same tax
        code, or the same name (ignoring case, diacritics and spacing) in the same commune; for
        a person the same name and commune, and the same birth year unless one is unknown; for
        the other kinds the same key facts (event: title, start, unit; …)."""
        v = clean(kind, values)
        condition = self._duplicate_condition(kind, v)
        if condition is None:
            return []
        model: Any = rk.MODELS[kind]
        stmt = select(model).where(model.deleted_at.is_(None), condition)
        if exclude_id is not None:
            stmt = stmt.where(model.id != exclude_id)
        rows = list(self.session.scalars(stmt.order_by(model.created_at, model.id)))
        if kind == "communication":
            rows = [r for r in rows if fold(r.topic) == fold(v["topic"])]
        if kind == "award":
            rows = [r for r in rows if fold(r.recipient) == fold(v["recipient"])
                    and fold(r.title) == fold(v["title"])]
        return rows

    # ------------------------------------------------------------------- changing

    def create(self, kind: str, values: Mapping[str, Any], *, allow_duplicate: bool = False,
               reason: str | None = None) -> Any:
        """Validate, check for duplicates, add and flush a new record; log it."""
        model = rk.MODELS[kind]
        v = self._inherit_unit(kind, self._clean(kind, values))
        errors = validate(kind, v, today=self.today) + self._reference_errors(kind, v, None)
        if errors:
            raise ValidationError(errors)
        self._refuse_duplicates(kind, v, None, allow_duplicate)
        obj: Any = model()
        self._apply(kind, obj, v, None)
        # Never before the newest stored change: a clock gone back would place her in
        # packages sent before she existed (store/clock.py, store/locks.py).
        if self._newest_stored is None:  # once per service: a sheet creates thousands
            self._newest_stored = (newest_stored(self.session),)
        obj.created_at = not_before(self._newest_stored[0])
        self.session.add(obj)
        self.session.flush()
        created = {k: [None, rk.to_json(val)] for k, val in rk.snapshot(kind, obj).items()
                   if val is not None and val != []}
        self._log("create", kind, obj.id, created, reason)
        return obj

    def update(self, kind: str, record_id: str, values: Mapping[str, Any],
               row_version: int | None = None, *, allow_duplicate: bool = False,
               reason: str | None = None) -> Any:
        """Change the given fields (and replace the given nested sets) of a record; log the
        differences. With `row_version`, refuse (ConflictError) if the record changed since
        the caller read that version."""
        obj = self._require(kind, record_id)
        self._check_version(kind, obj, row_version)
        v = self._inherit_unit(kind, self._clean(kind, values))
        before = rk.snapshot(kind, obj)
        merged = {**before, **v}
        changed = {k: val for k, val in v.items() if before.get(k) != val}
        errors = validate(kind, merged, today=self.today)
        errors += self._reference_errors(kind, changed, record_id)
        if errors:
            raise ValidationError(errors)
        locks.require_reason(self.session, kind, obj, before, changed, reason)
        if set(changed) & set(_DUPLICATE_FIELDS[kind]):
            self._refuse_duplicates(kind, merged, record_id, allow_duplicate)
        diff = self._apply(kind, obj, v, before)
        if diff:
            obj.updated_at = column_now()  # also raises row_version when only nested sets changed
            self._flush(kind, obj)
            self._log("update", kind, obj.id, diff, reason)
        return obj

    def delete(self, kind: str, record_id: str, row_version: int | None = None, *,
               reason: str | None = None) -> None:
        """Move a record to the trash (it stays in the database until the trash is emptied)."""
        obj = self._require(kind, record_id)
        self._check_version(kind, obj, row_version)
        locks.require_reason(self.session, kind, obj, rk.snapshot(kind, obj), None, reason)
        obj.deleted_at = column_now()
        self._flush(kind, obj)
        self._log("delete", kind, obj.id, {}, reason)

    def restore(self, kind: str, record_id: str, *, reason: str | None = None) -> Any:
        """Bring a record back from the trash (a record not in the trash is left as it is)."""
        obj = self._require(kind, record_id, allow_deleted=True)
        if obj.deleted_at is not None:
            locks.require_reason(self.session, kind, obj, rk.snapshot(kind, obj), None, reason)
            obj.deleted_at = None
            self._flush(kind, obj)
            self._log("restore", kind, obj.id, {}, reason)
        return obj

    # ------------------------------------------------------------------- helpers

    def _clean(self, kind: str, values: Mapping[str, Any]) -> dict[str, Any]:
        unknown = set(values) - rk.accepted_keys(kind)
        if unknown:  # a programming error, not the officer's: say it in English
            raise ValueError(f"unknown fields for {kind}: {sorted(unknown)}")
        return clean(kind, values)

    def _inherit_unit(self, kind: str, v: dict[str, Any]) -> dict[str, Any]:
        """A kind that takes its unit from another record (domain/kinds.py `unit_from`: a
        visit is filed under its cooperative's commune) gets it here; a missing record is
        left to the reference check."""
        source = EDITED[kind].unit_from
        if not source:
            return v
        v = {k: value for k, value in v.items() if k != "unit_id"}  # never the caller's
        if not isinstance(v.get(source), str):
            return v
        target = self.session.get(_REFERENCES[source], v[source])
        return {**v, "unit_id": target.unit_id} if target is not None else v

    def _require(self, kind: str, record_id: str, *, allow_deleted: bool = False) -> Any:
        obj: Any = self.session.get(rk.MODELS[kind], record_id)
        if obj is None:
            raise NotFoundError(t(NOT_FOUND))
        if obj.deleted_at is not None and not allow_deleted:
            raise NotFoundError(t(IN_TRASH, name=rk.describe(kind, obj)))
        return obj

    def _check_version(self, kind: str, obj: Any, row_version: int | None) -> None:
        if row_version is None:
            return
        if obj not in self.session.dirty:
            # The stored version, not the one this session cached; locked (on PostgreSQL;
            # SQLite has one writer anyway) until commit, so a second officer saving at the
            # same moment waits, then sees this save's version and who made it.
            self.session.refresh(obj, with_for_update=True)
        if obj.row_version != row_version:
            raise self._conflict(kind, obj)

    def _conflict(self, kind: str, obj: Any) -> ConflictError:
        name = rk.describe(kind, obj)
        stmt = (select(AuditEntry)
                .where(AuditEntry.table_name == rk.MODELS[kind].__tablename__,
                       AuditEntry.record_id == obj.id)
                .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(1))
        last = self.session.scalars(stmt).first()
        if last is None:
            return ConflictError(t(CONFLICT_UNKNOWN, name=name))
        at = last.at if last.at.tzinfo else last.at.replace(tzinfo=UTC)
        time = t("{hour} ngày {day}", hour=f"{at.astimezone():%H:%M}",
                 day=format_date(at.astimezone().date()))
        return ConflictError(t(CONFLICT, name=name, officer=last.officer or t(SOMEONE),
                               time=time), last.officer or None, at)

    def _flush(self, kind: str, obj: Any) -> None:
        try:
            self.session.flush()
        except StaleDataError as exc:
            # Another connection saved this row between our read and our write. The session
            # needs a rollback now, so the message cannot look the change up.
            raise ConflictError(t(CONFLICT_UNKNOWN, name=rk.describe(kind, obj))) from exc

    def _log(self, action: str, kind: str, record_id: str, changes: dict[str, Any],
             reason: str | None) -> None:
        self.session.add(AuditEntry(officer=self.officer, action=action,
                                    table_name=rk.MODELS[kind].__tablename__,
                                    record_id=record_id, changes=changes, reason=reason))
        self.session.flush()

    def _apply(self, kind: str, obj: Any, v: dict[str, Any], before: dict[str, Any] | None,
               ) -> dict[str, list[Any]]:
        """Write the given values onto the record; return {field: [old, new]} of what changed."""
        model = rk.MODELS[kind]
        diff: dict[str, list[Any]] = {}
        for name in rk.scalar_fields(kind):
            if name not in v:
                continue
            value = rk.with_default(model, name, v[name])
            old = before.get(name) if before is not None else None
            if before is not None and value == old:
                continue
            setattr(obj, name, value)
            diff[name] = [rk.to_json(old), rk.to_json(value)]
        for name, spec in rk.nested_fields(kind).items():
            if name not in v:
                continue
            old_items = before.get(name, []) if before is not None else []
            if spec.kind == "codes":
                codes = sorted(v[name] or [])
                if codes != old_items:
                    rk.sync_codes(kind, name, obj, codes)
                    diff[name] = [rk.to_json(old_items), codes]
            else:
                items = rk.normalise_items(spec.child, v[name] or [])
                if items != old_items:
                    rk.sync_items(spec.child, name, obj, items)
                    diff[name] = [rk.to_json(old_items), rk.to_json(items)]
        if EDITED[kind].unit_from and v.get("unit_id") not in (None, obj.unit_id):
            diff["unit_id"] = [obj.unit_id, v["unit_id"]]  # inherited (_inherit_unit)
            obj.unit_id = v["unit_id"]
        rk.set_search_key(kind, obj)
        return diff

    def _refuse_duplicates(self, kind: str, v: dict[str, Any], record_id: str | None,
                           allow_duplicate: bool) -> None:
        if kind == "plan_status":
            self._refuse_plan_status_twice(v, record_id)
            return
        if allow_duplicate:
            return
        matches = self.duplicates(kind, v, exclude_id=record_id)
        if matches:
            names = "; ".join(rk.describe(kind, m) for m in matches[:5])
            raise DuplicateError(t(DUPLICATE, names=names), matches)

    def _refuse_plan_status_twice(self, v: dict[str, Any], record_id: str | None) -> None:
        """One status per unit, line and year, trash included (a unique constraint holds it)."""
        stmt = select(PlanLineStatus).where(
            PlanLineStatus.unit_id == v.get("unit_id"),
            PlanLineStatus.line_code == v.get("line_code"),
            PlanLineStatus.year == v.get("year"))
        if record_id is not None:
            stmt = stmt.where(PlanLineStatus.id != record_id)
        existing = self.session.scalars(stmt).first()
        if existing is not None:
            template = PLAN_STATUS_EXISTS if existing.deleted_at is None else PLAN_STATUS_IN_TRASH
            raise DuplicateError(t(template, line=existing.line_code, year=existing.year),
                                 [existing])

    def _duplicate_condition(self, kind: str, v: Mapping[str, Any]) -> ColumnElement[bool] | None:
        """The SQL condition for records that look like `v`, or None if `v` lacks the facts."""
        unit = _typed(v, "unit_id", int)
        if kind == "cooperative":
            either = []
            tax_code = _typed(v, "tax_code", str)
            if tax_code:
                either.append(Cooperative.tax_code == tax_code)
            name = _typed(v, "name", str)
            if name and unit is not None:
                either.append(and_(Cooperative.name_key == fold(name),
                                   Cooperative.unit_id == unit))
            return or_(*either) if either else None
        if kind == "person":
            name = _typed(v, "full_name", str)
            if not name or unit is None:
                return None
            condition = and_(Person.name_key == fold(name), Person.unit_id == unit)
            born = _typed(v, "birth_year", int)
            if born is not None:
                condition = and_(condition, or_(Person.birth_year == born,
                                                Person.birth_year.is_(None)))
            return condition
        facts: dict[str, tuple[tuple[Any, str, type], ...]] = {
            "event": ((Event.title_key, "title", str), (Event.start, "start", date),
                      (Event.unit_id, "unit_id", int)),
            "cadre": ((Cadre.person_id, "person_id", str), (Cadre.unit_id, "unit_id", int)),
            "job_placement": ((JobPlacement.person_id, "person_id", str),
                              (JobPlacement.cooperative_id, "cooperative_id", str),
                              (JobPlacement.start, "start", date)),
            "support": ((Support.cooperative_id, "cooperative_id", str),
                        (Support.kind, "kind", str), (Support.on, "on", date)),
            "communication": ((Communication.unit_id, "unit_id", int),
                              (Communication.on, "on", date), (Communication.form, "form", str),
                              (Communication.topic, "topic", str)),
            "award": ((Award.unit_id, "unit_id", int), (Award.on, "on", date),
                      (Award.recipient, "recipient", str), (Award.title, "title", str)),
            "plan_status": ((PlanLineStatus.unit_id, "unit_id", int),
                            (PlanLineStatus.line_code, "line_code", str),
                            (PlanLineStatus.year, "year", int)),
        }
        model: Any = rk.MODELS[kind]
        python_types = {"date": date, "int": int, "unit": int}
        # A kind without facts of its own here: its declared duplicate fields, compared as is.
        own = facts.get(kind) or tuple(
            (getattr(model, name), name, python_types.get(FIELDS[kind][name].kind, str))
            for name in _DUPLICATE_FIELDS[kind])
        conditions = []
        for column, name, type_ in own:
            value = _typed(v, name, type_)
            if value is None:
                return None
            if name == "title":
                value = fold(value)
            # Topic, recipient and title are compared folded afterwards, in Python.
            if (kind, name) not in {("communication", "topic"), ("award", "recipient"),
                                    ("award", "title")}:
                conditions.append(column == value)
        return and_(*conditions)

    def _reference_errors(self, kind: str, v: Mapping[str, Any], record_id: str | None,
                          prefix: str = "") -> list[FieldError]:
        """Problems with what the values point to: units, records, plan lines, ethnic groups."""
        errors: list[FieldError] = []
        for name, spec in FIELDS[kind].items():
            value = v.get(name)
            field = prefix + name
            label = t(spec.label)
            if (spec.kind == "unit" and isinstance(value, int) and not isinstance(value, bool)
                    and 0 < value < 2**63):  # else validation refuses it; the driver overflows
                unit = self.session.get(Unit, value)
                if unit is None:
                    errors.append(FieldError(field, t(REF_MISSING, label=label)))
                elif kind == "cooperative" and unit.level != "xa":
                    errors.append(FieldError(field, t(COOP_NOT_IN_COMMUNE)))
            elif spec.kind == "ref" and isinstance(value, str):
                target = self.session.get(_REFERENCES[name], value)
                if target is None or target.deleted_at is not None:
                    errors.append(FieldError(field, t(REF_MISSING, label=label)))
                elif name == "converted_to_id" and (target.kind != "htx" or value == record_id):
                    errors.append(FieldError(field, t(CONVERTED_NOT_HTX)))
            elif name in ("plan_line", "line_code") and isinstance(value, str):
                if self.session.get(PlanLine, value) is None:
                    errors.append(FieldError(field, t(PLAN_LINE_UNKNOWN, value=value)))
            elif spec.kind == "ethnicity" and isinstance(value, str) and len(value) == 2:
                if self.session.get(EthnicGroup, value) is None:
                    errors.append(FieldError(field, t(ETHNICITY_UNKNOWN, value=value)))
            elif spec.kind == "items" and isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, Mapping):
                        errors += self._reference_errors(spec.child, item, record_id,
                                                         f"{prefix}{name}[{i}].")
        return errors

