"""What one row of each kind becomes in the record service's terms (see importer.py)."""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from htx_desktop.domain.text import fold
from htx_desktop.i18n import t
from htx_desktop.sheets.reader import SheetRow
from htx_desktop.sheets.rows import RowOutcome, RowRefused, RowRun, Status

_COOP = {"name": "name", "kind": "kind", "commune": "unit_id", "tax_code": "tax_code",
         "village": "village", "founded_on": "founded_on", "registered_on": "registered_on",
         "union_supported": "union_supported", "note": "note"}
_YEARLY = ("members", "members_female", "workers", "workers_female", "female_stable_jobs",
           "female_ethnic_minority", "new_female_jobs", "revenue_vnd", "avg_monthly_income_vnd")
_PERSON = {"full_name": "full_name", "gender": "gender", "birth_year": "birth_year",
           "ethnicity": "ethnicity_code", "commune": "unit_id", "village": "village",
           "phone": "phone", "id_number": "id_number", "note": "note"}


def _one(run: RowRun, kind: str, values: dict[str, Any]) -> Any | None:
    """The existing record these values match, None if none; refuse if several do."""
    matches = run.service.duplicates(kind, values)
    if len(matches) > 1:
        from htx_desktop.store import record_kinds as rk

        raise RowRefused(t("giống nhiều bản ghi đã có ({names}); hãy sửa trong chương trình.",
                           names="; ".join(rk.describe(kind, m) for m in matches[:3])))
    return matches[0] if matches else None


def _save(run: RowRun, kind: str, values: dict[str, Any],
          merge: Any = None) -> tuple[Status, Any]:
    """Update the matching record (merging nested sets with `merge(snapshot, values)`), else
    create one."""
    existing = _one(run, kind, values)
    if existing is None:
        return "created", run.service.create(kind, values)
    before = run.service.snapshot(kind, existing.id)
    if merge is not None:
        values = merge(before, values)
    for name in ("name", "full_name", "title"):
        # "htx det phu thuong" found "HTX Dệt Phú Thượng": keep the better-written name.
        if name in values and fold(str(values[name])) == fold(str(before.get(name) or "")):
            values = {k: v for k, v in values.items() if k != name}
    return "updated", run.service.update(kind, existing.id, values)


# --------------------------------------------------------------------------- cooperatives


def coop_kind_from_name(name: Any) -> str | None:
    """The kind a cooperative's name says ("HTX …", "Tổ hợp tác …", "Liên hiệp HTX …"), for
    a row whose kind cell is empty; None when the name does not say."""
    folded = fold(str(name or ""))
    for pattern, kind in ((r"lien hiep\b", "lhhtx"), (r"(htx|hop tac xa)\b", "htx"),
                          (r"(tht|to hop tac)\b", "tht")):
        if re.match(pattern, folded):
            return kind
    return None


