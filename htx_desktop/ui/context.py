"""What every page needs: the database, the home unit and the units below it, the officer."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from htx_desktop.store import models as m
from htx_desktop.store.engine import Database


@dataclass
class AppContext:
    db: Database
    home_unit_id: int
    home_unit_name: str
    unit_ids: list[int]
    communes: list[tuple[int, str]]  # (unit id, name) of the units below (and the home unit)
    officer: str = ""
    data_root: Path | None = None
    years: list[int] = field(default_factory=list)

    @classmethod
    def load(cls, db: Database, data_root: Path | None = None) -> AppContext | None:
        """None when no home unit is set yet (the first-run wizard is due)."""
        from htx_desktop.store.reference import descendant_units
        from htx_desktop.store.settings import home_unit, officer

        with db.session() as session:
            home = home_unit(session)
            if home is None:
                return None
            units = descendant_units(session, home.id, include_self=True)
            communes = sorted(((u.id, u.name) for u in units),
                              key=lambda p: (p[0] != home.id, p[1]))
            years = sorted({int(y) for y in session.scalars(
                select(m.CooperativeYear.year).distinct()) if y}, reverse=True)
            return cls(db=db, home_unit_id=home.id, home_unit_name=home.name,
                       unit_ids=[u.id for u in units], communes=communes,
                       officer=db.officer or officer(session).name or "", data_root=data_root,
                       years=years)
