"""People as the attendance editor, the pickers and the paste preview show them: name, birth
year and commune (`domain/attendance_paste.PersonInfo`), looked up by folded name (the indexed
`name_key`), by id, or as the attendees of an event."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from htx_desktop.domain.attendance_paste import PersonInfo
from htx_desktop.store import models as m

_CHUNK = 500  # bound parameters per IN (...)


def _select() -> Any:
    p, u = m.Person, m.Unit
    return (select(p.id, p.full_name, p.birth_year, p.unit_id, u.name, p.phone)
            .join(u, p.unit_id == u.id).where(p.deleted_at.is_(None)))


def _infos(session: Session, stmt: Any) -> list[PersonInfo]:
    return [PersonInfo(str(i), name, year, unit, commune or "", phone)
            for i, name, year, unit, commune, phone in session.execute(stmt)]


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i:i + _CHUNK]


def by_folded_names(session: Session, keys: Iterable[str],
                    unit_ids: Sequence[int] | None = None) -> list[PersonInfo]:
    """The people (not in the trash) whose folded name is one of `keys`, within `unit_ids`."""
    out: list[PersonInfo] = []
    for chunk in _chunks(sorted(set(keys))):
        stmt = _select().where(m.Person.name_key.in_(chunk))
        if unit_ids is not None:
            stmt = stmt.where(m.Person.unit_id.in_(list(unit_ids)))
        out += _infos(session, stmt)
    return out


def by_ids(session: Session, ids: Iterable[str]) -> dict[str, PersonInfo]:
    """Id → the person (also when in the trash: an old attendance row still shows her)."""
    p, u = m.Person, m.Unit
    out: dict[str, PersonInfo] = {}
    for chunk in _chunks(sorted({str(i) for i in ids if i})):
        stmt = (select(p.id, p.full_name, p.birth_year, p.unit_id, u.name, p.phone)
                .join(u, p.unit_id == u.id).where(p.id.in_(chunk)))
        out.update({info.id: info for info in _infos(session, stmt)})
    return out


def attendees(session: Session, event_id: str) -> list[PersonInfo]:
    """The people on an event's list, in name order."""
    a = m.Attendance
    stmt = (_select().join(a, a.person_id == m.Person.id).where(a.event_id == event_id)
            .order_by(m.Person.name_key, m.Person.full_name))
    return _infos(session, stmt)


def search(session: Session, text: str, unit_ids: Sequence[int] | None,
           limit: int) -> list[PersonInfo]:
    """The people whose folded name holds every typed word (as the lists search: by the name
    index where it can answer), those beginning with the typed text first, then in name
    order, up to `limit`."""
    from htx_desktop.domain.text import fold
    from htx_desktop.store import search_index

    words = fold(text).split()
    if not words:
        return []
    p = m.Person
    stmt = _select()
    if unit_ids is not None:
        stmt = stmt.where(p.unit_id.in_(list(unit_ids)))
    engine = session.get_bind().engine
    long: list[tuple[str, list[Any]]] = [
        (w, [p.name_key]) for w in words if len(w) >= search_index.MIN_WORD]
    match = search_index.words_match(engine, long) if long else None
    for w in words:
        if match is None or len(w) < search_index.MIN_WORD:
            stmt = stmt.where(p.name_key.contains(w, autoescape=True))
    if match is not None:
        stmt = stmt.where(match)
    # names that begin with what was typed first ("Ma Thị …" before "Bùi Thị Mai")
    starts = case((p.name_key.startswith(" ".join(words), autoescape=True), 0), else_=1)
    return _infos(session, stmt.order_by(starts, p.name_key, p.full_name, p.id).limit(limit))


def filtered(session: Session, unit_ids: Sequence[int] | None, *, text: str = "",
             unit_id: int | None = None, cooperative_id: str | None = None,
             event_id: str | None = None, limit: int = 500) -> list[PersonInfo]:
    """People for ticking several at once: of one commune, of one cooperative (its managers
    and the workers placed in it), or on an earlier event's list; and holding the typed
    words. In name order, up to `limit`."""
    from htx_desktop.domain.text import fold

    p = m.Person
    stmt = _select()
    if unit_ids is not None:
        stmt = stmt.where(p.unit_id.in_(list(unit_ids)))
    if unit_id is not None:
        stmt = stmt.where(p.unit_id == unit_id)
    if cooperative_id is not None:
        managers = select(m.ManagementPosition.person_id).where(
            m.ManagementPosition.cooperative_id == cooperative_id)
        workers = select(m.JobPlacement.person_id).where(
            m.JobPlacement.cooperative_id == cooperative_id,
            m.JobPlacement.deleted_at.is_(None))
        stmt = stmt.where(p.id.in_(managers.union(workers)))
    if event_id is not None:
        stmt = stmt.where(p.id.in_(select(m.Attendance.person_id)
                                   .where(m.Attendance.event_id == event_id)))
    for word in fold(text).split():
        stmt = stmt.where(p.name_key.contains(word, autoescape=True))
    return _infos(session, stmt.order_by(p.name_key, p.full_name, p.id).limit(limit))


def recent_events(session: Session, unit_ids: Sequence[int] | None,
                  limit: int = 300) -> list[tuple[str, str]]:
    """(id, "dd/mm/yyyy — title (n người)") of the latest events with a named list."""
    from sqlalchemy import func
    e, a = m.Event, m.Attendance
    n = func.count(a.person_id)
    stmt = (select(e.id, e.start, e.title, n).join(a, a.event_id == e.id)
            .where(e.deleted_at.is_(None)).group_by(e.id, e.start, e.title)
            .order_by(e.start.desc(), e.title).limit(limit))
    if unit_ids is not None:
        stmt = stmt.where(e.unit_id.in_(list(unit_ids)))
    out = []
    for event_id, start, title, count in session.execute(stmt):
        when = start.strftime("%d/%m/%Y") if start else ""
        out.append((str(event_id), f"{when} — {title} ({count})"))
    return out


def cooperatives(session: Session, unit_ids: Sequence[int] | None) -> list[tuple[str, str]]:
    """(id, name) of the cooperatives in scope, in name order."""
    c = m.Cooperative
    stmt = select(c.id, c.name).where(c.deleted_at.is_(None)).order_by(c.name_key, c.name)
    if unit_ids is not None:
        stmt = stmt.where(c.unit_id.in_(list(unit_ids)))
    return [(str(i), name) for i, name in session.execute(stmt)]
