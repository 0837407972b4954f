"""Units across the eras of the 1/7/2025 reorganisation (issue 18, point 6).

Codes were reused on 1/7/2025: the old commune 05482 (Phường Tân Long) and the new ward 05482
(Phường Quan Triều) are two units. In the database a unit is its `id`; in a Dataset and in
data.json it is its **key**: the bare code for the latest unit of that code (the current one),
`CODE-YYYYMMDD` (the code and its last day) for an older unit whose code a later unit carries.
The records of an old unit keep that unit: they travel under its key and are imported back to
it, never to the new unit that carries the same code.

A unit's scope follows the succession (`unit_successors`, loaded with the old-era tree): the
new ward's scope holds the records of the old units that became it, an old unit's only its own
and those below it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from htx_desktop.store.models import Unit, UnitSuccessor
from htx_desktop.store.reference import descendant_units

_KEY = re.compile(r"^(.+)-(\d{8})$")
_CHUNK = 900


def era_key(code: str, valid_to: date) -> str:
    """The key of an older unit whose code was reused: `05482-20250630`."""
    return f"{code}-{valid_to:%Y%m%d}"


def parse_key(key: str) -> tuple[str, date | None]:
    """(code, last day) of a key; a bare code has no last day (the latest unit of the code)."""
    m = _KEY.match(key)
    if m is None:
        return key, None
    try:
        return m.group(1), datetime.strptime(m.group(2), "%Y%m%d").date()
    except ValueError:
        return key, None


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i:i + _CHUNK]


def _rank(valid_to: date | None) -> tuple[bool, date]:
    return valid_to is None, valid_to or date.min


def unit_keys(session: Session, units: Iterable[Unit]) -> dict[int, str]:
    """unit id → key, for `units`: the bare code unless a later unit carries the same code."""
    units = list(units)
    latest: dict[str, tuple[tuple[bool, date], int]] = {}
    for chunk in _chunks(sorted({u.code for u in units})):
        for uid, code, valid_to in session.execute(
                select(Unit.id, Unit.code, Unit.valid_to).where(Unit.code.in_(chunk))):
            rank = (_rank(valid_to), uid)
            if code not in latest or rank > latest[code]:
                latest[code] = rank
    return {u.id: (era_key(u.code, u.valid_to)
                   if u.valid_to is not None and latest[u.code][1] != u.id else u.code)
            for u in units}


def unit_key_of(session: Session, unit: Unit) -> str:
    return unit_keys(session, [unit])[unit.id]


def successors_of(session: Session, ids: Iterable[int]) -> dict[int, list[int]]:
    """unit id → the ids of the units it became (merged into or was replaced by)."""
    out: dict[int, list[int]] = {}
    id_list = sorted(set(ids))
    for i in range(0, len(id_list), _CHUNK):
        for uid, successor in session.execute(
                select(UnitSuccessor.unit_id, UnitSuccessor.successor_id)
                .where(UnitSuccessor.unit_id.in_(id_list[i:i + _CHUNK]))):
            out.setdefault(uid, []).append(successor)
    return out


def scope_units(session: Session, unit_id: int) -> list[Unit]:
    """The unit, every unit below it, and every older unit that became one of them (with the
    units below that one), ordered by code: whose records make up the unit's figures."""
    seen: dict[int, Unit] = {}
    todo = [unit_id]
    while todo:
        found = [u for u in descendant_units(session, todo.pop(), include_self=True)
                 if u.id not in seen]
        seen.update((u.id, u) for u in found)
        if not found:
            continue
        ids = [u.id for u in found]
        for i in range(0, len(ids), _CHUNK):
            todo.extend(p for p in session.scalars(
                select(UnitSuccessor.unit_id).where(
                    UnitSuccessor.successor_id.in_(ids[i:i + _CHUNK])))
                if p not in seen)
    return sorted(seen.values(), key=lambda u: (u.code, _rank(u.valid_to)))


def resolve_key(session: Session, key: str) -> Unit | None:
    """The unit a key names: an older unit by its code and last day, else the latest unit of
    the code."""
    code, last_day = parse_key(key)
    stmt = select(Unit).where(Unit.code == code)
    if last_day is not None:
        return session.scalars(stmt.where(Unit.valid_to == last_day)).first()
    return session.scalars(stmt.order_by(Unit.valid_to.is_(None).desc(),
                                         Unit.valid_to.desc().nulls_last())).first()