def cooperative_row(run: RowRun, row: SheetRow) -> tuple[Status, str]:
    values = run.cells(row, _COOP)
    if "kind" not in values and (kind := coop_kind_from_name(values.get("name"))):
        values["kind"] = kind  # an empty kind cell: what the name says
    sector = run.cell(row, "sector")
    if sector:
        values["sectors"] = [sector]
    figures = {k: v for k in _YEARLY if (v := run.cell(row, k)) is not None}
    year = run.cell(row, "year")
    if figures and year is None:
        # Figures without their year: the year chosen for the whole sheet (the current one
        # unless the officer chose another), said in the summary.
        year = run.figures_year
        run.figures_year_rows.append(row.number)
    if year is not None:
        values["yearly"] = [{"year": year, **figures}]

    def merge(before: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
        out = dict(new)
        if "sectors" in new:
            out["sectors"] = sorted(set(before.get("sectors") or []) | set(new["sectors"]))
        if "yearly" in new:
            kept = [y for y in before.get("yearly") or [] if y.get("year") != year]
            old: dict[str, Any] = next(
                (y for y in before.get("yearly") or [] if y.get("year") == year), {})
            out["yearly"] = [*kept, {**_item(old), **new["yearly"][0]}]
        return out

    status, coop = _save(run, "cooperative", values, merge)
    return status, coop.name


def _item(snapshot_item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in snapshot_item.items() if k != "id"}


# --------------------------------------------------------------------------- people


def person_row(run: RowRun, row: SheetRow) -> tuple[Status, str]:
    values = run.cells(row, _PERSON)
    status, person = _save(run, "person", values)
    position = run.cell(row, "position")
    coop_name = run.raw(row, "coop_name")
    if position is not None:
        coop = run.conv.cooperative(_header(run, "coop_name"), coop_name,
                                    near_unit=values.get("unit_id"))
        item = {"person_id": person.id, "position": position,
                "start": run.cell(row, "position_start")}
        before = run.service.snapshot("cooperative", coop.id)
        positions = [_item(p) for p in before.get("positions") or []]
        if not any(p["person_id"] == person.id and p["position"] == position
                   for p in positions):
            run.service.update("cooperative", coop.id, {"positions": [*positions, item]})
        return status, t("{name} — {coop}", name=person.full_name, coop=coop.name)
    return status, person.full_name


def _header(run: RowRun, key: str) -> Any:
    return run.columns[key]


# --------------------------------------------------------------------------- jobs


def _find_or_create_person(run: RowRun, values: dict[str, Any]) -> Any:
    existing = _one(run, "person", values)
    return existing if existing is not None else run.service.create("person", values)


def job_row(run: RowRun, row: SheetRow) -> tuple[Status, str]:
    person_values = run.cells(row, {"full_name": "full_name", "birth_year": "birth_year",
                                    "gender": "gender", "commune": "unit_id"})
    coop = run.conv.cooperative(_header(run, "coop_name"), run.raw(row, "coop_name"),
                                run.raw(row, "coop_tax_code"),
                                near_unit=person_values.get("unit_id"))
    job = run.cells(row, {"start": "start", "end": "end", "role": "role", "new_job": "new_job",
                          "stable": "stable", "monthly_income_vnd": "monthly_income_vnd"})
    person = _find_or_create_person(run, person_values)
    job.update(unit_id=coop.unit_id, person_id=person.id, cooperative_id=coop.id)
    status, _ = _save(run, "job_placement", job)
    return status, t("{name} — {coop}", name=person.full_name, coop=coop.name)


# --------------------------------------------------------------------------- events

_EVENT = {"title": "title", "event_type": "type", "start": "start", "end": "end",
          "unit": "unit_id", "place": "place", "count_total": "count_total",
          "count_female": "count_female"}


def events(run: RowRun, rows: list[SheetRow]) -> list[RowOutcome]:
    """Rows of one event (same title, start and unit) are one event with its attendees; the
    event and its rows are refused together."""
    groups: dict[tuple[str, ...], list[SheetRow]] = {}
    for row in rows:
        key = tuple(str(run.raw(row, k) or "").casefold() for k in ("title", "start", "unit"))
        groups.setdefault(key if any(key) else (str(row.number),), []).append(row)
    outcomes: list[RowOutcome] = []
    for group in groups.values():
        names: dict[int, str] = {}
        first = run.attempt(group[0].number, partial(_event_group, run, group, names))
        for row in group:
            if first.status == "refused":
                outcomes.append(RowOutcome(row.number, "refused", reason=first.reason))
            else:
                record = first.record + (f" — {names[row.number]}" if row.number in names
                                         else "")
                outcomes.append(RowOutcome(row.number, first.status, record))
    return sorted(outcomes, key=lambda o: o.row)


def _event_group(run: RowRun, group: list[SheetRow], names: dict[int, str]) -> tuple[Status, str]:
    values: dict[str, Any] = {}
    for row in group:
        for name, value in run.cells(row, _EVENT).items():
            values.setdefault(name, value)
    attendance: list[dict[str, Any]] = []
    for row in group:
        if run.raw(row, "attendee_name") is None:
            continue
        person_values = run.cells(row, {"attendee_name": "full_name",
                                        "attendee_birth_year": "birth_year",
                                        "attendee_gender": "gender",
                                        "attendee_commune": "unit_id"})
        person_values.setdefault("unit_id", values.get("unit_id"))
        person = _find_or_create_person(run, person_values)
        if all(a["person_id"] != person.id for a in attendance):
            item = {"person_id": person.id}
            role = run.cell(row, "attendee_role")
            if role:
                item["role"] = role
            attendance.append(item)
        names[row.number] = person.full_name
    if attendance:
        values["attendance"] = attendance

    def merge(before: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
        out = dict(new)
        if "attendance" in new:
            old = [_item(a) for a in before.get("attendance") or []]
            ids = {a["person_id"] for a in new["attendance"]}
            out["attendance"] = [a for a in old if a["person_id"] not in ids] + new["attendance"]
        return out

    status, event = _save(run, "event", values, merge)
    return status, event.title
