"""Locked periods: once a period's package has gone to the level above, its records are locked.

Changing (or deleting, or restoring) a locked record is allowed, but only with a reason: the
reason goes into the audit log and, as an `amendment`, into the next package of that period, so
the level above learns why the figures it already received have moved.

Which period a record belongs to:
- dated kinds by their date (`lock_dates` in domain/kinds.py): event start (and end), job
  placement start, support, communication and award date; plan status by its year;
- people, cadres and cooperatives have no single date: they took part in every package exported
  after they were created. For a cooperative, a change that only touches its yearly figures or
  OCOP products concerns the years of those rows alone.
Fields that never leave the PC (notes, village, phone, ID number, name) lock nothing.
A period whose latest package the level above returned (a receipt, issue 21) is open again:
changes need no reason until the next package of the period is exported; an accepted period
stays locked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from htx_desktop.domain.kinds import EDITED
from htx_desktop.domain.periods import Period, parse_period
from htx_desktop.i18n import t
from htx_desktop.store import record_kinds as rk
from htx_desktop.store.errors import StoreError
from htx_desktop.store.models import AuditEntry, Export

LOCKED = (
    "Bản ghi «{name}» thuộc kỳ báo cáo {periods} đã xuất gói gửi cấp trên nên đã được khoá. "
    "Muốn sửa hoặc xoá, hãy nhập lý do thay đổi: lý do được ghi vào nhật ký và gửi kèm gói "
    "báo cáo lần sau của kỳ này."
)
# Dated kinds: the snapshot fields that place a record in time (domain/kinds.py).
_DATE_FIELDS: dict[str, tuple[str, ...]] = {
    name: k.lock_dates for name, k in EDITED.items() if k.lock_dates}
# Fields that are never written into a package: changing them locks nothing.
_PRIVATE_FIELDS = frozenset({"note", "village", "phone", "id_number", "full_name",
                             "many_jobs_reason"})
_YEARLY_NESTED = ("yearly", "ocop_products")


class LockedRecordError(StoreError):
    """A change to a record of an exported period, made without a reason."""

    def __init__(self, message: str, periods: list[str]) -> None:
        super().__init__(message)
        self.periods = periods


@dataclass(frozen=True)
class ExportedPeriod:
    period: Period
    last_export: datetime  # UTC


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def exported_periods(session: Session) -> list[ExportedPeriod]:
    """Every period a package was exported for, with the time of its latest export."""
    latest: dict[str, datetime] = {}
    # A version reserved by an export that did not finish (sha256 "") is no package sent.
    for label, at in session.execute(select(Export.period, Export.created_at)
                                     .where(Export.sha256 != "")):
        at = _utc(at)
        if label not in latest or at > latest[label]:
            latest[label] = at
    found = []
    for label, at in sorted(latest.items()):
        try:
            found.append(ExportedPeriod(parse_period(label), at))
        except ValueError:  # a label this version cannot read: it locks nothing
            continue
    return found


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _dates_of(kind: str, values: Mapping[str, Any]) -> list[date]:
    dates = [_as_date(values.get(name)) for name in _DATE_FIELDS.get(kind, ())]
    if kind == "plan_status" and isinstance(values.get("year"), int):
        dates.append(date(values["year"], 6, 30))
    return [d for d in dates if d is not None]


def _item_years(items: Any) -> set[int]:
    years: set[int] = set()
    for item in items or []:
        if isinstance(item, Mapping) and isinstance(item.get("year"), int):
            years.add(item["year"])
    return years


def _changed_years(before: Any, after: Any) -> set[int]:
    """The years of the nested rows that differ between the two lists."""
    old = {repr(sorted(i.items())) for i in before or [] if isinstance(i, Mapping)}
    new = {repr(sorted(i.items())) for i in after or [] if isinstance(i, Mapping)}
    differing = [i for i in (before or []) + (after or []) if isinstance(i, Mapping)
                 and (repr(sorted(i.items())) in old) != (repr(sorted(i.items())) in new)]
    return _item_years(differing)


def periods_touched(session: Session, kind: str, obj: Any, before: Mapping[str, Any],
                    changed: Mapping[str, Any] | None) -> list[str]:
    """Labels of exported periods this change reaches (`changed` None: the whole record, as
    for delete and restore)."""
    # A period whose latest package the level above returned is open again (issue 21).
    from htx_desktop.store.review import returned_periods

    open_again = returned_periods(session)
    exported = [ep for ep in exported_periods(session) if ep.period.label not in open_again]
    if not exported:
        return []
    if changed is not None:
        changed = {k: v for k, v in changed.items() if k not in _PRIVATE_FIELDS}
        if not changed:
            return []
        nested = rk.nested_fields(kind)
        for name in set(changed) & set(_YEARLY_NESTED):  # compare like with like
            items = [dict(i) for i in changed[name] or [] if isinstance(i, Mapping)]
            changed[name] = rk.normalise_items(nested[name].child, items)
    hit: list[str] = []
    for ep in exported:
        if _reaches(kind, obj, before, changed, ep):
            hit.append(ep.period.label)
    return hit


def _in(ep: ExportedPeriod, day: date) -> bool:
    return ep.period.start <= day <= ep.period.end


def _reaches(kind: str, obj: Any, before: Mapping[str, Any],
             changed: Mapping[str, Any] | None, ep: ExportedPeriod) -> bool:
    if kind in _DATE_FIELDS or kind == "plan_status":
        days = _dates_of(kind, before) + _dates_of(kind, changed or {})
        return any(_in(ep, d) for d in days)
    created = getattr(obj, "created_at", None)
    if created is not None and _utc(created) > ep.last_export:
        return False  # the record was not in that package
    if kind == "cooperative" and changed is not None and set(changed) <= set(_YEARLY_NESTED):
        years: set[int] = set()
        for name in changed:
            years |= _changed_years(before.get(name), changed.get(name))
        return any(ep.period.start.year <= y <= ep.period.end.year for y in years)
    return True


def require_reason(session: Session, kind: str, obj: Any, before: Mapping[str, Any],
                   changed: Mapping[str, Any] | None, reason: str | None) -> None:
    """Refuse (LockedRecordError) a change to a locked record that comes without a reason."""
    if reason is not None and reason.strip():
        return
    periods = periods_touched(session, kind, obj, before, changed)
    if periods:
        raise LockedRecordError(t(LOCKED, name=rk.describe(kind, obj),
                                  periods=", ".join(periods)), periods)


def _kind_of_table() -> dict[str, str]:
    return {model.__tablename__: kind for kind, model in rk.MODELS.items()}


def amendments_since_export(session: Session, period: Period) -> list[dict[str, Any]]:
    """Changes with a reason made since the latest export of `period` to records that belong
    to it: what the next package of the period reports as `amendments`, oldest first."""
    exported = {ep.period.label: ep for ep in exported_periods(session)}
    ep = exported.get(period.label)
    if ep is None:
        return []
    kinds = _kind_of_table()
    # The export's mark in the change log, when it has one: later entries come after it,
    # whatever the PC's clock said (a clock days behind made amendments look older).
    exports = [str(i) for i in session.scalars(select(Export.id).where(
        Export.period == period.label, Export.sha256 != ""))]
    mark = session.scalar(select(func.max(AuditEntry.id)).where(
        AuditEntry.table_name == Export.__tablename__, AuditEntry.record_id.in_(exports))
    ) if exports else None
    after = AuditEntry.id > mark if mark is not None else AuditEntry.at > ep.last_export
    stmt = (select(AuditEntry)
            .where(AuditEntry.action.in_(("update", "delete", "restore")),
                   AuditEntry.reason.is_not(None), after)
            .order_by(AuditEntry.id))
    found: list[dict[str, Any]] = []
    for entry in session.scalars(stmt):
        kind = kinds.get(entry.table_name)
        if kind is None or not (entry.reason or "").strip():
            continue
        if mark is None and _utc(entry.at) <= ep.last_export:
            continue
        obj = session.get(rk.MODELS[kind], entry.record_id)
        if obj is None:
            continue
        before = {**rk.snapshot(kind, obj), **_old_values(entry.changes)}
        changed = None if entry.action != "update" else _new_values(entry.changes)
        if changed is not None:
            changed = {k: v for k, v in changed.items() if k not in _PRIVATE_FIELDS}
            if not changed:
                continue
        if _reaches(kind, obj, before, changed, ep):
            found.append({"kind": kind, "id": entry.record_id, "action": entry.action,
                          "reason": (entry.reason or "").strip(),
                          "at": _utc(entry.at).isoformat(timespec="seconds")})
    return found


def _old_values(changes: Any) -> dict[str, Any]:
    return _side(changes, 0)


def _new_values(changes: Any) -> dict[str, Any]:
    return _side(changes, 1)


def _side(changes: Any, index: int) -> dict[str, Any]:
    if not isinstance(changes, Mapping):
        return {}
    return {k: v[index] for k, v in changes.items()
            if isinstance(v, list | tuple) and len(v) == 2}
