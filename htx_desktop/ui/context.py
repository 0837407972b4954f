"""What every page needs: the database, the home unit and the units below it, the officer.

At start the window is shown before the database is opened (`app.run_gui`): the context is
then made from `store/quick_read.StartInfo` with an opener, and the database is opened right
after the first paint. Whoever needs it earlier (`ctx.db`) opens it at once, on the UI thread,
so nothing ever sees a context without its database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from htx_desktop.store.engine import Database
    from htx_desktop.store.quick_read import StartInfo


@dataclass
class AppContext:
    home_unit_id: int
    home_unit_name: str
    unit_ids: list[int]
    communes: list[tuple[int, str]]  # (unit id, name) of the units below (and the home unit)
    officer: str = ""
    data_root: Path | None = None
    years: list[int] = field(default_factory=list)
    _db: Database | None = None
    _opener: Callable[[], Database] | None = None
    _on_ready: list[Callable[[], None]] = field(default_factory=list)

    @property
    def db(self) -> Database:
        """The open database (opened now if the start has not done it yet)."""
        if self._db is None:
            self.open_database()
        assert self._db is not None
        return self._db

    @property
    def ready(self) -> bool:
        return self._db is not None

    def open_database(self) -> None:
        """Open the database if it is not yet, then run what waited for it (in order)."""
        if self._db is not None:
            return
        assert self._opener is not None
        self._db = self._opener()
        waiting, self._on_ready = self._on_ready, []
        for callback in waiting:
            callback()

    def when_ready(self, callback: Callable[[], None]) -> None:
        """Run `callback` once the database is open (now, if it is)."""
        if self._db is not None:
            callback()
        else:
            self._on_ready.append(callback)

    @classmethod
    def load(cls, db: Database, data_root: Path | None = None) -> AppContext | None:
        """None when no home unit is set yet (the first-run wizard is due)."""
        from sqlalchemy import select

        from htx_desktop.store import models as m
        from htx_desktop.store.reference import descendant_units
        from htx_desktop.store.settings import home_unit, officer

        with db.session() as session:
            home = home_unit(session)
            if home is None:
                return None
            units = descendant_units(session, home.id, include_self=True)
            years = sorted({int(y) for y in session.scalars(
                select(m.CooperativeYear.year).distinct()) if y}, reverse=True)
            return cls(home_unit_id=home.id, home_unit_name=home.name,
                       unit_ids=[u.id for u in units],
                       communes=_communes(home.id, [(u.id, u.name) for u in units]),
                       officer=db.officer or officer(session).name or "", data_root=data_root,
                       years=years, _db=db)

    @classmethod
    def pending(cls, info: StartInfo, opener: Callable[[], Database],
                data_root: Path | None) -> AppContext:
        """A context from the quick read, its database opened by `opener` when first needed."""
        return cls(home_unit_id=info.home_unit_id, home_unit_name=info.home_unit_name,
                   unit_ids=[i for i, _n in info.units],
                   communes=_communes(info.home_unit_id, info.units), officer=info.officer,
                   data_root=data_root, years=list(info.years), _opener=opener)


def _communes(home_id: int, units: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The home unit first, then the units below in Vietnamese alphabetical order of their
    proper names ("Xã Bạch Thông" before "Xã Bình Yên", "Phường Đức Xuân" after "Xã Dân
    Tiến")."""
    from htx_desktop.ui.collate import unit_name_key
    home = [p for p in units if p[0] == home_id]
    return home + sorted((p for p in units if p[0] != home_id),
                         key=lambda p: unit_name_key(p[1]))
