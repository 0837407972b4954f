"""Unsaved forms kept in the `drafts` table, so that a crash loses nothing (Qt-free)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select

from htx_desktop.store import models as m
from htx_desktop.store.engine import Database


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def save_draft(db: Database, draft_id: int | None, form: str, record_id: str | None,
               values: dict[str, Any]) -> int:
    """Insert or replace the draft; returns its id."""
    payload = {"values": jsonable(values)}
    with db.session() as session:
        draft = session.get(m.Draft, draft_id) if draft_id is not None else None
        if draft is None:
            draft = m.Draft(form=form, record_id=record_id, payload=payload)
            session.add(draft)
        else:
            draft.payload = payload
            from htx_desktop.store.clock import utcnow
            draft.saved_at = utcnow()
        session.flush()
        return draft.id


def remove_draft(db: Database, draft_id: int | None) -> None:
    if draft_id is None:
        return
    with db.session() as session:
        session.execute(delete(m.Draft).where(m.Draft.id == draft_id))


def list_drafts(db: Database) -> list[tuple[int, str, str | None, dict[str, Any], datetime]]:
    with db.session() as session:
        rows = session.execute(
            select(m.Draft.id, m.Draft.form, m.Draft.record_id, m.Draft.payload,
                   m.Draft.saved_at).order_by(m.Draft.saved_at)).all()
        out = []
        for r in rows:
            values = r[3].get("values") if isinstance(r[3], dict) else None
            out.append((r[0], r[1], r[2], dict(values) if isinstance(values, dict) else {}, r[4]))
        return out
